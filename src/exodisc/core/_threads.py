"""BLAS threads: one switch for the places where they cost more than they give."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["single_threaded_blas"]


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
