"""The one PNG encoder."""
import base64
import io

import numpy as np
import pytest
from PIL import Image

from explainer import images


def test_png_round_trips_rgb_and_grey_arrays():
    rng = np.random.default_rng(1)
    rgb = rng.integers(0, 256, size=(7, 5, 3), dtype=np.uint8)
    grey = rng.integers(0, 256, size=(4, 9), dtype=np.uint8)
    for pixels in (rgb, grey):
        png = images.png(pixels)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(png))), pixels)
    uri = images.png_data_uri(rgb)
    assert uri.startswith("data:image/png;base64,")
    decoded = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    np.testing.assert_array_equal(np.asarray(decoded), rgb)
    with pytest.raises(ValueError):
        images.png(rgb.astype(np.float64))
