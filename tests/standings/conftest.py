import pytest

from tests.factories import CountyFactory
from tests.standings.factories import township_with_progress


@pytest.fixture
def many_townships(lishui):
    """make(n): n townships with a target and a report, spread over three test counties."""

    def make(n: int):
        counties = [CountyFactory(code=f"3399{i:02d}") for i in range(3)]
        return [
            township_with_progress(
                counties[i % 3], quantity=100, done=i % 100, code=f"3399{i % 3:02d}{i:03d}"
            )
            for i in range(n)
        ]

    return make
