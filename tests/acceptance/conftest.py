import pytest

from .factories import make_scheme


@pytest.fixture
def scheme(lishui):
    return make_scheme()
