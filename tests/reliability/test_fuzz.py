"""Run the reader fuzzing (``fuzz_readers.py``) in a subprocess under a memory cap."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

#: Address-space cap of the fuzzing process (Python, numpy, pandas, FlowKit … take ~1.5 GB).
MEMORY_CAP_MB = 3000


@pytest.mark.slow
def test_every_reader_survives_fuzzing_under_a_memory_cap():
    import exodisc

    target = str(HERE / "fuzz_readers.py")
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_CAP_MB} << 20, {MEMORY_CAP_MB} << 20))\n"
        "import pytest\n"
        f"sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', {target!r}]))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(Path(exodisc.__file__).parents[1]), str(REPO)]),
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    r = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-2000:]
    assert "13 passed" in r.stdout, r.stdout[-2000:]
