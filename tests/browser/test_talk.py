"""The Talk page in a real browser: the keys a clicker sends move through a deck and the link follows; an upload
that is not a deck says why."""
import re

from tests.support.browser import assert_clean, settle, visit


def slide_in(url: str) -> int:
    return int(re.search(r"slide=(\d+)", url).group(1))


def test_the_arrow_keys_and_a_clickers_keys_move_through_the_deck(app_url, page):
    visit(page, f"{app_url}/talk?deck=tour&slide=1")
    assert_clean(page)
    page.get_by_text("Elapsed").wait_for()  # the key listener is on the page
    for key, expected in (("ArrowRight", 2), ("PageDown", 3), ("ArrowLeft", 2), ("PageUp", 1), ("End", 10),
                          ("Home", 1)):
        page.keyboard.press(key)
        page.wait_for_url(lambda url, n=expected: "slide=" in url and slide_in(url) == n, timeout=30_000)
        settle(page)
    assert page.locator("h1").first.inner_text() == "Deep learning you can poke"
    assert_clean(page)


def test_a_file_that_is_not_a_deck_gets_its_reason(app_url, page, tmp_path):
    visit(page, f"{app_url}/talk")
    bad = tmp_path / "talk.toml"
    bad.write_text("title = [this is not toml")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    page.get_by_text("This deck cannot be used: it is not valid TOML").wait_for(timeout=30_000)
    good = tmp_path / "mine.toml"
    good.write_text('title = "Mine"\n[[slides]]\ntitle = "Hello"\nbullets = ["one"]\n')
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(good))
    page.get_by_text("is now your deck").wait_for(timeout=30_000)
    page.get_by_role("button", name="Open it").click()
    page.wait_for_url(re.compile(r"deck=mine"), timeout=30_000)
    settle(page)
    assert page.locator("h1").first.inner_text() == "Hello"
    assert_clean(page)


def test_a_phone_follows_the_speaker_through_three_slides_and_cannot_move_the_room(app_url, browser, screenshots):
    from tests.support.browser import PHONE

    speaker_context = browser.new_context(viewport={"width": 1920, "height": 1080})
    follower_context = browser.new_context(**PHONE)
    try:
        speaker, follower = speaker_context.new_page(), follower_context.new_page()
        for tab in (speaker, follower):
            tab.set_default_timeout(60_000)
        visit(speaker, f"{app_url}/talk?deck=gans&slide=1&room=new")
        assert_clean(speaker)
        speaker.wait_for_url(re.compile(r"room=[A-Z2-9]{5}"), timeout=30_000)
        join = speaker.locator('a[href*="/talk?room="]').first
        href = join.get_attribute("href")
        assert re.fullmatch(r"https?://[^/]+/talk\?room=[A-Z2-9]{5}", href), href  # the followers' link: no key
        assert "speaker=" not in href
        speaker.screenshot(path=str(screenshots / "talk-room-speaker.png"))

        visit(follower, href)
        assert_clean(follower)
        follower.get_by_text("Elapsed").wait_for()
        assert "speaker=" not in follower.url
        follower.keyboard.press("ArrowRight")  # a follower's key does not move the room
        follower.get_by_text("The speaker moves this talk").wait_for(timeout=30_000)
        settle(speaker)
        assert slide_in(speaker.url) == 1

        speaker.get_by_text("Elapsed").wait_for()
        for expected in (2, 3, 4):
            speaker.keyboard.press("ArrowRight")
            speaker.wait_for_url(lambda url, n=expected: slide_in(url) == n, timeout=30_000)
            follower.wait_for_url(lambda url, n=expected: "slide=" in url and slide_in(url) == n, timeout=30_000)
            settle(follower)
            assert follower.locator("h1").first.inner_text() == speaker.locator("h1").first.inner_text()
        follower.screenshot(path=str(screenshots / "talk-room-follower-phone.png"), full_page=True)
        assert_clean(follower)
        assert_clean(speaker)
    finally:
        speaker_context.close()
        follower_context.close()
