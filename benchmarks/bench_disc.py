"""Time the disc model's solvers against a direct SciPy sparse LU baseline on the same mesh.

Cases (abaqusIVD parameters, healthy adult disc):

1. one steady 2D axisymmetric solve at the converged mesh (0.25 mm, ~1,840 cells):
   exodisc (segregated Newton, banded Cholesky) vs a fully coupled Newton with
   ``scipy.sparse.linalg.spsolve`` (sparse LU) and vs the segregated Newton with SuperLU;
2. a 90-day injection run (6e7 cells, adaptive steps) on the same mesh, banded vs SuperLU;
3. one steady 3D quarter-disc solve (elliptical disc, 0.5 mm, ~17k cells): segregated Newton
   with AMG-preconditioned CG (pyamg) vs the same with SuperLU.

Targets (2-core machine): 2D steady < 1 s, 90-day transient < 30 s, 3D < 60 s, memory < 2 GB.
Run: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_disc.py [--quick] [--wall]``
(``--quick``: skips the 3D SuperLU baseline, the slowest part; ``--wall``: elapsed instead of
CPU time, which is the default because it is robust on a shared machine and the solvers run
in one thread). Prints times and ratios (baseline / exodisc).
"""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

#: "cpu": process CPU time (robust on a shared, overloaded machine; the solvers run one
#: thread); "wall": elapsed time. Chosen with --wall.
CLOCK = {"clock": time.process_time}


def _best(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    clock = CLOCK["clock"]
    best, out = np.inf, None
    for _ in range(repeat):
        t = clock()
        out = fn()
        best = min(best, clock() - t)
    return best, out


def main(quick: bool = False) -> None:
    from exodisc.disc import make_mesh, params_for, steady_fields
    from exodisc.disc._model import _inject_on

    p = params_for()
    rows = []

    mesh2 = make_mesh(p, "axisymmetric", 0.25)
    steady_fields(p, make_mesh(p, "axisymmetric", 1.0))  # warm-up (imports)
    t_ours, f_ours = _best(lambda: steady_fields(p, mesh2))
    t_lu, f_lu = _best(lambda: steady_fields(p, mesh2, linear="coupled"), repeat=2)
    t_slu, _ = _best(lambda: steady_fields(p, mesh2, linear="splu"), repeat=2)
    diff = float(np.max(np.abs(f_ours.conc - f_lu.conc)))
    rows.append(("2D steady, coupled Newton + spsolve (LU)", mesh2.n_cells, t_ours, t_lu, 1.0))
    rows.append(("2D steady, segregated Newton + SuperLU", mesh2.n_cells, t_ours, t_slu, 1.0))
    print(f"2D steady: max |difference| exodisc vs coupled LU = {diff:.2e}")

    def run90(linear: str) -> Any:
        return _inject_on(
            p,
            mesh2,
            "axisymmetric",
            cells=6e7,
            days=90,
            bolus_radius_mm=None,
            max_change=0.1,
            linear=linear,
        )  # type: ignore[arg-type]

    t_ours90, (d_ours, _, _, steps) = _best(lambda: run90("auto"), repeat=1)
    t_lu90, (d_lu, _, _, _) = _best(lambda: run90("splu"), repeat=1)
    rows.append(
        (f"90-day injection ({steps} steps), SuperLU", mesh2.n_cells, t_ours90, t_lu90, 30.0)
    )
    print(
        "90 days: viable fraction exodisc / SuperLU = "
        f"{d_ours['viable_fraction_np'].iloc[-1]:.6f} / {d_lu['viable_fraction_np'].iloc[-1]:.6f}"
    )

    mesh3 = make_mesh(p, "ellipse3d", 0.5)
    t_amg, f_amg = _best(lambda: steady_fields(p, mesh3, linear="amg"), repeat=1)
    if quick:
        rows.append(
            ("3D quarter disc steady, AMG-CG (no baseline)", mesh3.n_cells, t_amg, np.nan, 60.0)
        )
    else:
        t_slu3, f_slu3 = _best(lambda: steady_fields(p, mesh3, linear="splu"), repeat=1)
        rows.append(("3D quarter disc steady, SuperLU", mesh3.n_cells, t_amg, t_slu3, 60.0))
        d3 = float(np.max(np.abs(f_amg.conc - f_slu3.conc)))
        print(f"3D steady: max |difference| AMG vs SuperLU = {d3:.2e}")
    print(
        f"3D min glucose {f_amg.summary()['min_glucose_mm']:.3f} mM "
        f"(2D {f_ours.summary()['min_glucose_mm']:.3f} mM)"
    )

    kind = "wall" if CLOCK["clock"] is time.perf_counter else "CPU"
    print(f"\n{kind} seconds, best of repeats; ratio = baseline / exodisc")
    print(
        f"{'case (baseline)':50s} {'cells':>7s} {'exodisc s':>10s} {'baseline s':>11s} "
        f"{'ratio':>6s} {'target s':>9s} {'met':>4s}"
    )
    for name, n, ours, base, target in rows:
        met = "yes" if ours < target else "NO"
        print(
            f"{name:50s} {n:7d} {ours:10.3f} {base:11.3f} {base / ours:6.1f} {target:9.0f} "
            f"{met:>4s}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory {peak:.0f} MB (target < 2048 MB: {'yes' if peak < 2048 else 'NO'})")
    load = os.getloadavg()
    print(f"load average at the end (1/5/15 min): {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")


if __name__ == "__main__":
    if "--wall" in sys.argv:
        CLOCK["clock"] = time.perf_counter
    main(quick="--quick" in sys.argv)
