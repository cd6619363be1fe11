"""The warning map in Chromium with every other host cut off: it renders, links, and keeps the colours."""

from pathlib import Path
from urllib.parse import urlparse

import pytest

from standings.services import standings_refresh_and_snapshot
from tests.standings.factories import AS_OF
from tests.standings.test_warning_map import locate_all, warned  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"


def _offline(page):
    """Abort every request that does not go to the live server; return the list of what was tried."""
    foreign = []

    def route(route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    return foreign


def _fill(page, selector):
    return page.eval_on_selector(selector, "e => getComputedStyle(e).fill")


def test_map_renders_offline_with_the_boards_colours(browser_page, live_server, users, warned):  # noqa: F811
    standings_refresh_and_snapshot(as_of=AS_OF)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page(users["city_office"], width=1366, height=900)
    foreign = _offline(page)
    page.goto(f"{live_server.url}/")
    svg = page.locator("svg.map")
    assert svg.is_visible()
    assert page.locator("svg.map path.map-county").count() == 9
    assert page.locator("svg.map circle.map-dot").count() == 173
    # a dot's colour is the board's: the same class and the same computed colour as the board's badge
    red_badge = page.eval_on_selector(".badge--red", "e => getComputedStyle(e).color")
    blue_badge = page.eval_on_selector(".badge--blue", "e => getComputedStyle(e).color")
    assert _fill(page, "circle.map-dot--red") == red_badge
    assert _fill(page, "circle.map-dot--blue") == blue_badge
    for row in page.locator(".warning-map__table tbody tr").all()[:40]:
        pk, colour = row.get_attribute("data-township"), row.get_attribute("data-colour")
        assert page.locator(f'circle[data-township="{pk}"]').get_attribute("data-colour") == colour
        assert row.locator(f".badge--{colour}").count() == 1
    page.screenshot(path=str(SHOTS / "warning-map-city-1366.png"), full_page=False)
    svg.screenshot(path=str(SHOTS / "warning-map-city-svg.png"))

    # clickable to the township
    first = warned[0]
    page.locator(f'circle[data-township="{first.pk}"]').click(force=True)
    page.wait_for_url(f"**/townships/{first.pk}/")
    assert page.locator("h1").inner_text() == first.name

    county = browser_page(users["county_official"], width=360, height=740)
    foreign += _offline(county)
    county.goto(f"{live_server.url}/standings/counties/331102/")
    assert county.locator("svg.map path.map-county").count() == 1
    assert county.evaluate("document.documentElement.scrollWidth") <= 360
    county.screenshot(path=str(SHOTS / "warning-map-county-360.png"), full_page=True)
    assert foreign == []
