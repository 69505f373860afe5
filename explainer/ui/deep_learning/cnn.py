"""Section 3 of the "Deep learning" page: the drawing canvas, read into the 8×8 digits format."""
import numpy as np

from explainer.deep_learning.drawing import preprocess_drawing

CANVAS_SIZE = 192  # px; white strokes on black, like the digits the network saw (ink bright on dark)
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
