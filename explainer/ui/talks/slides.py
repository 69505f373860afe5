"""A deck's slide on the Talk page: a demo drawn by its page's own section code, or a text slide; the controls
that move through the deck (buttons, and the keys a presentation clicker sends); the speaker's view."""
import importlib
import time
from pathlib import Path

import streamlit as st

from explainer.talks.decks import Deck
from explainer.ui import presenter
from explainer.ui.talks import params
from explainer.ui.url_state import UrlState, notify, show_notices

KEYS_JS = Path(__file__).with_name("keys.js")
MOVES = {"next": 1, "prev": -1}
STARTED = "talk:started"  # session state: when this viewer opened the deck (epoch ms), for the clock


@st.cache_resource
def _keys_component():
    return st.components.v2.component("explainer.talk_keys",
                                      html='<div class="talk-clock" style="padding-top: 6px"></div>',
                                      js=KEYS_JS.read_text(), isolate_styles=False)


def moved(url, deck: Deck, locked: bool = False) -> int:
    """The slide to show (1-based): the link's, moved by a key the viewer pressed (→, PageDown: next; ←, PageUp:
    back; Home, End) or by the buttons; clamped to the deck. Draws the listener and the clock. `locked`: a
    follower's window, which the speaker moves; a key pressed there only says so."""
    started = st.session_state.setdefault(STARTED, {}).setdefault(deck.name, int(time.time() * 1000))
    pressed = _keys_component()(key="talk-keys", data={"start": started}, on_move_change=lambda: None)
    n = min(max(int(url.get("slide")), 1), len(deck.slides))
    move = getattr(pressed, "move", None) if pressed is not None else None
    if move and locked:
        st.toast("The speaker moves this talk. Press **Detach** to look around on your own.",
                 icon=":material/groups:")
    elif move in MOVES:
        n = min(max(n + MOVES[move], 1), len(deck.slides))
    elif move == "first":
        n = 1
    elif move == "last":
        n = len(deck.slides)
    if n != url.get("slide"):
        url.set("slide", n)
    if st.query_params.get("slide") != str(n):  # always in the link, slide 1 too: followers and tests read it
        st.query_params["slide"] = str(n)
    return n


def _go(url, n: int) -> None:
    url.set("slide", n)


def controls(url, deck: Deck, n: int, movable: bool = True):
    """Back / next buttons (not in a window the speaker moves), the slide counter and a thin progress bar;
    returns the row's last column, for the audience room's controls."""
    row = presenter.one_row("talk-nav")
    if not movable:
        counter, extra = row.columns([3, 1.3], vertical_alignment="center")
        counter.progress(n / len(deck.slides), text=f"Following the speaker · slide {n} of {len(deck.slides)}")
        return extra
    back, counter, forward, extra = row.columns([1, 2, 1, 1.6], vertical_alignment="center")
    back.button("Back", key="talk:back", icon=":material/arrow_back:", width="stretch", disabled=n <= 1,
                on_click=_go, args=(url, n - 1), help="Or press ← (PageUp on a clicker).")
    forward.button("Next", key="talk:next", icon=":material/arrow_forward:", width="stretch", type="primary",
                   disabled=n >= len(deck.slides), on_click=_go, args=(url, n + 1),
                   help="Or press → (PageDown on a clicker). Home and End jump to the first and last slide.")
    counter.progress(n / len(deck.slides), text=f"{deck.title} · slide {n} of {len(deck.slides)}")
    return extra


def show(deck: Deck, n: int) -> None:
    """Draw slide `n` (1-based) of `deck`: a text slide, or its page's section with the slide's own state."""
    slide = deck.slides[n - 1]
    if not slide.is_demo:
        st.title(slide.title)
        # a slide's few lines at a slide's size (the page's body type left a screen mostly empty)
        st.markdown("<style>.st-key-talk-text li { font-size: 1.5rem; line-height: 1.5; }</style>",
                    unsafe_allow_html=True)
        st.container(key="talk-text").markdown("\n".join(f"- {line}" for line in slide.bullets))
        return
    page = params.demo_pages()[slide.page]
    module = importlib.import_module(page.demo)
    section = slide.section or next(iter(module.SECTIONS))
    if section not in module.SECTIONS:
        st.warning(f"This slide names a section the {page.title} page does not have ({section[:40]!r}); "
                   "go on to the next slide.", icon=":material/link_off:")
        return
    st.title(slide.title)
    specs = module.specs()
    state = dict(slide.state)
    if any(spec.key == "section" for spec in specs):
        state["section"] = section
    # the slide's own state, kept in this session under its deck and number: a viewer's changes stay theirs
    url = UrlState(f"slide:{deck.name}:{n}:{page.url_path}", specs, query=state)
    module.render(url, section)


def speaker(deck: Deck, n: int) -> None:
    """The speaker's window: this slide's notes, the next slide's title, and the clock (in the key listener)."""
    slide = deck.slides[n - 1]
    st.title(f"Slide {n} of {len(deck.slides)}: {slide.title}")
    st.markdown(f"**Notes:** {slide.notes}" if slide.notes else "*No notes for this slide.*")
    if n < len(deck.slides):
        st.markdown(f"**Next:** {deck.slides[n].title}")
    else:
        st.markdown("**Next:** the end of the deck.")
    st.caption("Open the same link without `view=speaker` in the window the audience sees; move through the deck "
               "in either window with the arrow keys.")


def slide_notices(notices: list[str]) -> None:
    """A deck's skipped slides, said once, like a link's fixed parameters."""
    if notices:
        notify("This deck was read with changes: " + "; ".join(notices) + ".")
        show_notices()
