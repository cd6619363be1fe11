"""axe-core on the pages offices use most, with data on them: no serious or critical violations.

Also: the warning colours are never the only signal — every coloured badge and bar carries text.
"""

import datetime
from decimal import Decimal

import pytest

from tests.browser.test_hardening_journeys import make_red, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data(users, township):
    """A red township with overdue items, a submitted fix with photos, a project and standings."""
    from inspections.services.findings import finding_create, finding_reject, finding_submit
    from tests.projects.factories import ProjectFactory

    make_red(township)
    finding = finding_create(
        by=users["county_official"],
        township=township,
        description="集镇主街垃圾桶破损",
        deadline=datetime.date.today() + datetime.timedelta(days=20),
        photos=[upload("before.jpg")],
    )
    finding_submit(finding_id=finding.pk, by=users["township_staff"], note="已清运", photos=[upload()])
    # one round sent back, so the review queue has an earlier round to fold
    finding_reject(finding_id=finding.pk, by=users["inspector"], reason="垃圾桶仍未更换")
    finding_submit(
        finding_id=finding.pk, by=users["township_staff"], note="已更换新垃圾桶", photos=[upload()]
    )
    open_finding = finding_create(
        by=users["county_official"],
        township=township,
        description="河道沿岸乱堆放",
        deadline=datetime.date.today() + datetime.timedelta(days=20),
    )
    ProjectFactory(township=township, budget=Decimal("1800000"))
    return {"submitted": finding, "open": open_finding}


PAGES = [
    # (name, role, path builder, viewport)
    ("dashboard", "city_office", lambda d: "/", None),
    ("dashboard-phone", "city_office", lambda d: "/", (360, 740)),
    ("township-list", "city_office", lambda d: "/townships/", None),
    ("finding-list", "county_official", lambda d: "/inspections/findings/", None),
    ("finding-list-phone", "township_staff", lambda d: "/inspections/findings/", (360, 740)),
    ("project-list", "county_official", lambda d: "/projects/", None),
    ("inspection-form-phone", "county_official", lambda d: "/inspections/new/", (360, 740)),
    ("finding-page-verify", "inspector", lambda d: f"/inspections/findings/{d['submitted'].pk}/", None),
    (
        "submit-fix-form-phone",
        "township_staff",
        lambda d: f"/inspections/findings/{d['open'].pk}/",
        (360, 740),
    ),
    ("warning-board", "city_office", lambda d: "/standings/warnings/", None),
    # issue 19: the card lists, 我的待办 and the review queue on a 360 px phone
    ("finding-cards-phone", "county_official", lambda d: "/inspections/findings/?status=open", (360, 740)),
    ("project-cards-phone", "county_official", lambda d: "/projects/", (360, 740)),
    ("township-cards-phone", "city_office", lambda d: "/townships/?county=331102", (360, 740)),
    ("my-work-phone", "township_staff", lambda d: "/my-work/", (360, 740)),
    ("review-queue-phone", "inspector", lambda d: "/inspections/review/", (360, 740)),
    ("review-queue", "inspector", lambda d: "/inspections/review/", None),
    ("yellow-card-form", "city_office", lambda d: "/inspections/yellow-cards/new/", None),
]


@pytest.mark.parametrize(("name", "role", "path", "viewport"), PAGES, ids=[p[0] for p in PAGES])
def test_no_serious_or_critical_violations(
    browser_page, live_server, users, data, shot, axe, name, role, path, viewport
):
    width, height = viewport or (1280, 900)
    page = browser_page(users[role], width=width, height=height)
    response = page.goto(f"{live_server.url}{path(data)}")
    assert response.status == 200
    shot(page, name)
    assert axe(page) == []


def test_form_errors_are_announced_next_to_the_field(browser_page, live_server, users, data, axe, shot):
    page = browser_page(users["township_staff"])
    page.goto(f"{live_server.url}/inspections/findings/{data['open'].pk}/")
    form = page.locator(f"form[action$='/findings/{data['open'].pk}/submit/']")
    # Skip the browser's own check so the server's error is what the user sees.
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    form.get_by_role("button", name="提交复核").click()
    page.wait_for_load_state()
    field = page.locator("textarea[name=note][aria-invalid=true]").first
    described = field.get_attribute("aria-describedby") or ""
    assert described, "the invalid field is not tied to its error message"
    message = page.locator(f"#{described.split()[0]}")
    assert message.inner_text().strip()
    shot(page, "field-error")
    assert axe(page) == []


def test_warning_colours_carry_text(browser_page, live_server, users, data):
    page = browser_page(users["city_office"])
    for path in ("/", "/standings/warnings/"):
        page.goto(f"{live_server.url}{path}")
        badges = page.locator(".badge--red, .badge--yellow, .badge--blue")
        assert badges.count() > 0
        for text in badges.all_inner_texts():
            assert text.strip(), f"a colour badge without text on {path}"


def test_review_photos_open_large_in_place(browser_page, live_server, users, data, shot, axe):
    page = browser_page(users["inspector"], width=360, height=740)
    page.goto(f"{live_server.url}/inspections/review/")
    page.locator(".review-item a[data-photo-large]").first.click()
    dialog = page.locator("dialog#photo-viewer")
    dialog.wait_for(state="visible")
    assert page.url.endswith("/inspections/review/")  # opened in place, not a new page
    assert dialog.locator("img").get_attribute("src")
    shot(page, "review-photo-open")
    assert axe(page) == []
    dialog.get_by_role("button", name="关闭").click()
    dialog.wait_for(state="hidden")
    # focus goes back to the photo that opened it
    assert page.evaluate("document.activeElement.hasAttribute('data-photo-large')")
