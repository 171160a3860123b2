"""The curated data: counts against lists typed from the review, schema, discrepancies."""

from __future__ import annotations

import re
import shutil
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from exodisc.errors import SchemaError
from exodisc.knowledge import load_knowledge, normalise_rna

# Table 1 of the review, typed row by row from the paper: RNA, target, ref, first author,
# differentiation, ECM, inflammation (blank cell = not_stated).
TABLE1 = [
    ("lncRNA CAHM", "M1 macrophages", 26, "Li", "promotion", "not_stated", "not_stated"),
    ("miR-199a", "GREM1", 35, "Wen", "promotion", "not_stated", "repression"),
    (
        "miR-140-5p",
        "KLF5/N-cadherin/MDM2/Slug",
        34,
        "Wang",
        "promotion",
        "not_stated",
        "not_stated",
    ),
    ("miR-105-5p", "Sirt6", 33, "Sun", "promotion", "not_stated", "not_stated"),
    ("miR-129-5p", "p38 MAPK", 31, "Cui", "promotion", "not_stated", "repression"),
    ("miR-17-5p", "TLR4", 29, "Zhou", "promotion", "promotion", "not_stated"),
    ("miR-194-5p", "TRAF6", 12, "Sun", "promotion", "not_stated", "not_stated"),
    ("miR-21", "p38 MAPK", 10, "Wang", "promotion", "not_stated", "not_stated"),
    ("miR-26a-5p", "METTL14", 13, "Xuan", "promotion", "not_stated", "repression"),
    ("miR-532-5p", "AKT-mTOR", 12, "Sun", "promotion", "not_stated", "not_stated"),
    ("miR-31", "Wnt/β-Catenin", 9, "Wang", "promotion", "not_stated", "repression"),
    ("miR-155", "BACH1", 16, "Shi", "promotion", "not_stated", "not_stated"),
    ("miR-15a", "PI3K/Akt", 14, "Zhang", "not_stated", "promotion", "not_stated"),
    ("miR-217", "EZH2", 27, "Hao", "not_stated", "promotion", "not_stated"),
    ("cirRNA0050205", "GPX4", 25, "Yu", "promotion", "promotion", "not_stated"),
    ("cirRNA0072464", "NRF2", 24, "Yu", "promotion", "promotion", "not_stated"),
]

# every RNA named in the review's text, in the text's own spelling
TEXT_RNAS = [
    "miRNA-31", "miRNA-21", "miRNA-532-5p", "miRNA-26a-5p", "miRNA-15a", "miRNA-155",
    "circ_0050205", "circ_0072464", "long non-coding RNA colorectal adenocarcinoma hypermethylated",
    "miRNA-217", "miRNA-194-5p", "miRNA-17-5p", "miRNA-129-5p", "miRNA-105-5p", "miRNA-140-3p",
    "miRNA-199a",
]  # fmt: skip

KNOWN_DISCREPANCIES = {
    "D01": ("mir140", "miR-140-5p", "miRNA-140-3p"),
    "D02": ("mir26a", "METTL14", "METTL4"),
    "D03": ("mir194", "Sun et al[12]", "(no reference)"),
    "D04": ("mir532", "Sun et al[12]", "[11]"),
    "D05": ("mir129", "p38 MAPK", "LRG1"),
    "D06": ("mir15a", "Zhang et al[14]", "14,15"),
    "D07": ("mir217", "Hao et al[27]", "15,27,28"),
    "D08": ("circ0050205", "[25]", "24,25"),
    "D09": ("mir21", "p38 MAPK", "osteoblast"),
    "D10": ("mir105", "Sirt6", "(no target)"),
    "D11": ("table1", "mRNA", "nucleus pulposus"),
    "D12": ("mir31", "not stated", "ECM"),
    "D13": ("strategy:vasorin_hydrogel", "", "[21]"),
}


