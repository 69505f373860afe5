"""The Talk page without a deck open: the built-in decks, the viewer's own deck (added to from any page's section
with "Add to my talk", or uploaded), and each deck as a TOML file to download."""
import streamlit as st

from explainer.talks import decks
from explainer.talks.decks import Deck, Slide
from explainer.ui.talks import params

MY_DECK = "talk:my-deck"  # session state: the viewer's own Deck


def my_deck() -> Deck | None:
    return st.session_state.get(MY_DECK)


def add_to_my_talk(page_path: str, section: str | None, title: str) -> None:
    """Append the current demo (its page, section and the link's state now) to the viewer's own deck."""
    state = {k: v for k, v in st.query_params.to_dict().items() if k not in ("section", "present")}
    mine = my_deck() or Deck(params.MINE, "My talk", ())
    slide = Slide(title, page_path, section, state)
    st.session_state[MY_DECK] = Deck(mine.name, mine.title, (*mine.slides, slide)[:decks.MAX_SLIDES])
    st.toast(f"Added to your talk (slide {len(mine.slides) + 1}). Open it on the Talk page.", icon=":material/add:")


def _open(url, name: str) -> None:
    url.set("deck", name)
    url.set("slide", 1)
    url.set("view", "slide")


def choose(url) -> None:
    """Every deck there is, each with a button that opens it and its file to download; an upload box."""
    st.markdown("Pick a deck: each slide is a live demo (its page's own section, with its knobs) or a short text "
                "slide. Move with **→ / ←** (a clicker's PageDown / PageUp), **Home** and **End**. Add "
                "`&view=speaker` to the link in a second window for the notes and the next slide's title.")
    rows = [(name, deck) for name, (deck, _) in params.built_in().items()]
    if my_deck() is not None:
        rows.append((params.MINE, my_deck()))
    for name, deck in rows:
        with st.container(border=True):
            text, start, save = st.columns([4, 1, 1], vertical_alignment="center")
            text.markdown(f"**{deck.title}** · {len(deck.slides)} slides  \n{deck.description}")
            start.button("Open", key=f"talk:open:{name}", icon=":material/slideshow:", type="primary",
                         width="stretch", on_click=_open, args=(url, name))
            save.download_button("TOML", decks.to_toml(deck), file_name=f"{name}.toml", mime="application/toml",
                                 key=f"talk:save:{name}", icon=":material/download:", width="stretch",
                                 help="This deck as a file: edit it, then upload it below.")
    if my_deck() is None:
        st.caption("Your own deck appears here once you press **Add to my talk** under a section of any page, or "
                   "upload a deck file.")
    upload(url)


def upload(url) -> None:
    """A deck file from the viewer's disk, checked (size, TOML, known keys only, pages that exist) and never
    executed; it becomes the viewer's own deck."""
    file = st.file_uploader(f"Upload a deck (.toml, at most {decks.MAX_BYTES // 1000} kB)", type=["toml", "txt"],
                            key="talk:upload")
    if file is None:
        return
    try:
        deck, notices = decks.parse(file.getvalue(), params.MINE, set(params.demo_pages()))
    except decks.DeckError as e:
        st.error(f"This deck cannot be used: {e}.", icon=":material/error:")
        return
    st.session_state[MY_DECK] = Deck(params.MINE, deck.title, deck.slides, deck.description)
    if notices:
        st.warning("Read with changes: " + "; ".join(notices) + ".", icon=":material/rule:")
    st.success(f"“{deck.title}”, {len(deck.slides)} slides, is now your deck.", icon=":material/check:")
    st.button("Open it", key="talk:open-upload", on_click=_open, args=(url, params.MINE), type="primary")
