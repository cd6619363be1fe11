"""Issue 19: an inspection filed on a phone without signal is filed exactly once when the signal returns.

Chromium with the service worker and the IndexedDB outbox of static/js/outbox.js, against the live
server. The dropped connection goes through a small proxy that cuts one upload: either after the
server has answered (the filing is done, the phone never hears so) or half way through the body.
"""

import io
import re
import socket
import threading
from urllib.parse import urlsplit

import pytest
from PIL import Image

from inspections.models import Finding, FindingPhoto, Inspection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _jpeg(color) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, format="JPEG")
    return {"name": f"photo-{color[0]}.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


class CuttingProxy:
    """One request per connection to the live server; `cut(path, mode)` breaks the next POST to path.

    mode "answered": the whole request reaches the server, its answer is dropped;
    mode "half": half of the body is sent, then both connections are closed.
    """

    def __init__(self, target_url: str):
        parts = urlsplit(target_url)
        self.target = (parts.hostname, parts.port)
        self.cuts: list[tuple[str, str]] = []
        self.cut_done = threading.Event()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("localhost", 0))
        self.listener.listen(50)
        self.url = f"http://localhost:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self, path: str, mode: str) -> None:
        self.cuts.append((path, mode))

    def _accept(self):
        while True:
            try:
                client, _addr = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    @staticmethod
    def _read_request(client) -> tuple[bytes, bytes]:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = client.recv(65536)
            if not chunk:
                return b"", b""
            data += chunk
        head, body = data.split(b"\r\n\r\n", 1)
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _sep, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = client.recv(65536)
            if not chunk:
                break
            body += chunk
        return head, body

    def _serve(self, client):
        try:
            head, body = self._read_request(client)
            if not head:
                return
            lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
            method, path = lines[0].split(b" ")[:2]
            head = b"\r\n".join([*lines, b"Connection: close"])
            mode = None
            if method == b"POST":
                for index, (cut_path, cut_mode) in enumerate(self.cuts):
                    if path.decode().split("?")[0] == cut_path:
                        mode = cut_mode
                        del self.cuts[index]
                        break
            upstream = socket.create_connection(self.target)
            if mode == "half":
                upstream.sendall(head + b"\r\n\r\n" + body[: len(body) // 2])
                upstream.close()
                self.cut_done.set()
                return
            upstream.sendall(head + b"\r\n\r\n" + body)
            answer = b""
            while True:
                chunk = upstream.recv(65536)
                if not chunk:
                    break
                answer += chunk
            upstream.close()
            if mode == "answered":
                self.cut_done.set()
                return  # the server has done it; the phone hears nothing
            client.sendall(answer)
        finally:
            client.close()

    def close(self):
        self.listener.close()


@pytest.fixture
def proxy(live_server):
    server = CuttingProxy(live_server.url)
    yield server
    server.close()


def _login(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "pass-1234-word")
    page.click("button[type=submit]")
    # each role lands on its own home (renovation/home.py): wait until the login page is left
    page.wait_for_url(lambda url: "/accounts/login/" not in url and "/start/" not in url)


KEPT = """async () => {
  for (const name of await caches.keys()) {
    if (await (await caches.open(name)).match(location.pathname)) { return true; }
  }
  return false;
}"""


def _open_form_with_worker(page, base):
    page.goto(f"{base}/inspections/new/")
    page.evaluate("async () => { await navigator.serviceWorker.ready; return true; }")
    if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        page.reload()
    # Until the worker has kept the form, an offline reload would find nothing.
    for _attempt in range(100):
        if page.evaluate(KEPT):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the service worker did not keep the form")


def _fill_two_findings(page, township):
    page.select_option("select[name=township]", str(township.pk))
    page.select_option("select[name=mode]", "open")
    page.fill("textarea[name=findings-0-description]", "河道垃圾未清理")
    page.fill("input[name=findings-0-deadline]", "2030-06-30")
    page.set_input_files("input[name=findings-0-photos]", [_jpeg((200, 0, 0)), _jpeg((0, 200, 0))])
    page.get_by_role("button", name="再添加一个问题").click()
    page.fill("textarea[name=findings-1-description]", "线缆乱拉乱挂")
    page.fill("input[name=findings-1-deadline]", "2030-07-31")
    page.set_input_files("input[name=findings-1-photos]", [_jpeg((0, 0, 200))])


def _assert_filed_once():
    assert Inspection.objects.count() == 1
    inspection = Inspection.objects.get()
    assert inspection.findings.count() == 2
    assert Finding.objects.count() == 2
    first, second = inspection.findings.order_by("pk")
    assert first.photos.count() == 2 and second.photos.count() == 1
    hashes = list(FindingPhoto.objects.values_list("sha256", flat=True))
    assert len(hashes) == len(set(hashes)) == 3


def test_filed_offline_reloaded_then_sent_once_online(browser_page, live_server, users, township, shot, axe):
    page = browser_page(users["county_official"], width=360, height=740)
    base = live_server.url
    _open_form_with_worker(page, base)
    page.context.set_offline(True)
    _fill_two_findings(page, township)
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_selector("[data-outbox-badge]:not([hidden])")
    assert page.locator("[data-outbox-count]").inner_text() == "待同步 1 条"
    assert "已保存到本机" in page.locator("[data-outbox-status]").inner_text()
    assert not Inspection.objects.exists()
    shot(page, "01-offline-queued-360")

    page.reload()  # still offline: the service worker answers with the kept form
    page.wait_for_selector("[data-outbox-badge]:not([hidden])")
    assert page.locator("h1").inner_text() == "填报督查"
    assert page.locator("[data-outbox-count]").inner_text() == "待同步 1 条"
    page.locator("[data-outbox-badge]").click()
    assert page.locator("[data-outbox-list] li").count() == 1
    shot(page, "02-offline-reloaded-outbox-360")
    assert axe(page) == []

    page.context.set_offline(False)
    page.wait_for_selector("[data-outbox-badge]", state="hidden")
    _assert_filed_once()
    assert page.evaluate("Outbox.all().then(rows => rows.length)") == 0


def _outbox_empty(page) -> bool:
    try:
        return page.evaluate("window.Outbox ? Outbox.all().then(rows => rows.length === 0) : false")
    except Exception:  # noqa: BLE001 - the page is navigating to the filed inspection
        return False


@pytest.mark.parametrize("mode", ["answered", "half"])
def test_connection_dropped_mid_upload_files_once(chromium, proxy, users, township, mode, shot):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        _login(page, proxy.url, users["county_official"])
        _open_form_with_worker(page, proxy.url)
        _fill_two_findings(page, township)
        proxy.cut("/inspections/new/", mode)
        page.get_by_role("button", name="提交", exact=True).click()
        # The server files first in "answered" mode, and the outbox (its timer, or the worker's
        # Background Sync) may resend before the badge is seen on a loaded machine: wait for the cut,
        # then for the badge or for the item to have left the outbox already.
        queued = False
        for _ in range(360):
            if proxy.cut_done.is_set():
                if page.locator("[data-outbox-badge]:not([hidden])").count():
                    queued = True
                    break
                if mode == "answered" and Inspection.objects.exists() and _outbox_empty(page):
                    break
            page.wait_for_timeout(250)
        assert proxy.cut_done.is_set()
        if queued:
            assert Inspection.objects.count() == (1 if mode == "answered" else 0)
            shot(page, f"dropped-{mode}-360")
        page.reload()  # a page load sends what waits
        # the badge starts hidden on a fresh page: wait for the filing itself, then for the badge
        for _ in range(240):
            if Inspection.objects.exists():
                break
            page.wait_for_timeout(250)
        page.wait_for_selector("[data-outbox-badge]", state="hidden")
        _assert_filed_once()
    finally:
        context.close()


def test_a_form_error_keeps_every_photo_and_field(browser_page, live_server, users, township, shot):
    page = browser_page(users["county_official"], width=360, height=740)
    page.goto(f"{live_server.url}/inspections/new/")
    page.select_option("select[name=township]", str(township.pk))
    page.fill("input[name=inspected_on]", "2026-11-20")
    page.select_option("select[name=findings-0-track]", "sanitation")
    page.fill("textarea[name=findings-0-description]", "河道垃圾未清理")
    page.fill("input[name=findings-0-responsible_person]", "王五")
    page.fill("input[name=findings-0-deadline]", "2026-11-01")  # before the inspection: refused
    page.set_input_files("input[name=findings-0-photos]", [_jpeg((200, 0, 0)), _jpeg((0, 200, 0))])
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_selector(".form-errors")
    assert "整改期限不能早于督查日期" in page.inner_text(".form-errors")
    assert not Inspection.objects.exists()
    assert page.evaluate("() => document.querySelector('input[name=findings-0-photos]').files.length") == 2
    assert "已保留您选择的 2 张照片" in page.inner_text("form[data-offline]")
    assert page.input_value("select[name=findings-0-track]") == "sanitation"
    assert page.input_value("input[name=findings-0-responsible_person]") == "王五"
    shot(page, "form-error-photos-kept-360")

    page.fill("input[name=findings-0-deadline]", "2030-06-30")
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_url(re.compile(r".*/inspections/\d+/$"))
    finding = Finding.objects.get()
    assert finding.photos.count() == 2
    assert finding.track.code == "sanitation" and finding.responsible_person == "王五"


def test_the_phone_location_fills_latitude_and_longitude(browser_page, live_server, users):
    page = browser_page(users["county_official"], width=360, height=740)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 28.29, "longitude": 119.795})
    page.goto(f"{live_server.url}/inspections/new/")
    page.get_by_role("button", name="使用当前位置").first.click()
    page.wait_for_function("() => document.querySelector('input[name=findings-0-latitude]').value !== ''")
    assert page.input_value("input[name=findings-0-latitude]") == "28.290000"
    assert page.input_value("input[name=findings-0-longitude]") == "119.795000"
