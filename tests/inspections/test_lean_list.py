"""The findings list's lean path answers exactly what the stock DRF list answers, photos included."""

import datetime
from decimal import Decimal

import pytest
from django.utils.timezone import localdate
from rest_framework import mixins

from inspections.api.views.findings import FindingViewSet
from inspections.choices import FindingStatus
from inspections.models import Finding
from inspections.querysets import days_overdue, overdue_q
from tests.factories import UserFactory
from tests.inspections.factories import FindingFactory, FindingPhotoFactory, InspectionFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def mixed_findings(township, users):
    inspection = InspectionFactory(township=township, filed_by=users["county_official"])
    overdue = FindingFactory(
        township=township,
        inspection=inspection,
        assignee=users["township_staff"],
        responsible_person="王主任",
        deadline=datetime.date(2020, 1, 1),
        latitude=Decimal("28.123456"),
        longitude=Decimal("119.654321"),
        promised_date=datetime.date(2020, 2, 1),
    )
    FindingPhotoFactory(finding=overdue, stage="before")
    FindingPhotoFactory(finding=overdue, stage="after", taken_at="2020-01-05T08:00Z")
    FindingFactory(
        township=township,
        track=None,
        source="secretary",
        assigning_leader="李书记",
        reply_required=True,
        deadline=datetime.date(2030, 1, 1),
    )
    FindingFactory(
        township=township,
        deadline=datetime.date(2020, 3, 1),
        status="closed",
        closed_at="2020-03-02T10:00Z",
        closed_by=UserFactory(),
        repeat_of=overdue,
    )
    FindingFactory(township=township, deadline=datetime.date(2021, 5, 1), status="rejected", reopen_count=2)
    return overdue


@pytest.mark.parametrize(
    "query",
    [{}, {"overdue": "true"}, {"status": "open"}, {"overdue": "false"}, {"page_size": 2, "page": 2}],
)
def test_finding_list_is_the_stock_answer(query, api_as, users, township, mixed_findings, monkeypatch):
    api = api_as(users["county_official"])
    query = {"county": township.county.code, **query}
    lean = api.get("/api/v1/findings/", query)
    with monkeypatch.context() as m:
        m.setattr(FindingViewSet, "list", mixins.ListModelMixin.list)
        stock = api.get("/api/v1/findings/", query)
    assert lean.status_code == stock.status_code == 200
    assert lean.json()["count"] > 0
    assert lean.content == stock.content


def test_lean_row_keeps_days_overdue_and_photos(api_as, users, township, mixed_findings):
    body = api_as(users["county_official"]).get("/api/v1/findings/", {"overdue": "true"}).json()
    row = next(r for r in body["results"] if r["id"] == mixed_findings.pk)
    assert row["overdue"] is True
    assert row["days_overdue"] == (localdate() - datetime.date(2020, 1, 1)).days
    assert [p["stage"] for p in row["photos"]] == ["before", "after"]
    assert list(row)[-2:] == ["photos", "created_at"]


def test_python_overdue_rule_matches_the_sql_one(township):
    """One rule, two forms: overdue_q / with_days_overdue in SQL, querysets.days_overdue in Python
    (the lean API rows, Finding.days_overdue without the annotation, the digest, the deductions)."""
    today = localdate()
    for offset in (-400, -2, -1, 0, 1, 30):
        for status in FindingStatus.values:
            closed = (
                {"closed_at": "2020-03-02T10:00Z", "closed_by": UserFactory()} if status == "closed" else {}
            )
            deadline = today + datetime.timedelta(days=offset)
            FindingFactory(township=township, deadline=deadline, status=status, **closed)
    late = set(Finding.objects.filter(overdue_q(today)).values_list("pk", flat=True))
    rows = Finding.objects.with_days_overdue(today).values(
        "pk", "deadline", "status", "is_overdue", "overdue_by"
    )
    assert len(rows) == 24 and 0 < len(late) < 24
    for row in rows:
        days = days_overdue(row["deadline"], row["status"], today)
        assert days == row["overdue_by"].days and (days > 0) == row["is_overdue"], row
        assert (row["pk"] in late) == (days > 0), row
    # the model's property on an instance read without the annotation uses the Python mirror
    for finding in Finding.objects.all():
        assert finding.days_overdue == days_overdue(finding.deadline, finding.status, today), finding
