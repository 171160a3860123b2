"""Parity of the qPCR arithmetic with vendor software, a published example and R."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.assays.qpcr import genorm, group_fold_changes, relative_quantification, standard_curves
from exodisc.io.qpcr import read_qpcr

REF = Path(__file__).resolve().parents[1] / "reference" / "qpcr"
DA_RQ = (
    "qpcr/allotropy_quantstudio/"
    "appbio_quantstudio_designandanalysis_QS7Pro_Relative_Quantification_example11.xlsx"
)
DA_STD = (
    "qpcr/allotropy_quantstudio/"
    "appbio_quantstudio_designandanalysis_QS1_Standard_Curve_example01.xlsx"
)


def _vendor_sheet(path: Path, sheet: str) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl: workbook has no default style
        raw = pd.read_excel(path, sheet_name=sheet, header=None, dtype=object)
    head = raw.index[raw.iloc[:, 0].isin(["Sample", "Well"])][0]
    out = raw.iloc[head + 1 :].copy()
    out.columns = raw.iloc[head].tolist()
    return out.reset_index(drop=True)


def test_design_and_analysis_rq_sheet(shared_data: Path) -> None:
    """Delta Cq mean, ΔΔCq, RQ and RQ min/max of the vendor's RQ sheet to 1e-4.

    The example was analysed with reference IPC and calibrator sample 1600; the vendor's
    RQ min/max are 2^-(ΔΔCq ± t·SE) with t the two-sided quantile on n_target + n_ref − 2
    df at the level the file was analysed at (99.5 %; the export does not state it, so it
    is recovered from the sheet by ``resolve_confidence``, as the command line does).
    """
    from exodisc.assays.qpcr import resolve_confidence

    path = shared_data / DA_RQ
    run = read_qpcr(path)
    level = resolve_confidence([run])
    assert (level.level, level.source) == (0.995, "recovered")
    res = relative_quantification(
        run.wells, reference=["IPC"], calibrator="1600", confidence=level.level
    )
    vendor = _vendor_sheet(path, "RQ Replicate Group Result")
    vendor = vendor[vendor["Target"] == "RNaseP"]
    ours = res.table.set_index(["sample", "target"])
    assert len(vendor) == 5
    for v in vendor.itertuples(index=False):
        o = ours.loc[(str(v.Sample), "RNaseP")]
        assert o["ct_mean"] == pytest.approx(float(v[2]), abs=1e-4)  # EqCq Mean
        assert o["delta_ct"] == pytest.approx(float(v[4]), abs=1e-4)  # Delta EqCq Mean
        assert o["delta_ct_se"] == pytest.approx(float(v[6]), abs=1e-4)  # Delta EqCq SE
        assert o["delta_delta_ct"] == pytest.approx(float(v[7]), abs=1e-4)
        assert o["rq"] == pytest.approx(float(v[8]), abs=1e-4)
        assert o["rq_min"] == pytest.approx(float(v[9]), abs=1e-4)
        assert o["rq_max"] == pytest.approx(float(v[10]), abs=1e-4)
    # the three UNKNOWN wells without a sample name (A1, B1, C1; Undetermined) are recorded
    assert res.dropped["well"].tolist() == ["A1", "B1", "C1"]
    assert set(res.dropped["reason"]) == {"no sample name in the export"}
    # reference rows carry no ΔCt, and say why
    ipc = res.table[res.table["target"] == "IPC"]
    assert ipc["delta_ct"].isna().all()
    assert ipc["flags"].str.startswith("reference").all()


def test_design_and_analysis_standard_curve(shared_data: Path) -> None:
    path = shared_data / DA_STD
    curve = standard_curves(read_qpcr(path).wells).set_index("target").loc["RNaseP"]
    vendor = _vendor_sheet(path, "Standard Curve Result").iloc[0]
    assert curve["slope"] == pytest.approx(float(vendor["Slope"]), abs=1e-4)  # -3.3419
    assert curve["intercept"] == pytest.approx(float(vendor["Y-Intercept"]), abs=1e-2)  # 40.77
    assert curve["r2"] == pytest.approx(float(vendor["R2"]), abs=1e-6)
    assert curve["efficiency_pct"] == pytest.approx(float(vendor["Efficiency"]), abs=1e-6)
    assert curve["flags"] == ""


def test_quantstudio_text_standard_curve(shared_data: Path) -> None:
    """The QS7 Flex text export states Slope, Y-Intercept, R² and Efficiency to 3 decimals."""
    path = shared_data / "qpcr/allotropy_quantstudio/appbio_quantstudio_example04.txt"
    curve = standard_curves(read_qpcr(path).wells).iloc[0]
    assert curve["slope"] == pytest.approx(-3.383, abs=5e-4)
    assert curve["intercept"] == pytest.approx(39.814, abs=5e-4)
    assert curve["r2"] == pytest.approx(0.997, abs=5e-4)
    # the vendor's 97.505 % comes from its slope; ours from ours (−3.38330)
    assert curve["efficiency_pct"] == pytest.approx(97.505, abs=0.01)


def test_stepone_rdml_efficiency(shared_data: Path) -> None:
    """StepOne wrote the target's amplification efficiency (93.91181 %) into the RDML file."""
    w = read_qpcr(shared_data / "qpcr/rdml_pkg/stepone_std.rdml").wells
    w = w.assign(quantity=w["sample"].str.extract(r"STD_RNase P_([\d.]+)")[0].astype(float))
    curve = standard_curves(w).iloc[0]
    assert curve["efficiency_pct"] == pytest.approx(93.91181, abs=0.01)


