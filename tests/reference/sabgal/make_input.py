"""Write the input of the SA-β-gal reference: the demo's counts table.

Run from the repository root: ``PYTHONPATH=src python tests/reference/sabgal/make_input.py``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[1] / "viability"))

from conftest import write_study  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        write_study(Path(tmp), ["sabgal"])
        shutil.copy(Path(tmp) / "raw/sabgal/sabgal_counts.csv", HERE / "input_counts.csv")


if __name__ == "__main__":
    main()
