"""Walk a running site as each demo user: log in through the form, open every page the header links to.

    python scripts/walk_menu.py [BASE_URL]      (default http://127.0.0.1:8000)

Fails (exit 1) on any 5xx response, any console error or uncaught page error, a menu page that does
not answer 200, an English UI, or an empty inbox for bihu (make run runs the overdue scan once).
CI runs it against `make run` in a fresh clone (.ci/run); CHROMIUM names the browser binary.
"""

import os
import sys
from urllib.parse import urljoin, urlparse

from playwright.sync_api import sync_playwright

USERS = ["city", "province", "liandu", "inspector", "bihu"]
PASSWORD = "Lishui-demo-2026"  # noqa: S105 (seed_demo's demo password (README))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def walk(base: str) -> list[str]:
    problems: list[str] = []
    host = urlparse(base).netloc
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS
        )
        where = {"user": "", "url": ""}

        def note(text: str) -> None:
            problems.append(f"{where['user']} {where['url']}: {text}")

        for username in USERS:
            where["user"] = username
            context = browser.new_context(locale="zh-CN")
            page = context.new_page()
            page.on("console", lambda m: m.type == "error" and note(f"console error: {m.text}"))
            page.on("pageerror", lambda e: note(f"page error: {e}"))
            page.on("response", lambda r: r.status >= 500 and note(f"{r.status} for {r.url}"))
            where["url"] = urljoin(base, "/accounts/login/")
            page.goto(where["url"])
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            with page.expect_navigation():
                page.click("form button[type=submit]")
            if "/accounts/login/" in page.url:
                problems.append(f"{username}: login failed")
                context.close()
                continue
            if page.locator("html").get_attribute("lang") != "zh-CN":
                problems.append(
                    f"{username}: the UI is not Chinese (lang={page.locator('html').get_attribute('lang')})"
                )
            links = page.eval_on_selector_all(
                "header a[href]", "els => els.map(a => a.href).filter(h => !h.includes('#'))"
            )
            pages = sorted({link for link in links if urlparse(link).netloc == host})
            for link in pages:
                where["url"] = link
                response = page.goto(link)
                status = response.status if response else 0
                if status != 200:
                    problems.append(f"{username}: {status} for {link}")
                print(f"{username:<10} {status} {urlparse(link).path}")
            if username == "bihu":
                page.goto(urljoin(base, "/notifications/"))
                if page.locator(".card.empty").count() or not page.locator("main li").count():
                    problems.append("bihu: the inbox has no notices")
            context.close()
        browser.close()
    return problems


def main() -> int:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    problems = walk(base)
    for problem in problems:
        print("PROBLEM", problem)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
