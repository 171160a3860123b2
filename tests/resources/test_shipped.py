"""Resources shipped inside the package: each checked against the upstream file it was built
from (tests/data) or an independent computation, plus list / verify / fetch on the CLI."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from exodisc.cli import app
from exodisc.errors import ResourceError
from exodisc.omics.resources import (
    WITH_REGULATES,
    Resource,
    fetch,
    find_bioc_sqlite,
    go_gene_sets,
    list_resources,
    load_gene_sets,
    locate,
    read_gene_annotation,
    read_gmt,
    read_go_db,
    read_org_db,
    sha256sum,
    shipped,
    verify_resources,
)
from exodisc.omics.resources import _manager as manager

NAMES = {
    "go_bp",
    "go_mf",
    "go_cc",
    "reactome",
    "wikipathways",
    "msigdb_hallmark",
    "gene_map",
    "mirbase",
    "mirna_targets",
    "circrna_mirna_hits",
}


def test_manifest_lists_every_file_with_licence_and_checksum() -> None:
    items = {s.name: s for s in shipped()}
    assert set(items) == NAMES
    on_disk = {p.name for p in manager.SHIPPED_DIR.iterdir() if p.name != "MANIFEST.json"}
    assert on_disk == {s.file for s in items.values()}  # nothing unlisted ships
    for s in items.values():
        assert s.licence and s.source and s.version
        assert s.path.stat().st_size == s.bytes
        assert sha256sum(s.path) == s.sha256
    total = sum(s.bytes for s in items.values())
    assert total < 10_000_000  # compact: the README states the size added to disk
    assert "KEGG" not in " ".join(s.name + s.description for s in items.values())


def test_offline_out_of_the_box(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXODISC_CACHE", str(tmp_path / "empty-cache"))
    rec = locate("reactome")
    assert rec.origin == "shipped" and rec.version == "2021-10"
    gs, recs = load_gene_sets("msigdb_hallmark")
    assert len(gs) == 50 and recs[0].origin == "shipped"
    assert fetch("go_bp").origin == "shipped"  # nothing to download
    table = list_resources().set_index("name")
    assert table.loc["go_bp", "installed"] and table.loc["go_bp", "origin"] == "shipped"
    assert not table.loc["msigdb_kegg", "installed"]
    assert "forbids redistribution" in table.loc["msigdb_kegg", "licence"]


def test_gmt_copies_equal_their_upstream_files(shared_data: Path) -> None:
    for name, upstream in (
        ("msigdb_hallmark", "h.all.v7.0.symbols.gmt.gz"),
        ("reactome", "ReactomePathways_markziemann_2021.gmt.gz"),
    ):
        ours, ref = read_gmt(locate(name).path), read_gmt(shared_data / "gene_sets" / upstream)
        assert dict(ours.sets) == dict(ref.sets), name
        assert dict(ours.descriptions) == dict(ref.descriptions), name


def test_wikipathways_symbols_agree_with_an_independent_id_map(shared_data: Path) -> None:
    """Entrez -> symbol went through org.Hs.eg.db; GDCRNATools' Ensembl table agrees."""
    ours = read_gmt(locate("wikipathways").path)
    ref = read_gmt(shared_data / "gene_sets" / "wikipathways-20180810-gmt-Homo_sapiens.gmt.gz")
    assert set(ours.sets) <= set(ref.sets) and len(ours) >= 0.99 * len(ref)
    ann = read_gene_annotation(
        shared_data / "gene_annotation" / "gdcrnatools_gencode_biotype.tsv.gz"
    )
    sym = dict(zip(ann["entrez"], ann["symbol"], strict=True))
    agree = total = 0
    for term, genes in ref.sets.items():
        if term not in ours.sets:
            continue
        expected = {sym[g] for g in genes if g in sym}
        agree += len(expected & set(ours.sets[term]))
        total += len(expected)
    assert total > 15_000 and agree / total > 0.97


def test_go_sets_equal_propagation_of_direct_annotations() -> None:
    """Shipped GO sets (org.Hs.eg.db GOALL) = direct annotations propagated along GO.db's DAG
    by exodisc's own code, for 300 random genes (checked where Debian's packages exist)."""
    go, org = find_bioc_sqlite("GO.db"), find_bioc_sqlite("org.Hs.eg.db")
    if go is None or org is None:
        pytest.skip("Debian's r-bioc-go.db and r-bioc-org.hs.eg.db are not installed")
    graph = read_go_db(go, relations=WITH_REGULATES)
    ann = read_org_db(org)
    ann = ann[ann["symbol"] != ""]
    rng = np.random.default_rng(7)
    genes = set(rng.choice(sorted(ann["symbol"].unique()), 300, replace=False).tolist())
    sub = ann[ann["symbol"].isin(genes)]
    for aspect in ("BP", "MF", "CC"):
        ref = go_gene_sets(sub, aspect=aspect, graph=graph)
        ref_pairs = {(g, t) for t, members in ref.sets.items() for g in members}
        ours = read_gmt(locate(f"go_{aspect.lower()}").path)
        pairs = {(g, t) for t, members in ours.sets.items() for g in members if g in genes}
        assert len(ref_pairs) > 1000, aspect
        assert pairs == ref_pairs, aspect
    bp = read_gmt(locate("go_bp").path)
    assert bp.descriptions["GO:0006954"] == "inflammatory response"


