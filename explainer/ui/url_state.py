"""Bind a page's widgets to `st.query_params`, so every demo state is a shareable link.

Every page declares its parameters one way: its topic's UI package has a `params` module with the page's `PAGE`
name and `specs()` (the list of every parameter of every section), and the page does

    url = UrlState(params.PAGE, params.specs())
    steps = url.widget(st.select_slider, "steps", "Training steps")
    loss = url.widget(st.selectbox, "loss", "Loss")

On a page's first run in a session the URL wins (a link opens the exact demo); afterwards the widgets win
and the URL is rewritten after each change. Bad values become a visible notice, never an exception: the notice
names every key that was dropped or corrected, once, and the URL is rewritten at once to hold the corrected state
only (dropped and unknown keys removed, clamped values rewritten, defaults left out), so the notice does not come
back on the next run and a copied link is clean. The app shell's own parameters (`present`) report through
`notify`, and their notices join the page's. Values are also kept in session state, so leaving a page and coming
back restores them.
"""
import streamlit as st

from explainer.urlstate import ChoiceParam, FloatParam, Param, parse_query

GLOBAL_KEYS = ("present",)  # parameters owned by the app shell, valid on every page
_PENDING = "url-notices"  # session state: link notices not shown yet


def notify(*notices: str) -> None:
    """Queue notices about fixed link parameters; the page's `UrlState` (or `show_notices`) shows them."""
    st.session_state.setdefault(_PENDING, []).extend(n for n in notices if n)


def show_notices() -> None:
    """Show every queued notice in one warning, once."""
    pending = st.session_state.pop(_PENDING, None)
    if pending:
        st.warning("**Some link parameters were fixed:** " + " ".join(pending), icon=":material/link_off:")


def _set_query(key: str, encoded: str | None) -> None:
    """Make the URL hold `encoded` for `key` (exactly once), or no `key` at all for None."""
    if encoded is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get_all(key) != [encoded]:
        st.query_params[key] = encoded


class UrlState:
    def __init__(self, page: str, specs: list[Param], query: dict[str, str] | None = None):
        """`query`: a state to start from instead of the address bar's (a talk's slide), kept in this session
        under `page` (name one per slide) and never written to the address bar."""
        self.page = page
        self.linked = query is None
        self.specs = {s.key: s for s in specs}
        if len(self.specs) != len(specs):  # one page, one URL: two sections must not share a key
            keys = [s.key for s in specs]
            raise ValueError(f"duplicate URL keys on page {page!r}: {sorted({k for k in keys if keys.count(k) > 1})}")
        if query is None:
            query = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
        else:
            query = {k: [v] for k, v in query.items()}
        values, notices, fixes = parse_query(specs, query, keep=GLOBAL_KEYS)
        for key, spec in self.specs.items():
            wkey = self._widget_key(key)
            if wkey in st.session_state:
                continue  # a rerun: the widget already holds the truth
            if key in query:
                st.session_state[wkey] = values[key]
            else:  # coming back to the page: restore what it had, else the default
                st.session_state[wkey] = st.session_state.get(self._memory_key(key), spec.default)
        for key, encoded in fixes.items():  # the link keeps the corrected state only
            if key in self.specs:  # what the widget holds: the parsed value, or on a rerun the widget's own
                encoded = self.specs[key].canonical(st.session_state[self._widget_key(key)])
            if self.linked:
                _set_query(key, encoded)
        notify(*notices)
        show_notices()

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
        st.session_state[self._widget_key(key)] = value
        self._write(key, value)

    def widget_value(self, key: str):
        """What `key`'s widget holds now (also inside a callback, before the widget is drawn again)."""
        return st.session_state[self._widget_key(key)]

    def set_widget_value(self, key: str, value) -> None:
        """Move `key`'s widget to `value` (e.g. a preset button or a step). Call it from a callback or before
        the widget is drawn in this run, as Streamlit requires; the URL follows when the widget is drawn."""
        st.session_state[self._widget_key(key)] = value

    def resend(self, key: str) -> None:
        """Send the link's `key` to the browser again, whatever the server last saw. A fragment's run that was
        cut short (a click during a replay's tick) may have set the server's copy without the browser's address
        changing, so a later equal value would never be sent."""
        encoded = self.specs[key].canonical(self.get(key))
        if encoded is not None and self.linked:
            st.query_params[key] = encoded

    def limit(self, key: str, last: int, what: str) -> None:
        """Clamp `key` to `last` when its bound is known only once a run is loaded (an episode's last step, the
        number of mistakes a model makes), with the same link notice as a value clamped on parsing. Call it before
        the widget is drawn. `what` names the bound: "this episode's last step"."""
        value = self.get(key)
        if value > last:
            notify(f"`{key}={value}` is past {what}; showing {last}.")
            self.set_widget_value(key, last)
            show_notices()

    def get(self, key: str):
        """The value of a key that no widget shows (see `set`): from the link on first load, else as last set."""
        default = st.session_state.get(self._memory_key(key), self.specs[key].default)
        return st.session_state.get(self._widget_key(key), default)

    def record(self, key: str, value) -> None:
        """Remember `value` for `key` and put it in the link, leaving its widget alone: a value the page moves
        itself while the widget is not drawn (a replay's step while it plays)."""
        self._write(key, value)

    def _write(self, key: str, value) -> None:
        st.session_state[self._memory_key(key)] = value
        if self.linked:
            _set_query(key, self.specs[key].canonical(value))  # defaults stay out of the link, keeping it short
