"""The live chart (explainer/ui/live_chart.py): a Plotly chart that a rerun with new data updates in place."""
import json

import plotly
from streamlit.testing.v1 import AppTest

from explainer.ui import live_chart

SCRIPT = """
import plotly.graph_objects as go
import streamlit as st
from explainer.ui import charts

n = st.session_state.get("n", 0) + 1
st.session_state["n"] = n
charts.show(go.Figure(go.Scatter(y=list(range(n)))), key="curve", live=True)
charts.show(go.Figure(go.Scatter(y=list(range(n)))), key="plain")
"""


def test_new_data_keeps_the_live_chart_but_makes_a_plain_chart_a_new_element():
    """The cause of the playground's blank charts: st.plotly_chart's element id hashes the figure, so new data is a
    new element (a fresh node the browser must draw from nothing); the live chart's id stays with its key."""
    at = AppTest.from_string(SCRIPT).run()
    [live], [plain] = at.get("bidi_component"), at.get("plotly_chart")
    first = (live.proto.id, json.loads(live.proto.json)["figure"], plain.proto.id)
    at.run()
    [live], [plain] = at.get("bidi_component"), at.get("plotly_chart")
    assert not at.exception
    assert live.proto.id == first[0] and json.loads(live.proto.json)["figure"] != first[1]
    assert plain.proto.id != first[2]
    assert json.loads(json.loads(live.proto.json)["figure"])["data"][0]["y"] == [0, 1]


def test_plotly_js_is_served_from_the_plotly_package_and_nothing_from_another_host():
    folder = live_chart.asset_dir()
    assert (folder / "plotly.min.js").read_bytes() == live_chart.PLOTLY_JS.read_bytes()
    assert plotly.__version__ in folder.name
    at = AppTest.from_string(SCRIPT).run()
    [live] = at.get("bidi_component")
    url = json.loads(live.proto.json)["plotly"]
    assert url.startswith("/component/") and url.endswith("/plotly.min.js")
    assert "http" not in live_chart.SCRIPT.read_text()


def test_a_stale_copy_is_replaced(tmp_path):
    source, target = tmp_path / "a", tmp_path / "b"
    source.write_text("new page")
    target.write_text("old page")
    live_chart._copy(source, target)
    assert target.read_text() == "new page" and sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]
