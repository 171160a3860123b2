"""``python -m snakemake`` that exits as soon as Snakemake has finished.

Snakemake's scheduler starts a non-daemon ``threading.Timer`` on every scheduling pass (the
``--max-jobs-per-timespan`` re-evaluation, default 1 s), and at the end of a run nothing cancels
the last one: Python's shutdown waits for it, up to 1 s after Snakemake printed its summary
(measured 0.9-1.3 s per run, about 5 % of a 20 s workflow; ``benchmarks/bench_reads.py``).
Run by path (``python .../_snakemake_main.py ARGS``, so it needs no importable exodisc),
Snakemake's ``main()`` runs as ``python -m snakemake`` would; when it exits and the only
threads left are such timers (they only wake the finished scheduler), the exit handlers run
(logging's flush and close, any plugin's) and the process ends without waiting for them. Any
other thread still alive: the normal exit, which waits for it.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading


def _only_timers_left() -> bool:
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    return all(isinstance(t, threading.Timer) or t.daemon for t in others)


def main() -> None:  # pragma: no cover - runs as the workflow's subprocess
    # run by path (``python .../_snakemake_main.py``): this folder is no place to import from
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0] or ".") == here:
        del sys.path[0]
    from snakemake.cli import main as snakemake_main

    sys.argv[0] = "snakemake"
    try:
        snakemake_main()
    except SystemExit as exc:
        code = exc.code
        if not _only_timers_left():
            raise
        status = code if isinstance(code, int) else (0 if code is None else 1)
        if not isinstance(code, int) and code is not None:
            print(code, file=sys.stderr)
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    main()
