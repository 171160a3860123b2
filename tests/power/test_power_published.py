"""Published worked examples (G*Power manuals and worked G*Power outputs) typed into a fixture,
each with the address of the page it was read from and its citation."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from exodisc.power import power_anova, power_anova_n, power_t, power_t_n

ROWS = pd.read_csv(Path(__file__).parents[1] / "reference" / "power" / "published.tsv", sep="\t")


def _round(x: float, how: str) -> float:
    if how == "ceil":
        return math.ceil(x)
    if how == "round":
        return round(x)
    return round(x, int(how.removeprefix("round")))


@pytest.mark.parametrize("row", ROWS.to_dict("records"), ids=lambda r: r["source"])
def test_published_example(row: dict) -> None:
    if row["design"] == "anova":
        if row["quantity"] == "n":
            got = power_anova_n(int(row["k"]), f=row["effect"], power=row["power"])
        else:
            got = power_anova(int(row["k"]), row["n"], f=row["effect"])
    else:
        kind = row["design"]
        if row["quantity"] == "n":
            got = power_t_n(row["effect"], power=row["power"], alpha=row["alpha"], kind=kind)
        else:
            got = power_t(row["n"], row["effect"], alpha=row["alpha"], kind=kind)
    assert _round(got, row["rounding"]) == pytest.approx(row["value"])


def test_every_example_names_where_it_was_read() -> None:
    assert ROWS["url"].str.match(r"https?://").all()
    assert ROWS["citation"].str.len().gt(20).all()