def test_table1_all_sixteen_rows_with_targets_effects_and_references():
    cargo = load_knowledge().cargo
    table = cargo[cargo["in_table1"]]
    assert len(table) == 16
    got = {r.rna_table: r for r in table.itertuples()}
    assert set(got) == {row[0] for row in TABLE1}
    for rna, target, ref, author, diff, ecm, infl in TABLE1:
        r = got[rna]
        assert (r.target_table, r.ref_table, r.first_author_table) == (target, ref, author), rna
        assert (r.effect_differentiation, r.effect_ecm, r.effect_inflammation) == (
            diff,
            ecm,
            infl,
        ), rna


def test_every_rna_named_in_the_text_is_present_in_its_own_spelling():
    cargo = load_knowledge().cargo
    assert sorted(cargo["rna_text"]) == sorted(TEXT_RNAS)
    assert cargo["in_text"].all()


def test_rna_names_are_normalised_to_mirbase_circbase_and_hgnc():
    cargo = load_knowledge().cargo
    mirnas = cargo[cargo["rna_class"] == "miRNA"]
    assert mirnas["rna"].str.match(r"^hsa-miR-\d+[a-z]?(-[35]p)?$").all()
    assert mirnas["rna_gene_symbols"].map(len).gt(0).all()
    circ = cargo[cargo["rna_class"] == "circRNA"]
    assert sorted(circ["rna"]) == ["hsa_circ_0050205", "hsa_circ_0072464"]
    for r in cargo.itertuples():  # table and text spellings lead back to the same entry
        assert normalise_rna(r.rna_text).split("-")[:2] == normalise_rna(r.rna).split("-")[:2] or (
            r.id in ("lnc_cahm",)
        )


def test_mirbase_names_exist_in_mirbase_v21(shared_data: Path):
    mature = pd.read_csv(
        shared_data / "gene_annotation" / "gdcrnatools_mirbase_v21_hsa_mature.tsv", sep="\t"
    )
    names = set(mature["mature_name_mirbase_v21"])
    cargo = load_knowledge().cargo
    listed = [n for v in cargo["mirbase_v21"] for n in v]
    assert len(listed) == 18
    assert not set(listed) - names
    for r in cargo[cargo["rna_class"] == "miRNA"].itertuples():  # every arm, nothing else
        pattern = re.compile(re.escape(r.rna) + r"(-[35]p)?$")
        assert set(r.mirbase_v21) == {n for n in names if pattern.match(n)}, r.rna
    # the text's other reading of miR-140 exists too, so the review is genuinely ambiguous
    assert {"hsa-miR-140-3p", "hsa-miR-140-5p"} <= names


def test_target_symbols_are_hgnc_symbols_of_the_annotation(shared_data: Path):
    biotype = pd.read_csv(
        shared_data / "gene_annotation" / "gdcrnatools_gencode_biotype.tsv.gz",
        sep="\t",
        usecols=["geneSymbol"],
    )
    known = set(biotype["geneSymbol"])
    kb = load_knowledge()
    symbols = {s for col in ("target_symbols", "text_symbols") for v in kb.cargo[col] for s in v}
    symbols |= {s for v in kb.strategies["symbols"] for s in v}
    symbols |= {s for v in kb.findings["symbols"] for s in v if not s.startswith("KEGG:")}
    rna_genes = {s for v in kb.cargo["rna_gene_symbols"] for s in v}
    assert len(rna_genes) == 19 and not rna_genes - known  # MIR199A1 … and CAHM
    missing = symbols - known
    # CCN2 (old CTGF) and the newer ASIC names postdate GENCODE of 2017
    assert missing <= {"CCN2", "ASIC1", "ASIC3", "ITPRIPL2"}, missing


