"""Audience rooms under AppTest: two sessions (a speaker and a follower) on one server; the follower shows the
speaker's slide, may detach and follow again, never holds the speaker's key, and reads that the talk ended."""
from tests.support.apptest import run_clean, shown_text

TALK = "site_pages/talk.py"


def one(value):
    return value[0] if isinstance(value, list) else value


def speaker_and_follower(slide="1"):
    speaker = run_clean(TALK, {"deck": "gans", "slide": slide, "room": "new"})
    code, secret = one(speaker.query_params["room"]), one(speaker.query_params["speaker"])
    follower = run_clean(TALK, {"room": code.lower()})  # a code typed in lower case works too
    return speaker, follower, code, secret


def test_room_new_opens_a_room_with_a_join_link_and_a_follower_follows():
    speaker, follower, code, secret = speaker_and_follower()
    assert len(code) == 5 and len(secret) == 22
    assert any(f"(/talk?room={code})" in m.value for m in speaker.markdown)  # the followers' link, no key in it
    assert speaker.get("image")  # the QR code
    assert follower.title[0].value == speaker.title[0].value == "Two networks in a game"
    assert "speaker" not in follower.query_params and one(follower.query_params["slide"]) == "1"
    assert not [b for b in follower.button if b.key in ("talk:next", "talk:back")]  # a follower cannot move it

    speaker.button(key="talk:next").click().run()
    speaker.button(key="talk:next").click().run()
    follower.run()  # the follower's poll reruns the page: it now shows the speaker's slide
    assert not follower.exception
    assert follower.title[0].value == "Two losses side by side" and one(follower.query_params["slide"]) == "3"
    assert secret not in shown_text(follower) and "speaker" not in follower.query_params


def test_a_follower_detaches_looks_around_and_follows_again():
    speaker, follower, code, _ = speaker_and_follower()
    follower.button(key="talk:detach").click().run()
    follower.button(key="talk:next").click().run()
    assert one(follower.query_params["slide"]) == "2"
    speaker.run()
    assert one(speaker.query_params["slide"]) == "1"  # the follower's move stays the follower's
    speaker.button(key="talk:next").click().run()
    speaker.button(key="talk:next").click().run()
    speaker.button(key="talk:next").click().run()
    follower.run()
    assert one(follower.query_params["slide"]) == "2"  # detached: the speaker's moves do not move it
    follow = follower.button(key="talk:follow")
    assert "speaker on 4" in follow.label
    follow.click().run()
    assert one(follower.query_params["slide"]) == "4" and not follower.exception


def test_the_speaker_keeps_control_after_a_reload_and_a_wrong_key_only_follows():
    speaker, _, code, secret = speaker_and_follower()
    speaker.button(key="talk:next").click().run()
    reloaded = run_clean(TALK, {"deck": "gans", "slide": "1", "room": code, "speaker": secret})
    assert one(reloaded.query_params["slide"]) == "2"  # the room's slide, not the stale link's
    reloaded.button(key="talk:next").click().run()
    assert one(reloaded.query_params["slide"]) == "3"
    impostor = run_clean(TALK, {"room": code, "speaker": "A" * 22})
    assert "Some link parameters were fixed" in shown_text(impostor)
    assert "speaker" not in impostor.query_params and impostor.button(key="talk:detach")


def test_the_speaker_ends_the_talk_and_followers_read_that_it_ended():
    speaker, follower, code, _ = speaker_and_follower()
    speaker.button(key="talk:end").click().run()
    assert "room" not in speaker.query_params and "speaker" not in speaker.query_params
    follower.run()
    assert any("This talk has ended" in i.value for i in follower.info)
    follower.button(key="talk:next").click().run()  # the deck is still there to go through
    assert one(follower.query_params["slide"]) == "2"


def test_an_unknown_or_malformed_room_says_so_and_offers_the_decks():
    at = run_clean(TALK, {"room": "ZZZZZ"})
    assert any("No talk with the code **ZZZZZ**" in w.value for w in at.warning)
    assert [b for b in at.button if b.label == "Open"] and "room" not in at.query_params
    at = run_clean(TALK, {"room": "<script>", "speaker": "x"})
    assert "Some link parameters were fixed" in shown_text(at)
    at = run_clean(TALK, {"room": "new"})  # no deck to show
    assert any("open one first" in w.value for w in at.warning)


def test_a_room_of_the_speakers_own_deck_carries_the_deck_to_followers():
    from explainer.talks.decks import Deck, Slide, to_toml
    from explainer.talks.rooms import Rooms

    deck = Deck("mine", "Mine", (Slide("Hello", bullets=("one",)), Slide("Lab", "gans", "lab", {"seed": "3"})))
    room, _ = Rooms().open("mine", 2, to_toml(deck))
    follower = run_clean(TALK, {"room": room.code})
    assert follower.title[0].value == "Lab" and "D's output" in [t.label for t in follower.toggle]
