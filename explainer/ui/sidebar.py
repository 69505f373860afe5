"""The sidebar every page shares: presenter mode and where compute runs.

It never prints the server's cache path: a visitor has no use for it, and it tells them about the host's
file system (the README says where runs are cached: `~/.cache/explainer`, or `EXPLAINER_CACHE_DIR`).
"""
import streamlit as st

from explainer.device import pick_device
from explainer.ui import presenter


@st.cache_resource(show_spinner=False)
def device_line() -> str:
    return pick_device().describe()


def render() -> None:
    with st.sidebar:
        presenter.toggle()
        st.caption(f":material/memory: **Compute:** {device_line()}")