def test_known_discrepancies_are_all_recorded_with_both_readings():
    disc = load_knowledge().discrepancies.set_index("id")
    assert set(disc.index) == set(KNOWN_DISCREPANCIES)
    for did, (entry, table_part, text_part) in KNOWN_DISCREPANCIES.items():
        row = disc.loc[did]
        assert entry in row["entry_id"], did
        assert table_part in row["table_reading"], did
        assert text_part in (row["text_reading"] + row["note"]), did
    cargo = load_knowledge().cargo.set_index("id")
    assert cargo.loc["mir140", "rna_table"] == "miR-140-5p"
    assert cargo.loc["mir140", "rna_text"] == "miRNA-140-3p"
    assert "METTL4" in cargo.loc["mir26a", "text_symbols"]
    assert cargo.loc["mir26a", "target_symbols"] == ("METTL14",)


def test_strategies_cover_every_category_of_the_review():
    s = load_knowledge().strategies
    ids = set(s["id"])
    expected = {
        "sox9_tgfb1_transfection", "gdf5_lentiviral", "matrilin3", "urolithin_a",
        "vasorin_hydrogel", "decm_exo_hydrogel", "ha_prp_hydrogel", "alginate_gel", "dmd001",
        "coenzyme_q10", "gelatin_microparticles", "peg_papo_kartogenin", "cyclic_stretch",
        "asic_blockers", "calcitriol", "lithium_chloride", "leptin", "hypoxia", "low_ph",
        "high_osmolarity", "low_nutrition", "mechanical_load",
    }  # fmt: skip
    assert expected <= ids
    counts = s["category"].value_counts().to_dict()
    assert counts["harsh_environment"] == 5
    assert counts["pretreatment"] == 4


def test_seed_study_findings():
    f = load_knowledge().findings.set_index("id")
    assert f.loc["markers_exo", "symbols"] == ("SOX9", "COL2A1", "ACAN")
    assert f.loc["top_up", "symbols"] == ("FOS", "FOSB", "ITPRIPL2")
    assert f.loc["top_down", "symbols"] == ("HYI", "OVCA2", "S100A10")
    pathways = f[f["kind"] == "pathway"]["subject"].tolist()
    assert len(pathways) == 5
    assert any("Notch" in p for p in pathways) and any("IL-17" in p for p in pathways)


def test_bad_data_folder_lists_every_problem(tmp_path: Path):
    src = resources.files("exodisc.knowledge") / "data"
    for name in (
        "manifest.yaml",
        "cargo.csv",
        "strategies.csv",
        "findings.csv",
        "discrepancies.csv",
    ):
        (tmp_path / name).write_text((src / name).read_text(encoding="utf-8"), encoding="utf-8")
    text = (tmp_path / "cargo.csv").read_text(encoding="utf-8")
    text = text.replace(",promotion,not_stated,repression,", ",promoted,not_stated,repression,", 1)
    text = text.replace(",35,Wen,", ",x35,,", 1)
    (tmp_path / "cargo.csv").write_text(text, encoding="utf-8")
    with pytest.raises(SchemaError, match=r"cargo.csv: 3 problem") as err:
        load_knowledge(tmp_path)
    msg = str(err.value)
    assert "line 3, column 'effect_differentiation': 'promoted' is not one of" in msg
    assert "line 3, column 'ref_table': ['x35'] are not whole numbers" in msg
    assert "line 3, column 'first_author_table': empty" in msg
    shutil.rmtree(tmp_path)


def test_missing_column_is_named(tmp_path: Path):
    src = resources.files("exodisc.knowledge") / "data"
    for name in (
        "manifest.yaml",
        "cargo.csv",
        "strategies.csv",
        "findings.csv",
        "discrepancies.csv",
    ):
        (tmp_path / name).write_text((src / name).read_text(encoding="utf-8"), encoding="utf-8")
    frame = pd.read_csv(tmp_path / "findings.csv", dtype=str, keep_default_na=False)
    frame.drop(columns=["evidence"]).to_csv(tmp_path / "findings.csv", index=False)
    with pytest.raises(SchemaError, match=r"findings.csv: missing column\(s\) \['evidence'\]"):
        load_knowledge(tmp_path)
