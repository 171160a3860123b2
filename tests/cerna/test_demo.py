"""The cerna part of the example study: planted triplets are recovered, the report has them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from exodisc.errors import DesignError, StudyFileError
from exodisc.omics.cerna._run import CernaResult


def _check_recovered(results, folder: Path) -> None:
    planted = pd.read_csv(Path(folder) / "raw" / "cerna" / "planted_triplets.tsv", sep="\t")
    assert planted.groupby("cerna_class").size().to_dict() == {"circRNA": 6, "lncRNA": 12}
    for cls, grp in planted.groupby("cerna_class"):
        res = results[f"cerna_{cls.lower()}"]
        assert isinstance(res, CernaResult)
        edges = res.network.edges.set_index(["cerna", "mrna"])
        for row in grp.itertuples(index=False):
            assert (row.cerna, row.mrna) in edges.index, (row.cerna, row.mrna)
            e = edges.loc[(row.cerna, row.mrna)]
            assert e["hyper_fdr"] < 0.05
            assert e["pearson_r"] > 0.8
            # the planted (falling) miRNAs link the pair
            used = set(e["mirnas_used"].split(";"))
            assert used and used <= set(row.mirnas.split(";"))
        # the network is mostly the planted structure (few background pairs pass); with
        # GDCRNATools' population (every miRNA of the full target tables, default) the
        # hypergeometric test is less strict than over the analysed features' miRNAs only
        assert len(edges) <= 6 * len(grp)


def test_planted_triplets_recovered(cerna_demo) -> None:
    _, results, folder, _ = cerna_demo
    _check_recovered(results, folder)
    text = (Path(folder) / "raw" / "cerna" / "README.txt").read_text()
    assert "shipped resource mirna_targets" in text and "circrna_mirna_hits" in text
    assert "GDCRNATools" in text and "pycircdb" in text and "SIMULATED" not in text
    assert "/work" not in text and " from /" not in text  # no local absolute path


def test_interactions_are_the_shipped_real_ones(cerna_demo) -> None:
    """Every interaction the demo's networks rest on is a row of the shipped resources, so
    the example is the same with or without ../shared."""
    from exodisc.omics.cerna import read_targets
    from exodisc.omics.resources import locate

    _, _, folder, _ = cerna_demo
    raw = Path(folder) / "raw" / "cerna"
    shipped = pd.read_csv(locate("mirna_targets").path, sep="\t", dtype=str)
    # no miRTarBase row ships (licence); the mRNA side rests on starBase's mRNA rows
    assert "mirTarBase" not in set(shipped["database"])
    for name, cls in (("lncrna_mirna_targets.tsv", "lncRNA"), ("mrna_mirna_targets.tsv", "mRNA")):
        rows = shipped[shipped["target_class"] == cls]
        pairs = set(zip(rows["ensembl_gene_id"], rows["mirna"], strict=True))
        t = read_targets(raw / name)
        assert len(t) > 100
        assert set(zip(t["feature_id"], t["mirna"], strict=True)) <= pairs, name
    text = (raw / "README.txt").read_text()
    assert "lncRNA: spongeScan + starBase; mRNA: starBase" in text and "miRTarBase" not in text
    circ = pd.read_csv(locate("circrna_mirna_hits").path, sep="\t", dtype=str)
    used = pd.read_csv(raw / "circrna_mirna_hits.tsv", sep="\t", dtype=str)
    assert set(used["circRNA"]) <= set(circ["circRNA"])


def test_planted_triplets_recovered_without_shipped_resources(monkeypatch, tmp_path: Path) -> None:
    """If the shipped resources are missing, the demo falls back to a synthetic interaction
    graph, and says so in the section titles and README."""
    from tests.cerna.conftest import build_cerna_demo

    from exodisc.omics.cerna import _demo
    from exodisc.pipeline import analyse

    monkeypatch.setattr(_demo, "find_interaction_tables", lambda: None)
    study = build_cerna_demo(tmp_path)
    report, results = analyse(study)
    _check_recovered(results, tmp_path)
    assert "SIMULATED interaction graph" in (tmp_path / "raw" / "cerna" / "README.txt").read_text()
    titles = [s.title for s in report.sections if s.id.startswith("cerna_")]
    assert titles and all("WARNING: SIMULATED interactions" in t for t in titles)


def test_report_section(cerna_demo) -> None:
    _, _, _, report = cerna_demo
    sec = next(s for s in report.sections if s.id == "cerna_lncrna")
    names = [i.name for i in sec.items]
    assert {
        "cerna_lncrna_pairs",
        "cerna_lncrna_edges",
        "cerna_lncrna_nodes",
        "cerna_lncrna_network",
    } <= set(names)
    assert any("degrees of freedom" in w for w in sec.warnings)
    keys = [m.meta.key for m in sec.methods]
    assert keys == ["cerna.gdcce", "cerna.direction_welch", "cerna.ora", "cerna.ora"]
    # the network's mRNAs went to ORA: every gene of a tested term is a network mRNA's symbol
    from exodisc.omics.resources import read_gene_annotation

    res = cerna_demo[1]["cerna_lncrna"]
    folder = Path(cerna_demo[2])
    ann = read_gene_annotation(folder / "raw" / "cerna" / "gene_map.tsv.gz")
    sym = dict(zip(ann["ensembl"], ann["symbol"], strict=True))
    net_symbols = {sym[g] for g in res.network.mrnas}
    # the section names the resources and versions it rests on
    assert "mirna_targets GDCRNATools-1.21.1" in sec.title
    for prefix in ("go_biological_process__go_bp_go_2022_07_01", "reactome__reactome_2021_10"):
        item = next(i for i in sec.items if i.name == f"cerna_lncrna_enrichment_{prefix}")
        assert len(item.frame) > 0, prefix
        assert set(";".join(item.frame["genes"]).split(";")) <= net_symbols
    text = " ".join(m.sentence() for m in sec.methods)
    assert "Benjamini–Hochberg" in text and "Welch" in text


def test_unknown_sample_column(cerna_demo, tmp_path: Path) -> None:
    from exodisc.config import load_study
    from exodisc.pipeline import analyse

    _study, _, folder, _ = cerna_demo
    src = Path(folder) / "raw" / "cerna" / "mrna_counts.tsv"
    text = src.read_text().replace("exo_3", "exo_9", 1)
    bad = tmp_path / "mrna_counts.tsv"
    bad.write_text(text)
    yaml = (
        (Path(folder) / "study.yaml")
        .read_text()
        .replace("expr_mrna: raw/cerna/mrna_counts.tsv", f"expr_mrna: {bad}")
    )
    (tmp_path / "study.yaml").write_text(yaml)
    for sub in ("raw",):
        (tmp_path / sub).symlink_to(Path(folder) / sub)
    words = r"column\(s\) exo_9 match no sample"
    with pytest.raises(StudyFileError, match=words):  # validation reads the header
        load_study(tmp_path / "study.yaml")
    with pytest.raises(DesignError, match=r"mrna_counts\.tsv: " + words):  # and so does the run
        analyse(load_study(tmp_path / "study.yaml", check_inputs=False))
