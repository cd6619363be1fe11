"""Playwright driving Debian's Chromium (/usr/bin/chromium) against pytest-django's live_server."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "pass-1234-word"  # tests/factories.UserFactory


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but Chromium is missing at {CHROMIUM}", pytrace=False)
        pytest.skip(f"Chromium is missing at {CHROMIUM}")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server, request):
    """browser_page(user=None, width=1280, height=900) -> a Playwright page, logged in when a user is given."""
    contexts = []

    def _open(user=None, width=1280, height=900):
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if user is not None:
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=username]", user.username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            # each role lands on its own home (renovation/home.py): wait until the login page is left
            page.wait_for_url(lambda url: "/accounts/login/" not in url and "/start/" not in url)
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def shot(request):
    """shot(page, name): save a screenshot under artifacts/screenshots/<test name>/."""
    folder = ARTIFACTS / request.node.name

    def _shot(page, name: str):
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


@pytest.fixture
def axe():
    """axe(page) -> the serious and critical violations axe-core finds on the page."""
    if not AXE.exists():
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("axe-core is not installed: run `npm ci`", pytrace=False)
        pytest.skip("axe-core is not installed (npm ci)")
    source = AXE.read_text(encoding="utf-8")

    def _run(page):
        # evaluate() goes through the DevTools protocol, which the page's CSP does not govern.
        page.evaluate(source + "\n;true")
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return _run
