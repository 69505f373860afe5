"""The Talk page's URL parameters: which deck, which slide (from 1), and whose view (the audience's slide or the
speaker's notes). The slides' own demo state is not in the address: each slide keeps it (explainer/talks/)."""
from functools import cache

from explainer.site import PAGES
from explainer.talks import decks
from explainer.urlstate import ChoiceParam, IntParam

PAGE = "talk"
MINE = "mine"  # the viewer's own deck (built with "Add to my talk", or uploaded)
VIEWS = ("slide", "speaker")


def demo_pages() -> dict:
    """url path -> PageSpec of every page whose sections a slide can show."""
    return {p.url_path: p for p in PAGES if p.demo}


@cache
def built_in() -> dict[str, tuple[decks.Deck, list[str]]]:
    return decks.built_in(set(demo_pages()))


def specs() -> list:
    return [ChoiceParam("deck", "", ("", *built_in(), MINE)), IntParam("slide", 1, 1, decks.MAX_SLIDES),
            ChoiceParam("view", "slide", VIEWS)]
