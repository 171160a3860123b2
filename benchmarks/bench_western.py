"""Time exodisc's blot background and densitometry against scikit-image's rolling ball.

Reference: ``skimage.restoration.rolling_ball`` (Sternberg's rolling ball, the algorithm of
ImageJ's *Subtract Background*) on the same crop of a real 16-bit chemiluminescence blot
(``../shared/data/western_blot/B1AR_ZL_vs_ZDF/July4_B1AR_10wtop_16wbottom.tif.gz``).
Prints the time of each and the ratio (reference / exodisc). Run by hand:

    PYTHONPATH=src .venv/bin/python benchmarks/bench_western.py
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from exodisc.assays.western import quantify_blot
from exodisc.assays.western._densitometry import _rolling_ball
from exodisc.io.western import read_blot_image


def _shared() -> Path:
    env = os.environ.get("EXODISC_SHARED")
    if env:
        return Path(env)
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "data").is_dir():
            return parent / "shared"
    raise SystemExit("../shared/data not found; set EXODISC_SHARED")


SHARED = _shared()
IMAGE = SHARED / "data/western_blot/B1AR_ZL_vs_ZDF/July4_B1AR_10wtop_16wbottom.tif.gz"


def _best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    from skimage.restoration import rolling_ball

    img = read_blot_image(IMAGE)
    crop = img.pixels[100:300, 240:790].astype(float)  # the top membrane strip, 200 x 550 px
    for radius in (10, 25):
        ours = _best(lambda r=radius: _rolling_ball(crop, r))
        ref = _best(lambda r=radius: rolling_ball(crop, radius=r), repeat=1)
        print(
            f"rolling ball r={radius:>2} px on {crop.shape[1]}x{crop.shape[0]}: exodisc "
            f"{ours * 1e3:7.1f} ms, skimage {ref * 1e3:8.1f} ms, ratio {ref / ours:6.1f}x"
        )
    whole = _best(
        lambda: quantify_blot(
            img, 9, box=(245, 110, 785, 200), bands=["B1AR"], background="rolling-ball:50"
        )
    )
    print(f"quantify_blot, 9 lanes, rolling-ball:50: {whole * 1e3:.1f} ms (no reference tool)")


if __name__ == "__main__":
    main()
