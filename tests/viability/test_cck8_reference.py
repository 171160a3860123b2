"""CCK-8 numbers against an independent R implementation (tests/reference/cck8)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.assays.viability import Cck8Result, analyse_cck8
from exodisc.assays.viability._cck8 import _null_factor
from exodisc.config import parse_study
from exodisc.stats import compare_groups

from .conftest import design

REF = Path(__file__).parents[1] / "reference" / "cck8"
RTOL = 1e-10  # same arithmetic, double precision


def _tsv(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / name, sep="\t")


@pytest.fixture(scope="module")
def result() -> Cck8Result:
    d = pd.read_csv(REF / "input_reads.csv", dtype={"read": str})
    study = parse_study(design(), path=REF / "study.yaml")
    layout = d[["well", "label"]].drop_duplicates().reset_index(drop=True)
    times = d.drop_duplicates("plate").set_index("plate")["time_h"].to_dict()
    return analyse_cck8(
        d[["plate", "read", "well", "value"]],
        layout,
        study,
        times_h=times,
        reference_wavelength="650",
        exclude_outliers=False,
    )


def test_wells_match_r(result: Cck8Result) -> None:
    ref = _tsv("wells.tsv").sort_values(["plate", "well"]).reset_index(drop=True)
    ours = result.wells[result.wells["kind"] == "sample"]
    ours = ours.sort_values(["plate", "well"]).reset_index(drop=True)
    assert ours["well"].tolist() == ref["well"].tolist()
    np.testing.assert_allclose(ours["od_corrected"], ref["od_corrected"], rtol=RTOL)
    # the finite-sample factor f comes from each side's own seeded Monte-Carlo (numpy vs R
    # RNG, 2 million null wells): equal within MC error; z / f is the same arithmetic
    f_r = float((REF / "z_factor.txt").read_text())
    f_ours = _null_factor(tuple(sorted(ours.groupby(["plate", "sample"]).size())), 3.5)
    assert f_ours == pytest.approx(f_r, rel=1e-2)
    np.testing.assert_allclose(
        ours["robust_z"] / f_ours, ref["robust_z"] / f_r, rtol=RTOL, atol=1e-12
    )
    assert ours["outlier"].tolist() == (ref["robust_z"].abs() > 3.5).tolist()


def test_replicates_match_r(result: Cck8Result) -> None:
    ref = _tsv("replicates.tsv").sort_values(["time_h", "label"]).reset_index(drop=True)
    ours = result.replicates.sort_values(["time_h", "sample"]).reset_index(drop=True)
    assert ours["sample"].tolist() == ref["label"].tolist()
    for col in ["od_corrected", "cv_pct", "viability_pct"]:
        np.testing.assert_allclose(ours[col], ref[col], rtol=RTOL, err_msg=col)


def test_auc_matches_r(result: Cck8Result) -> None:
    ref = _tsv("auc.tsv").sort_values("label").reset_index(drop=True)
    ours = result.auc.sort_values("sample").reset_index(drop=True)
    assert ours["sample"].tolist() == ref["label"].tolist()
    np.testing.assert_allclose(ours["auc_od"], ref["auc_od"], rtol=RTOL)
    np.testing.assert_allclose(ours["auc_viability"], ref["auc_viability"], rtol=RTOL)


def test_per_time_statistics_match_r_emmeans(result: Cck8Result) -> None:
    from .conftest import COMPARISONS

    omni = _tsv("anova_per_time.tsv")
    pairs = _tsv("pairs.tsv")
    comps = [(c["test"], c["reference"], c["mark"]) for c in COMPARISONS]
    for t, sub in result.replicates.groupby("time_h"):
        res = compare_groups(sub, value="viability_pct", group="group", comparisons=comps)
        o = omni[omni["time_h"] == t].iloc[0]
        assert res.omnibus["statistic"].iloc[0] == pytest.approx(o["F"], rel=1e-9)
        assert res.omnibus["p_value"].iloc[0] == pytest.approx(o["p_value"], rel=1e-7)
        r = pairs[pairs["time_h"] == t].reset_index(drop=True)
        np.testing.assert_allclose(res.pairs["mean_diff"], r["estimate"], rtol=1e-9)
        np.testing.assert_allclose(res.pairs["se"], r["SE"], rtol=1e-9)
        np.testing.assert_allclose(res.pairs["p_value"], r["p_value"], rtol=1e-7)
        np.testing.assert_allclose(res.pairs["p_adj"], r["p_adj"], rtol=1e-7)


def test_two_way_anova_matches_r_car(result: Cck8Result) -> None:
    from exodisc import stats

    two_way = getattr(stats, "two_way_anova", None)
    if two_way is None:
        pytest.skip("exodisc.stats.two_way_anova is not in this version of the statistics engine")
    ref = _tsv("anova_two_way.tsv")
    rep = result.replicates.assign(time=result.replicates["time_h"].map(lambda x: f"{x:g} h"))
    ours = two_way(rep, value="viability_pct", factors=("group", "time"))
    for src in ["group", "time", "group:time"]:
        o = ours[ours["source"] == src].iloc[0]
        r = ref[ref["source"] == src].iloc[0]
        assert o["F"] == pytest.approx(r["F"], rel=1e-8)
        assert o["p_value"] == pytest.approx(r["p_value"], rel=1e-6)
