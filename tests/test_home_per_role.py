"""Issue 19: a home per role (我的待办 for township staff) and a menu that reaches every section."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.inspections.factories import FindingFactory

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize(
    "role,lands_on",
    [
        ("township_staff", "/my-work/"),
        ("county_official", "/standings/counties/331102/"),
        ("city_office", "/"),
        ("province", "/"),
    ],
)
def test_each_role_lands_on_its_own_home(client, users, role, lands_on):
    user = users[role]
    user.set_password("pw-for-the-test-1")
    user.save()
    response = client.post("/accounts/login/", {"username": user.username, "password": "pw-for-the-test-1"})
    assert response.status_code == 302
    landing = client.get(response["Location"])
    assert landing.status_code == 302 and landing["Location"] == lands_on


def test_my_work_lists_open_items_by_deadline_sent_back_and_secretary_items(client_as, users, township):
    staff = users["township_staff"]
    later = FindingFactory(township=township, deadline=datetime.date(2030, 6, 1), description="后到期的问题")
    sooner = FindingFactory(township=township, deadline=datetime.date(2020, 6, 1), description="先到期的问题")
    back = FindingFactory(township=township, status="rejected", reopen_count=1, description="被退回的问题")
    FindingFactory(
        township=township, status="closed", closed_at="2026-01-01T00:00Z", description="已销号的问题"
    )
    FindingFactory(
        township=township, source="secretary", assigning_leader="书记", description="书记交办的问题"
    )
    response = client_as(staff).get("/my-work/")
    html = response.content.decode()
    assert "我的待办" in html
    assert [f.pk for f in response.context["open_items"]] == [sooner.pk, later.pk, back.pk]
    assert [f.pk for f in response.context["sent_back"]] == [back.pk]
    assert [f.description for f in response.context["secretary_items"]] == ["书记交办的问题"]
    assert "已销号的问题" not in html
    assert "逾期" in html  # the overdue one says by how much


def test_my_work_queries_do_not_grow_with_rows(client_as, users, township):
    client = client_as(users["township_staff"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/my-work/").status_code == 200
        return len(ctx.captured_queries)

    FindingFactory(township=township, status="rejected")
    FindingFactory(township=township, source="secretary", assigning_leader="书记")
    one = count()
    for i in range(12):
        FindingFactory(township=township, status="rejected" if i % 2 else "open")
        FindingFactory(township=township, source="secretary", assigning_leader="书记")
    assert count() == one


@pytest.mark.parametrize("role", ["city_office", "county_official", "township_staff", "inspector"])
def test_the_menu_reaches_every_section(client_as, users, role):
    html = client_as(users[role]).get("/townships/").content.decode()
    nav = html[html.index('id="site-nav"') : html.index("</nav>")]
    for url in (
        "/inspections/secretary/",
        "/inspections/deductions/",
        "/standings/warnings/",
        "/inspections/bulletins/",
    ):
        assert f'href="{url}"' in nav, (role, url)
    assert ('href="/my-work/"' in nav) == (role == "township_staff")
    assert ('href="/inspections/review/"' in nav) == (role != "township_staff")
