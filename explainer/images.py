"""The one array → PNG encoder, for the engine (recorded driving frames) and the pages (thumbnails, the playground's
boundary, replayed frames): PNG is a few kB where the same pixels as JSON numbers take tens of kB."""
import base64
import io

import numpy as np
from PIL import Image


def png(pixels: np.ndarray, optimize: bool = False) -> bytes:
    """An (H, W) grey or (H, W, 3) RGB uint8 array as PNG bytes (`optimize`: smaller, slower: for what is kept)."""
    pixels = np.asarray(pixels)
    if pixels.dtype != np.uint8:
        raise ValueError(f"png() takes uint8 pixels, not {pixels.dtype}")
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", optimize=optimize)  # (H, W) → grey, (H, W, 3) → RGB
    return buffer.getvalue()


def data_uri(png_bytes: bytes) -> str:
    """PNG bytes as a data URI, for a Plotly image trace's `source`."""
    return "data:image/png;base64," + base64.b64encode(png_bytes).decode("ascii")


def png_data_uri(pixels: np.ndarray) -> str:
    return data_uri(png(pixels))
