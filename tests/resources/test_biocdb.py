"""GO from Debian's GO.db / org.Hs.eg.db SQLite files; propagation checked against
Bioconductor's own propagated map (org.Hs.eg.db ``go_bp_all``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from exodisc.errors import InputFormatError
from exodisc.omics.resources import (
    WITH_REGULATES,
    find_bioc_sqlite,
    go_gene_sets,
    read_go_db,
    read_org_db,
)


def _installed() -> tuple[Path, Path]:
    go, org = find_bioc_sqlite("GO.db"), find_bioc_sqlite("org.Hs.eg.db")
    if go is None or org is None:
        pytest.skip("Debian's r-bioc-go.db and r-bioc-org.hs.eg.db are not installed")
    return go, org


def test_propagation_equals_bioconductor_goall() -> None:
    go, org = _installed()
    graph = read_go_db(go, relations=WITH_REGULATES)
    assert "3.16.0" in graph.version or graph.version
    ann = read_org_db(org)
    rng = np.random.default_rng(0)
    genes = sorted(rng.choice(ann["entrez"].unique(), 300, replace=False).tolist())
    sub = ann[ann["entrez"].isin(genes)]
    ours = go_gene_sets(sub, aspect="BP", graph=graph, gene_column="entrez")
    pairs = {(g, t) for t, members in ours.sets.items() for g in members}
    con = sqlite3.connect(f"file:{org}?mode=ro", uri=True)
    marks = ",".join("?" * len(genes))
    ref = set(
        con.execute(
            "SELECT g.gene_id, a.go_id FROM go_bp_all a JOIN genes g USING (_id) "
            f"WHERE g.gene_id IN ({marks})",
            genes,
        ).fetchall()
    )
    con.close()
    assert len(ref) > 10_000
    assert pairs == ref
    # the strict true-path rule (is_a + part_of) gives a subset
    strict = go_gene_sets(sub, aspect="BP", graph=read_go_db(go), gene_column="entrez")
    strict_pairs = {(g, t) for t, members in strict.sets.items() for g in members}
    assert strict_pairs < ref
    assert ours.descriptions["GO:0006954"] == "inflammatory response"


def test_synthetic_go_db(tmp_path: Path) -> None:
    f = tmp_path / "GO.sqlite"
    con = sqlite3.connect(f)
    con.executescript(
        """
        CREATE TABLE metadata (name TEXT, value TEXT);
        INSERT INTO metadata VALUES ('GOSOURCEDATE', '2022-07-01');
        CREATE TABLE go_term (_id INTEGER, go_id TEXT, term TEXT, ontology TEXT);
        INSERT INTO go_term VALUES (1, 'all', 'all', 'universal'),
            (2, 'GO:0008150', 'biological_process', 'BP'),
            (3, 'GO:0006915', 'apoptotic process', 'BP'),
            (4, 'GO:0042981', 'regulation of apoptotic process', 'BP');
        CREATE TABLE go_bp_parents (_id INTEGER, _parent_id INTEGER, relationship_type TEXT);
        INSERT INTO go_bp_parents VALUES (2, 1, 'isa'), (3, 2, 'isa'), (4, 2, 'isa'),
            (4, 3, 'regulates');
        CREATE TABLE go_mf_parents (_id INTEGER, _parent_id INTEGER, relationship_type TEXT);
        CREATE TABLE go_cc_parents (_id INTEGER, _parent_id INTEGER, relationship_type TEXT);
        CREATE TABLE go_synonym (_id INTEGER, synonym TEXT, secondary TEXT);
        INSERT INTO go_synonym VALUES (3, 'GO:0006917', 'GO:0006917');
        """
    )
    con.close()
    g = read_go_db(f)
    assert g.version == "GOSOURCEDATE=2022-07-01"
    assert "all" not in g.terms
    assert g.ancestors("GO:0042981") == {"GO:0042981", "GO:0008150"}
    assert read_go_db(f, relations=WITH_REGULATES).ancestors("GO:0042981") == {
        "GO:0042981",
        "GO:0006915",
        "GO:0008150",
    }
    assert g.primary("GO:0006917") == "GO:0006915"
    bad = tmp_path / "not.sqlite"
    bad.write_text("not a database")
    with pytest.raises(InputFormatError, match=r"not\.sqlite: cannot read it as a Bioconductor"):
        read_go_db(bad)


def test_load_gene_sets_from_org_db() -> None:
    _installed()
    from exodisc.omics.resources import load_gene_sets

    gs, recs = load_gene_sets("org.Hs.eg.db", aspect="BP")
    assert [r.name for r in recs] == ["org.Hs.eg.db", "GO.db"]
    assert all(len(r.sha256) == 64 for r in recs)
    assert "EGSOURCEDATE=2022-Sep12" in recs[0].version
    assert "TNF" in gs.sets["GO:0006954"]  # inflammatory response
    assert len(gs) > 10_000
