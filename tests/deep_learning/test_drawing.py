"""Reading a drawing into the 8×8 digits format."""
import numpy as np
import pytest

from explainer.deep_learning.drawing import preprocess_drawing
from tests.support.drawings import canvas


def test_a_drawn_stroke_maps_to_the_digits_format():
    mask = np.zeros((192, 192), bool)
    mask[30:170, 90:104] = True  # a vertical bar
    x = preprocess_drawing(canvas(mask, "transparent"))
    assert x.shape == (8, 8) and x.dtype == np.float32 and 0 <= x.min() and x.max() <= 16
    assert (x.sum(1) > 0).all()  # it fills the height, like the dataset
    assert x[:, :2].sum() == 0 and x[:, -2:].sum() == 0  # and is centred


@pytest.mark.parametrize("image, message", [
    (np.zeros((192, 192, 4), np.uint8), "empty"),  # a fresh transparent canvas
    (np.dstack([np.zeros((192, 192, 3), np.uint8), np.full((192, 192), 255, np.uint8)]), "flat"),  # all black
    (np.full((192, 192, 4), 255, np.uint8), "flat"),  # all white / filled in
    (np.zeros((192, 192), np.uint8), "flat"),
    (np.full((192, 192, 3), 255, np.uint8), "flat"),
])
def test_empty_or_flat_canvases_are_refused_with_a_clear_message(image, message):
    with pytest.raises(ValueError, match=message):
        preprocess_drawing(image)


def test_other_bad_drawings_are_refused():
    dot = np.zeros((192, 192, 4), np.uint8)
    dot[96, 96] = 255
    with pytest.raises(ValueError, match="too little ink"):
        preprocess_drawing(dot)
    scribble = np.zeros((192, 192, 4), np.uint8)
    scribble[5:190, 5:190] = 255  # strokes over nearly everything, on a transparent canvas
    with pytest.raises(ValueError, match="covers most"):
        preprocess_drawing(scribble)
    for bad in (np.zeros((4, 4)), np.zeros((192, 192, 2)), np.array("text"), np.full((64, 64), np.nan)):
        with pytest.raises(ValueError):
            preprocess_drawing(bad)
