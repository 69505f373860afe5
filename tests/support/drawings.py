"""Drawings as a canvas hands them over (RGBA strokes, white on black, black on white), for the digit readers' tests."""
import numpy as np


def canvas(mask: np.ndarray, style: str) -> np.ndarray:
    """A 192×192 image with ink where `mask` is True, in one of the ways a canvas can hand it over."""
    h, w = mask.shape
    if style == "transparent":  # strokes painted on a transparent background (RGBA)
        out = np.zeros((h, w, 4), np.uint8)
        out[mask] = (255, 255, 255, 255)
    elif style == "white_on_black":
        out = np.zeros((h, w, 4), np.uint8)
        out[..., 3] = 255
        out[mask, :3] = 255
    else:  # black on white, RGB
        out = np.full((h, w, 3), 255, np.uint8)
        out[mask] = 0
    return out


def ring(size=192, thickness=14):
    yy, xx = np.mgrid[:size, :size]
    r = np.sqrt(((yy - 96) / 70) ** 2 + ((xx - 96) / 40) ** 2)
    return np.abs(r - 1) * 55 < thickness / 2
