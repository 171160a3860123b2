"""Simulated blot images with known band volumes (for the demo and the parity tests)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["SimulatedBlot", "simulate_blot"]


@dataclass(frozen=True)
class SimulatedBlot:
    """A simulated image and the exact integrated intensity of every band in it.

    ``volumes[i, j]`` is the sum of band ``j``'s intensity over the pixels of lane ``i``
    (before noise and rounding), in the image's units; ``lane_centres`` are x positions.
    """

    pixels: np.ndarray
    volumes: np.ndarray
    lane_centres: np.ndarray
    band_rows: np.ndarray


def simulate_blot(
    volumes: np.ndarray | Sequence[Sequence[float]],
    *,
    rng: np.random.Generator,
    pitch: int = 48,
    margin: int = 30,
    band_rows: Sequence[float] | None = None,
    height: int | None = None,
    sigma_y: float = 3.0,
    band_half_width: float = 13.0,
    edge_sigma: float = 1.5,
    base: float = 1500.0,
    slope: tuple[float, float] = (2.0, 1.0),
    noise_sd: float = 15.0,
    bit_depth: int = 16,
    dark_bands: bool = False,
    smile: float = 0.0,
    tilt: float = 0.0,
) -> SimulatedBlot:
    """Render Gaussian bands (flat across the lane, soft edges) on a sloped background.

    Parameters
    ----------
    volumes
        Lanes x bands array of integrated band intensities to render.
    rng
        Random generator for the noise.
    pitch, margin
        Lane spacing and left/right margin in px.
    band_rows
        Band centre rows; default evenly spaced.
    sigma_y
        Vertical Gaussian SD of a band (px).
    band_half_width, edge_sigma
        Half width of the flat band top and the SD of its soft edges (px).
    base, slope
        Background level and its slope per px along x and y.
    noise_sd
        Gaussian pixel noise.
    bit_depth
        8 or 16; values are clipped at the maximum (saturation).
    dark_bands
        Store the image inverted (dark bands on a light background, like film).
    smile
        Vertical offset (px) of the outer lanes relative to the centre (a "smiling" gel).
    tilt
        Vertical offset (px) per lane, left to right (a tilted membrane).
    """
    from scipy.special import erf

    vol = np.asarray(volumes, dtype=float)
    n_lanes, n_bands = vol.shape
    width = 2 * margin + n_lanes * pitch
    rows = (
        np.asarray(band_rows, dtype=float)
        if band_rows is not None
        else 40.0 + 45.0 * np.arange(n_bands)
    )
    h = height if height is not None else int(rows.max() + 40)
    yy, xx = np.mgrid[0:h, 0:width].astype(float)
    img = base + slope[0] * xx + slope[1] * yy
    centres = margin + pitch * (np.arange(n_lanes) + 0.5)
    true = np.zeros_like(vol)
    mid = (n_lanes - 1) / 2
    for i, cx in enumerate(centres):
        hx = 0.5 * (
            erf((xx[0] - cx + band_half_width) / (np.sqrt(2) * edge_sigma))
            - erf((xx[0] - cx - band_half_width) / (np.sqrt(2) * edge_sigma))
        )
        dy = smile * ((i - mid) / max(mid, 1)) ** 2 + tilt * (i - mid)
        for j, cy in enumerate(rows):
            gy = np.exp(-0.5 * ((yy[:, 0] - cy - dy) / sigma_y) ** 2)
            shape = np.outer(gy, hx)
            band = vol[i, j] * shape / shape.sum()
            img += band
            true[i, j] = band.sum()
    img += rng.normal(0.0, noise_sd, img.shape)
    top = 2**bit_depth - 1
    img = np.clip(np.rint(img), 0, top)
    if dark_bands:
        img = top - img
    dtype = np.uint8 if bit_depth == 8 else np.uint16
    return SimulatedBlot(img.astype(dtype), true, centres, rows)
