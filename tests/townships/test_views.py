import io

import pytest
from openpyxl import load_workbook

from tests.factories import CountyFactory, TownshipFactory

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client, lishui):
    response = client.get("/townships/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_page_is_chinese(client):
    response = client.get("/accounts/login/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "登录" in content
    assert 'lang="zh-CN"' in content


def test_login_and_logout(client, users):
    response = client.post("/accounts/login/", {"username": "city", "password": "pass-1234-word"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_english_on_request(client_as, users):
    client = client_as(users["city_office"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/townships/"})
    content = client.get("/townships/").content.decode()
    assert "Townships" in content


def test_township_list_shows_173_and_filters_by_county(client_as, users):
    client = client_as(users["city_office"])
    response = client.get("/townships/")
    assert response.context["paginator"].count == 173
    assert "乡镇" in response.content.decode()
    response = client.get("/townships/", {"county": "331181"})
    assert response.context["paginator"].count == 19
    response = client.get("/townships/", {"search": "老竹镇"})
    assert [t.code for t in response.context["townships"]] == ["331102103"]
    response = client.get("/townships/", {"category": "township_market", "county": "331102"})
    assert response.context["paginator"].count == 5


def test_county_official_sees_only_own_county(client_as, users, other_township):
    client = client_as(users["county_official"])
    response = client.get("/townships/")
    assert response.context["paginator"].count == 15
    assert client.get(other_township.get_absolute_url()).status_code == 404
    assert client.get("/counties/331181/").status_code == 404
    assert client.get("/counties/331102/").status_code == 200


def test_township_detail_shows_targets(client_as, users, township):
    from tests.factories import ProgressReportFactory, TargetFactory

    target = TargetFactory(township=township)
    ProgressReportFactory(target=target, cumulative_quantity=40)
    response = client_as(users["township_staff"]).get(township.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "碧湖镇" in content
    assert "40%" in content


def test_county_list_counts(client_as, users):
    response = client_as(users["city_office"]).get("/counties/")
    counties = {c.code: c.township_count for c in response.context["counties"]}
    assert counties["331181"] == 19
    assert sum(counties.values()) == 173


def test_township_export_matches_page(client_as, users):
    client = client_as(users["city_office"])
    response = client.get("/townships/export/", {"county": "331181"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    page = client.get("/townships/", {"county": "331181"})
    assert [r[0] for r in rows[2:]] == [t.code for t in page.context["townships"]]


def test_township_list_query_count_is_constant(client_as, users, django_assert_num_queries):
    county = CountyFactory(code="339901", name="查询县")
    from townships.models import Membership

    Membership.objects.filter(user=users["city_office"]).update(city=county.city)
    client = client_as(users["city_office"])
    TownshipFactory(county=county)
    # session, user with memberships, county filter lookup, count, county select options, page,
    # unread-notification badge
    with django_assert_num_queries(7):
        response = client.get("/townships/", {"county": "339901"})
    assert response.context["paginator"].count == 1
    TownshipFactory.create_batch(49, county=county)
    with django_assert_num_queries(7):
        response = client.get("/townships/", {"county": "339901"})
    assert len(response.context["townships"]) == 50


def test_admin_lists_every_model(client, users, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.invalid", "pw")
    client.force_login(admin)
    for path in ["township", "county", "city", "track", "target", "progressreport", "membership"]:
        assert client.get(f"/admin/townships/{path}/").status_code == 200, path


def test_unfiltered_export_has_every_visible_township(client_as, users):
    response = client_as(users["county_official"]).get("/townships/export/")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 + 15  # title, header, rows


def test_form_rows_show_field_errors_and_hidden_fields():
    from django import forms

    class Sample(forms.Form):
        name = forms.CharField(label="名称")
        token = forms.CharField(widget=forms.HiddenInput)

    form = Sample(data={"name": "", "token": "t"})
    assert not form.is_valid()
    html = str(form)
    assert 'class="form-row has-error"' in html
    assert 'role="alert"' in html and "该字段是必填项" in html
    assert 'type="hidden" name="token" value="t"' in html


def test_progress_evidence_is_served_only_in_scope(client_as, users, township, other_township):
    from django.core.files.base import ContentFile

    from tests.factories import ProgressReportFactory, TargetFactory

    report = ProgressReportFactory(target=TargetFactory(township=township))
    report.evidence.save("proof.pdf", ContentFile(b"%PDF-1.4 evidence"))
    url = f"/progress-reports/{report.pk}/evidence/"
    assert b"".join(client_as(users["township_staff"]).get(url).streaming_content) == b"%PDF-1.4 evidence"
    assert client_as(users["other_township_staff"]).get(url).status_code == 404
    assert client_as(users["township_staff"]).get(f"/media/{report.evidence.name}").status_code == 404
