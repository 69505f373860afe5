"""The sidebar every page shares: presenter mode, "Add to my talk" on a topic's page, and where compute runs.

It never prints the server's cache path: a visitor has no use for it, and it tells them about the host's
file system (the README says where runs are cached: `~/.cache/explainer`, or `EXPLAINER_CACHE_DIR`).
"""
import streamlit as st

from explainer.device import pick_device
from explainer.site import PAGES
from explainer.ui import presenter


@st.cache_resource(show_spinner=False)
def device_line() -> str:
    return pick_device().describe()


def render(url_path: str = "") -> None:
    """`url_path`: the page being shown (a topic's page gets the "Add to my talk" button)."""
    with st.sidebar:
        presenter.toggle()
        page = next((p for p in PAGES if p.url_path == url_path and p.demo), None)
        if page is not None:
            st.button("Add to my talk", key="talk:add", icon=":material/add_to_queue:", on_click=_add, args=(page,),
                      help="This demo as it is now (its section and every knob) becomes the next slide of your own "
                           "deck, on the Talk page.")
        st.caption(f":material/memory: **Compute:** {device_line()}")


def _add(page) -> None:
    import importlib

    from explainer.ui.talks.library import add_to_my_talk

    sections = importlib.import_module(page.demo).SECTIONS
    section = st.query_params.get("section")
    section = section if section in sections else None
    label = sections[section or next(iter(sections))]
    add_to_my_talk(page.url_path, section, f"{page.title}: {label.lstrip('①②③④ ')}")
