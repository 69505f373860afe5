"""A Plotly chart that updates in place, for charts that change while a viewer watches (a live run's curves).

`st.plotly_chart` gives a chart an element id that hashes its figure, so a chart with new data is a new element
whatever its key: the browser mounts a fresh Plotly node, blank until it has drawn, and drops the old one. A
chart redrawn twice a second was blank in a fifth of rapid screenshots (bench/playground_flicker.py). This
component keeps one node per key and hands it each new figure; its page (live_plot/index.html) redraws it with
`Plotly.react`, which also keeps hover and zoom. Its files are served by Streamlit from a folder under the run
cache, where the page is put beside the plotly package's own plotly.min.js and Streamlit's font: nothing is
fetched from another host, and the source tree is never written to.
"""
import hashlib
import shutil
from functools import cache
from pathlib import Path

import plotly
import plotly.graph_objects as go
import streamlit as st
import streamlit.components.v1 as components

from explainer.paths import cache_dir

PAGE = Path(__file__).with_name("live_plot") / "index.html"
PLOTLY_JS = Path(plotly.__file__).with_name("package_data") / "plotly.min.js"
FONTS = Path(st.__file__).with_name("static") / "static" / "media"


def _copy(source: Path, target: Path) -> None:
    """Put `source` at `target` unless an identical file is there; atomic, so two processes can race."""
    if target.exists() and target.stat().st_size == source.stat().st_size and (
            target.read_bytes() == source.read_bytes()):
        return
    part = target.with_name(f".{target.name}.{id(target)}.part")
    shutil.copyfile(source, part)
    part.replace(target)


@cache
def asset_dir() -> Path:
    """The component's folder: its page, plotly.min.js and the app's font, named by the page's and Plotly's
    versions so that an upgrade gets a fresh folder."""
    tag = hashlib.sha256(PAGE.read_bytes()).hexdigest()[:10]
    folder = cache_dir() / "assets" / f"live-plot-{plotly.__version__}-{tag}"
    folder.mkdir(parents=True, exist_ok=True)
    _copy(PAGE, folder / "index.html")
    _copy(PLOTLY_JS, folder / "plotly.min.js")
    font = next(iter(sorted(FONTS.glob("SourceSansVF-Upright*.woff2"))), None)
    if font is not None:  # without it the chart falls back to the browser's sans-serif
        _copy(font, folder / "source-sans.woff2")
    return folder


@cache
def _component():
    return components.declare_component("live_plot", path=str(asset_dir()))


def show(fig: go.Figure, key: str, config: dict, container=None):
    """Draw `fig` in one node per `key` that later calls update in place. The figure travels as its JSON text,
    which the page parses (Plotly's own encoder: numpy arrays, dates)."""
    draw = _component()
    if container is None:
        return draw(figure=fig.to_json(), config=config, key=key, default=None)
    with container:
        return draw(figure=fig.to_json(), config=config, key=key, default=None)