def test_livak_schmittgen_2001_table2() -> None:
    """Published: brain ΔCt 6.86 ± 0.17, kidney 4.37 ± 0.10, ΔΔCt −2.50, c-myc 5.6-fold
    (range 5.3–6.0) in kidney, 1.0 (0.9–1.1) in brain."""
    wells = pd.read_csv(REF / "livak_schmittgen_2001_table2.tsv", sep="\t", comment="#")
    res = relative_quantification(wells, reference=["GAPDH"], calibrator="brain", sd_max=1.0)
    t = res.table.set_index(["sample", "target"])
    brain, kidney = t.loc[("brain", "c-myc")], t.loc[("kidney", "c-myc")]
    assert round(brain["delta_ct"], 2) == 6.86
    assert kidney["delta_ct"] == pytest.approx(4.37, abs=0.006)
    assert round(kidney["delta_delta_ct"], 2) == -2.50
    assert round(kidney["rq"], 1) == 5.6
    assert round(brain["rq"], 1) == 1.0
    # Livak's SD of ΔCt: sqrt(s_target² + s_ref²); range 2^-(ΔΔCt ± SD)
    ref = t.loc[("kidney", "GAPDH")]
    sd = float(np.hypot(kidney["ct_sd"], ref["ct_sd"]))
    assert round(sd, 2) == 0.10
    lo, hi = 2 ** -(kidney["delta_delta_ct"] + sd), 2 ** -(kidney["delta_delta_ct"] - sd)
    assert (round(lo, 1), round(hi, 1)) == (5.3, 6.0)
    sd_b = float(np.hypot(brain["ct_sd"], t.loc[("brain", "GAPDH"), "ct_sd"]))
    assert round(sd_b, 2) == 0.17
    assert (round(2**-sd_b, 1), round(2**sd_b, 1)) == (0.9, 1.1)


def _synthetic() -> pd.DataFrame:
    return pd.read_csv(REF / "synthetic_wells.tsv", sep="\t", dtype={"ct": str}).assign(
        undetermined=lambda d: d["ct"] == "Undetermined",
        ct=lambda d: pd.to_numeric(d["ct"], errors="coerce"),
    )


CAL = ["A1", "A2", "A3"]


def test_ddct_matches_r() -> None:
    res = relative_quantification(_synthetic(), reference=["R1", "R2"], calibrator=CAL)
    ref = pd.read_csv(REF / "ddct_reference.tsv", sep="\t")
    ours = res.table.set_index(["sample", "target"]).loc[
        list(zip(ref["sample"], ref["target"], strict=True))
    ]
    for col in ("ct_mean", "delta_ct", "delta_ct_se", "delta_delta_ct", "rq", "rq_min", "rq_max"):
        np.testing.assert_allclose(ours[col].to_numpy(), ref[col].to_numpy(), rtol=1e-10)


def test_pfaffl_matches_r() -> None:
    eff = {"T1": 1.92, "T2": 2.05, "R1": 1.98, "R2": 1.95}
    res = relative_quantification(
        _synthetic(), reference=["R1", "R2"], calibrator=CAL, efficiency=eff
    )
    assert res.params["method"] == "pfaffl"
    ref = pd.read_csv(REF / "pfaffl_reference.tsv", sep="\t")
    ours = res.table.set_index(["sample", "target"]).loc[
        list(zip(ref["sample"], ref["target"], strict=True))
    ]
    np.testing.assert_allclose(ours["rq"].to_numpy(), ref["ratio"].to_numpy(), rtol=1e-10)


