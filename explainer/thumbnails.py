"""The home page's map: one small picture per topic, drawn from the run that topic's page shows first (a shipped
run, loaded from the store, nothing trained), so the map shows what the page measures rather than a drawing.

Each is a PNG of THUMB_SIZE, built once per process (functools.cache): numpy rasters, no plotting library.
A page registers its picture in its topic.py (`PageSpec.thumbnail`); a thumbnail that cannot be drawn (its run
missing from the store) is None and the map shows the page's text alone.
"""
from functools import cache

import numpy as np

from explainer import images

THUMB_SIZE = (160, 256)  # (height, width): 16:10, the map's cards side by side
GREEN, PURPLE, GREY = np.array([0, 158, 115]), np.array([148, 90, 170]), np.array([235, 235, 235])


def _load(config):
    from explainer.runs.store import default_store

    return default_store().load(config.key())


def _canvas(height: int, width: int, colour=(255, 255, 255)) -> np.ndarray:
    return np.broadcast_to(np.array(colour, np.uint8), (height, width, 3)).copy()


def _dots(canvas: np.ndarray, points: np.ndarray, box: tuple, colour, radius: int = 1) -> None:
    """Draw `points` ((n, 2), data units) as small squares on `canvas`, `box` = (x0, x1, y0, y1) its extent."""
    h, w = canvas.shape[:2]
    x0, x1, y0, y1 = box
    cols = np.round((points[:, 0] - x0) / (x1 - x0) * (w - 1)).astype(int)
    rows = np.round((y1 - points[:, 1]) / (y1 - y0) * (h - 1)).astype(int)
    for dr in range(-radius, radius + 1):
        for dc in range(-radius, radius + 1):
            r, c = rows + dr, cols + dc
            keep = (r >= 0) & (r < h) & (c >= 0) & (c < w)
            canvas[r[keep], c[keep]] = colour


def _scaled(pixels: np.ndarray, height: int, width: int) -> np.ndarray:
    """Nearest-neighbour resize (sharp pixels for 8x8 digits and filters)."""
    rows = np.arange(height) * pixels.shape[0] // height
    cols = np.arange(width) * pixels.shape[1] // width
    return pixels[rows][:, cols]


def _diverging(values: np.ndarray) -> np.ndarray:
    """Values in -1..1 as blue (negative), white, red (positive) RGB."""
    v = np.clip(values, -1, 1)[..., None]
    blue, red, white = np.array([33, 102, 172]), np.array([178, 24, 43]), np.array([255, 255, 255])
    return np.where(v < 0, white + (blue - white) * -v, white + (red - white) * v).astype(np.uint8)


def _scene(samples: np.ndarray, real: np.ndarray, box: tuple, height: int, width: int) -> np.ndarray:
    canvas = _canvas(height, width, (250, 248, 252))
    _dots(canvas, samples, box, PURPLE, radius=1)
    _dots(canvas, real, box, GREEN, radius=2)  # the modes on top: a covered mode stays visible
    return canvas


