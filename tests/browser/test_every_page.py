"""Every page registered in the navigation, visited in a real browser: it renders with no exception and asks
no other host for anything."""
import re
from urllib.parse import urlsplit

import pytest

from explainer.site import PAGES, url_of
from tests.support.browser import LAYOUT_JS, PHONE, assert_clean, settle, visit


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_page_renders_without_exception(spec, app_url, page, screenshots):
    visit(page, f"{app_url}/{url_of(spec)}")
    assert_clean(page)
    assert page.locator("h1").count() >= 1
    page.screenshot(path=str(screenshots / f"{spec.url_path}.png"))


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_page_in_presenter_mode(spec, app_url, page, screenshots):
    visit(page, f"{app_url}/{url_of(spec)}?present=1")
    assert_clean(page)
    assert "present=1" in page.url
    page.screenshot(path=str(screenshots / f"{spec.url_path}__present.png"))


def test_presenter_toggle_off_clears_the_link(app_url, page):
    visit(page, f"{app_url}/?present=1")
    page.locator('[data-testid="stExpandSidebarButton"]').click()  # presenter mode starts with it collapsed
    page.locator("[data-testid=stSidebar]").get_by_text("Presenter mode").click()
    settle(page)
    page.wait_for_url(re.compile(r"^(?!.*present=1).*$"))
    assert_clean(page)


LINK_NOTICE = '[data-testid="stAlert"]:has-text("Some link parameters were fixed")'


def test_garbled_link_shows_the_page(app_url, page):
    visit(page, f"{app_url}/?present=%E2%80%AE%3Cb%3E&x=" + "y" * 2000)
    assert_clean(page)
    assert page.locator("h1").count() >= 1
    notice = page.locator(LINK_NOTICE)
    assert notice.count() == 1 and "present=" in notice.inner_text() and "'x'" in notice.inner_text()
    page.wait_for_url(lambda url: "?" not in url)  # the address keeps the corrected state only: nothing here


def test_a_fixed_link_is_rewritten_and_a_copy_of_it_is_clean(app_url, page):
    visit(page, f"{app_url}/deep-learning?lr=abc&depth=99")  # both are knobs of a section not shown
    assert_clean(page)
    notice = page.locator(LINK_NOTICE).inner_text()
    assert "lr=" in notice and "depth" in notice
    page.wait_for_url(lambda url: url.endswith("/deep-learning?depth=6"))
    visit(page, page.url)  # the link as copied now: no notice
    assert_clean(page)
    assert page.locator(LINK_NOTICE).count() == 0


def test_no_page_asks_another_host_for_anything(app_url, page):
    """Offline, or behind a strict firewall, the site looks the same: every request (favicon, fonts, icons,
    scripts) goes to the app itself. A `:material/...` page icon, for one, is fetched from fonts.gstatic.com."""
    own = urlsplit(app_url).netloc
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda ws: requests.append(ws.url))
    foreign = {}
    for spec in PAGES:
        requests.clear()
        visit(page, f"{app_url}/{url_of(spec)}")
        assert_clean(page)
        # The favicon's link too: the browser may fetch it lazily, or from its own cache.
        requests.extend(page.eval_on_selector_all('link[rel*="icon"]', "links => links.map(l => l.href)"))
        elsewhere = sorted({u for u in requests if urlsplit(u).scheme not in ("data", "blob")
                            and urlsplit(u).netloc != own})
        if elsewhere:
            foreign[spec.url_path] = elsewhere
    assert not foreign, foreign


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_a_speakers_link_on_a_phone_shows_the_demo_first(spec, app_url, browser, screenshots):
    """The audience opens the speaker's link (presenter mode on) on phones: the phone layout, the page's first
    figure on its first screen with room to see it, nothing overlapping or cut off, no sideways scrolling."""
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    try:
        visit(phone, f"{app_url}/{url_of(spec)}?present=1")
        assert_clean(phone)
        found = phone.evaluate(LAYOUT_JS)
        phone.screenshot(path=str(screenshots / f"{spec.url_path}__phone.png"))
        assert found["problems"] == [], found
        if spec.demo:  # a topic's page (Home and Talk's deck list have no figure)
            assert found["first"] is not None and found["first"] <= PHONE["viewport"]["height"] - 250, found
    finally:
        context.close()
