"""SA-β-gal counts route against R, and its input errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.assays.senescence import percent_positive, read_counts
from exodisc.config import parse_study
from exodisc.errors import InputFormatError, SchemaError
from exodisc.stats import compare_groups

from ..viability.conftest import COMPARISONS, design

REF = Path(__file__).parents[1] / "reference" / "sabgal"


@pytest.fixture(scope="module")
def study():
    return parse_study(design(), path=REF / "study.yaml")


def test_percent_positive_matches_r(study) -> None:
    counts = read_counts(REF / "input_counts.csv")
    ref = pd.read_csv(REF / "replicates.tsv", sep="\t").set_index("sample")
    pooled = percent_positive(counts, study, aggregate="pooled").replicates.set_index("sample")
    mean = percent_positive(counts, study, aggregate="mean").replicates.set_index("sample")
    np.testing.assert_allclose(
        pooled["pct_positive"], ref.loc[pooled.index, "pct_pooled"], rtol=1e-12
    )
    np.testing.assert_allclose(mean["pct_positive"], ref.loc[mean.index, "pct_mean"], rtol=1e-12)
    assert (pooled["total"] == ref.loc[pooled.index, "total"]).all()
    assert (pooled["n_fields"] == 5).all()


def test_statistics_match_r(study) -> None:
    rep = percent_positive(read_counts(REF / "input_counts.csv"), study).replicates
    comps = [(c["test"], c["reference"], c["mark"]) for c in COMPARISONS]
    res = compare_groups(rep, value="pct_positive", group="group", comparisons=comps)
    ref = pd.read_csv(REF / "pairs.tsv", sep="\t")
    assert res.omnibus["statistic"].iloc[0] == pytest.approx(ref["F"].iloc[0], rel=1e-9)
    np.testing.assert_allclose(res.pairs["mean_diff"], ref["estimate"], rtol=1e-9)
    np.testing.assert_allclose(res.pairs["se"], ref["SE"], rtol=1e-9)
    np.testing.assert_allclose(res.pairs["p_adj"], ref["p_adj"], rtol=1e-7)


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "counts.csv"
    p.write_text("sample,field,positive,total\n" + body)
    return p


def test_bad_counts_name_rows(tmp_path: Path) -> None:
    p = _write(tmp_path, "ctrl_1,f1,12,100\nctrl_1,f2,120,100\nctrl_2,f1,x,50\n")
    with pytest.raises(
        InputFormatError,
        match=r"counts\.csv: row 4, column 'positive': expected a count >= 0, found 'x'; "
        r"row 3: positive \(120\) exceeds total \(100\)",
    ):
        read_counts(p)
    with pytest.raises(InputFormatError, match=r"row 2: total is 0"):
        read_counts(_write(tmp_path, "ctrl_1,f1,0,0\n"))
    with pytest.raises(InputFormatError, match=r"row 2, column 'total'.*found '-3'"):
        read_counts(_write(tmp_path, "ctrl_1,f1,0,-3\n"))
    with pytest.raises(InputFormatError, match="sample 'ctrl_1' field 'f1' is given twice"):
        read_counts(_write(tmp_path, "ctrl_1,f1,1,10\nctrl_1,f1,2,10\n"))
    bad = tmp_path / "cols.csv"
    bad.write_text("sample,pos,total\nctrl_1,1,2\n")
    with pytest.raises(
        InputFormatError, match=r"cols\.csv: header: missing column\(s\) \['field', 'positive'\]"
    ):
        read_counts(bad)


def test_unknown_sample(tmp_path: Path, study) -> None:
    p = _write(tmp_path, "ctrl_1,f1,1,10\nctrl_9,f1,2,10\n")
    with pytest.raises(InputFormatError, match=r"counts\.csv: column 'sample': .*\['ctrl_9'\]"):
        percent_positive(read_counts(p), study, source=p)
    with pytest.raises(SchemaError, match=r"sample name\(s\) the study lacks: \['ctrl_9'\]"):
        percent_positive(read_counts(p), study)
