"""Issue 15 (1) in Chromium: hostile evidence already on disk never runs in the city office's session.

Two files stored before the content check existed: a script, and an HTML page that loads it from the
app's own origin (which the page CSP's script-src 'self' would allow). The list that links them loads,
opening the HTML one downloads it instead of rendering it, and even a <script src> pointing at the
evidence URL is refused by the browser (nosniff, application/octet-stream).
"""

import pytest
from django.core.files.base import ContentFile

from tests.factories import ProgressReportFactory, TargetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPT = b"window.__pwned = 'script'; document.title = 'pwned';"


def test_stored_script_and_html_evidence_never_run(browser_page, live_server, users, township, shot):
    target = TargetFactory(township=township)
    script = ProgressReportFactory(target=target, note="脚本证据")
    script.evidence.save("x.js", ContentFile(SCRIPT))
    html = ProgressReportFactory(target=target, note="网页证据")
    html.evidence.save(
        "x.html",
        ContentFile(
            f"<html><script src='/progress-reports/{script.pk}/evidence/'></script>"
            "<body onload=\"window.__pwned = 'html'\">hi</body></html>".encode()
        ),
    )

    page = browser_page(users["city_office"])
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server.url}/progress-reports/")
    links = page.locator("a[href$='/evidence/']")
    assert links.count() == 2
    shot(page, "progress-list-with-evidence")

    # The city office opens the HTML evidence: a download, the list stays, nothing ran.
    with page.expect_download() as download:
        page.locator(f"a[href='/progress-reports/{html.pk}/evidence/']").click()
    assert download.value.suggested_filename.endswith(".html")
    assert page.url == f"{live_server.url}/progress-reports/"
    assert page.evaluate("window.__pwned") is None

    # The attack itself: a same-origin <script src> at the evidence URL.
    outcome = page.evaluate(
        """url => new Promise(done => {
            const s = document.createElement('script');
            s.src = url;
            s.onload = () => done('loaded');
            s.onerror = () => done('refused');
            document.head.appendChild(s);
        })""",
        f"/progress-reports/{script.pk}/evidence/",
    )
    assert outcome == "refused"
    assert page.evaluate("window.__pwned") is None
    assert page.title() != "pwned" and dialogs == []
