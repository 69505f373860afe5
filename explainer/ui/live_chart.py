"""A Plotly chart that updates in place, for charts that change while a viewer watches (a live run's curves).

`st.plotly_chart` gives a chart an element id that hashes its figure, so a chart with new data is a new element
whatever its key: the browser mounts a fresh Plotly node, blank until it has drawn, and drops the old one. A
chart redrawn twice a second was blank in a fifth of rapid screenshots (bench/playground_flicker.py). This is a
small Streamlit component (components v2: drawn in the page itself, no iframe) whose element keeps its key's
identity: each render hands the same node the new figure, and live_plot.js redraws it with `Plotly.react`.

plotly.js comes from the plotly package (its plotly.min.js, copied into a folder under the run cache that
Streamlit serves as a v1 component's static files) and is loaded once per page: nothing is fetched from another
host, and the source tree is never written to.
"""
import contextlib
import hashlib
import shutil
import uuid
from functools import cache
from pathlib import Path

import plotly
import plotly.graph_objects as go
import streamlit as st
import streamlit.components.v1 as components

from explainer.paths import cache_dir

SCRIPT = Path(__file__).with_name("live_plot.js")
PLOTLY_JS = Path(plotly.__file__).with_name("package_data") / "plotly.min.js"


def _copy(source: Path, target: Path) -> None:
    """Put `source` at `target` unless an identical file is there (a truncated or damaged copy is replaced);
    atomic, so two processes can race."""
    if target.exists() and target.stat().st_size == source.stat().st_size and (
            target.read_bytes() == source.read_bytes()):
        return
    part = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
    shutil.copyfile(source, part)
    part.replace(target)


@cache
def asset_dir() -> Path:
    """The folder Streamlit serves plotly.min.js from, named by Plotly's version and the file's hash."""
    tag = hashlib.sha256(PLOTLY_JS.read_bytes()).hexdigest()[:10]
    folder = cache_dir() / "assets" / f"plotly-{plotly.__version__}-{tag}"
    folder.mkdir(parents=True, exist_ok=True)
    _copy(PLOTLY_JS, folder / "plotly.min.js")
    return folder


@cache
def plotly_url() -> str:
    """Where the browser gets plotly.min.js: a v1 component's static route (/component/<name>/...), the one
    way Streamlit serves files from a folder outside the app's own `static/`."""
    served = components.declare_component("plotly_js", path=str(asset_dir()))
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return "/" + (f"{base}/" if base else "") + f"component/{served.name}/plotly.min.js"


@cache
def _component():
    return st.components.v2.component("explainer.live_plot", html='<div class="live-plot"></div>',
                                      js=SCRIPT.read_text(), isolate_styles=False)


def show(fig: go.Figure, key: str, config: dict, container=None):
    """Draw `fig` in one node per `key` that later calls update in place. The figure travels as its JSON text
    (Plotly's own encoder: numpy arrays, dates); the element is as tall as the figure from the start, so the
    page does not jump while plotly.js loads."""
    height = fig.layout.height or 450
    data = {"figure": fig.to_json(), "config": config, "plotly": plotly_url()}
    with container if container is not None else contextlib.nullcontext():
        return _component()(key=key, data=data, height=height)
