"""Shared definitions every layer uses: column names, significance, multiple testing,
sample mapping, hashing, BLAS threads and worker processes, the collector's view of the heap.
Light to import (NumPy only, pandas lazily)."""

from exodisc.core._columns import COLUMNS
from exodisc.core._hashing import sha256_bytes, sha256_file
from exodisc.core._multitest import p_adjust
from exodisc.core._samples import map_samples
from exodisc.core._significance import is_significant
from exodisc.core._threads import heap_checkpoints, single_threaded_blas, worker_processes

__all__ = [
    "COLUMNS",
    "heap_checkpoints",
    "is_significant",
    "map_samples",
    "p_adjust",
    "sha256_bytes",
    "sha256_file",
    "single_threaded_blas",
    "worker_processes",
]
