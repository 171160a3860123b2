"""Which RQ min/max rule do QuantStudio Design & Analysis exports follow? (evidence script)

Usage: PYTHONPATH=src python benchmarks/qpcr_rq_rule_search.py EXPORT.xlsx [EXPORT.xlsx …]

For every sample × target of each export's ``RQ Replicate Group Result`` sheet, the vendor's
half-width log2(Rq Max / Rq Min) / 2 divided by an SE variant is a Student quantile; with a df
variant it gives a confidence level. A rule is the vendor's when one export's rows all give the
same (round) level. Variants: SE as exodisc forms it (per-well ΔCq where target and reference
share wells, else √(SE_t² + SE_ref²)), always unpaired, with the calibrator's SE added, SD
instead of SE; df as exodisc (n − 1 paired, n_t + n_ref − 2 unpaired), n_t + n_ref − 2,
n_t − 1, Welch–Satterthwaite, min(n) − 1. Efficiencies are the vendor's (EqCq / Cq).

Run 2026-12-02 on allotropy's four Design & Analysis RQ exports (QS3 RQ example02, QS7 Pro RQ
example11, RQ Biogroup example12, Relative Standard Curve example13): only exodisc's SE and df
give one level per file (95 %, 99.5 %, 97 %, 97 %, spread < 1e-6); every other variant gives
levels that differ between rows of the same file or are not round (e.g. n_t − 1: 0.9695 to
0.9938 in example11).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd


def _sheet(path: Path, name: str) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl: no default style
        raw = pd.read_excel(path, sheet_name=name, header=None)
    head = raw.index[raw.iloc[:, 0].isin(["Sample"])][0]
    out = raw.iloc[head + 1 :].copy()
    out.columns = raw.iloc[head].tolist()
    return out.reset_index(drop=True)


def levels(path: Path) -> pd.DataFrame:
    """Per SE / df variant: the lowest and highest level the export's rows imply."""
    from scipy import stats

    from exodisc.assays.qpcr import relative_quantification
    from exodisc.io.qpcr import read_qpcr

    wells = read_qpcr(path).wells
    rq = _sheet(path, "RQ Replicate Group Result")
    num = rq.assign(**{c: pd.to_numeric(rq[c], errors="coerce") for c in rq.columns[2:11]})
    rows = num[num["Rq"].notna()]
    cal = str(rows.loc[rows["Delta Delta EqCq"] == 0, "Sample"].iloc[0])
    ref = sorted(set(wells["target"]) - set(rows["Target"].astype(str)))
    groups = _sheet(path, "Replicate Group Result")
    eff = {}
    for t in set(wells["target"]):
        a = num[num["Target"] == t].set_index("Sample")["EqCq Mean"]
        b = groups[(groups["Target"] == t) & groups["Sample"].notna()].set_index("Sample")
        ratio = (a / pd.to_numeric(b["Cq Mean"])).dropna()
        eff[t] = float(2 ** ratio.median())
    res = relative_quantification(wells, reference=ref, calibrator=cal, efficiency=eff)
    tab = res.table.astype({"sample": str}).set_index(["sample", "target"])
    reps = res.replicates.astype({"sample": str}).set_index(["sample", "target"])
    lw = {k: np.log2(v) for k, v in eff.items()}
    found: dict[tuple[str, str], list[float]] = {}
    for r in rows.itertuples(index=False):
        s, t = str(r[0]), str(r[1])
        o, c = tab.loc[(s, t)], tab.loc[(cal, t)]
        nt, nr = int(reps.loc[(s, t), "n"]), int(reps.loc[(s, ref[0]), "n"])
        sdt = reps.loc[(s, t), "ct_sd"] * lw[t]
        sdr = reps.loc[(s, ref[0]), "ct_sd"] * lw[ref[0]]
        se_t, se_r = sdt / np.sqrt(nt), sdr / np.sqrt(nr)
        ses = {
            "exodisc": o["delta_ct_se"],
            "unpaired always": np.hypot(se_t, se_r),
            "+ calibrator SE": np.hypot(o["delta_ct_se"], c["delta_ct_se"]),
            "SD not SE": np.hypot(sdt, sdr),
        }
        welch = (se_t**2 + se_r**2) ** 2 / (se_t**4 / (nt - 1) + se_r**4 / (nr - 1))
        dfs = {
            "exodisc": o["df"],
            "n_t+n_r-2": nt + nr - 2,
            "n_t-1": nt - 1,
            "Welch": welch,
            "min(n)-1": min(nt, nr) - 1,
        }
        half = np.log2(float(r[10]) / float(r[9])) / 2
        for sn, se in ses.items():
            for dn, df in dfs.items():
                level = 2 * stats.t.cdf(half / se, df) - 1
                found.setdefault((sn, dn), []).append(float(level))
    return pd.DataFrame(
        [(sn, dn, min(v), max(v)) for (sn, dn), v in found.items()],
        columns=["se", "df", "level_min", "level_max"],
    )


def main() -> None:
    pd.set_option("display.width", 200)
    for arg in sys.argv[1:]:
        print(f"== {Path(arg).name}")
        print(levels(Path(arg)).round(6).to_string(index=False))


if __name__ == "__main__":
    main()
