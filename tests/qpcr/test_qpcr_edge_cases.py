"""Edge cases of the qPCR analysis: Undetermined policies, NTCs, QC flags, bad designs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from exodisc.assays.qpcr import genorm, relative_quantification, standard_curves
from exodisc.errors import DesignError, SchemaError


def _wells(rows: list[tuple[str, str, float | None]], task: str = "UNKNOWN") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "well": f"W{i}",
                "sample": s,
                "target": t,
                "task": task,
                "ct": np.nan if ct is None else ct,
                "undetermined": ct is None,
                "omit": False,
            }
            for i, (s, t, ct) in enumerate(rows)
        ]
    )


BASE = [
    ("c", "GAPDH", 18.0),
    ("c", "GAPDH", 18.1),
    ("c", "SOX9", 25.0),
    ("c", "SOX9", 25.1),
    ("x", "GAPDH", 18.0),
    ("x", "GAPDH", 18.1),
    ("x", "SOX9", 27.0),
    ("x", "SOX9", None),
]


def test_undetermined_excluded_and_recorded() -> None:
    res = relative_quantification(_wells(BASE), reference=["GAPDH"], calibrator="c")
    row = res.table.set_index(["sample", "target"]).loc[("x", "SOX9")]
    assert row["n"] == 1
    assert row["delta_delta_ct"] == pytest.approx(27.0 - 18.05 - (25.05 - 18.05))
    assert res.dropped["reason"].tolist() == ["Undetermined Ct (policy 'exclude')"]


def test_undetermined_set_to_cycle_limit() -> None:
    res = relative_quantification(
        _wells(BASE),
        reference=["GAPDH"],
        calibrator="c",
        undetermined="cycle_limit",
        cycle_limit=35.0,
    )
    row = res.table.set_index(["sample", "target"]).loc[("x", "SOX9")]
    assert row["ct_mean"] == pytest.approx(31.0)
    assert "undetermined_set_to_limit" in row["flags"]
    assert "high_sd" in row["flags"]
    assert res.dropped.empty


def test_not_detected_when_no_replicate_amplified() -> None:
    rows = [*BASE[:6], ("x", "SOX9", None), ("x", "SOX9", None)]
    res = relative_quantification(
        _wells(rows), reference=["GAPDH"], calibrator="c", undetermined="not_detected"
    )
    row = res.table.set_index(["sample", "target"]).loc[("x", "SOX9")]
    assert np.isnan(row["rq"])
    assert row["flags"] == "not_detected"
    assert len(res.dropped) == 2


def test_ntc_contamination_flag() -> None:
    ntc = _wells([("NTC", "SOX9", 31.5), ("NTC", "GAPDH", None)], task="NTC")
    res = relative_quantification(
        pd.concat([_wells(BASE), ntc], ignore_index=True), reference=["GAPDH"], calibrator="c"
    )
    assert res.params["ntc_contaminated_targets"] == ["SOX9"]
    sox9 = res.table[res.table["target"] == "SOX9"]
    assert sox9["flags"].str.contains("ntc_contamination").all()
    assert res.ntc["contaminated"].tolist() == [True, False]


def test_replicate_qc_and_outlier_rule() -> None:
    rows = [*BASE[:6], ("x", "SOX9", 27.0), ("x", "SOX9", 27.1), ("x", "SOX9", 28.5)]
    res = relative_quantification(_wells(rows), reference=["GAPDH"], calibrator="c")
    assert "high_sd" in res.table.set_index(["sample", "target"]).loc[("x", "SOX9"), "flags"]
    res2 = relative_quantification(
        _wells(rows), reference=["GAPDH"], calibrator="c", outlier_rule="farthest_from_median"
    )
    row = res2.table.set_index(["sample", "target"]).loc[("x", "SOX9")]
    assert row["ct_mean"] == pytest.approx(27.05)
    assert "outlier_removed" in row["flags"]
    assert res2.dropped["reason"].str.startswith("technical outlier").all()
    assert res2.dropped["ct"].tolist() == [28.5]


def test_omitted_wells_are_recorded() -> None:
    w = _wells(BASE)
    w.loc[0, "omit"] = True
    res = relative_quantification(w, reference=["GAPDH"], calibrator="c")
    assert "omitted in the instrument file" in res.dropped["reason"].tolist()


def test_several_references_use_mean_ct() -> None:
    rows = [*BASE[:4], ("c", "ACTB", 20.0), ("x", "ACTB", 21.0), *BASE[4:7]]
    res = relative_quantification(_wells(rows), reference=["GAPDH", "ACTB"], calibrator="c")
    row = res.table.set_index(["sample", "target"]).loc[("x", "SOX9")]
    # ΔCt(x) = 27 − (18.05 + 21)/2; ΔCt(c) = 25.05 − (18.05 + 20)/2
    assert row["delta_delta_ct"] == pytest.approx((27 - 19.525) - (25.05 - 19.025))


def test_input_is_not_modified() -> None:
    w = _wells(BASE)
    before = w.copy()
    relative_quantification(w, reference=["GAPDH"], calibrator="c", undetermined="cycle_limit")
    pd.testing.assert_frame_equal(w, before)


def test_missing_reference_gene() -> None:
    with pytest.raises(DesignError, match=r"reference gene\(s\) \['ACTB'\] not found"):
        relative_quantification(_wells(BASE), reference=["ACTB"], calibrator="c")


def test_missing_calibrator() -> None:
    with pytest.raises(DesignError, match=r"calibrator sample\(s\) \['ctrl'\] not found"):
        relative_quantification(_wells(BASE), reference=["GAPDH"], calibrator="ctrl")


def test_missing_columns() -> None:
    with pytest.raises(SchemaError, match=r"lacks column\(s\) \['ct'\]"):
        relative_quantification(
            _wells(BASE).drop(columns="ct"), reference=["GAPDH"], calibrator="c"
        )


def test_bad_efficiencies() -> None:
    with pytest.raises(ValueError, match=r"efficiency of 'SOX9' must be an amplification factor"):
        relative_quantification(
            _wells(BASE), reference=["GAPDH"], calibrator="c", efficiency={"SOX9": 95.0}
        )
    with pytest.raises(DesignError, match=r"efficiency given for target\(s\) \['ACAN'\]"):
        relative_quantification(
            _wells(BASE), reference=["GAPDH"], calibrator="c", efficiency={"ACAN": 1.9}
        )


def test_sample_without_reference_is_flagged() -> None:
    rows = [*BASE[:4], ("x", "SOX9", 27.0)]
    res = relative_quantification(_wells(rows), reference=["GAPDH"], calibrator="c")
    row = res.table.set_index(["sample", "target"]).loc[("x", "SOX9")]
    assert np.isnan(row["rq"])
    assert "no_reference_ct" in row["flags"]


def test_standard_curve_needs_two_levels() -> None:
    w = _wells([("s", "SOX9", 20.0), ("s", "SOX9", 20.1)], task="STANDARD").assign(quantity=100.0)
    with pytest.raises(DesignError, match=r"standard curve of 'SOX9' needs at least 2"):
        standard_curves(w)


def test_standard_curve_out_of_range_flag() -> None:
    q = [1e4, 1e3, 1e2, 1e4, 1e3, 1e2]
    ct = [20.0, 24.0, 28.0, 20.1, 24.1, 28.1]  # slope −4 → E = 77.8 %
    w = _wells([("s", "SOX9", c) for c in ct], task="STANDARD").assign(quantity=q)
    curve = standard_curves(w).iloc[0]
    assert curve["efficiency_pct"] == pytest.approx((10 ** (1 / 4) - 1) * 100)
    assert curve["flags"] == "efficiency_out_of_range"


def test_genorm_needs_two_genes_and_three_samples() -> None:
    with pytest.raises(DesignError, match=r"at least 2 candidate reference genes"):
        genorm(pd.DataFrame({"GAPDH": [18.0, 18.2, 18.1]}))
    with pytest.raises(DesignError, match=r"at least 3 samples"):
        genorm(pd.DataFrame({"GAPDH": [18.0, 18.2], "ACTB": [20.0, 20.1]}))


def test_agreement_with_too_few_genes_and_bad_tables() -> None:
    from exodisc.assays.qpcr import rnaseq_agreement

    q = pd.DataFrame({"gene": ["SOX9", "ACAN"], "log2fc": [-1.0, -2.0]})
    res = rnaseq_agreement(q, q)
    assert np.isnan(res.summary["pearson_r"].item())
    assert "at least 3 genes" in res.summary["note"].item()
    with pytest.raises(SchemaError, match=r"rnaseq table lacks column\(s\) \['log2fc'\]"):
        rnaseq_agreement(q, q.rename(columns={"log2fc": "lfc"}))
    with pytest.raises(DesignError, match=r"no gene has a finite log2 fold change"):
        rnaseq_agreement(q, pd.DataFrame({"gene": ["MMP13"], "log2fc": [1.0]}))
    with pytest.raises(SchemaError, match=r"qpcr table lists gene\(s\) \['SOX9'\] more than once"):
        rnaseq_agreement(pd.concat([q, q.iloc[:1]]), q)


def test_docstring_examples_run() -> None:
    import doctest

    from exodisc.assays.qpcr import _relquant, _stdcurve

    for module in (_relquant, _stdcurve):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.attempted > 0
        assert result.failed == 0, module.__name__


def test_normfinder_needs_three_genes_and_two_groups() -> None:
    from exodisc.assays.qpcr import normfinder

    ct = pd.DataFrame(
        {
            "A": [18.0, 18.2, 18.1, 18.3],
            "B": [20.0, 20.1, 20.3, 20.2],
            "C": [22.0, 22.4, 22.1, 22.2],
        },
        index=["s1", "s2", "s3", "s4"],
    )
    with pytest.raises(DesignError, match=r"at least 3 candidate reference genes"):
        normfinder(ct[["A", "B"]], {s: "g" for s in ct.index})
    with pytest.raises(DesignError, match=r"at least 2 groups with at least 2 samples.*'g': 4"):
        normfinder(ct, {s: "g" for s in ct.index})
    res = normfinder(ct, {"s1": "x", "s2": "x", "s3": "y", "s4": "y"})
    assert res.genes["rank"].tolist() == [1, 2, 3]
    assert len(res.pairs) == 3
