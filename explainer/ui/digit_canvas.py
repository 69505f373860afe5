"""The one "draw a digit" canvas (the Deep learning page's CNN and the Interpretability page's input picker): white
strokes on black, like the digits the network saw, read into the 8×8 digits format."""
import numpy as np
import streamlit as st

from explainer.deep_learning.drawing import preprocess_drawing

CANVAS_SIZE = 192  # px
STROKE = 16
EMPTY = "Draw a digit in the black square (use your mouse or finger); the network reads it as soon as you let go."


def read_canvas(result) -> tuple[np.ndarray | None, str | None]:
    """(8×8 image in 0..16, None) from a canvas result, or (None, a message for the page) when there is nothing
    usable: an untouched canvas, an empty or all-black one, a faint scribble, a filled-in square."""
    image = None if result is None else result.image_data
    if image is None:
        return None, EMPTY
    try:
        return preprocess_drawing(image), None
    except ValueError as error:
        return None, str(error)


def draw_digit(key: str) -> np.ndarray | None:
    """Draw the canvas; the drawn digit (8×8 in 0..16), or None after saying what is missing."""
    from streamlit_drawable_canvas import st_canvas  # registers a component: only inside a run

    drawn = st_canvas(stroke_width=STROKE, stroke_color="#FFFFFF", background_color="#000000", height=CANVAS_SIZE,
                      width=CANVAS_SIZE, drawing_mode="freedraw", return_image_data=True, key=key)
    image, message = read_canvas(drawn)
    if image is None:
        st.info(message, icon=":material/draw:")
    return image
