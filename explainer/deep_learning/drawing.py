"""Turn a drawing from a canvas into the 8×8 format of scikit-learn's digits.

The digits were made (UCI "optdigits") from 32×32 bitmaps, normalised in size and centred, then counted in
4×4 blocks, so each of the 8×8 pixels is 0..16. In the dataset a digit fills the full height and keeps its
aspect ratio; its centre of mass sits near the middle. `preprocess_drawing` repeats those steps:

1. ink: for an image with transparency (a canvas that only paints strokes) the ink is the opacity; for an
   opaque image it is the distance from the background brightness (the median), so white-on-black and
   black-on-white both work;
2. crop to the ink's bounding box and scale it, keeping the aspect ratio, so its longer side is 32 pixels;
   strokes thinner than the dataset's (about STROKE = 4.5 of those 32 pixels) are first thickened, since the
   dataset's pen was thick and thin strokes would otherwise read as faint ones;
3. place it in a 32×32 frame with its centre of mass as close to the middle as the frame allows;
4. add up the ink in each 4×4 block → 8×8 values in 0..16 (a sum of fractions, where the dataset counted
   whole pixels; thin strokes then stay visible instead of vanishing).

Stroke width is estimated as 2·area/perimeter of the inked region (exact for a long, even stroke).
"""
import numpy as np
import torch
from torch.nn import functional as F

SIZE = 32  # the bitmap size before block counting
STROKE = 4.5  # typical stroke width of the dataset's digits, in pixels of the 32×32 bitmap
EMPTY_MESSAGE = "The canvas is empty: draw a digit first."
FLAT_MESSAGE = ("The canvas is one flat colour (all black, all white or filled in): "
                "draw a digit in a colour that stands out from the background.")
FAINT_MESSAGE = "There is too little ink to read a digit: draw it larger or with a thicker stroke."
FULL_MESSAGE = "The drawing covers most of the canvas: clear it and draw one digit with a thinner stroke."


def ink_map(image) -> np.ndarray:
    """How much ink each pixel holds, in [0, 1]; (H, W) from an (H, W), (H, W, 3) or (H, W, 4) image."""
    a = np.asarray(image)
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (3, 4)):
        raise ValueError(f"expected an image of shape (H, W), (H, W, 3) or (H, W, 4), got {a.shape}")
    if min(a.shape[:2]) < 8:
        raise ValueError(f"the image is too small ({a.shape[0]}×{a.shape[1]}); it needs at least 8×8 pixels")
    if a.dtype.kind not in "uif" and a.dtype != bool:
        raise ValueError(f"expected numbers in the image, got dtype {a.dtype}")
    a = a.astype(np.float64)
    if not np.isfinite(a).all():
        raise ValueError("the image contains NaN or infinite values")
    if a.max() > 1.0:  # 0..255 (uint8 canvases) rather than 0..1
        a = a / 255.0
    a = np.clip(a, 0.0, 1.0)
    if a.ndim == 3 and a.shape[2] == 4:
        alpha = a[..., 3]
        if alpha.max() == 0:
            raise ValueError(EMPTY_MESSAGE)
        if alpha.min() < 1:  # strokes painted on a transparent background: the ink is the opacity
            return alpha
        a = a[..., :3]
    gray = a if a.ndim == 2 else a @ np.array([0.299, 0.587, 0.114])
    background = np.median(gray)
    return np.abs(gray - background)


def stroke_width(on: np.ndarray) -> float:
    """Estimated stroke width in pixels of a boolean ink mask: 2·area / perimeter (boundary pixels)."""
    padded = np.pad(on, 1)
    inner = padded[1:-1, 1:-1] & padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:]
    perimeter = max(1, int((on & ~inner).sum()))
    return 2 * float(on.sum()) / perimeter


def _bounding_box(mask: np.ndarray, values: np.ndarray | None = None) -> np.ndarray:
    """The part of `values` (default: `mask`) inside the bounding box of the True pixels of `mask`."""
    rows, cols = np.flatnonzero(mask.any(1)), np.flatnonzero(mask.any(0))
    values = mask if values is None else values
    return values[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def preprocess_drawing(image) -> np.ndarray:
    """An (8, 8) float32 array in 0..16, like `load_digits().images`, from a drawing of any size.

    Raises ValueError with a message fit for the page when the canvas is empty, one flat colour, nearly
    blank, or covered in ink.
    """
    ink = ink_map(image)
    if ink.max() - ink.min() < 0.1:
        raise ValueError(FLAT_MESSAGE)
    ink = ink / ink.max()
    on = ink > 0.5
    if on.mean() > 0.6:
        raise ValueError(FULL_MESSAGE)
    if on.sum() < max(4, 0.002 * on.size):
        raise ValueError(FAINT_MESSAGE)
    scale = SIZE / max(_bounding_box(on).shape)
    kernel = 2 * round(max(0.0, STROKE / scale - stroke_width(on)) / 2) + 1  # odd, in canvas pixels
    if kernel > 1:  # thicken: each pixel takes the most ink within kernel/2 pixels
        t = torch.from_numpy(ink.astype(np.float32))[None, None]
        ink = F.max_pool2d(t, kernel, stride=1, padding=kernel // 2)[0, 0].numpy()
    crop = _bounding_box(ink > 0.5, ink)

    h, w = crop.shape
    scale = SIZE / max(h, w)
    th, tw = max(1, round(h * scale)), max(1, round(w * scale))
    t = torch.from_numpy(crop.astype(np.float32))[None, None]
    small = F.interpolate(t, size=(th, tw), mode="bilinear", antialias=True, align_corners=False)[0, 0].numpy()
    small = np.clip(small, 0.0, 1.0)

    # centre of mass → middle of the 32×32 frame, without pushing ink off the frame
    mass = small.sum()
    cy = (small.sum(1) * np.arange(th)).sum() / mass
    cx = (small.sum(0) * np.arange(tw)).sum() / mass
    top = int(np.clip(round((SIZE - 1) / 2 - cy), 0, SIZE - th))
    left = int(np.clip(round((SIZE - 1) / 2 - cx), 0, SIZE - tw))
    frame = np.zeros((SIZE, SIZE), dtype=np.float32)
    frame[top:top + th, left:left + tw] = small

    return frame.reshape(8, 4, 8, 4).sum(axis=(1, 3))
