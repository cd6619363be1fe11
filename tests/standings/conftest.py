import pytest

from tests.factories import CountyFactory
from tests.standings.factories import township_with_progress
from townships.models import Township


@pytest.fixture
def many_townships(lishui):
    """make(n): up to n townships with a target (100) and a report (done = i % 100), over three test counties.

    Township i is in county 3399(i % 3) with code 3399(i % 3)(i:03); calling again only adds the missing ones.
    """

    def make(n: int):
        counties = [CountyFactory(code=f"3399{i:02d}", name=f"测试县{i}") for i in range(3)]
        have = set(Township.objects.filter(code__startswith="3399").values_list("code", flat=True))
        made = []
        for i in range(n):
            code = f"3399{i % 3:02d}{i:03d}"
            if code not in have:
                made.append(
                    township_with_progress(
                        counties[i % 3], quantity=100, done=i % 100, code=code, name=f"测试镇{i}"
                    )
                )
        return made

    return make
