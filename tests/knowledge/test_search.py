"""Query API and ``exodisc knowledge`` command line."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from exodisc.knowledge import HIT_COLUMNS, normalise_rna, search
from exodisc.knowledge._cli import register


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """exodisc (test root)."""

    register(app)
    return app


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("miRNA-199a", "mir-199a"),
        ("hsa-miR-199a-5p", "mir-199a-5p"),
        ("mir199a", "mir-199a"),
        ("cirRNA0050205", "circ0050205"),
        ("hsa_circ_0050205", "circ0050205"),
        ("circ_0050205", "circ0050205"),
    ],
)
def test_normalise_rna(name: str, key: str):
    assert normalise_rna(name) == key


def test_search_mir199a():
    hits = search("miR-199a")
    assert list(hits.columns) == HIT_COLUMNS
    assert hits["id"].tolist() == ["mir199a"]
    row = hits.iloc[0]
    assert (row["targets"], row["pathway"], row["reference"]) == (
        "GREM1",
        "TGF-β pathway",
        "Wen et al[35]",
    )
    assert (row["differentiation"], row["inflammation"]) == ("promotion", "repression")


def test_arm_and_prefix_matching_does_not_overreach():
    assert search("miR-21")["id"].tolist() == ["mir21"]  # not miR-217
    assert search("hsa-miR-199a-3p")["id"].tolist() == ["mir199a"]
    assert search("miR-140-3p", by="rna")["id"].tolist() == ["mir140"]  # the text's reading
    assert search("circ_0072464")["id"].tolist() == ["circ0072464"]


def test_search_by_target_pathway_effect_strategy():
    assert search("METTL4", by="target")["id"].tolist() == ["mir26a"]
    assert search("NFE2L2", by="target")["id"].tolist() == ["circ0072464"]
    assert "mir15a" in search("PI3K", by="pathway")["id"].tolist()
    ecm = search("ecm=promotion", by="effect")
    assert {"mir17", "mir15a", "mir217", "circ0050205", "circ0072464"} <= set(ecm["id"])
    assert set(search("leptin", by="strategy")["id"]) == {"leptin"}
    assert set(search("FOSB")["id"]) == {"top_up"}


def test_search_notes_carry_discrepancies():
    note = search("miR-26a-5p").loc[0, "note"]
    assert "D02" in note and "METTL4" in note


def test_search_errors():
    with pytest.raises(ValueError, match="search term is empty"):
        search("  ")
    with pytest.raises(ValueError, match="by='gene' is not one of"):
        search("GREM1", by="gene")  # type: ignore[arg-type]
    assert search("NOTAGENE123").empty


def test_cli_search_prints_the_mir199a_axis(app: typer.Typer):
    res = CliRunner().invoke(app, ["knowledge", "search", "miR-199a"])
    assert res.exit_code == 0, res.output
    for text in ("GREM1", "TGF-β pathway", "promotion", "repression", "Wen et al"):
        assert text in res.output


def test_cli_search_json_and_tsv(app: typer.Typer):
    res = CliRunner().invoke(app, ["knowledge", "search", "GREM1", "--format", "json"])
    assert res.exit_code == 0, res.output
    records = json.loads(res.output)
    assert records[0]["id"] == "mir199a" and records[0]["reference"] == "Wen et al[35]"
    res = CliRunner().invoke(app, ["knowledge", "search", "hypoxia", "--format", "tsv"])
    assert res.exit_code == 0
    assert res.output.splitlines()[0].split("\t") == HIT_COLUMNS


def test_cli_no_hit_and_list(app: typer.Typer):
    res = CliRunner().invoke(app, ["knowledge", "search", "NOTAGENE123"])
    assert res.exit_code == 1
    assert "no curated entry matches 'NOTAGENE123'" in res.output
    res = CliRunner().invoke(app, ["knowledge", "list", "discrepancies"])
    assert res.exit_code == 0
    assert len(res.output.strip().splitlines()) == 14


def test_knowledge_group_is_on_the_real_command_line():
    from exodisc.cli import app as real_app

    res = CliRunner().invoke(real_app, ["knowledge", "search", "miR-199a"])
    assert res.exit_code == 0, res.output
    assert "GREM1" in res.output and "Wen et al" in res.output
