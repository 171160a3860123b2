"""Enrichment figures return a Figure, never save, and plot exactly the rows they are given."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from exodisc.omics.enrichment import gsea, ora, running_score
from exodisc.pl import enrichment_bars, enrichment_bubble, enrichment_plot_data, gsea_running_score

SETS = {f"T{j}": [f"g{i}" for i in range(j * 5, j * 5 + 12)] for j in range(8)}


@pytest.fixture
def table() -> pd.DataFrame:
    genes = [f"g{i}" for i in range(0, 14)] + ["g30", "g31"]
    return ora(genes, SETS, min_size=1).table


def test_plot_data_selects_and_orders(table: pd.DataFrame) -> None:
    data = enrichment_plot_data(table, top=3)
    assert len(data) == 3
    top3 = table.sort_values(["p_adj", "p_value", "term"]).head(3)["term"]
    assert set(data["term"]) == set(top3)
    assert data["gene_ratio"].is_monotonic_increasing  # largest drawn at the top
    assert (data["neg_log10_p_adj"] >= 0).all()
    with pytest.raises(ValueError, match="lacks column"):
        enrichment_plot_data(table.drop(columns="overlap"))


def test_figures(table: pd.DataFrame, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = enrichment_plot_data(table, top=5, x="rich_factor")
    fig = enrichment_bubble(data, x="rich_factor", title="KEGG")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == data["label"].tolist()
    offsets = ax.collections[0].get_offsets()
    assert list(offsets[:, 0]) == pytest.approx(data["rich_factor"].tolist())
    assert isinstance(enrichment_bars(data), Figure)
    assert isinstance(enrichment_bubble(data.iloc[:0]), Figure)
    assert list(tmp_path.iterdir()) == []


def test_gsea_figure() -> None:
    genes = [f"g{i}" for i in range(60)]
    r = pd.Series(range(60, 0, -1), index=genes, dtype=float)
    res = gsea(r, {"S": genes[:10]}, permutations=20, seed=1, min_size=5)
    rs = running_score(res, "S")
    assert rs["running_es"].max() == pytest.approx(res.table.iloc[0]["es"])
    fig = gsea_running_score(rs, title="S")
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    with pytest.raises(KeyError, match="was not tested"):
        running_score(res, "nope")
