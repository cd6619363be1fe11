"""Issue 20 (3) in Chromium with the real worker: a large export shows its progress in the page
(polled, no reload), then a download link, and the same link arrives in the inbox."""

import datetime
import re

import pytest
from django.utils.timezone import localdate

from inspections.models import Finding
from tests.factories import track

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker, pytest.mark.redis]

TOTAL = 20_000


@pytest.fixture
def progress_every_500(monkeypatch):
    """Before the worker starts: a progress step every 500 rows, so the page has steps to show."""
    monkeypatch.setenv("EXPORT_PROGRESS_EVERY", "500")


def _findings(township, n):
    sanitation = track()
    Finding.objects.bulk_create(
        (
            Finding(
                township=township,
                track=sanitation,
                source="grid",
                description=f"第 {i} 项：集镇主街垃圾清运不及时",
                deadline=localdate() + datetime.timedelta(days=20),
            )
            for i in range(n)
        ),
        batch_size=5000,
    )


def test_export_job_progress_in_the_page_and_download_link_in_the_inbox(
    progress_every_500, celery_worker_process, browser_page, live_server, users, township, settings, shot
):
    settings.EXPORT_INLINE_MAX_ROWS = 1000
    _findings(township, TOTAL)
    page = browser_page(users["city_office"])
    page.goto(f"{live_server.url}/inspections/findings/")
    # The worker is down when the export is asked for: the page shows the job waiting at 0.
    celery_worker_process["kill"]()
    page.click("a[data-export=xlsx]")
    page.wait_for_url(re.compile(r"/notifications/exports/\d+/$"))
    text = page.locator("[data-export-text]")
    assert text.inner_text() == f"0 / {TOTAL} 行"
    assert page.locator("[data-export-status]").inner_text() == "排队中"
    assert page.locator("[data-export-download]").is_hidden()
    shot(page, "1-waiting")
    # Every text the polling shows, and a mark that the page is never reloaded.
    page.evaluate(
        """() => {
          window.__sameDocument = true;
          window.__seen = [];
          const el = document.querySelector('[data-export-text]');
          new MutationObserver(() => window.__seen.push(el.textContent)).observe(
            el, {childList: true, characterData: true, subtree: true});
        }"""
    )
    celery_worker_process["restart"]()
    page.locator("[data-export-download]").wait_for(state="visible", timeout=120_000)
    assert text.inner_text() == f"{TOTAL} / {TOTAL} 行"
    assert page.locator("[data-export-status]").inner_text() == "已生成"
    assert page.evaluate("window.__sameDocument") is True
    seen = [int(s.split(" / ")[0]) for s in page.evaluate("window.__seen")]
    # Steps between 0 and the total show when a poll falls inside the job (on a fast machine the job
    # may finish between two polls); whatever was shown only ever went up, without a reload.
    assert seen[-1] == TOTAL and seen == sorted(seen)
    assert (
        page.locator("progress[data-export-bar]").get_attribute("value") == "100"
        or page.evaluate("document.querySelector('progress[data-export-bar]').value") == 100
    )
    shot(page, "2-ready")
    name = f"整改台账_{localdate():%Y%m%d}.xlsx"
    with page.expect_download() as download:
        page.click("[data-export-download]")
    assert download.value.suggested_filename == name

    page.goto(f"{live_server.url}/notifications/")
    notice = page.locator("li.notification", has_text="整改台账已生成")
    assert notice.count() == 1 and f"共 {TOTAL} 行" in notice.inner_text()
    shot(page, "3-inbox")
    with page.expect_download() as again:
        notice.locator("button", has_text="查看").click()
    assert again.value.suggested_filename == name
