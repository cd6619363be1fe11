import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_city_office_browses_townships_on_desktop_and_phone(browser_page, live_server, users, shot, axe):
    page = browser_page(users["city_office"])
    page.get_by_role("link", name="乡镇（街道）").first.click()
    page.select_option("select[name=county]", "331181")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/townships/?*county=331181*")
    assert "共 19 条" in page.content()
    shot(page, "01-township-list-longquan")
    assert axe(page) == []

    page.get_by_role("link", name="八都镇").click()
    assert page.locator("h1").inner_text() == "八都镇"
    shot(page, "02-township-detail")
    assert axe(page) == []

    phone = browser_page(users["township_staff"], width=360, height=740)
    phone.goto(f"{live_server.url}/townships/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_role("button", name="菜单").click()
    assert phone.get_by_role("link", name="乡镇（街道）").first.is_visible()
    shot(phone, "03-phone-menu")
    assert axe(phone) == []


def test_login_page_is_accessible(browser_page, live_server, axe, shot):
    page = browser_page()
    page.goto(f"{live_server.url}/accounts/login/")
    shot(page, "login")
    assert axe(page) == []
