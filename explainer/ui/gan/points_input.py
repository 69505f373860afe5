"""Your own 2D data for the GAN lab: draw it on a canvas or upload a CSV, validated before anything trains.

A point set is saved under the run cache by the hash of its contents, and the URL carries only that hash
(`points=<12 hex>`, declared in `params.specs`), so a link to a drawn distribution works on the same server.
"""
import csv
import hashlib
import io

import numpy as np
import pandas as pd
import streamlit as st

from explainer.data.toy import MAX_POINTS, MIN_POINTS, validate_points
from explainer.paths import cache_dir
from explainer.seeding import numpy_rng

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
CANVAS = 360  # pixels; the drawing maps to [-1, 1]² (y up)


def _folder():
    path = cache_dir() / "points"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_points(arr: np.ndarray) -> str:
    arr = validate_points(arr).astype("<f8")
    digest = hashlib.sha256(arr.tobytes()).hexdigest()[:12]
    tmp = _folder() / f".{digest}.tmp.npy"
    np.save(tmp, arr, allow_pickle=False)
    tmp.replace(_folder() / f"{digest}.npy")
    return digest


def _is_digest(digest: str) -> bool:
    return len(digest) == 12 and all(c in "0123456789abcdef" for c in digest)


def has_points(digest: str) -> bool:
    """Whether a point set is saved under `digest` (cheap: the link's `points=` is checked on every run)."""
    return _is_digest(digest) and (_folder() / f"{digest}.npy").is_file()


def load_points(digest: str) -> np.ndarray | None:
    """The saved point set, or None if unknown or unreadable (the name is checked: it becomes a path)."""
    if not _is_digest(digest):
        return None
    try:
        return validate_points(np.load(_folder() / f"{digest}.npy", allow_pickle=False))
    except (OSError, ValueError):
        return None


def parse_csv(data: bytes) -> np.ndarray:
    """The first two numeric columns of an uploaded CSV (a header row is allowed); ValueError when unusable."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError(f"The file is {len(data) / 1e6:.1f} MB; the limit is {MAX_UPLOAD_BYTES / 1e6:.0f} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("The file is not UTF-8 text; upload a CSV of x,y numbers.") from None
    try:
        table = pd.read_csv(io.StringIO(text), header=None, sep=None, engine="python", nrows=MAX_POINTS + 2,
                            dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as e:
        raise ValueError(f"The file could not be read as CSV ({str(e).splitlines()[0][:120]}).") from None
    text_cells = table.astype(str).apply(lambda col: col.str.strip().str.lower())
    numeric = table.apply(pd.to_numeric, errors="coerce")
    # A cell is a number, a spelled-out non-finite number ("nan", "inf": refused below with their own
    # message), or text. A first row of text is a header.
    is_number = numeric.notna() | text_cells.isin(("nan", "inf", "-inf", "+inf", "infinity", "-infinity"))
    if len(table) and not is_number.iloc[0].any():
        numeric, is_number = numeric.iloc[1:], is_number.iloc[1:]
    columns = [c for c in numeric.columns if len(numeric) and is_number[c].mean() > 0.5]
    if len(columns) < 2:
        raise ValueError("The file needs two numeric columns (x and y).")
    xy_ok = is_number[columns[:2]]
    if not xy_ok.all().all():
        raise ValueError("Some rows are not numbers; every row needs a numeric x and y.")
    xy = numeric[columns[:2]].to_numpy(dtype=float)
    if np.isnan(xy).any():
        raise ValueError("Some coordinates are not finite (NaN or infinity).")
    return _checked(xy)


def _checked(xy: np.ndarray) -> np.ndarray:
    if len(xy) < MIN_POINTS:
        raise ValueError(f"Only {len(xy)} points: a GAN needs at least {MIN_POINTS} to learn from.")
    if len(xy) > MAX_POINTS:
        raise ValueError(f"More than {MAX_POINTS:,} points: please thin the file out.")
    if not np.isfinite(xy).all():
        raise ValueError("Some coordinates are not finite (NaN or infinity).")
    if np.ptp(xy, axis=0).max() == 0:
        raise ValueError("All points are the same point: there is no distribution to learn.")
    return xy


def points_from_drawing(json_data: dict | None, per_stroke_spacing: float = 0.01) -> np.ndarray:
    """Points along the canvas strokes, mapped to [-1, 1]² with y up; ValueError when too little was drawn."""
    coords = []
    for obj in (json_data or {}).get("objects", []):
        kind = str(obj.get("type", "")).lower()  # Fabric.js 6+ (the canvas's) names types "Path", older "path"
        if kind == "path":  # free-hand strokes: path commands in absolute canvas coordinates
            for cmd in obj.get("path", []):
                nums = [v for v in cmd[1:] if isinstance(v, (int, float))]
                coords += [(nums[i], nums[i + 1]) for i in range(0, len(nums) - 1, 2)]
        elif kind == "circle":
            r = obj.get("radius", 0)
            coords.append((obj.get("left", 0) + r, obj.get("top", 0) + r))
    if not coords:
        raise ValueError("The canvas is empty: draw a few strokes where the data should be.")
    xy = np.asarray(coords, dtype=float) / CANVAS * 2 - 1
    xy[:, 1] = -xy[:, 1]
    # Dense strokes give many near-duplicates; jitter slightly so the data has a little spread.
    rng = numpy_rng(0, "noise")
    xy = np.repeat(xy, max(1, 2000 // len(xy)), axis=0)
    xy += rng.normal(scale=per_stroke_spacing, size=xy.shape)
    return _checked(xy)


def points_input(url) -> tuple | None:
    """Widgets to draw or upload points; returns the points as a tuple of (x, y), or None with a message shown."""
    digest = url.get("points")
    arr = load_points(digest) if digest else None
    if digest and arr is None:  # saved but unreadable (an unknown id is dropped from the link with a notice)
        st.warning("The point set in this link could not be read on this server; draw or upload it again.",
                   icon=":material/link_off:")
    draw, upload = st.tabs(["Draw", "Upload CSV"])
    with draw:
        from streamlit_drawable_canvas import st_canvas  # imported here: only this view needs the component

        result = st_canvas(stroke_width=6, stroke_color="#7b3294", background_color="#ffffff", height=CANVAS,
                           width=CANVAS, drawing_mode="freedraw", key="gan-points-canvas")
        if st.button("Use this drawing", key="use-drawing", icon=":material/draw:"):
            try:
                arr = points_from_drawing(result.json_data)
                url.set("points", save_points(arr))
            except ValueError as e:
                st.error(str(e), icon=":material/error:")
    with upload:
        file = st.file_uploader("A CSV of x,y points (10 to 100,000 rows, 5 MB at most)", type=["csv", "txt"])
        if file is not None:
            try:
                arr = parse_csv(file.getvalue())
                url.set("points", save_points(arr))
            except ValueError as e:
                st.error(str(e), icon=":material/error:")
    if arr is None:
        st.info("Draw a shape and press **Use this drawing**, or upload a CSV, to train on your own data.",
                icon=":material/gesture:")
        return None
    st.caption(f"Training data: {len(arr):,} points.")
    return tuple(map(tuple, arr))
