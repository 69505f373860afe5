"""Bind a page's widgets to `st.query_params`, so every demo state is a shareable link.

Usage in a page:

    url = UrlState("gan", [IntParam("steps", 2000, 100, 20000), ChoiceParam("loss", "nonsaturating", LOSSES)])
    steps = url.widget(st.slider, "steps", "Training steps", step=100)
    loss = url.widget(st.selectbox, "loss", "Loss")

On a page's first run in a session the URL wins (a link opens the exact demo); afterwards the widgets win
and the URL is rewritten after each change. Bad values become a visible notice, never an exception.
Values are also kept in session state, so leaving a page and coming back restores them.
"""
import streamlit as st

from explainer.urlstate import ChoiceParam, FloatParam, Param, parse_query

GLOBAL_KEYS = ("present",)  # parameters owned by the app shell, valid on every page


class UrlState:
    def __init__(self, page: str, specs: list[Param]):
        self.page = page
        self.specs = {s.key: s for s in specs}
        query = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
        values, notices, unknown = parse_query(specs, query, keep=GLOBAL_KEYS)
        for key in unknown:
            del st.query_params[key]
        for key, spec in self.specs.items():
            wkey = self._widget_key(key)
            if wkey in st.session_state:
                continue  # a rerun: the widget already holds the truth
            if key in query:
                st.session_state[wkey] = values[key]
            else:  # coming back to the page: restore what it had, else the default
                st.session_state[wkey] = st.session_state.get(self._memory_key(key), spec.default)
        if notices:
            st.warning("**Some link parameters were fixed:** " + " ".join(notices), icon=":material/link_off:")

    def _widget_key(self, key: str) -> str:
        return f"url:{self.page}:{key}"

    def _memory_key(self, key: str) -> str:
        return f"url-memory:{self.page}:{key}"

    def widget(self, widget_fn, key: str, label: str, **kwargs):
        """Render `widget_fn` (st.slider, st.selectbox, st.radio, st.toggle, st.number_input, ...) bound to `key`."""
        spec = self.specs[key]
        if isinstance(spec, ChoiceParam):
            kwargs.setdefault("options", spec.choices)
        elif isinstance(spec, FloatParam) and widget_fn in (st.slider, st.number_input):
            kwargs.setdefault("min_value", spec.lo)
            kwargs.setdefault("max_value", spec.hi)
        value = widget_fn(label, key=self._widget_key(key), **kwargs)
        self._write(key, value)
        return value

    def set(self, key: str, value) -> None:
        """Record a value that no widget shows (e.g. a drawn dataset id) in the URL and session."""
        self._write(key, value)

    def widget_value(self, key: str):
        """What `key`'s widget holds now (also inside a callback, before the widget is drawn again)."""
        return st.session_state[self._widget_key(key)]

    def set_widget_value(self, key: str, value) -> None:
        """Move `key`'s widget to `value` (e.g. a preset button or a step). Call it from a callback or before
        the widget is drawn in this run, as Streamlit requires; the URL follows when the widget is drawn."""
        st.session_state[self._widget_key(key)] = value

    def get(self, key: str):
        return st.session_state.get(self._memory_key(key), self.specs[key].default)

    def _write(self, key: str, value) -> None:
        spec = self.specs[key]
        st.session_state[self._memory_key(key)] = value
        encoded = spec.encode(value)
        if value == spec.default:
            if key in st.query_params:
                del st.query_params[key]  # defaults stay out of the link, keeping it short
        elif st.query_params.get(key) != encoded:
            st.query_params[key] = encoded
