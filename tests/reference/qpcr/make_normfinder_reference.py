"""Write normfinder_reference.tsv with genexpa 0.0.5's port of the NormFinder R script.

genexpa needs PySide2 (not installable on Python 3.11), so it is installed by hand with
``pip install --no-deps genexpa==0.0.5`` only to make this fixture; the test reads the TSV.
Run from the repository root: ``python tests/reference/qpcr/make_normfinder_reference.py``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from exodisc.assays.qpcr import relative_quantification

REF = Path(__file__).resolve().parent


def main() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from genexpa.core.normfinder import normfinder

    wells = pd.read_csv(REF / "synthetic_wells.tsv", sep="\t", dtype={"ct": str}).assign(
        undetermined=lambda d: d["ct"] == "Undetermined",
        ct=lambda d: pd.to_numeric(d["ct"], errors="coerce"),
    )
    res = relative_quantification(wells, reference=["R1", "R2"], calibrator=["A1", "A2", "A3"])
    ct = res.replicates.pivot(index="sample", columns="target", values="ct_mean")
    dat0 = ct.T.copy()
    dat0.loc["group"] = [" ABC".index(s[0]) for s in ct.index]
    genes, pairs = normfinder(dat0, ctVal=True)
    rows = [{"kind": "gene", "gene1": g, "gene2": "", "stability": v} for g, v in genes]
    rows += [{"kind": "pair", "gene1": p[0], "gene2": p[1], "stability": p[2]} for p in pairs]
    pd.DataFrame(rows).to_csv(
        REF / "normfinder_reference.tsv", sep="\t", index=False, float_format="%.17g"
    )


if __name__ == "__main__":
    main()
