"""ISCT minimal criteria: pass / fail table and the gap report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from exodisc.assays.flow import isct_check, marker_name


def _panel(**pct: float) -> pd.DataFrame:
    return pd.DataFrame({"marker": list(pct), "pct_positive": list(pct.values())})


def test_seed_paper_panel_gaps() -> None:
    """The seed paper measured CD29, CD44, CD73, CD90, CD34, CD45 and SSEA-4."""
    markers = _panel(
        CD29=99.0, CD44=98.0, CD73=97.0, CD90=96.0, CD34=1.0, CD45=0.5, **{"SSEA-4": 40.0}
    )
    res = isct_check(
        markers,
        plastic_adherence=True,
        trilineage={"osteogenic": True, "adipogenic": True, "chondrogenic": True},
    )
    assert res.gaps == ["CD105", "CD14 or CD11b", "CD79α or CD19", "HLA-DR"]
    assert not res.passed  # not every criterion was measured
    t = res.table.set_index("criterion")
    assert t.loc["CD73", "status"] == "pass"
    assert t.loc["CD45", "status"] == "pass"
    assert t.loc["CD105", "status"] == "not measured"
    assert t.loc["SSEA-4", "status"] == "reported"
    assert t.loc["CD29", "kind"] == "study panel"
    assert t.loc["osteogenic differentiation", "status"] == "pass"


def test_full_panel_passes_and_boundaries() -> None:
    full = _panel(
        CD105=95.0, CD73=99.0, CD90=99.0, CD45=2.0, CD34=0.0, CD11B=1.0, CD19=1.5, **{"HLA-DR": 0.2}
    )
    res = isct_check(
        full,
        plastic_adherence=True,
        trilineage={"osteogenic": True, "adipogenic": True, "chondrogenic": True},
    )
    assert res.passed and res.gaps == []
    low = isct_check(_panel(CD105=94.99, CD45=2.01))
    t = low.table.set_index("criterion")
    assert t.loc["CD105", "status"] == "fail"
    assert t.loc["CD45", "status"] == "fail"
    assert "plastic adherence" in low.gaps


def test_donors_are_averaged() -> None:
    res = isct_check(_panel(CD73=90.0).pipe(lambda d: pd.concat([d, _panel(CD73=100.0)])))
    row = res.table.set_index("criterion").loc["CD73"]
    assert row["n"] == 2
    assert row["pct_positive"] == pytest.approx(95.0)
    assert row["status"] == "pass"
    assert np.isnan(res.table.set_index("criterion").loc["CD90", "pct_positive"])


def test_unknown_trilineage_key() -> None:
    with pytest.raises(ValueError, match=r"unknown trilineage key\(s\) \['neurogenic'\]"):
        isct_check(_panel(CD73=99.0), trilineage={"neurogenic": True})


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("CD73 APC", "CD73"),
        ("hla-dr FITC", "HLA-DR"),
        ("SSEA4 BV421", "SSEA-4"),
        ("CD11b PE", "CD11B"),
        ("", "FL1-A"),
        ("Annexin V", "Annexin V"),
    ],
)
def test_marker_name(label: str, expected: str) -> None:
    assert marker_name(label, "FL1-A") == expected
