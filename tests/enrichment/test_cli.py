"""``exodisc enrich`` and ``exodisc resources`` through Typer's CliRunner."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from exodisc.cli import app
from exodisc.omics.enrichment import gsea, ora
from exodisc.omics.resources import read_gmt

runner = CliRunner()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    rng = np.random.default_rng(0)
    genes = [f"G{i:03d}" for i in range(200)]
    sets = {f"SET{j}": sorted(rng.choice(genes, 25, replace=False)) for j in range(8)}
    sets["SET_UP"] = genes[:30]
    gmt = tmp_path / "sets.gmt"
    gmt.write_text("".join(f"{k}\tdesc\t" + "\t".join(v) + "\n" for k, v in sets.items()))
    lst = tmp_path / "genes.txt"
    lst.write_text("gene\n" + "\n".join([*genes[:20], "NOT_A_GENE"]) + "\n")
    bg = tmp_path / "bg.txt"
    bg.write_text("\n".join(genes) + "\n")
    score = pd.Series(rng.normal(size=200), index=genes)
    score.iloc[:30] += 1.5
    rnk = tmp_path / "ranked.tsv"
    score.rename("score").rename_axis("gene").to_csv(rnk, sep="\t")
    return {"gmt": gmt, "genes": lst, "bg": bg, "rnk": rnk, "tmp": tmp_path}


def test_enrich_ora(files: dict[str, Path]) -> None:
    out = files["tmp"] / "ora.tsv"
    args = ["enrich", "ora", str(files["genes"]), "--gene-sets", str(files["gmt"])]
    args += ["--background", str(files["bg"]), "--method", "ease", "-o", str(out)]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    got = pd.read_csv(out, sep="\t", float_precision="round_trip")
    assert list(got.columns) == ["term", "set_size", "overlap", "p_value", "p_adj", "genes"]
    want = ora(
        Path(files["genes"]).read_text().split()[1:],
        read_gmt(files["gmt"]),
        background=Path(files["bg"]).read_text().split(),
        method="ease",
    ).table
    assert got["term"].tolist() == want["term"].tolist()
    np.testing.assert_array_equal(got["p_value"], want["p_value"])  # written with 17 digits
    assert got.iloc[0]["term"] == "SET_UP"
    assert "1 genes not in the background" in r.output


def test_enrich_gsea_is_deterministic(files: dict[str, Path]) -> None:
    outs = []
    for name in ("a.tsv", "b.tsv"):
        out = files["tmp"] / name
        args = ["enrich", "gsea", str(files["rnk"]), "--gene-sets", str(files["gmt"])]
        args += ["--permutations", "200", "--seed", "7", "--min-size", "10", "-o", str(out)]
        r = runner.invoke(app, args)
        assert r.exit_code == 0, r.output
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    got = pd.read_csv(files["tmp"] / "a.tsv", sep="\t", float_precision="round_trip")
    assert list(got.columns) == [
        "term",
        "set_size",
        "es",
        "nes",
        "p_value",
        "fdr_q",
        "fwer_p",
        "tag_pct",
        "gene_pct",
        "leading_edge_size",
        "leading_edge",
    ]
    ranking = pd.read_csv(files["rnk"], sep="\t").set_index("gene")["score"]
    want = gsea(ranking, read_gmt(files["gmt"]), permutations=200, seed=7, min_size=10).table
    np.testing.assert_array_equal(got["es"], want["es"])
    np.testing.assert_array_equal(got["nes"], want["nes"])
    assert got.iloc[0]["term"] == "SET_UP" and got.iloc[0]["nes"] > 1.5
    out = files["tmp"] / "g.tsv"
    args = ["enrich", "gsea", str(files["rnk"]), "--gene-sets", str(files["gmt"]), "-o", str(out)]
    args += ["--permutations", "50", "--seed", "7", "--min-size", "10", "--rng", "gseapy"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "50 gseapy permutations, seed 7" in r.output
    got = pd.read_csv(out, sep="\t", float_precision="round_trip")
    want = gsea(
        ranking, read_gmt(files["gmt"]), permutations=50, seed=7, min_size=10, rng="gseapy"
    ).table
    np.testing.assert_array_equal(got["nes"], want["nes"])


def test_enrich_errors_are_messages(files: dict[str, Path]) -> None:
    bad = files["tmp"] / "bad.tsv"
    bad.write_text("gene\tscore\nA\t1.0\nB\tx\n")
    r = runner.invoke(
        app, ["enrich", "gsea", str(bad), "--gene-sets", str(files["gmt"]), "-o", "o.tsv"]
    )
    assert r.exit_code == 1
    assert "bad.tsv: line 3, column 2: score 'x' of gene 'B' is not a number" in r.output
    r = runner.invoke(
        app,
        ["enrich", "ora", str(files["genes"]), "--gene-sets", "no_such_set", "-o", "o.tsv"],
    )
    assert r.exit_code == 1
    assert "resource 'no_such_set' is not in the cache" in r.output


def test_resources_import_list_then_use_offline(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXODISC_CACHE", str(tmp_path / "cache"))
    r = runner.invoke(
        app, ["resources", "import", str(files["gmt"]), "--as", "lab_sets", "--version", "v2"]
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["resources", "list"])
    assert r.exit_code == 0
    header = next(x for x in r.output.splitlines() if x.startswith("name ")).split()
    line = next(x for x in r.output.splitlines() if x.startswith("lab_sets")).split()
    assert header[:4] == ["name", "installed", "origin", "version"]
    assert line[:4] == ["lab_sets", "yes", "imported", "v2"]
    out = tmp_path / "o.tsv"
    r = runner.invoke(
        app, ["enrich", "ora", str(files["genes"]), "--gene-sets", "lab_sets", "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert pd.read_csv(out, sep="\t").iloc[0]["term"] == "SET_UP"
    r = runner.invoke(app, ["resources", "fetch", "not_in_catalogue"])
    assert r.exit_code == 1
    assert "unknown resource 'not_in_catalogue'" in r.output


def test_enrich_ora_go_with_propagation(tmp_path: Path) -> None:
    data = Path(__file__).resolve().parents[1] / "resources" / "data"
    genes = tmp_path / "g.txt"
    genes.write_text("BCL2\nCASP3\n")
    out = tmp_path / "go.tsv"
    args = ["enrich", "ora", str(genes), "--gene-sets", str(data / "mini.gaf")]
    args += ["--obo", str(data / "mini_go.obo"), "--min-size", "1", "-o", str(out)]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    got = pd.read_csv(out, sep="\t").set_index("term")
    # BCL2 and CASP3 are annotated directly only to GO:0097190; propagation adds ancestors
    assert got.loc["GO:0006915", "overlap"] == 2
    assert got.loc["GO:0006915", "set_size"] == 3
    assert got.loc["GO:0006915", "genes"] == "BCL2;CASP3"


REF = Path(__file__).resolve().parents[1] / "reference" / "gsea_gseapy"


@pytest.mark.slow
def test_enrich_gsea_cli_writes_gseapys_columns(shared_data: Path, tmp_path: Path) -> None:
    """--rng gseapy on Hallmark: every gseapy prerank column, from the command line.

    fdr_q is GSEA's FDR q-value (not BH: TNFA's BH-adjusted P is 0 only by accident of
    the nominal P); fwer_p, tag_pct and gene_pct are gseapy's FWER p-val, Tag % and Gene %.
    """
    gmt = shared_data / "gene_sets" / "h.all.v7.0.symbols.gmt.gz"
    out = tmp_path / "gsea.tsv"
    args = ["enrich", "gsea", str(REF / "ranking.tsv.gz"), "--gene-sets", str(gmt)]
    args += ["--rng", "gseapy", "--seed", "11", "--permutations", "1000", "-o", str(out)]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    got = pd.read_csv(out, sep="\t", float_precision="round_trip").set_index("term")
    ref = pd.read_csv(REF / "gseapy_prerank_1000_full.tsv", sep="\t").set_index("Term")
    assert sorted(got.index) == sorted(ref.index)
    got = got.loc[ref.index]
    np.testing.assert_allclose(got["es"], ref["ES"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(got["nes"], ref["NES"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(got["p_value"], ref["NOM p-val"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(got["fdr_q"], ref["FDR q-val"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(got["fwer_p"], ref["FWER p-val"], rtol=0, atol=1e-12)
    tag = ref["Tag %"].str.split("/", expand=True).astype(int)
    np.testing.assert_array_equal(got["leading_edge_size"], tag[0])
    np.testing.assert_array_equal(got["set_size"], tag[1])
    np.testing.assert_allclose(got["tag_pct"], 100 * tag[0] / tag[1], rtol=0, atol=1e-12)
    gene_pct = ref["Gene %"].str.rstrip("%").astype(float)  # gseapy rounds to 2 decimals
    np.testing.assert_allclose(got["gene_pct"], gene_pct, rtol=0, atol=0.005 + 1e-9)
    assert (got["leading_edge"] == ref["Lead_genes"]).all()
    # the definitions differ where it matters: some sets' FWER P is neither 0 nor 1
    assert ((ref["FWER p-val"] > 0.01) & (ref["FWER p-val"] < 0.99)).sum() >= 3
    assert "fdr_q < 0.25" in r.output
