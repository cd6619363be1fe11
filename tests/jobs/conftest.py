import datetime
from decimal import Decimal

import pytest

from inspections.choices import FindingSource
from inspections.models import Finding
from tests.factories import make_member, track
from townships.choices import Role

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def assignee(township):
    """The person responsible for the items: a 碧湖镇 cadre other than users["township_staff"]."""
    return make_member(Role.TOWNSHIP_STAFF, username="zhangsan", township=township)


@pytest.fixture
def make_finding(township):
    def _make(*, offset: int, assignee=None, **extra) -> Finding:
        """A finding whose deadline was `offset` days before TODAY (negative: still ahead)."""
        return Finding.objects.create(
            township=extra.pop("township_obj", township),
            track=track(),
            source=extra.pop("source", FindingSource.GRID),
            description=extra.pop("description", "主街立面广告牌破损未整改"),
            deadline=TODAY - datetime.timedelta(days=offset),
            assignee=assignee,
            **extra,
        )

    return _make


@pytest.fixture
def make_project(township):
    from projects.models import Project

    def _make(**extra) -> Project:
        return Project.objects.create(
            township=extra.pop("township_obj", township),
            track=track(),
            name=extra.pop("name", "集镇主街线乱拉整治"),
            budget=Decimal("1500000"),
            **extra,
        )

    return _make
