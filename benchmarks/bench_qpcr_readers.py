"""Time exodisc's qPCR readers against allotropy on the same real exports; print ratios.

Usage: PYTHONPATH=src python benchmarks/bench_qpcr_readers.py [SHARED_DATA_DIR]

Measured 2026-11-21 (2 shared cores, loaded): exodisc is 1.7× (QuantStudio xlsx) to
~30× (Design & Analysis xlsx) and >100× (text, CFX CSV) faster than allotropy 0.1.150,
which also builds the full ASM document.
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path


def _best(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    from exodisc.io.qpcr import read_qpcr

    if len(sys.argv) > 1:
        data = Path(sys.argv[1])
    else:  # ../shared/data beside this checkout or any folder above it
        here = Path(__file__).resolve()
        data = next(
            (p / "shared" / "data" for p in here.parents if (p / "shared" / "data").is_dir()),
            Path("../shared/data"),
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from allotropy.parser_factory import Vendor
        from allotropy.to_allotrope import allotrope_from_file

        cases = [
            ("allotropy_quantstudio/appbio_quantstudio_example04.txt", "APPBIO_QUANTSTUDIO"),
            ("allotropy_quantstudio/appbio_quantstudio_example08.xlsx", "APPBIO_QUANTSTUDIO"),
            (
                "allotropy_quantstudio/appbio_quantstudio_designandanalysis_QS7Pro_"
                "Relative_Quantification_example11.xlsx",
                "APPBIO_QUANTSTUDIO_DESIGNANDANALYSIS",
            ),
            ("allotropy_cfx/cfxmaestro_example01.csv", "CFXMAESTRO"),
        ]
        print(f"{'file':<60} {'exodisc s':>10} {'allotropy s':>12} {'ratio':>7}")
        for name, vendor in cases:
            path = data / "qpcr" / name
            ours = _best(lambda p=path: read_qpcr(p))
            ref = _best(lambda p=path, v=vendor: allotrope_from_file(str(p), getattr(Vendor, v)))
            print(f"{Path(name).name[:60]:<60} {ours:>10.4f} {ref:>12.4f} {ref / ours:>7.1f}")


if __name__ == "__main__":
    main()
