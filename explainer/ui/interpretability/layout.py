"""The page's one grid of per-method maps: three to a row, or all six in one row on a presenter's slide."""
import streamlit as st

from explainer.ui import presenter


def method_grid(names: list[str], draw) -> None:
    """draw(name, height) for each method, inside its grid cell."""
    per_row = presenter.per_row(len(names), 3)
    height = 250 if presenter.is_on() else 300
    for first in range(0, len(names), per_row):
        for col, name in zip(st.columns(per_row, gap="small"), names[first:first + per_row], strict=False):
            with col:
                draw(name, height)
