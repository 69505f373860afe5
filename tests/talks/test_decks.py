"""Decks: the built-in ones read cleanly and point at real sections; bad files give a reason and never run."""
import importlib

import pytest

from explainer.site import PAGES
from explainer.talks import decks

DEMO_PAGES = {p.url_path: p for p in PAGES if p.demo}
NAMES = {"gans", "interpretability", "driving", "deep-learning", "tour"}


def test_the_built_in_decks_read_without_notices_and_each_slide_points_at_a_real_section():
    built = decks.built_in(set(DEMO_PAGES))
    assert set(built) == NAMES
    for name, (deck, notices) in built.items():
        assert notices == [], (name, notices)
        assert 6 <= len(deck.slides) <= 12, (name, len(deck.slides))
        for slide in deck.slides:
            assert slide.title
            if slide.is_demo:
                module = importlib.import_module(DEMO_PAGES[slide.page].demo)
                assert slide.section in module.SECTIONS, (name, slide)
                keys = {spec.key for spec in module.specs()}
                assert set(slide.state) <= keys, (name, slide.state)
            else:
                assert slide.bullets


def test_a_deck_round_trips_through_its_toml_file():
    for deck, _ in decks.built_in(set(DEMO_PAGES)).values():
        again, notices = decks.parse(decks.to_toml(deck), deck.name, set(DEMO_PAGES))
        assert notices == [] and again == deck


def test_bad_slides_are_skipped_with_a_notice_and_the_rest_works():
    text = """
title = "Mixed"
colour = "red"
[[slides]]
title = "ok"
page = "gans"
section = "lab"
state = { seed = "13", steps = 500 }
[[slides]]
page = "nowhere"
[[slides]]
title = "x"
script = "import os"
[[slides]]
title = "<script>alert(1)</script> & more"
bullets = ["<b>bold?</b>"]
"""
    deck, notices = decks.parse(text, "mixed", set(DEMO_PAGES))
    assert [s.title for s in deck.slides][0] == "ok" and len(deck.slides) == 2
    assert deck.slides[0].state == {"seed": "13", "steps": "500"}  # as a link holds them: the page parses them
    assert any("slide 2 skipped: page 'nowhere' does not exist" in n for n in notices)
    assert any("slide 3 skipped: unknown key 'script'" in n for n in notices)
    assert any("unknown deck key 'colour'" in n for n in notices)
    assert "<script>" not in deck.slides[1].title and "&lt;script&gt;" in deck.slides[1].title
    assert deck.slides[1].bullets == ("&lt;b&gt;bold?&lt;/b&gt;",)


@pytest.mark.parametrize("data, reason", [
    (b"\xff\xfe not text", "not text"),
    (b"title = [unclosed", "not valid TOML"),
    (b"title = 'no slides'", r"no \[\[slides\]\]"),
    (b"x" * (decks.MAX_BYTES + 1), "at most"),
    (b"[[slides]]\npage = 'nowhere'\n", "none of its slides could be used"),
])
def test_an_unusable_file_says_why(data, reason):
    with pytest.raises(decks.DeckError, match=reason):
        decks.parse(data, "upload", set(DEMO_PAGES))
