"""The ``enrichment`` assay kind: from a DE result or a gene list, into the report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from exodisc.config import parse_study
from exodisc.errors import DesignError, SchemaError
from exodisc.omics.enrichment import ora
from exodisc.omics.enrichment._run import EnrichmentOptions, EnrichmentRunResult, run
from exodisc.omics.resources import read_gmt
from exodisc.registry import AssayContext
from exodisc.report import FigureItem, Report, TableItem

GENES = [f"G{i:03d}" for i in range(120)]


@dataclass(frozen=True)
class FakeDE:
    table: pd.DataFrame


def _study(tmp_path: Path, options: dict, files: list[str] | None = None):  # type: ignore[no-untyped-def]
    gmt = tmp_path / "sets.gmt"
    rng = np.random.default_rng(1)
    lines = ["UP_SET\t\t" + "\t".join(GENES[:20])]
    lines += [f"RAND{j}\t\t" + "\t".join(rng.choice(GENES, 15, replace=False)) for j in range(5)]
    gmt.write_text("\n".join(lines) + "\n")
    raw = {
        "title": "t",
        "groups": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
        "replicates": 3,
        "assays": [
            {
                "id": "enrichment",
                "kind": "enrichment",
                "files": files or [],
                "options": {"gene_sets": {"Test sets": "sets.gmt"}, **options},
            }
        ],
    }
    return parse_study(raw, path=tmp_path / "study.yaml")


def _ctx(study, results=None) -> AssayContext:  # type: ignore[no-untyped-def]
    assay = study.assays[0]
    return AssayContext(
        study=study,
        assay=assay,
        options=EnrichmentOptions(**assay.options),
        report=Report("t"),
        results=results or {},
    )


def _de_table() -> pd.DataFrame:
    lfc = np.zeros(len(GENES))
    lfc[:15] = 2.0
    lfc[60:64] = -2.0
    padj = np.where(lfc != 0, 0.001, 0.5)
    padj[100:] = np.nan  # not tested (independent filtering)
    return pd.DataFrame(
        {"feature_id": GENES, "log2_fold_change": lfc, "padj": padj, "pvalue": padj / 10}
    )


def test_genes_from_de_result(tmp_path: Path) -> None:
    study = _study(tmp_path, {"min_overlap": 1, "gsea": True, "permutations": 100})
    ctx = _ctx(study, {"de": FakeDE(_de_table())})
    res = run(ctx)
    assert isinstance(res, EnrichmentRunResult)
    assert res.genes == tuple(GENES[:15] + GENES[60:64])
    # background = the 100 tested features, restricted to annotated ones (as ora does)
    want = ora(
        GENES[:15] + GENES[60:64],
        read_gmt(tmp_path / "sets.gmt"),
        background=GENES[:100],
        min_overlap=1,
    ).table
    got = res.ora["Test sets"].table
    pd.testing.assert_frame_equal(got.drop(columns="description"), want.drop(columns="description"))
    assert got.iloc[0]["term"] == "UP_SET"
    sec = ctx.report.sections[0]
    names = [i.name for i in sec.items]
    assert "enrichment_test_sets" in names and "enrichment_test_sets_bubble" in names
    assert "enrichment_test_sets_gsea" in names and "enrichment_resources" in names
    fig = next(i for i in sec.items if i.name == "enrichment_test_sets_bubble")
    assert isinstance(fig, FigureItem)
    assert set(fig.data["term"]) <= set(got["term"])
    assert [m.meta.key for m in sec.methods] == ["enrichment.ora", "enrichment.gsea"]
    assert "every feature tested for differential expression" in sec.methods[0].sentence()
    up = _ctx(_study(tmp_path, {"direction": "up", "min_overlap": 1}), {"de": FakeDE(_de_table())})
    assert run(up).genes == tuple(GENES[:15])


def test_gsea_rng_option_reaches_gsea_and_methods(tmp_path: Path) -> None:
    opts = {"min_overlap": 1, "gsea": True, "permutations": 50, "gsea_rng": "gseapy"}
    ctx = _ctx(_study(tmp_path, opts), {"de": FakeDE(_de_table())})
    res = run(ctx)
    g = res.gsea["Test sets"]
    assert g.params["rng"].startswith("gseapy")
    sec = ctx.report.sections[0]
    assert "gseapy's permutation stream" in sec.methods[1].sentence()
    with pytest.raises(ValidationError, match="gsea_rng"):
        EnrichmentOptions.model_validate({"gsea_rng": "mersenne"})


def test_gene_list_file_and_background(tmp_path: Path) -> None:
    (tmp_path / "list.txt").write_text("\n".join(GENES[:12]) + "\nUNKNOWN1\n")
    (tmp_path / "bg.txt").write_text("\n".join(GENES) + "\n")
    study = _study(tmp_path, {"background": "bg.txt"}, files=["list.txt"])
    ctx = _ctx(study)
    res = run(ctx)
    assert res.source == "genes listed in list.txt"
    t = res.ora["Test sets"].table.set_index("term")
    assert t.loc["UP_SET", "overlap"] == 12
    sec = ctx.report.sections[0]
    tables = {i.name: i for i in sec.items if isinstance(i, TableItem)}
    assert tables["enrichment_test_sets_unmatched"].frame["gene"].tolist() == ["UNKNOWN1"]
    prov = tables["enrichment_resources"].frame
    assert set(prov["name"]) == {"sets.gmt", "list.txt", "bg.txt"}
    recorded = ctx.report.records["resources.enrichment"]
    assert {r["name"] for r in recorded} == {"sets.gmt", "list.txt", "bg.txt"}
    assert prov["sha256"].str.len().eq(64).all()
    # no absolute local paths in what a reader sees: relative to the study folder
    shown = prov.set_index("name")
    assert shown.loc["list.txt", "path"] == "list.txt"
    assert not prov["path"].str.startswith("/").any()
    assert not prov["source"].str.startswith("/").any()


def test_wrong_identifiers_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "list.txt").write_text("ENSG00000000003\nENSG00000000005\n")
    ctx = _ctx(_study(tmp_path, {}, files=["list.txt"]))
    with pytest.raises(SchemaError, match=r"only 0% of the 2 genes .* use symbol identifiers"):
        run(ctx)


def test_de_required_but_missing(tmp_path: Path) -> None:
    ctx = _ctx(_study(tmp_path, {"genes_from": "de"}))
    with pytest.raises(DesignError, match="genes_from is 'de' but no earlier assay"):
        run(ctx)
    ctx = _ctx(_study(tmp_path, {"de_assay": "rnaseq"}))
    with pytest.raises(DesignError, match=r"options\.de_assay is 'rnaseq'"):
        run(ctx)
    ctx = _ctx(_study(tmp_path, {}))
    with pytest.raises(DesignError, match="no gene-list file"):
        run(ctx)


def test_de_ids_not_matching_fall_back_to_file(tmp_path: Path) -> None:
    table = _de_table().assign(feature_id=[f"ENSG{i:011d}" for i in range(len(GENES))])
    (tmp_path / "list.txt").write_text("\n".join(GENES[:12]) + "\n")
    ctx = _ctx(_study(tmp_path, {}, files=["list.txt"]), {"de": FakeDE(table)})
    res = run(ctx)
    assert res.source == "genes listed in list.txt"
    assert "are in the gene sets" in ctx.report.sections[0].warnings[0]


def test_de_ensembl_ids_mapped_through_id_map(tmp_path: Path) -> None:
    ens = [f"ENSG{i:011d}.{i % 3 + 1}" for i in range(len(GENES))]
    table = _de_table().assign(feature_id=ens)
    ann = pd.DataFrame(
        {
            "ensemblID": [e.split(".")[0] for e in ens[:110]],
            "geneSymbol": GENES[:110],
            "entrezgene": [str(1000 + i) for i in range(110)],
            "biotype": "protein_coding",
        }
    )
    ann.to_csv(tmp_path / "annotation.tsv", sep="\t", index=False)
    study = _study(tmp_path, {"id_map": "annotation.tsv", "min_overlap": 1})
    ctx = _ctx(study, {"de": FakeDE(table)})
    res = run(ctx)
    assert res.genes == tuple(GENES[:15] + GENES[60:64])
    sec = ctx.report.sections[0]
    unmapped = next(i for i in sec.items if i.name == "enrichment_unmapped_ids")
    assert isinstance(unmapped, TableItem)
    assert unmapped.frame["feature_id"].tolist() == ens[110:]
    assert "10 of 120 DE features had no symbol" in " ".join(sec.paragraphs)


@dataclass(frozen=True)
class FakeClassResult:
    rna_class: str
    results: dict


def test_de_class_result_with_comparisons(tmp_path: Path) -> None:
    other = _de_table().assign(log2_fold_change=0.0, padj=0.9)
    de = FakeClassResult(
        "mRNA", {"il1b_vs_ctrl": FakeDE(other), "exo_vs_il1b": FakeDE(_de_table())}
    )
    lnc = FakeClassResult("lncRNA", {"exo_vs_il1b": FakeDE(_de_table())})
    study = _study(tmp_path, {"de_comparison": "exo_vs_il1b", "min_overlap": 1})
    res = run(_ctx(study, {"de_lnc": lnc, "de_mrna": de}))
    assert res.genes == tuple(GENES[:15] + GENES[60:64])
    assert "de_mrna (exo_vs_il1b)" in res.source
    study = _study(tmp_path, {"de_comparison": "nope"})
    with pytest.raises(DesignError, match=r"de_comparison is 'nope', but DE assay 'de_mrna' has"):
        run(_ctx(study, {"de_mrna": de}))


def test_go_sets_with_obo_are_simplified(tmp_path: Path) -> None:
    data = Path(__file__).resolve().parents[1] / "resources" / "data"
    (tmp_path / "list.txt").write_text("BCL2\nCASP3\nBAX\n")
    raw = {
        "title": "t",
        "groups": [{"id": "a", "label": "A"}],
        "replicates": 2,
        "assays": [
            {
                "id": "go",
                "kind": "enrichment",
                "files": ["list.txt"],
                "options": {
                    "gene_sets": {"GO BP": str(data / "mini.gaf")},
                    "obo": str(data / "mini_go.obo"),
                    "min_size": 1,
                    "min_overlap": 1,
                },
            }
        ],
    }
    study = parse_study(raw, path=tmp_path / "study.yaml")
    ctx = _ctx(study)
    res = run(ctx)
    t = res.ora["GO BP"].table.set_index("term")
    assert t.loc["GO:0006915", "overlap"] == 3  # propagated from GO:0097190 and its alt id
    names = [i.name for i in ctx.report.sections[0].items]
    assert "enrichment_go_go_bp_simplified" in names


def test_zero_terms_tested_says_why(tmp_path: Path) -> None:
    (tmp_path / "list.txt").write_text("\n".join(GENES[:12]) + "\n")
    ctx = _ctx(_study(tmp_path, {"min_size": 25}, files=["list.txt"]))
    res = run(ctx)
    assert res.ora["Test sets"].params["n_terms_tested"] == 0
    warnings = ctx.report.sections[0].warnings
    assert any(
        "0 terms tested: no term has 25–" in w and "12 list genes annotated" in w for w in warnings
    ), warnings
