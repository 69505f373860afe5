"""Presenter mode: large type, prose folded away, less chrome. `?present=1` or the sidebar toggle. And phones.

The mode lives in session state and is written back to the URL on every run, so it survives page changes
(Streamlit clears query parameters when the page changes) and a link keeps it.

A phone (its browser says "Mobi" in its User-Agent, as MDN advises) never gets the presenter's slide layout, which
is laid out for 1920 px: the audience opens the speaker's link (`present=1`) on phones. A phone gets the phone
layout instead: prose folded, and each section's demo above its knobs (`demo_first`).
"""
import streamlit as st

from explainer.ui import url_state
from explainer.urlstate import BoolParam, parse_one

KEY = "presenter_mode"  # the mode itself: plain session state, outlives any widget
_TOGGLE = "presenter_toggle"  # the sidebar widget, re-seeded from KEY on every run
_PARAM = BoolParam("present", False)

# One slide a screen (1920x1080): large type, but tight spacing and a page title no larger than a slide's, so a
# section's picture and its knobs start near the top rather than at the fold.
_CSS = """
<style>
html { font-size: 21px; }
[data-testid="stToolbarActions"], [data-testid="stMainMenu"], [data-testid="stAppDeployButton"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none; }
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 2rem; max-width: 100%; }
[data-testid="stVerticalBlock"] { gap: 0.55rem; }
h1 { font-size: 1.9rem !important; padding: 0 0 0.2rem 0 !important; }
h2 { font-size: 1.5rem !important; padding: 0.3rem 0 0.1rem 0 !important; }
[data-testid="stMetricValue"] { font-size: 1.6rem; }
[data-testid="stCaptionContainer"] { font-size: 0.95rem; }
</style>
"""
# Always: on a phone, a row of four or more columns (small multiples, rows of metrics) keeps two abreast
# instead of stacking one a row (ten seed pictures made Mode collapse 10,000 px long).
_BASE_CSS = """
<style>
@media (max-width: 640px) {
  /* the demo on the first screen: less room above the title, a title of one or two short lines */
  [data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
  h1 { font-size: 1.6rem !important; padding-bottom: 0.3rem !important; }
  h2 { font-size: 1.3rem !important; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]:nth-child(4)) { flex-wrap: wrap; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]:nth-child(4)) > [data-testid="stColumn"] {
    min-width: calc(50% - 0.5rem) !important; width: calc(50% - 0.5rem) !important;
    flex: 0 0 calc(50% - 0.5rem) !important; }
  [data-testid="stMetricValue"] { font-size: 1.6rem; }
  [class*="st-key-one-row-"] [data-testid="stMetricValue"] { font-size: 1.3rem; }
  [data-testid="stMetricLabel"] * { white-space: normal !important; }  /* not "Demonstration alone: f…" */
  /* static tables of sentences (the protocols side by side) wrap every cell: a smaller, tighter type halves them */
  [data-testid="stTable"] { font-size: 0.8rem; }
  [data-testid="stTable"] th, [data-testid="stTable"] td { padding: 0.2rem 0.3rem !important; }
  /* one_row: never stacked */
  [class*="st-key-one-row-"] > [data-testid="stLayoutWrapper"] > [data-testid="stHorizontalBlock"] {
    flex-wrap: nowrap; }
  [class*="st-key-one-row-"] > [data-testid="stLayoutWrapper"] > [data-testid="stHorizontalBlock"] >
    [data-testid="stColumn"] { min-width: 0 !important; width: auto !important; flex: 1 1 0 !important; }
  /* demo_first: the demo (the last child, or the last column of its one row) first */
  [class*="st-key-demo-first-"],
  [class*="st-key-demo-first-"] > [data-testid="stLayoutWrapper"] > [data-testid="stHorizontalBlock"] {
    flex-direction: column-reverse; }
}
</style>
"""


def init() -> bool:
    """Read `?present=` once per session (the link wins on first load); return whether the mode is on.
    A bad value (`present=maybe`) is named in the page's link notice; `apply` then writes the URL back."""
    if KEY not in st.session_state:
        value, notice = parse_one(_PARAM, st.query_params.get_all("present"))
        st.session_state[KEY] = bool(value)
        if notice:
            url_state.notify(notice)
    return is_on()


