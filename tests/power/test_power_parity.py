"""Closed forms against R (power.t.test, power.anova.test, pwr) to 1e-6."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.power import power_anova, power_anova_n, power_t, power_t_n

REF = Path(__file__).parents[1] / "reference" / "power"
_KIND = {"two.sample": "two_sample", "paired": "paired", "one.sample": "one_sample"}


def _rows() -> list[dict]:
    return pd.read_csv(REF / "r_power.tsv", sep="\t").to_dict("records")


def _ours(r: dict) -> float:
    alpha = float(r["alpha"])
    if r["kind"] == "anova":
        kw: dict = (
            {"f": r["f"]}
            if np.isfinite(r["f"])
            else {"between_var": r["between_var"], "within_var": r["within_var"]}
        )
        if r["quantity"] == "power":
            return power_anova(int(r["k"]), r["n"], alpha=alpha, **kw)
        return power_anova_n(int(r["k"]), power=r["target"], alpha=alpha, **kw)
    kind = _KIND.get(r["kind"], r["kind"])
    k = int(r["k"]) if np.isfinite(r["k"]) else 2
    if r["quantity"] == "power":
        return power_t(r["n"], r["delta"], r["sd"], alpha=alpha, kind=kind, k=k)
    return power_t_n(r["delta"], r["sd"], power=r["target"], alpha=alpha, kind=kind, k=k)


@pytest.mark.parametrize("row", _rows(), ids=lambda r: f"{r['source']}-{r['quantity']}")
def test_closed_form_matches_r(row: dict) -> None:
    assert _ours(row) == pytest.approx(row["value"], abs=1e-6, rel=0)
