"""Talk: a deck of live demo slides, full screen in presenter mode, moved with the keys a clicker sends; an
audience that follows the speaker's slide on its phones.

Layout only: decks are read in explainer/talks/decks.py, rooms kept in explainer/talks/rooms.py, slides drawn in
explainer/ui/talks/.
"""
import streamlit as st

from explainer.ui import presenter
from explainer.ui.talks import library, params, room, slides
from explainer.ui.url_state import UrlState

url = UrlState(params.PAGE, params.specs())
name = url.get("deck")
deck, notices = (library.my_deck(), []) if name == params.MINE else params.built_in().get(name, (None, []))
talk = room.attach(url, name, deck)
if talk is not None:  # in a room, everyone (the speaker too) shows the deck the room carries
    deck, notices = room.deck_of(talk.room)

if deck is None:
    st.title("Talk")
    if name == params.MINE:
        st.info("You have no deck of your own in this session yet: press **Add to my talk** under a section of any "
                "page, or upload a deck file below.", icon=":material/slideshow:")
    library.choose(url)
else:
    if not presenter.requested():  # a deck is shown as slides: large type, prose folded (also on a reload)
        st.session_state[presenter.KEY] = True
        st.rerun()
    slides.slide_notices(notices)
    n = room.slide_number(url, deck, talk)
    view = url.get("view")
    movable = talk is None or not talk.following or talk.role == room.SPEAKER
    if view == "speaker":
        slides.speaker(deck, n)
        room.side(slides.controls(url, deck, n, movable), url, talk, view)
    else:
        room.side(slides.controls(url, deck, n, movable), url, talk, view)
        slides.show(deck, n)
    room.watch(talk)