def requested() -> bool:
    """The mode as the viewer set it (the link, the toggle), whatever the screen."""
    return bool(st.session_state.get(KEY, False))


def is_phone() -> bool:
    return "Mobi" in (st.context.headers.get("User-Agent") or "")


def is_on() -> bool:
    """Lay the page out as slides: the mode is on and the screen is not a phone's."""
    return requested() and not is_phone()


def _on_toggle() -> None:
    st.session_state[KEY] = st.session_state[_TOGGLE]


def toggle() -> None:
    # Streamlit forgets a widget's state on runs where it is not drawn; seeding it from KEY keeps the mode.
    st.session_state[_TOGGLE] = requested()
    st.toggle("Presenter mode", key=_TOGGLE, on_change=_on_toggle,
              help="Large type and less chrome for a talk. Same as adding ?present=1 to a link.")


def apply() -> None:
    """Sync the URL with the mode; inject the site's stylesheet, and the presenter's when it is on."""
    st.markdown(_BASE_CSS, unsafe_allow_html=True)
    if requested():
        if st.query_params.get_all("present") != ["1"]:
            st.query_params["present"] = "1"
    if is_on():
        st.markdown(_CSS, unsafe_allow_html=True)
    elif "present" in st.query_params:
        del st.query_params["present"]



def prose(markdown: str, label: str = "Read more") -> None:
    """Body text: shown inline normally, folded into an expander in presenter mode (the speaker talks instead) and
    on a phone (the demo comes first on a small screen)."""
    if is_on() or is_phone():
        with st.expander(label):
            st.markdown(markdown)
    else:
        st.markdown(markdown)


def per_row(n: int, default: int) -> int:
    """How many small multiples (e.g. one picture per seed) a row holds: all n on a presenter's slide, so none
    falls below the fold; `default` otherwise."""
    return n if is_on() else default


def folded(label: str):
    """A group of secondary knobs: folded into an expander on a presenter's slide, so the knobs that matter and
    the picture share one screen; drawn inline, under a bold `label`, otherwise. Use as `with folded(...):`."""
    if is_on():
        return st.expander(label)
    st.markdown(f"**{label}**")
    return st.container()


def demo_first(key: str):
    """A container for a section's knobs followed by its demo: either two children (the knobs, then the demo) or
    one row of columns whose last column is the demo. On a narrow screen, where columns stack, its children (or
    its row's columns) come in reverse order, so the demo is on the first screen. Use as `with demo_first(...):`
    or `demo_first(...).columns(...)`."""
    return st.container(key=f"demo-first-{key}")


def one_row(key: str):
    """A container for one row of small things (buttons, toggles, two or three metrics) that stays one row, of
    equal columns, on a narrow screen, where Streamlit would stack its columns. Use as `one_row(...).columns(...)`."""
    return st.container(key=f"one-row-{key}")


def choice(url, key: str, label: str, labels: dict[str, str], **kwargs):
    """A one-of-several choice bound to the URL's `key` (a page's sections, a preset): a row of buttons, or on a
    phone a one-line select (the buttons took two or three rows above the demo)."""
    if is_phone():
        return url.widget(st.selectbox, key, label, format_func=labels.get, **kwargs)
    return url.widget(st.segmented_control, key, label, format_func=labels.get, required=True, **kwargs)


def sections(url, labels: dict[str, str]) -> str:
    """The page's section picker, bound to the URL's `section`."""
    return choice(url, "section", "Section", labels, label_visibility="collapsed")


def parts(titles: list[str]) -> list:
    """Containers for a section's follow-on parts (after its demo): one under another, each under its title as a
    subheader; on a presenter's slide, tabs, so each part is one screen rather than the section running on for
    several. Use as `for part in parts(...): with part: ...` or by index."""
    if is_on():
        return list(st.tabs(titles))
    containers = []
    for title in titles:
        box = st.container()
        box.subheader(title)
        containers.append(box)
    return containers
