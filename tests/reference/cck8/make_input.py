"""Write the input of the CCK-8 reference: the demo plates as read by exodisc's readers.

Run from the repository root: ``PYTHONPATH=src python tests/reference/cck8/make_input.py``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[1] / "viability"))

from conftest import write_study  # noqa: E402
from exodisc.assays.viability._run import Cck8Options, load_cck8_reads  # noqa: E402
from exodisc.config import load_study  # noqa: E402
from exodisc.io.plate import read_layout  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        study = load_study(write_study(Path(tmp), ["cck8"]))
        assay = study.assays[0]
        opts = Cck8Options.model_validate(assay.options)
        reads, times = load_cck8_reads([study.resolve(f) for f in assay.files], opts)
        layout = read_layout(study.resolve(assay.layout))  # type: ignore[arg-type]
    df = reads.merge(layout[["well", "label"]], on="well")
    df["time_h"] = df["plate"].map(times)
    df = df[["plate", "time_h", "well", "label", "read", "value"]]
    df.to_csv(HERE / "input_reads.csv", index=False, float_format="%.10g")


if __name__ == "__main__":
    main()
