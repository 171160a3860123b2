"""Densitometry of one blot image: orientation, lanes, bands, background, volumes, QC."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from exodisc.errors import InputFormatError
from exodisc.io.western import BlotImage

__all__ = [
    "BackgroundSpec",
    "BlotResult",
    "parse_background",
    "quantify_blot",
]

Invert = Literal["auto", "yes", "no"]
BAND_COLUMNS = [
    "lane",
    "band",
    "volume",
    "background",
    "saturated_px",
    "y_top",
    "y_bottom",
    "x_left",
    "x_right",
    "peak_height",
    "noise_sd",
]


@dataclass(frozen=True)
class BackgroundSpec:
    """A background method: ``rolling-ball`` (radius px), ``lane-min``, ``median-box``, ``none``."""

    method: Literal["rolling-ball", "lane-min", "median-box", "none"]
    radius: float = 50.0
    box: tuple[int, int, int, int] | None = None

    def label(self) -> str:
        if self.method == "rolling-ball":
            return f"rolling-ball:{self.radius:g}"
        if self.method == "median-box" and self.box is not None:
            return "median-box:" + ",".join(str(v) for v in self.box)
        return self.method


_BG = re.compile(r"^(rolling-ball|lane-min|median-box|none)(?::(.*))?$")


def parse_background(text: str) -> BackgroundSpec:
    """Parse ``rolling-ball:R``, ``lane-min``, ``median-box:X0,Y0,X1,Y1`` or ``none``.

    Examples
    --------
    >>> from exodisc.assays.western import parse_background
    >>> parse_background("rolling-ball:30")
    BackgroundSpec(method='rolling-ball', radius=30.0, box=None)
    >>> parse_background("median-box:0,0,20,10").box
    (0, 0, 20, 10)
    """
    m = _BG.match(text.strip())
    if m is None:
        msg = (
            f"background {text!r} not understood; expected 'rolling-ball:R' (radius in px), "
            "'lane-min', 'median-box:X0,Y0,X1,Y1' or 'none'"
        )
        raise ValueError(msg)
    method, arg = m.group(1), m.group(2)
    if method == "rolling-ball":
        try:
            radius = float(arg) if arg else 50.0
        except ValueError:
            raise ValueError(f"rolling-ball radius {arg!r} is not a number") from None
        if not radius > 0:
            raise ValueError(f"rolling-ball radius must be > 0, got {radius:g}")
        return BackgroundSpec("rolling-ball", radius=radius)
    if method == "median-box":
        box = _parse_box(arg or "")
        return BackgroundSpec("median-box", box=box)
    if arg:
        raise ValueError(f"background {method!r} takes no argument, got {arg!r}")
    return BackgroundSpec(method)  # type: ignore[arg-type]


def _parse_box(text: str) -> tuple[int, int, int, int]:
    parts = [p.strip() for p in text.split(",")]
    try:
        vals = tuple(int(p) for p in parts)
    except ValueError:
        vals = ()
    if len(vals) != 4:
        raise ValueError(f"box {text!r} must be four integers X0,Y0,X1,Y1 (pixels)")
    return (vals[0], vals[1], vals[2], vals[3])


@dataclass(frozen=True)
class BlotResult:
    """Densitometry of one blot.

    Attributes
    ----------
    table
        One row per lane and band: ``lane`` (1-based, left to right), ``band`` (name),
        ``volume`` (integrated intensity above background), ``background`` (integrated
        background under the band), ``saturated_px``, ``y_top``/``y_bottom``/``x_left``/
        ``x_right`` (inclusive pixel limits in image coordinates), ``peak_height`` and
        ``noise_sd`` (for detection calls).
    lanes
        ``lane``, ``x_left``, ``x_right``, ``x_center``.
    signal
        The analysed image (inverted when bands were dark), float, cropped to ``box``.
    background_image
        Per-pixel background over ``signal`` (rolling ball / median box), else None.
    baselines
        For ``lane-min``: ``lane``, ``band``, ``y``, ``baseline`` (per-pixel row baseline).
    box
        ``(x0, y0, x1, y1)`` crop analysed, in image coordinates (x1, y1 exclusive).
    inverted
        Whether the image was inverted (dark bands on a light background).
    params
        The parameters used.
    warnings
        QC messages (saturation, lanes without bands …).
    """

    table: pd.DataFrame
    lanes: pd.DataFrame
    signal: np.ndarray
    background_image: np.ndarray | None
    baselines: pd.DataFrame
    box: tuple[int, int, int, int]
    inverted: bool
    params: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def _decide_invert(raw: np.ndarray, invert: Invert) -> bool:
    if invert == "yes":
        return True
    if invert == "no":
        return False
    lo, med, hi = np.percentile(raw, [1.0, 50.0, 99.0])
    # background dominates the image: light background (median near the top) = dark bands
    return bool((hi - med) < (med - lo))


def _check_box(
    box: Sequence[int] | None, shape: tuple[int, ...], image: BlotImage
) -> tuple[int, int, int, int]:
    h, w = shape
    if box is None:
        return (0, 0, w, h)
    if len(box) != 4:
        raise InputFormatError(f"box must be (x0, y0, x1, y1), got {box!r}", path=image.path)
    x0, y0, x1, y1 = (int(v) for v in box)
    if not (0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h):
        msg = (
            f"box (x0={x0}, y0={y0}, x1={x1}, y1={y1}) is outside the image of "
            f"{w} x {h} px; expected 0 <= x0 < x1 <= {w} and 0 <= y0 < y1 <= {h}"
        )
        raise InputFormatError(msg, path=image.path, where="box")
    return (x0, y0, x1, y1)


def _lane_grid(profile: np.ndarray, n: int) -> tuple[float, float]:
    """Pitch and first centre of ``n`` equally spaced lanes maximising the column profile."""
    from scipy.ndimage import map_coordinates

    w = profile.size
    prof = profile - np.median(profile)
    best = (-np.inf, w / n, w / (2 * n))
    pitches = np.linspace(0.6 * w / n, w / n, 81)
    for pitch in pitches:
        offsets = np.arange(pitch / 2 - pitch / 2 * 0.9, w - (n - 0.5) * pitch + 1e-9, 0.5)
        if offsets.size == 0:
            continue
        centres = offsets[:, None] + pitch * np.arange(n)[None, :]
        vals = map_coordinates(prof, [centres.ravel()], order=1, mode="nearest")
        score = vals.reshape(centres.shape).sum(axis=1)
        i = int(np.argmax(score))
        if score[i] > best[0]:
            best = (float(score[i]), float(pitch), float(offsets[i]))
    pitch, first = best[1], best[2]
    # refine: centroid of each lane's positive profile, then a regular grid through them
    pos = np.clip(prof, 0, None)
    xs = np.arange(w, dtype=float)
    cents, weights, idx = [], [], []
    for i in range(n):
        c = first + pitch * i
        sel = (xs >= c - pitch / 2) & (xs < c + pitch / 2)
        mass = pos[sel].sum()
        if mass > 0:
            cents.append(float((xs[sel] * pos[sel]).sum() / mass))
            weights.append(float(mass))
            idx.append(i)
    strong = [j for j, m in enumerate(weights) if m >= 0.2 * max(weights, default=0)]
    if len(strong) >= 2:
        slope, icpt = np.polyfit(np.asarray(idx, dtype=float)[strong], np.asarray(cents)[strong], 1)
        return float(slope), float(icpt)
    if len(strong) == 1:
        return pitch, cents[strong[0]] - pitch * idx[strong[0]]
    return pitch, first


def _rolling_ball(img: np.ndarray, radius: float) -> np.ndarray:
    """Rolling-ball background with a flat-topped ball (a rolling disk) of ``radius`` px.

    The image is smoothed (Gaussian, SD 1.5 px) and, for radii over 10 px, shrunk by block
    means before the grey-scale opening with a disk and enlarged again (ImageJ shrinks
    too). The ball rolls on the image minus a robust background plane (added back after),
    so a sloped background does not lift the ball into densely packed bands; ImageJ's
    unit-aspect ball leaves an offset of R(sqrt(1 + s^2) - 1) grey levels on a slope of s.
    A grey-scale opening follows the minima of the noise, so the surface is finally raised
    by the median gap between it and the background pixels (bands excluded by a robust cut).
    """
    from scipy.ndimage import gaussian_filter, grey_opening, zoom

    full = gaussian_filter(img, 1.5)
    plane = _background_plane(full)
    smooth = full - plane
    shrink = max(1, int(radius // 10))
    h, w = smooth.shape
    if shrink > 1:
        hh, ww = -(-h // shrink) * shrink, -(-w // shrink) * shrink
        pad = np.pad(smooth, ((0, hh - h), (0, ww - w)), mode="edge")
        small = pad.reshape(hh // shrink, shrink, ww // shrink, shrink).mean(axis=(1, 3))
    else:
        small = smooth
    k = max(1, round(radius / shrink))
    yy, xx = np.mgrid[-k : k + 1, -k : k + 1]
    disk = (xx**2 + yy**2) <= k * k
    bg = grey_opening(small, footprint=disk, mode="nearest")
    if shrink > 1:
        bg = zoom(bg, shrink, order=1, mode="nearest", grid_mode=True)[:h, :w]
    # the opening follows the noise minima: raise it by the median gap to the background
    gap = smooth - bg
    sel = gap <= np.median(gap)
    for _ in range(3):
        med = float(np.median(gap[sel]))
        mad = float(np.median(np.abs(gap[sel] - med))) or 1e-9
        sel = gap <= med + 3 * 1.4826 * mad
    bg = bg + float(np.median(gap[sel]))
    return np.minimum(bg, smooth) + plane


def _background_plane(img: np.ndarray) -> np.ndarray:
    """Least-squares plane through the background pixels (bands excluded iteratively)."""
    h, w = img.shape
    yy, xx = np.mgrid[0:h, 0:w]
    step = max(1, int(np.sqrt(h * w / 20000)))  # a sub-grid is plenty for three numbers
    ys = yy[::step, ::step].ravel().astype(float)
    xs = xx[::step, ::step].ravel().astype(float)
    z = img[::step, ::step].ravel()
    design = np.column_stack([np.ones_like(z), xs, ys])
    keep = z <= np.percentile(z, 50)
    coef = np.zeros(3)
    for _ in range(4):
        coef = np.linalg.lstsq(design[keep], z[keep], rcond=None)[0]
        resid = z - design @ coef
        mad = float(np.median(np.abs(resid[keep] - np.median(resid[keep])))) or 1.0
        keep = resid < 2.5 * 1.4826 * mad
    return coef[0] + coef[1] * xx + coef[2] * yy


def _residual_sd_factor(sigma: float = 3.0) -> float:
    """SD of ``x - gaussian_filter1d(x, sigma)`` per unit SD of white noise ``x``."""
    from scipy.ndimage import gaussian_filter1d

    delta = np.zeros(8 * int(sigma) + 1)
    delta[delta.size // 2] = 1.0
    return float(np.sqrt(((delta - gaussian_filter1d(delta, sigma)) ** 2).sum()))


_RESID_SD = _residual_sd_factor(3.0)


def _shift(p: np.ndarray, k: int) -> np.ndarray:
    """``p`` moved up by ``k`` rows (down for negative ``k``), edges repeated (no wrap)."""
    if k == 0:
        return p
    idx = np.clip(np.arange(p.size) + k, 0, p.size - 1)
    return p[idx]


def _lane_shifts(profiles: np.ndarray, *, max_lag: int) -> np.ndarray:
    """Vertical offset of each lane profile against the mean profile (cross-correlation).

    Two passes: the second correlates with the mean of the lanes aligned by the first, so
    that a tilted blot's smeared mean profile sharpens.
    """
    prof = profiles - np.median(profiles, axis=1, keepdims=True)
    shifts = np.zeros(prof.shape[0], dtype=int)
    lags = np.arange(-max_lag, max_lag + 1)
    for _ in range(2):
        ref = np.mean([_shift(p, k) for p, k in zip(prof, shifts, strict=True)], axis=0)
        ref = ref - ref.mean()
        new = []
        for p in prof:
            score = [float(np.dot(ref, _shift(p, int(lag)))) for lag in lags]
            new.append(int(lags[int(np.argmax(score))]))
        shifts = np.asarray(new, dtype=int)
        shifts -= int(np.round(np.median(shifts)))
    return shifts


def _band_windows(
    profile: np.ndarray, names: Sequence[str] | None, *, min_prominence: float
) -> list[tuple[int, int, int]]:
    """Consensus band windows ``(top, peak, bottom)`` (inclusive) from the mean lane profile."""
    from scipy.ndimage import gaussian_filter1d
    from scipy.signal import find_peaks, peak_prominences, peak_widths

    sm = gaussian_filter1d(profile, 2.0)
    peaks, _ = find_peaks(sm)
    if peaks.size == 0:
        return []
    prom = peak_prominences(sm, peaks)[0]
    keep = prom >= min_prominence * prom.max()
    peaks, prom = peaks[keep], prom[keep]
    if names is not None:
        top = np.argsort(prom)[::-1][: len(names)]
        peaks = peaks[top]
    peaks = np.sort(peaks)
    _, _, left, right = peak_widths(sm, peaks, rel_height=0.98)
    out = []
    for i, pk in enumerate(peaks):
        half_l, half_r = pk - left[i], right[i] - pk
        lo = pk - 1.25 * half_l
        hi = pk + 1.25 * half_r
        if i > 0:
            lo = max(lo, (peaks[i - 1] + pk) / 2)
        if i + 1 < peaks.size:
            hi = min(hi, (peaks[i + 1] + pk) / 2)
        out.append((max(0, int(np.floor(lo))), int(pk), min(sm.size - 1, int(np.ceil(hi)))))
    return out


def quantify_blot(
    image: BlotImage,
    lanes: int,
    *,
    box: Sequence[int] | None = None,
    bands: Sequence[str] | Mapping[str, Sequence[int]] | None = None,
    background: BackgroundSpec | str = "rolling-ball:50",
    invert: Invert = "auto",
    lane_width: float = 0.8,
    lane_centres: Sequence[float] | None = None,
    min_prominence: float = 0.1,
    track: bool = True,
) -> BlotResult:
    """Measure band volumes of a blot image.

    Parameters
    ----------
    image
        From :func:`exodisc.io.western.read_blot_image`.
    lanes
        Number of lanes in ``box``.
    box
        ``(x0, y0, x1, y1)`` crop in image pixels (x1, y1 exclusive); default the whole image.
    bands
        Band names from top to bottom (the most prominent bands are kept, in position
        order), or ``{name: (y_top, y_bottom)}`` rows in image coordinates; default every
        band found, named ``band_1``, ``band_2`` … from the top.
    background
        ``"rolling-ball:R"`` (2-D rolling ball of radius R px on the lightly smoothed image;
        see ``_rolling_ball``),
        ``"lane-min"`` (per lane and band, a straight baseline joining the lane profile at
        the band limits), ``"median-box:X0,Y0,X1,Y1"`` (median of a background box) or
        ``"none"``.
    invert
        ``"auto"`` inverts when the background is light (dark bands, e.g. film or
        colorimetric blots); chemiluminescence images from a camera are not inverted.
    lane_width
        Fraction of the lane pitch measured (centred on the lane).
    lane_centres
        Lane centres in image x coordinates; default detected as the regular grid of
        ``lanes`` lanes that best fits the column profile of ``box``.
    min_prominence
        Bands found automatically must have at least this fraction of the strongest
        band's prominence.
    track
        Follow each band's position lane by lane (within half the band window), for
        smiling or slightly tilted blots.

    Returns
    -------
    BlotResult

    Notes
    -----
    ImageJ equivalent: *Process > Subtract Background* (rolling ball) then rectangle
    selections per lane and band and *Analyze > Measure* (RawIntDen); or *Analyze > Gels*
    with a straight baseline drawn under each peak (``lane-min``). Image Lab: lane and
    band detection with "rolling disk" background, reporting Adj. Volume. Saturated pixels
    are raw values at the format's maximum (or 0 for inverted images).

    Examples
    --------
    >>> from exodisc.io.western import read_blot_image
    >>> img = read_blot_image("blot.tif")  # doctest: +SKIP
    >>> res = quantify_blot(img, 9, bands=["SOX-9", "GAPDH"])  # doctest: +SKIP
    >>> res.table[["lane", "band", "volume", "saturated_px"]]  # doctest: +SKIP
    """
    if isinstance(background, str):
        try:
            background = parse_background(background)
        except ValueError as exc:
            raise InputFormatError(str(exc), path=image.path, where="background") from None
    if not isinstance(lanes, int) or lanes < 1:
        raise InputFormatError(f"lanes must be >= 1, got {lanes!r}", path=image.path)
    if not 0 < lane_width <= 1:
        raise ValueError(f"lane_width must be in (0, 1], got {lane_width!r}")
    raw = image.pixels
    x0, y0, x1, y1 = _check_box(box, raw.shape, image)
    crop = raw[y0:y1, x0:x1].astype(float)
    inverted = _decide_invert(crop, invert)
    signal = (image.saturation - crop) if inverted else crop
    sat_raw = 0.0 if inverted else image.saturation
    h, w = signal.shape
    if w < lanes * 2:
        msg = f"box is {w} px wide: too narrow for {lanes} lanes"
        raise InputFormatError(msg, path=image.path, where="box")

    warnings: list[str] = []
    # ---- background image ------------------------------------------------------------
    bg_img: np.ndarray | None = None
    if background.method == "rolling-ball":
        bg_img = _rolling_ball(signal, background.radius)
    elif background.method == "median-box":
        if background.box is None:
            raise InputFormatError("median-box needs a box", path=image.path, where="background")
        bx0, by0, bx1, by1 = _check_box(background.box, raw.shape, image)
        patch = raw[by0:by1, bx0:bx1].astype(float)
        patch = (image.saturation - patch) if inverted else patch
        bg_img = np.full_like(signal, float(np.median(patch)))
    elif background.method == "none":
        bg_img = np.zeros_like(signal)
    bg_full = bg_img if bg_img is not None else np.zeros_like(signal)
    net = signal - bg_full

    # ---- lanes -------------------------------------------------------------------------
    if lane_centres is not None:
        if len(lane_centres) != lanes:
            msg = f"{len(lane_centres)} lane centres given for {lanes} lanes"
            raise InputFormatError(msg, path=image.path, where="lane_centres")
        centres = np.asarray(lane_centres, dtype=float) - x0
        pitch = float(np.median(np.diff(centres))) if lanes > 1 else float(w)
    else:
        from scipy.ndimage import gaussian_filter1d, grey_opening

        col = gaussian_filter1d(signal.mean(axis=0), 2.0)
        # remove the slowly varying background: lower envelope wider than a lane
        col = col - grey_opening(col, size=max(3, int(w / lanes)), mode="nearest")
        pitch, first = _lane_grid(col, lanes)
        centres = first + pitch * np.arange(lanes)
    half = max(1.0, lane_width * pitch / 2)
    spans: list[tuple[int, int]] = []  # (left, right) inclusive, box coordinates
    for i, c in enumerate(centres):
        left = max(0, round(c - half))
        right = min(w - 1, round(c + half) - 1)
        if right < left:
            msg = f"lane {i + 1} at x={c + x0:.0f} lies outside the box"
            raise InputFormatError(msg, path=image.path, where=f"lane {i + 1}")
        spans.append((left, right))
        full = round(c + half) - round(c - half)
        if right - left + 1 < full - 1:
            warnings.append(
                f"lane {i + 1} is cut by the box edge ({right - left + 1} of {full} px measured); "
                "widen the box so that every lane fits"
            )
    lanes_df = pd.DataFrame(
        {
            "lane": np.arange(1, lanes + 1),
            "x_left": [a + x0 for a, _ in spans],
            "x_right": [b + x0 for _, b in spans],
            "x_center": centres + x0,
        }
    )

    # ---- lane profiles (sum over the lane's columns) -----------------------------------
    prof_sig = np.stack([signal[:, a : b + 1].sum(axis=1) for a, b in spans])
    prof_net = np.stack([net[:, a : b + 1].sum(axis=1) for a, b in spans])
    if background.method == "lane-min":
        detect = prof_sig - np.median(prof_sig, axis=1, keepdims=True)
    else:
        detect = prof_net

    # ---- band windows ------------------------------------------------------------------
    windows: list[tuple[str, int, int, int]] = []
    if isinstance(bands, Mapping):
        for name, rows in bands.items():
            if len(rows) != 2:
                msg = f"band {name!r} rows must be (y_top, y_bottom), got {rows!r}"
                raise InputFormatError(msg, path=image.path, where=f"band {name!r}")
            top, bot = int(rows[0]) - y0, int(rows[1]) - y0
            if not 0 <= top < bot < h:
                msg = f"band {name!r} rows {rows!r} are outside the box rows {y0}..{y1 - 1}"
                raise InputFormatError(msg, path=image.path, where=f"band {name!r}")
            peak = top + int(np.argmax(detect.mean(axis=0)[top : bot + 1]))
            windows.append((str(name), top, peak, bot))
        track_here = False
    else:
        names = list(bands) if bands is not None else None
        if track:
            lane_shift = _lane_shifts(detect, max_lag=max(3, h // 4))
            aligned = [_shift(p, k) for p, k in zip(detect, lane_shift, strict=True)]
            consensus = np.mean(aligned, axis=0)
        else:
            consensus = detect.mean(axis=0)
        found = _band_windows(consensus, names, min_prominence=min_prominence)
        if names is not None and len(found) < len(names):
            msg = (
                f"{len(found)} band(s) found but {len(names)} named ({', '.join(names)}); "
                "give the band rows explicitly or check the box"
            )
            raise InputFormatError(msg, path=image.path, where="bands")
        if names is None:
            names = [f"band_{i + 1}" for i in range(len(found))]
        windows = [(nm, t, p, b) for nm, (t, p, b) in zip(names, found, strict=True)]
        track_here = track
    if not windows:
        raise InputFormatError("no band found in the box", path=image.path, where="bands")
    if not track_here:
        lane_shift = np.zeros(len(spans), dtype=int)

    # ---- volumes -----------------------------------------------------------------------
    from scipy.ndimage import gaussian_filter1d

    rows_out = []
    base_rows = []
    for li, (xa, xb) in enumerate(spans):
        lane_no = li + 1
        xs = slice(xa, xb + 1)
        sm = gaussian_filter1d(detect[li], 1.0)
        lane_windows = []
        for name, top, peak, bot in windows:
            if track_here:
                # the lane's offset (tilt, smile), then the band's own peak nearby
                centre = int(np.clip(peak + lane_shift[li], 0, h - 1))
                reach = max(1, (bot - top) // 6)
                lo, hi = max(0, centre - reach), min(h - 1, centre + reach)
                shift = lo + int(np.argmax(sm[lo : hi + 1])) - peak
                lane_windows.append((name, max(0, top + shift), min(h - 1, bot + shift)))
            else:
                lane_windows.append((name, top, bot))
        # noise: high-pass residual of the lane profile on rows outside every band
        prof = prof_sig[li] if background.method == "lane-min" else prof_net[li]
        resid = prof - gaussian_filter1d(prof, 3.0)
        outside = np.ones(h, dtype=bool)
        for _, t_, b_ in lane_windows:
            outside[max(0, t_ - 3) : b_ + 4] = False
        use = resid[outside] if outside.sum() >= 10 else resid
        noise = 1.4826 * float(np.median(np.abs(use - np.median(use)))) / _RESID_SD
        for name, top_l, bot_l in lane_windows:
            ys = slice(top_l, bot_l + 1)
            if background.method == "lane-min":
                psm = gaussian_filter1d(prof_sig[li], 1.0)
                yy = np.arange(top_l, bot_l + 1)
                b0, b1 = psm[top_l], psm[bot_l]
                base = b0 + (b1 - b0) * (yy - top_l) / max(1, bot_l - top_l)
                seg = prof_sig[li][ys]
                volume = float((seg - base).sum())
                bg_total = float(base.sum())
                height = float((psm[ys] - base).max())
                base_rows += [
                    {"lane": lane_no, "band": name, "y": int(y + y0), "baseline": float(v)}
                    for y, v in zip(yy, base, strict=True)
                ]
            else:
                volume = float(net[ys, xs].sum())
                bg_total = float(bg_full[ys, xs].sum())
                height = float(gaussian_filter1d(prof_net[li], 1.0)[ys].max())
            box_raw = raw[top_l + y0 : bot_l + y0 + 1, xa + x0 : xb + x0 + 1]
            sat = int(np.count_nonzero(box_raw == sat_raw))
            rows_out.append(
                {
                    "lane": lane_no,
                    "band": name,
                    "volume": volume,
                    "background": bg_total,
                    "saturated_px": sat,
                    "y_top": int(top_l + y0),
                    "y_bottom": int(bot_l + y0),
                    "x_left": xa + x0,
                    "x_right": xb + x0,
                    "peak_height": height,
                    "noise_sd": noise,
                }
            )
            if sat:
                warnings.append(
                    f"lane {lane_no}, band {name!r}: {sat} saturated pixel(s) at the image "
                    f"maximum ({sat_raw:g}); the volume underestimates the protein — use a "
                    "shorter exposure"
                )
    table = pd.DataFrame(rows_out, columns=BAND_COLUMNS)
    # tilt: the lanes' vertical offsets against their centres (a rotation estimate)
    tilt_deg = 0.0
    if track_here and len(spans) >= 3:
        slope_px = float(np.polyfit(centres, lane_shift.astype(float), 1)[0])
        tilt_deg = float(np.degrees(np.arctan(slope_px)))
    baselines = pd.DataFrame(base_rows, columns=["lane", "band", "y", "baseline"])
    params = {
        "lanes": lanes,
        "box": (x0, y0, x1, y1),
        "background": background.label(),
        "invert": invert,
        "inverted": inverted,
        "lane_width": lane_width,
        "lane_pitch_px": pitch,
        "tilt_deg": tilt_deg,
        "bit_depth": image.bit_depth,
    }
    return BlotResult(
        table,
        lanes_df,
        signal,
        bg_img if background.method != "lane-min" else None,
        baselines,
        (x0, y0, x1, y1),
        inverted,
        params,
        tuple(warnings),
    )