def _small_multiples(n: int, rows: int, draw) -> np.ndarray:
    """A THUMB_SIZE picture of `n` cells in `rows` rows, a 2-px white gap between them; `draw(i, height, width)`
    gives cell i's pixels."""
    h, w = THUMB_SIZE
    cols = -(-n // rows)
    ch, cw = h // rows, w // cols
    canvas = _canvas(h, w)
    for i in range(n):
        r, c = divmod(i, cols)
        canvas[r * ch:(r + 1) * ch - 2, c * cw:(c + 1) * cw - 2] = draw(i, ch - 2, cw - 2)
    return canvas


def _ring_box(aspect: float, half: float = 1.25) -> tuple:
    """(x0, x1, y0, y1) around the ring of radius 1 for a picture `aspect` (width / height) wide."""
    return (-half * max(aspect, 1), half * max(aspect, 1), -half / min(aspect, 1), half / min(aspect, 1))


@cache
def gan_lab() -> bytes | None:
    """The Lab's shipped run: its generated samples (purple) on the ring's eight modes (green)."""
    from explainer.data import get_dataset
    from explainer.gan.presets import PRESETS

    run = _load(PRESETS["lab"])
    if run is None or not run.snapshots:
        return None
    h, w = THUMB_SIZE
    modes = np.asarray(get_dataset(PRESETS["lab"].dataset).modes)
    samples = np.asarray(run.snapshots[-1].arrays["samples"][0])
    return images.png(_scene(samples, modes, _ring_box(w / h), h, w))


@cache
def mode_collapse() -> bytes | None:
    """The collapsing configuration's ten seeds, small multiples: most cover one or a few of the eight modes."""
    from explainer.data import get_dataset
    from explainer.gan.presets import PRESETS

    run = _load(PRESETS["collapse"])
    if run is None or not run.snapshots:
        return None
    h, w = THUMB_SIZE
    samples = np.asarray(run.snapshots[-1].arrays["samples"])
    modes = np.asarray(get_dataset(PRESETS["collapse"].dataset).modes)
    return images.png(_small_multiples(
        len(samples), 2, lambda i, ch, cw: _scene(samples[i], modes, _ring_box(cw / ch), ch, cw)))


@cache
def cnn_filters() -> bytes | None:
    """The digits CNN's eight learned 3x3 first-layer filters (red positive, blue negative)."""
    from explainer.deep_learning.cnn import CNNConfig, digits_cnn

    run = _load(CNNConfig())
    if run is None:
        return None
    weights = digits_cnn(run).model.conv1.weight.detach().numpy()[:8, 0]  # (8, 3, 3)
    weights = weights / (np.abs(weights).max() or 1.0)

    def kernel(i: int, ch: int, cw: int) -> np.ndarray:  # a square filter, centred in its cell
        side = min(ch, cw) - 6
        cell = _canvas(ch, cw)
        top, left = (ch - side) // 2, (cw - side) // 2
        cell[top:top + side, left:left + side] = _scaled(_diverging(weights[i]), side, side)
        return cell

    return images.png(_small_multiples(len(weights), 2, kernel))


@cache
def saliency() -> bytes | None:
    """Test digit #0 and the gradient of the network's score for its answer (|∂z/∂x|, in red over the digit)."""
    import torch

    from explainer.deep_learning.cnn import CNNConfig, digits_cnn

    run = _load(CNNConfig())
    if run is None:
        return None
    cnn = digits_cnn(run)
    x = torch.tensor(cnn.test_images[:1, None], dtype=torch.float32, requires_grad=True)
    logits = cnn.model(x)
    logits[0, int(logits[0].argmax())].backward()
    grad = np.abs(x.grad[0, 0].numpy())
    grad = grad / (grad.max() or 1.0)
    digit = cnn.test_images[0] / 16.0
    h, w = THUMB_SIZE
    grey = (255 * (1 - digit))[..., None] * np.ones(3)
    heat = _diverging(grad).astype(float)
    side = min(h - 16, (w - 20) // 2)
    canvas = _canvas(h, w)
    left, top = (w - 2 * side - 12) // 2, (h - side) // 2
    canvas[top:top + side, left:left + side] = _scaled(grey.astype(np.uint8), side, side)
    canvas[top:top + side, left + side + 12:left + 2 * side + 12] = _scaled(heat.astype(np.uint8), side, side)
    return images.png(canvas)


@cache
def driving() -> bytes | None:
    """A frame of the shipped racetrack episode, cropped to the map's shape."""
    from PIL import Image

    from explainer.driving import episode
    from explainer.driving.presets import EPISODES

    run = _load(EPISODES["racetrack"])
    if run is None:
        return None
    import io

    frame = Image.open(io.BytesIO(episode.frame(run, len(run.history) // 2))).convert("RGB")
    h, w = THUMB_SIZE
    width, height = frame.size
    crop_h = int(width * h / w)
    top = (height - crop_h) // 2
    frame = frame.crop((0, top, width, top + crop_h)).resize((w, h), Image.BILINEAR)
    return images.png(np.asarray(frame))
