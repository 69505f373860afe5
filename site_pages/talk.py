"""Talk: a deck of live demo slides, full screen in presenter mode, moved with the keys a clicker sends.

Layout only: decks are read in explainer/talks/decks.py, slides drawn in explainer/ui/talks/.
"""
import streamlit as st

from explainer.ui import presenter
from explainer.ui.talks import library, params, slides
from explainer.ui.url_state import UrlState

url = UrlState(params.PAGE, params.specs())
name = url.get("deck")
deck, notices = (library.my_deck(), []) if name == params.MINE else params.built_in().get(name, (None, []))

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
    n = slides.moved(url, deck)
    if url.get("view") == "speaker":
        slides.speaker(deck, n)
        slides.controls(url, deck, n)
    else:
        slides.controls(url, deck, n)
        slides.show(deck, n)
