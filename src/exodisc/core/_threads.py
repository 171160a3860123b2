"""Threads and processes: BLAS threads where they cost more than they give, how many worker
processes to start, and the garbage collector's view of a long run's heap."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["heap_checkpoints", "single_threaded_blas", "worker_processes"]


@functools.cache
def _controller() -> Any:
    """One ``threadpoolctl.ThreadpoolController`` per process.

    Building one scans the loaded libraries (~20 ms, which a simulation of many small fits
    would pay on every fit), and it sees only the libraries loaded by then: SciPy's own
    OpenBLAS (LAPACK) is a different library from NumPy's, so SciPy's linear algebra is
    loaded first.
    """
    import scipy.linalg
    import scipy.sparse.linalg  # noqa: F401
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Run the block with one BLAS thread (NumPy's and SciPy's OpenBLAS).

    For small products and solves, OpenBLAS's threads cost more than they save, and while
    they wait for work they spin: on a busy 2-core machine, beside another process, a 0.03 s
    solve took 12 s of CPU. Threads are restored on exit.
    """
    with _controller().limit(limits=1, user_api="blas"):
        yield


def worker_processes() -> int:
    """Worker processes to start: ``EXODISC_JOBS`` if set, else the usable cores.

    Raises
    ------
    ExodiscError
        ``EXODISC_JOBS`` is not a positive whole number.
    """
    import os

    env = os.environ.get("EXODISC_JOBS", "").strip()
    if env:
        if not env.isdigit() or int(env) < 1:
            from exodisc.errors import ExodiscError

            msg = f"EXODISC_JOBS must be a positive whole number, got {env!r}"
            raise ExodiscError(msg)
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def heap_checkpoints() -> Iterator[Any]:
    """Yield a function that collects garbage and then hides what survives from the
    collector (``gc.freeze``), until the block ends (``gc.unfreeze``).

    A run keeps every step's tables and figures until it writes them: each full collection
    walks all of them again, and the heap only grows (the example study: 10 full collections,
    2.2 of 33 CPU-seconds). Called after each step, the function makes a full collection
    walk only what the steps since the last call made. A child forked from the process
    inherits the frozen heap, which its own collections then skip as well (and do not touch,
    so its pages stay shared). Frozen objects are never collected; on exit they return to
    the collector.
    """
    import gc

    def checkpoint() -> None:
        gc.collect()
        gc.freeze()

    try:
        yield checkpoint
    finally:
        gc.unfreeze()
