"""The Talk page's URL parameters: which deck, which slide (from 1), whose view (the audience's slide or the
speaker's notes), and the audience room (its code, and in the speaker's own link only, the speaker's secret). The
slides' own demo state is not in the address: each slide keeps it (explainer/talks/)."""
from functools import cache, lru_cache

from explainer.site import PAGES
from explainer.talks import decks, rooms
from explainer.urlstate import ChoiceParam, IntParam, TokenParam

PAGE = "talk"
MINE = "mine"  # the viewer's own deck (built with "Add to my talk", or uploaded)
VIEWS = ("slide", "speaker")
NEW_ROOM = "NEW"  # room=new: open a room for this deck


def demo_pages() -> dict:
    """url path -> PageSpec of every page whose sections a slide can show."""
    return {p.url_path: p for p in PAGES if p.demo}


@cache
def built_in() -> dict[str, tuple[decks.Deck, list[str]]]:
    return decks.built_in(set(demo_pages()))


@lru_cache(maxsize=64)
def room_deck(toml: str) -> tuple[decks.Deck | None, list[str]]:
    """A speaker's own deck as its room carries it (checked again: a room file is read like an upload)."""
    try:
        deck, notices = decks.parse(toml, MINE, set(demo_pages()))
    except decks.DeckError:
        return None, []
    return decks.Deck(MINE, deck.title, deck.slides, deck.description), notices


def specs() -> list:
    return [ChoiceParam("deck", "", ("", *built_in(), MINE)), IntParam("slide", 1, 1, decks.MAX_SLIDES),
            ChoiceParam("view", "slide", VIEWS),
            TokenParam("room", "", pattern=f"{NEW_ROOM}|{rooms.CODE_PATTERN}", upper=True, what="talk"),
            TokenParam("speaker", "", pattern=rooms.SECRET_PATTERN, what="speaker key")]