def test_group_statistics_on_delta_ct_match_r() -> None:
    res = relative_quantification(_synthetic(), reference=["R1", "R2"], calibrator=CAL)
    groups = {s: s[0] for s in res.table["sample"]}
    fc = group_fold_changes(
        res.table,
        groups,
        calibrator_group="A",
        order=["A", "B", "C"],
        comparisons=[("B", "A", "*"), ("C", "A", "*"), ("C", "B", "#")],
    )
    ref = pd.read_csv(REF / "stats_reference.tsv", sep="\t")
    for r in ref.itertuples(index=False):
        g1, g2 = r.contrast.split(" - ")
        p = fc.pairs[(fc.pairs["target"] == r.target) & (fc.pairs["group1"] == g1)]
        p = p[p["group2"] == g2].iloc[0]
        assert p["mean_diff"] == pytest.approx(r.estimate, rel=1e-9)
        assert p["p_value"] == pytest.approx(r.p_value, rel=1e-6)
        assert p["p_adj"] == pytest.approx(r.p_adj, rel=1e-6)
        assert fc.stats[r.target].omnibus["p_value"].iloc[0] == pytest.approx(r.anova_p, rel=1e-6)
    # fold change per replicate = 2^-(ΔCt − mean ΔCt of the calibrator group) == R's rq
    ddct = pd.read_csv(REF / "ddct_reference.tsv", sep="\t").set_index(["sample", "target"])
    reps = fc.replicates.set_index(["sample", "target"])
    np.testing.assert_allclose(
        reps.loc[ddct.index, "fold_change"].to_numpy(), ddct["rq"].to_numpy(), rtol=1e-10
    )
    mean_a = fc.summary.set_index(["target", "group"]).loc[("T1", "A"), "fold_change_mean"]
    assert mean_a == pytest.approx(ddct.loc[["A1", "A2", "A3"]].xs("T1", level=1)["rq"].mean())


def test_genorm_matches_r() -> None:
    res = relative_quantification(_synthetic(), reference=["R1", "R2"], calibrator=CAL)
    ct = res.replicates.pivot(index="sample", columns="target", values="ct_mean")[
        ["R1", "R2", "R3"]
    ]
    g = genorm(ct).set_index("gene")
    ref = pd.read_csv(REF / "genorm_reference.tsv", sep="\t").set_index("gene")
    np.testing.assert_allclose(g.loc[ref.index, "m_all"], ref["m_all"], rtol=1e-10)
    np.testing.assert_allclose(
        g.loc[ref.index, "m_at_exclusion"], ref["m_at_exclusion"], rtol=1e-10
    )
    assert g["v_pair"].dropna().iloc[0] == pytest.approx(ref["v23"].iloc[0], rel=1e-10)
    assert g.index[0] == ref["m_all"].idxmax()  # least stable first


def test_rnaseq_agreement_matches_r() -> None:
    from exodisc.assays.qpcr import rnaseq_agreement

    q = {"SOX9": -1.62, "COL2A1": -2.21, "ACAN": -1.75, "MMP13": 2.40, "ADAMTS5": 1.10}
    q["GAPDH2"] = 0.05
    r = {"Sox9": -1.20, "COL2A1": -2.80, "ACAN": -1.10, "MMP13": 3.10, "ADAMTS5": 0.70}
    r |= {"GAPDH2": -0.10, "ONLY_RNASEQ": 4.0}
    res = rnaseq_agreement(
        pd.DataFrame({"gene": list(q), "log2fc": list(q.values())}),
        pd.DataFrame({"gene": list(r), "log2fc": list(r.values())}),
    )
    ref = pd.read_csv(REF / "agreement_reference.tsv", sep="\t").iloc[0]
    got = res.summary.iloc[0]
    assert got["n_genes"] == ref["n_genes"] == 6
    for col in ("sign_agreement", "pearson_r", "pearson_p", "spearman_rho", "spearman_p"):
        assert got[col] == pytest.approx(ref[col], rel=1e-9), col
    assert res.table.loc[res.table["gene"] == "GAPDH2", "same_sign"].item() is False


def test_normfinder_matches_genexpa_port() -> None:
    """genexpa 0.0.5 ports the NormFinder R script; its stability and pair values agree.

    The reference was written by ``tests/reference/qpcr/make_normfinder_reference.py``.
    """
    from exodisc.assays.qpcr import normfinder

    res = relative_quantification(_synthetic(), reference=["R1", "R2"], calibrator=CAL)
    ct = res.replicates.pivot(index="sample", columns="target", values="ct_mean")
    groups = {s: s[0] for s in ct.index}
    ours = normfinder(ct, groups)
    ref = pd.read_csv(REF / "normfinder_reference.tsv", sep="\t", keep_default_na=False)
    ref_genes = ref[ref["kind"] == "gene"]
    ref_pairs = ref[ref["kind"] == "pair"]
    assert ours.genes["gene"].tolist() == ref_genes["gene1"].tolist()
    np.testing.assert_allclose(ours.genes["stability"], ref_genes["stability"], rtol=1e-10)
    assert [tuple(sorted(p)) for p in ref_pairs[["gene1", "gene2"]].itertuples(index=False)] == [
        tuple(sorted(p)) for p in ours.pairs[["gene1", "gene2"]].itertuples(index=False)
    ]
    np.testing.assert_allclose(ours.pairs["stability"], ref_pairs["stability"], rtol=1e-10)
