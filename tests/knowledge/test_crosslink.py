"""Reading a study's results against the knowledge, and the report section."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.config import AssayConfig, Study
from exodisc.errors import InputFormatError
from exodisc.knowledge import crosslink
from exodisc.knowledge._crosslink import collect_tables, interaction_support
from exodisc.knowledge._tables import read_result_table
from exodisc.registry import AssayContext, DemoContext, get_assay
from exodisc.report import Report

ROLES = {"il1b": "model", "usc": "treatment", "exo": "treatment", "ctrl": "control"}


def _de() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "gene": ["SOX9", "GREM1", "MIR199A1", "hsa-miR-155-5p", "BACH1", "ACTB", "TRAF6"],
            "log2_fc": [1.5, -1.0, 2.0, 1.0, 0.8, 0.1, -0.2],
            "padj": [0.001, 0.01, 0.02, 0.03, 0.01, 0.9, 0.5],
            "contrast": ["exo vs il1b"] * 7,
        }
    )


def test_crosslink_directions_and_agreement():
    res = crosslink({"de.table": _de()}, roles=ROLES)
    ax = res.axes.set_index(["entry_id", "feature"])
    assert ax.loc[("markers_usc", "SOX9"), "agrees"] == "yes"
    assert ax.loc[("mir199a", "GREM1"), "agrees"] == "yes"  # target down, as expected
    assert ax.loc[("mir199a", "MIR199A1"), "observed_direction"] == "up"
    assert ax.loc[("mir155", "BACH1"), "agrees"] == "no"  # target up: against the therapy
    assert ax.loc[("mir194", "TRAF6"), "agrees"] == "not significant"
    assert "ACTB" not in set(res.axes["feature"])
    assert ax.loc[("mir199a", "GREM1"), "in_cerna_network"] == "no network"


def test_reversed_contrast_flips_and_unknown_contrast_is_said():
    de = _de().assign(contrast="il1b vs exo", log2_fc=lambda d: -d["log2_fc"])
    ax = crosslink({"t": de}, roles=ROLES).axes.set_index(["entry_id", "feature"])
    assert ax.loc[("mir199a", "GREM1"), "agrees"] == "yes"
    de = _de().assign(contrast="usc vs exo")
    ax = crosslink({"t": de}, roles=ROLES).axes.set_index(["entry_id", "feature"])
    assert ax.loc[("mir199a", "GREM1"), "agrees"] == "contrast not treatment vs model"


def _support_from(inter: pd.DataFrame) -> pd.Series:
    """Databases holding each curated pair (';'-joined, as interaction_support.csv lists them),
    re-derived from an interaction table independently of make_interaction_support.py."""
    sup = interaction_support()
    pairs = sup[["mirna", "ensembl_gene_id"]].assign(
        ensembl_gene_id=sup["ensembl_gene_id"].str.split(";")
    )
    hits = (
        pairs.reset_index().explode("ensembl_gene_id").merge(inter, on=["mirna", "ensembl_gene_id"])
    )
    dbs = hits.groupby("index")["database"].apply(lambda d: ";".join(sorted(set(d))))
    return dbs.reindex(sup.index, fill_value="")


def test_interaction_support_matches_the_predicted_tables(shared_data: Path):
    """The starBase / miRcode support of every curated pair, from tests/data's copy of the
    GDCRNATools table (which lacks the withheld miRTarBase rows)."""
    inter = pd.read_csv(
        shared_data / "mirna_targets" / "gdcrnatools_mRNA_miRNA_interactions.tsv.gz", sep="\t"
    )
    inter = inter[inter["database"] != "mirTarBase"]
    assert set(inter["database"]) == {"starBase", "miRcode"}
    sup = interaction_support()
    listed = sup["databases"].map(lambda d: ";".join(x for x in d.split(";") if x != "mirTarBase"))
    pd.testing.assert_series_equal(_support_from(inter), listed, check_names=False)
    assert (listed != "").sum() >= 10  # the check is not vacuous
    # miR-194-5p-TRAF6: predicted only (starBase, miRcode), not validated
    row = sup[(sup["mirna"] == "hsa-miR-194-5p") & (sup["target"] == "TRAF6")].iloc[0]
    assert (row["databases"], row["validated"]) == ("miRcode;starBase", "False")


def test_interaction_support_matches_the_mirtarbase_rows():
    """The validated (miRTarBase) support of every curated pair, from the full GDCRNATools
    table in ../shared/data (miRTarBase's rows are not redistributed; skipped without it)."""
    from tests._shared import shared_only

    path = shared_only("mirna_targets/gdcrnatools_mRNA_miRNA_interactions.tsv.gz#mirTarBase")
    inter = pd.read_csv(path, sep="\t")
    assert (inter["database"] == "mirTarBase").sum() == 378_490
    sup = interaction_support()
    pd.testing.assert_series_equal(_support_from(inter), sup["databases"], check_names=False)
    validated = _support_from(inter[inter["database"] == "mirTarBase"]) != ""
    assert (validated.map(str) == sup["validated"]).all()
    # three known pairs: miR-155-5p-BACH1 and miR-217-EZH2 validated, miR-199a-5p-GREM1 absent
    mtb = inter[inter["database"] == "mirTarBase"]
    pairs = {
        ("hsa-miR-155-5p", "ENSG00000156273"),  # BACH1
        ("hsa-miR-217", "ENSG00000106462"),  # EZH2
        ("hsa-miR-199a-5p", "ENSG00000166923"),  # GREM1
    }
    present = {
        p for p in pairs if ((mtb["mirna"] == p[0]) & (mtb["ensembl_gene_id"] == p[1])).any()
    }
    assert present == {pairs_ for pairs_ in pairs if "199a" not in pairs_[0]}


def test_crosslink_reports_support_network_and_pathways():
    edges = pd.DataFrame({"mirna": ["hsa-miR-199a-5p"], "target": ["GREM1"]})
    enr = pd.DataFrame({"term": ["IL-17 signaling pathway", "Ribosome"], "p_adj": [0.01, 0.2]})
    res = crosslink({"de": _de(), "cerna.edges": edges, "enr": enr}, roles=ROLES)
    ax = res.axes.set_index(["entry_id", "feature"])
    assert ax.loc[("mir155", "BACH1"), "interaction_support"].startswith("validated (")
    assert ax.loc[("mir199a", "GREM1"), "interaction_support"] == (
        "not in miRTarBase / starBase / miRcode"
    )
    assert ax.loc[("mir199a", "GREM1"), "in_cerna_network"] == "yes"
    assert ax.loc[("mir155", "BACH1"), "in_cerna_network"] == "no"
    assert res.pathways["finding"].tolist() == ["pathway_il17"]
    assert set(res.scanned["used_as"]) == {"features", "enrichment", "skipped"}


def test_collect_tables_duck_types_results():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Fake:
        table: pd.DataFrame
        params: dict

    got = collect_tables({"qpcr": Fake(_de(), {}), "x": {"pairs": _de()}, "y": 3})
    assert list(got) == ["qpcr.table", "x.pairs"]


def test_qpcr_pairs_tables_are_read_with_group_orientation():
    pairs = pd.DataFrame(
        {"gene": ["ACAN"], "group1": ["usc"], "group2": ["il1b"], "mean_diff": [0.4],
         "p_adj": [0.01]}
    )  # fmt: skip
    ax = crosslink({"qpcr.pairs": pairs}, roles=ROLES).axes
    assert ax.loc[0, "contrast"] == "usc vs il1b" and ax.loc[0, "agrees"] == "yes"


def test_read_result_table_limma_and_errors(tmp_path: Path):
    p = tmp_path / "tt.tsv"
    p.write_text("\tlogFC\tAveExpr\tP.Value\tadj.P.Val\nGREM1\t-1.2\t7\t0.001\t0.01\n")
    t = read_result_table(p, contrast="exo vs il1b")
    assert t.to_dict("records") == [
        {"feature": "GREM1", "log2_fc": -1.2, "p_adj": 0.01, "contrast": "exo vs il1b"}
    ]
    bad = tmp_path / "bad.tsv"
    bad.write_text("gene\tFC\nGREM1\t2\n")
    with pytest.raises(InputFormatError, match=r"bad.tsv: header: no log2 fold-change column"):
        read_result_table(bad)
    nan = tmp_path / "nan.tsv"
    nan.write_text("gene\tlogFC\nGREM1\tNA\n")
    with pytest.raises(InputFormatError, match=r"'logFC' is not numeric in 1 row\(s\), first at"):
        read_result_table(nan)


def test_run_and_demo_add_the_report_section(tmp_path: Path, demo_like_study: Study):
    from exodisc.knowledge._demo import simulate

    entries = simulate(DemoContext(folder=tmp_path, study=demo_like_study))
    assert entries[0]["kind"] == "knowledge"
    study = demo_like_study.model_copy(update={"base_dir": tmp_path})
    assay = AssayConfig.model_validate(entries[0])
    spec = get_assay("knowledge")
    report = Report("t")
    ctx = AssayContext(
        study=study,
        assay=assay,
        options=spec.options_model.model_validate(assay.options),
        report=report,
        results={"qpcr": {"pairs": _de()}},
    )
    res = spec.run(ctx)
    sec = report.sections[0]
    assert sec.title == "Known therapeutic axes in this study"
    assert {"knowledge_axes", "knowledge_axes_matrix"} <= set(report.names())
    assert {"qpcr.pairs", "knowledge.exo_vs_il1b_toptable.tsv"} == set(res.scanned["table"])
    demo_rows = res.axes[res.axes["source_table"] == "knowledge.exo_vs_il1b_toptable.tsv"]
    assert (demo_rows["agrees"] == "yes").sum() >= 6
    assert "exodisc's curated knowledge (version 1.0.0)" in sec.methods[0].sentence()
    assert np.isfinite(res.axes["log2_fc"]).all()


def test_edge_cases_empty_and_nan():
    res = crosslink({})
    assert res.axes.empty and res.scanned.empty and res.pathways.empty
    de = pd.DataFrame({"gene": ["GREM1", "ACAN"], "log2_fc": [np.nan, 0.0], "padj": [np.nan, 0.01]})
    ax = crosslink({"t": de}, roles=ROLES).axes.set_index("feature")
    assert ax.loc["GREM1", "observed_direction"] == "not measured"
    assert ax.loc["GREM1", "agrees"] == "not measured"
    assert ax.loc["ACAN", "observed_direction"] == "unchanged"
    only_names = pd.DataFrame({"gene": ["GREM1"]})
    res = crosslink({"names": only_names})
    assert res.axes.empty
    assert res.scanned.loc[0, "used_as"] == "skipped"
