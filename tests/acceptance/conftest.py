import pytest

from .factories import make_scheme


@pytest.fixture
def scheme(lishui):
    return make_scheme()


# The browser fixtures (Debian's Chromium through Playwright), for the scoring screen's phone test.
from tests.browser.conftest import axe, browser_page, chromium  # noqa: E402, F401
