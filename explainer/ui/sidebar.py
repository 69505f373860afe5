"""The sidebar every page shares: presenter mode, where compute runs, and where runs are cached."""
import streamlit as st

from explainer.device import pick_device
from explainer.paths import cache_dir
from explainer.ui import presenter


@st.cache_resource(show_spinner=False)
def device_line() -> str:
    return pick_device().describe()


def render() -> None:
    with st.sidebar:
        presenter.toggle()
        st.caption(f":material/memory: **Compute:** {device_line()}")
        st.caption(f":material/folder: **Run cache:** `{cache_dir()}`")
