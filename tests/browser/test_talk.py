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