def test_mirbase_names_are_the_gff3_mature_features(shared_data: Path) -> None:
    gff = shared_data / "sequencing" / "mirbase22_hsa_gff" / "hsa.gff3"
    text = gff.read_text() if gff.is_file() else ""
    if not text:
        pytest.skip("sequencing/mirbase22_hsa_gff/hsa.gff3 is not in the test data")
    ref = dict(re.findall(r"\tmiRNA\t.*ID=(MIMAT\d+)[^;]*;Alias=[^;]*;Name=([^;]+);", text))
    ours = pd.read_csv(locate("mirbase").path, sep="\t", dtype=str)
    assert dict(zip(ours["mimat_accession"], ours["mature_name"], strict=True)) == ref
    assert len(ref) > 2600 and ours["mature_name"].str.startswith("hsa-").all()


def test_mirbase_v22_against_v21_names(shared_data: Path) -> None:
    """miRBase 22 keeps the v21 human names (GDCRNATools' table) for their accessions."""
    ours = pd.read_csv(locate("mirbase").path, sep="\t", dtype=str)
    v21 = pd.read_csv(
        shared_data / "gene_annotation" / "gdcrnatools_mirbase_v21_hsa_mature.tsv", sep="\t"
    )
    both = v21.merge(ours, on="mimat_accession")
    assert len(both) > 0.95 * len(v21)
    assert (both["mature_name"] == both["mature_name_mirbase_v21"]).mean() > 0.98


def test_mirna_targets_are_the_gdcrnatools_rows(shared_data: Path) -> None:
    """The starBase mRNA rows and the starBase / spongeScan lncRNA rows of GDCRNATools, and no
    miRTarBase (licence: academic use, no redistribution) or miRcode row."""
    ours = pd.read_csv(locate("mirna_targets").path, sep="\t", dtype=str)
    d = shared_data / "mirna_targets"
    mrna = pd.read_csv(d / "gdcrnatools_mRNA_miRNA_interactions.tsv.gz", sep="\t", dtype=str)
    lnc = pd.read_csv(d / "gdcrnatools_lncRNA_miRNA_interactions.tsv.gz", sep="\t", dtype=str)
    ref = pd.concat(
        [
            mrna[mrna["database"] == "starBase"].assign(target_class="mRNA"),
            lnc[lnc["database"] != "miRcode"].assign(target_class="lncRNA"),
        ]
    )
    key = ["database", "ensembl_gene_id", "mirna", "target_class"]
    assert list(ours.columns) == key
    assert set(map(tuple, ours[key].to_numpy())) == set(map(tuple, ref[key].to_numpy()))
    assert ours.groupby(["target_class", "database"]).size().to_dict() == {
        ("lncRNA", "spongeScan"): 1_068,
        ("lncRNA", "starBase"): 753,
        ("mRNA", "starBase"): 105_180,
    }
    assert not ours.duplicated().any()
    entry = next(s for s in shipped() if s.name == "mirna_targets")
    assert "mRNA starBase 105,180" in entry.description
    assert "mirTarBase" not in entry.description
    assert "fetch mirtarbase" in entry.licence


def test_cli_list_verify_and_a_damaged_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXODISC_CACHE", str(tmp_path / "cache"))
    runner = CliRunner()
    r = runner.invoke(app, ["resources", "list"])
    assert r.exit_code == 0, r.output
    line = next(x for x in r.output.splitlines() if x.startswith("go_bp "))
    rec = locate("go_bp")
    assert line.split()[1:3] == ["yes", "shipped"] and rec.sha256[:12] in line
    assert f"{Path(rec.path).stat().st_size / 1e6:.2f} MB" in line and "CC BY 4.0" in line
    r = runner.invoke(app, ["resources", "verify"])
    assert r.exit_code == 0, r.output
    assert f"{len(NAMES)} of {len(NAMES)} resource file(s) match" in r.output
    # a damaged installation: a copy of the shipped folder with one file changed
    copy = tmp_path / "data"
    shutil.copytree(manager.SHIPPED_DIR, copy)
    with gzip.open(copy / "msigdb_hallmark.gmt.gz", "at") as fh:
        fh.write("EXTRA\t\tTP53\n")
    monkeypatch.setattr(manager, "SHIPPED_DIR", copy)
    table = verify_resources().set_index("name")
    assert not table.loc["msigdb_hallmark", "ok"] and table["ok"].sum() == len(NAMES) - 1
    r = runner.invoke(app, ["resources", "verify"])
    assert r.exit_code == 1 and "MISMATCH msigdb_hallmark" in r.output
    with pytest.raises(ResourceError, match="does not match its sha256"):
        locate("msigdb_hallmark")
    (copy / "MANIFEST.json").write_text(json.dumps({"format": 1, "resources": []}))
    with pytest.raises(ResourceError, match="is not in the cache"):
        locate("msigdb_hallmark")


def test_unpinned_download_records_its_first_hash(server, http_root: Path, cache: Path) -> None:  # type: ignore[no-untyped-def]
    """miRTarBase / TargetScan / miRDB cannot ship and have no pinned hash: the first
    download's sha256 is recorded, and a later change of the cached file is caught."""
    entry = next(r for r in manager.CATALOGUE if r.name == "mirtarbase")
    assert entry.sha256 == "" and "download only" in entry.licence
    (http_root / entry.filename).write_bytes(
        b"miRTarBase ID\tmiRNA\tTarget Gene\nMIRT1\thsa-miR-21-5p\tPTEN\n"
    )
    res = Resource(
        "mirtarbase",
        entry.version,
        f"{server.url}/{entry.filename}",
        "",
        entry.licence,
        entry.kind,
        entry.filename,
        entry.description,
        entry.id_type,
    )
    rec = fetch(res)
    assert rec.sha256 == sha256sum(http_root / entry.filename) and rec.origin == "fetched"
    server.stop()
    assert fetch(res).path == rec.path  # cached, offline
    Path(rec.path).write_bytes(b"changed")
    with pytest.raises(ResourceError, match="was changed after download"):
        locate("mirtarbase")
