import datetime

import pytest
from django.utils import timezone

from intake.models import GridEvent, IntakeSource
from tests.factories import make_member
from townships.choices import Role
from townships.models import County


@pytest.fixture
def grid_client(users):
    """莲都区's 基层治理四平台: an API client of 莲都区 that sends for the source system liandu-4p."""
    user = make_member(Role.API_CLIENT, username="liandu-4p", county=County.objects.get(code="331102"))
    IntakeSource.objects.create(code="liandu-4p", name="莲都区基层治理四平台", client=user)
    return user


@pytest.fixture
def payload():
    """A valid report for 碧湖镇 (JSON body); each call a new external id unless given."""
    counter = iter(range(1, 10_000))

    def _make(**overrides):
        data = {
            "source_system": "liandu-4p",
            "external_id": f"GRID-2026-{next(counter):05d}",
            "township_code": "331102100",
            "reported_at": (timezone.now() - datetime.timedelta(hours=2)).isoformat(),
            "reporter": "张网格",
            "grid_code": "BH-03",
            "category": "乱堆乱放",
            "track": "road_occupation",
            "description": "碧湖镇解放街店外乱堆杂物",
            "address": "碧湖镇解放街12号",
            "latitude": "28.290000",
            "longitude": "119.795000",
        }
        data.update(overrides)
        return data

    return _make


@pytest.fixture
def make_events(grid_client, township):
    """make_events(n) -> n pending events of 碧湖镇 created directly (for the query counts)."""
    source = IntakeSource.objects.get(code="liandu-4p")

    def _make(n, **fields):
        start = GridEvent.objects.count()
        return GridEvent.objects.bulk_create(
            [
                GridEvent(
                    source=source,
                    external_id=f"BULK-{start + i}",
                    township=township,
                    reported_at=timezone.now(),
                    reporter="李网格",
                    description=f"垃圾未及时清运第{start + i}处",
                    **fields,
                )
                for i in range(n)
            ]
        )

    return _make
