"""The Talk page under AppTest: the deck list, moving through a deck, a text slide, a demo slide drawn by its
page's own section code, the speaker's view, bad links, and the viewer's own deck."""
from tests.support.apptest import run_clean, shown_text

TALK = "site_pages/talk.py"


def test_the_deck_list_offers_every_built_in_deck():
    at = run_clean(TALK)
    assert at.title[0].value == "Talk"
    opened = [b for b in at.button if b.label == "Open"]
    assert len(opened) == 5
    assert len(at.get("download_button")) == 5  # each deck as a TOML file


def test_open_a_deck_then_next_moves_the_link_and_draws_the_demo_slide():
    at = run_clean(TALK, {"deck": "gans", "slide": "1"})
    assert at.title[0].value == "Two networks in a game"  # a text slide
    assert "generator" in shown_text(at)
    assert at.query_params.get("present") in ("1", ["1"])  # a deck is shown in presenter mode
    at.button(key="talk:next").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params.get("slide") in ("2", ["2"])
    assert at.title[0].value == "The Lab: a GAN on a ring of eight blobs"
    assert "D's output" in [t.label for t in at.toggle]  # the Lab's own section, its knobs live
    assert any("slide 2 of 8" in p.proto.text for p in at.get("progress"))


def test_a_slides_knobs_are_its_own_and_never_enter_the_talks_link():
    at = run_clean(TALK, {"deck": "gans", "slide": "2"})
    [seed] = [n for n in at.number_input if n.label == "Seed"]
    seed.set_value(13).run()
    assert not at.exception
    assert "seed" not in at.query_params and at.query_params.get("slide") in ("2", ["2"])


def test_the_speaker_view_shows_the_notes_and_the_next_slide():
    at = run_clean(TALK, {"deck": "gans", "slide": "2", "view": "speaker"})
    text = shown_text(at)
    assert "Press Play on the replay" in text and "**Next:** Two losses side by side" in text


def test_a_mode_collapse_slide_draws_that_pages_section():
    at = run_clean(TALK, {"deck": "gans", "slide": "5"})
    assert "One configuration, many seeds" in [h.value for h in at.header]
    assert "Seeds collapsed" in [m.label for m in at.metric]


def test_bad_links_show_a_notice_and_the_deck_list():
    at = run_clean(TALK, {"deck": "nope", "slide": "99"})
    assert any("Some link parameters were fixed" in w.value for w in at.warning)
    assert [b for b in at.button if b.label == "Open"]
    at = run_clean(TALK, {"deck": "tour", "slide": "99"})  # past the end: the last slide
    assert any("slide 10 of 10" in p.proto.text for p in at.get("progress"))


def test_my_deck_collects_demos_and_opens_on_the_talk_page():
    from streamlit.testing.v1 import AppTest

    def script():
        import streamlit as st

        from explainer.ui.talks.library import add_to_my_talk, my_deck

        st.query_params["seed"] = "13"
        st.query_params["section"] = "lab"
        if st.button("add"):
            add_to_my_talk("gans", "lab", "GANs: Lab")
        deck = my_deck()
        st.markdown(f"{0 if deck is None else len(deck.slides)} slides; last {deck.slides[-1] if deck else None}")

    at = AppTest.from_function(script).run()
    at.button[0].click().run()
    at.button[0].click().run()
    assert not at.exception
    shown = at.markdown[0].value
    assert shown.startswith("2 slides") and "state={'seed': '13'}" in shown and "section='lab'" in shown
