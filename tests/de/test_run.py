"""The DE assays inside ``exodisc run`` on the simulated example counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from exodisc.config import parse_study
from exodisc.demo import demo_design
from exodisc.omics.de import DEClassResult
from exodisc.omics.de._demo import simulate
from exodisc.pipeline import analyse
from exodisc.registry import DemoContext


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, dict[str, object]]:
    folder = tmp_path_factory.mktemp("study")
    design = demo_design()
    ctx = DemoContext(folder=folder, study=parse_study(design, path=folder / "study.yaml"))
    assays = simulate(ctx)
    study = parse_study({**design, "assays": assays}, path=folder / "study.yaml")
    return analyse(study)


def test_four_rna_classes_reported(demo_run: tuple[object, dict[str, object]]) -> None:
    report, results = demo_run
    ids = [s.id for s in report.sections]  # type: ignore[attr-defined]
    for kind in ("mrna", "lncrna", "circrna", "mirna"):
        assert f"de_{kind}" in ids
        res = results[f"de_{kind}"]
        assert isinstance(res, DEClassResult)
        assert set(res.results) == {"il1b_vs_ctrl", "exo_vs_il1b"}
        names = report.names()  # type: ignore[attr-defined]
        for fig in (
            "pca",
            "heatmap",
            "sample_distances",
            "il1b_vs_ctrl_volcano",
            "exo_vs_il1b_volcano",
            "il1b_vs_ctrl_ma",
        ):
            assert f"de_{kind}_{fig}" in names


def test_effects_follow_the_paper(demo_run: tuple[object, dict[str, object]]) -> None:
    _, results = demo_run
    res = results["de_mrna"]
    assert isinstance(res, DEClassResult)
    model = res.significant("il1b_vs_ctrl")
    rescue = res.significant("exo_vs_il1b")
    assert len(model) > 20
    common = set(model["feature_id"]) & set(rescue["feature_id"])
    assert common
    lfc_model = model.set_index("feature_id").loc[sorted(common), "log2_fold_change"]
    lfc_rescue = rescue.set_index("feature_id").loc[sorted(common), "log2_fold_change"]
    assert ((lfc_model * lfc_rescue) < 0).mean() > 0.9  # exosomes reverse IL-1β changes
    assert res.results["il1b_vs_ctrl"].design.formula == "~ donor + group"


def test_demo_files_are_real_formats(tmp_path: Path) -> None:
    design = demo_design()
    ctx = DemoContext(folder=tmp_path, study=parse_study(design, path=tmp_path / "s.yaml"))
    entries = simulate(ctx)
    fc = (tmp_path / entries[0]["files"][0]).read_text().splitlines()
    assert fc[0].startswith("# Program:featureCounts")
    assert fc[1].startswith("Geneid\tChr\tStart\tEnd\tStrand\tLength\taligned/ctrl_1.bam")


def test_limma_voom_method_option(tmp_path: Path) -> None:
    design = demo_design()
    ctx = DemoContext(folder=tmp_path, study=parse_study(design, path=tmp_path / "s.yaml"))
    assays = [a for a in simulate(ctx) if a["kind"] == "mirna_counts"]
    assays[0]["options"] = {"method": "limma-voom"}
    study = parse_study({**design, "assays": assays}, path=tmp_path / "s.yaml")
    report, results = analyse(study)
    res = results["de_mirna"]
    assert isinstance(res, DEClassResult)
    assert res.results["il1b_vs_ctrl"].params["method"] == "limma-voom"
    sec = next(s for s in report.sections if s.id == "de_mirna")
    assert any(m.meta.key == "de.limma_voom" for m in sec.methods)
    assert len(res.significant("il1b_vs_ctrl")) > 5


def test_demo_writes_tool_formats(tmp_path: Path) -> None:
    """circRNA as one CIRIquant GTF per sample, miRNA as miRge3 miR.Counts.csv; the merged
    matrices have every sample and sniff as those formats."""
    from exodisc.omics.de import load_counts
    from exodisc.omics.de._io import sniff_counts

    design = demo_design()
    ctx = DemoContext(folder=tmp_path, study=parse_study(design, path=tmp_path / "study.yaml"))
    entries = {e["kind"]: e for e in simulate(ctx)}
    circ = [tmp_path / f for f in entries["circrna_counts"]["files"]]
    assert len(circ) == 9 and all(f.suffix == ".gtf" for f in circ)
    assert {sniff_counts(f) for f in circ} == {"ciriquant"}
    mirna = tmp_path / entries["mirna_counts"]["files"][0]
    assert sniff_counts(mirna) == "mirge3"
    m = load_counts([mirna])
    assert "miRNAtotal" not in m.index and m.shape[1] == 9
    assert load_counts(circ).shape[1] == 9


def test_run_with_salmon_and_annotation(tmp_path: Path) -> None:
    """A study declaring ``format: salmon`` with tx2gene and an annotation (quant.sf files
    simulated here in salmon's layout): the result table keeps only the annotation's
    protein-coding genes, with symbol and biotype."""
    import numpy as np

    rng = np.random.default_rng(3)
    design = demo_design()
    samples = [s["id"] for s in design["samples"] if s["group"] in ("ctrl", "il1b")]
    n_gene = 30
    tx = [f"ENST{i:04d}.1" for i in range(2 * n_gene)]
    genes = [f"G{i // 2:02d}" for i in range(2 * n_gene)]
    (tmp_path / "tx2gene.tsv").write_text(
        "".join(f"{t}\t{g}\n" for t, g in zip(tx, genes, strict=True))
    )
    length = rng.integers(500, 4000, len(tx))
    files = []
    for sample in samples:
        mu = np.exp(rng.normal(5, 1, len(tx)))
        reads = rng.negative_binomial(5, 5 / (5 + mu)) + rng.random(len(tx)).round(3)
        eff = length - 180.0
        tpm = reads / eff / (reads / eff).sum() * 1e6
        d = tmp_path / "salmon" / sample
        d.mkdir(parents=True)
        rows = [
            f"{t}\t{ln}\t{e:.3f}\t{p:.5f}\t{r:.3f}"
            for t, ln, e, p, r in zip(tx, length, eff, tpm, reads, strict=True)
        ]
        (d / "quant.sf").write_text(
            "Name\tLength\tEffectiveLength\tTPM\tNumReads\n" + "\n".join(rows) + "\n"
        )
        files.append(f"salmon/{sample}/quant.sf")
    kinds = ["protein_coding"] * 24 + ["lncRNA"] * 4
    (tmp_path / "annot.tsv").write_text(
        "gene_id\tgene_name\tgene_type\n"
        + "".join(f"G{i:02d}\tSYM{i}\t{k}\n" for i, k in enumerate(kinds))
    )
    assay = {
        "id": "de_salmon",
        "kind": "mrna_counts",
        "files": files,
        "options": {"format": "salmon", "tx2gene": "tx2gene.tsv", "annotation": "annot.tsv"},
    }
    study = parse_study({**design, "assays": [assay]}, path=tmp_path / "study.yaml")
    report, results = analyse(study)
    res = results["de_salmon"]
    assert isinstance(res, DEClassResult)
    first = next(iter(res.results.values())).table
    assert sorted(first["feature_id"]) == [f"G{i:02d}" for i in range(24)]
    sec = next(s for s in report.sections if s.id == "de_salmon")  # type: ignore[attr-defined]
    table = next(i.frame for i in sec.items if i.name == "de_salmon_il1b_vs_ctrl")
    assert list(table.columns[:4]) == ["feature_id", "symbol", "biotype", "rna_class"]
    row = table.set_index("feature_id").loc["G03"]
    assert (row["symbol"], row["biotype"], row["rna_class"]) == ("SYM3", "protein_coding", "mRNA")
    assert any("6 feature(s) of other classes" in p for p in sec.paragraphs)


def test_demo_mrna_tables_annotated(demo_run: tuple[object, dict[str, object]]) -> None:
    """The demo's mRNA assay declares the simulated annotation: symbols and biotypes appear."""
    report, _ = demo_run
    sec = next(s for s in report.sections if s.id == "de_mrna")  # type: ignore[attr-defined]
    table = next(i.frame for i in sec.items if i.name == "de_mrna_il1b_vs_ctrl")
    assert list(table.columns[:4]) == ["feature_id", "symbol", "biotype", "rna_class"]
    assert (table["rna_class"] == "mRNA").all() and (table["symbol"] != "").all()


def test_demo_figures_name_genes_by_symbol(demo_run: tuple[object, dict[str, object]]) -> None:
    """Volcano labels and heatmap rows show gene symbols; the tables keep the ids."""
    report, _ = demo_run
    sec = next(s for s in report.sections if s.id == "de_mrna")  # type: ignore[attr-defined]
    table = next(i.frame for i in sec.items if i.name == "de_mrna_il1b_vs_ctrl")
    symbol_of = dict(zip(table["feature_id"], table["symbol"], strict=True))
    symbols = set(symbol_of.values())
    volcano = next(i for i in sec.items if i.name == "de_mrna_il1b_vs_ctrl_volcano")
    texts = [t.get_text() for ax in volcano.figure.axes for t in ax.texts if t.get_text()]
    labelled = [t for t in texts if t in symbols]
    assert labelled, texts
    assert not [t for t in texts if t in symbol_of and t not in symbols]  # no bare ids
    assert set(volcano.data["feature_id"]) <= set(symbol_of)  # the figure's table: ids
    heat = next(i for i in sec.items if i.name == "de_mrna_heatmap")
    main = max(heat.figure.axes, key=lambda ax: len(ax.get_yticklabels()))  # not the colour bar
    named = [t.get_text() for t in main.get_yticklabels() if t.get_text()]
    assert named and all(r in symbols for r in named), named[:5]
    assert set(heat.data.iloc[:, 0]) <= set(symbol_of)


def test_lrt_option(tmp_path: Path) -> None:
    """options: {test: lrt}: paired demo design tested against '~ donor' (df = groups - 1)."""
    design = demo_design()
    ctx = DemoContext(folder=tmp_path, study=parse_study(design, path=tmp_path / "s.yaml"))
    assays = [a for a in simulate(ctx) if a["kind"] == "mirna_counts"]
    assays[0]["options"] = {"test": "lrt"}
    study = parse_study({**design, "assays": assays}, path=tmp_path / "s.yaml")
    report, results = analyse(study)
    res = results["de_mirna"].results["il1b_vs_ctrl"]
    assert res.params["test"] == "lrt"
    assert res.params["reduced"] == "~ donor"
    assert res.params["lrt_df"] == len(res.design.levels["group"]) - 1 == 2
    sec = next(s for s in report.sections if s.id == "de_mirna")
    assert any(m.meta.key == "de.deseq2_lrt" for m in sec.methods)


def test_shrink_option(tmp_path: Path) -> None:
    """options: {shrink: normal}: shrunken LFCs in the tables, the method paragraph added."""
    design = demo_design()
    ctx = DemoContext(folder=tmp_path, study=parse_study(design, path=tmp_path / "s.yaml"))
    assays = [a for a in simulate(ctx) if a["kind"] == "mirna_counts"]
    assays[0]["options"] = {"shrink": "normal"}
    study = parse_study({**design, "assays": assays}, path=tmp_path / "s.yaml")
    report, results = analyse(study)
    res = results["de_mirna"].results["il1b_vs_ctrl"]
    assert res.params["shrink"] == "normal"
    assert set(res.params["beta_prior_var"]) == {"donor", "group"}
    assert "log2_fold_change_mle" in res.table.columns
    sec = next(s for s in report.sections if s.id == "de_mirna")
    assert any(m.meta.key == "de.lfc_shrink_normal" for m in sec.methods)


@pytest.mark.slow
def test_covariates_coefficients_and_group_reference(tmp_path: Path) -> None:
    """options: covariates sheet + coefficients; the first study group is the reference and a
    comparison of two other groups is R's contrast vector on that fit (no re-levelled refit)."""
    import numpy as np
    import pandas as pd

    from exodisc.omics.de import run_de

    design = demo_design()
    ctx = DemoContext(folder=tmp_path, study=parse_study(design, path=tmp_path / "s.yaml"))
    assays = [a for a in simulate(ctx) if a["kind"] == "mirna_counts"]
    ids = [s["id"] for s in design["samples"]]
    rin = np.resize([7.1, 8.4, 6.9, 9.2, 7.7, 8.8, 6.5, 7.9, 8.1, 7.4], len(ids))
    pd.DataFrame({"sample": ids, "rin": rin}).to_csv(tmp_path / "cov.csv", index=False)
    assays[0]["options"] = {
        "covariates": "cov.csv",
        "design": "~ donor + group + rin",
        "coefficients": ["rin"],
    }
    study = parse_study({**design, "assays": assays}, path=tmp_path / "s.yaml")
    _, results = analyse(study)
    res = results["de_mirna"]
    assert isinstance(res, DEClassResult)
    assert set(res.results) == {"il1b_vs_ctrl", "exo_vs_il1b", "coef_rin"}
    exo = res.results["exo_vs_il1b"]
    assert exo.design.levels["group"][0] == study.group_ids[0]
    assert exo.design.numeric == ("rin",)
    assert np.count_nonzero(exo.design.contrast) == 2  # exo_vs_ctrl - il1b_vs_ctrl
    coef = res.results["coef_rin"]
    assert coef.params["coefficient"] == "rin"
    # the same test through the library (the R parity of which tests/de/test_formula.py checks)
    from exodisc.omics.de import load_counts

    counts = load_counts([study.resolve(f) for f in assays[0]["files"]])
    sheet = pd.DataFrame(
        {
            "group": pd.Categorical(
                [s.group for s in study.samples], categories=list(study.group_ids)
            ),
            "donor": [s.donor for s in study.samples],
            "rin": rin,
        },
        index=ids,
    )
    import anndata as ad

    cols = [study.sample_for(str(c)).id for c in counts.columns]  # type: ignore[union-attr]
    a = ad.AnnData(counts.T.to_numpy(dtype=float), obs=sheet.loc[cols])
    a.var_names = [str(i) for i in counts.index]
    direct = run_de(a, "~ donor + group + rin", coef="rin", alpha=study.thresholds.fdr)
    np.testing.assert_allclose(
        coef.table["log2_fold_change"], direct.table["log2_fold_change"], rtol=1e-12
    )


@pytest.mark.slow
def test_limma_block_option(tmp_path: Path) -> None:
    """options: limma-voom with the donor as a random block (duplicateCorrelation)."""
    design = demo_design()
    ctx = DemoContext(folder=tmp_path, study=parse_study(design, path=tmp_path / "s.yaml"))
    assays = [a for a in simulate(ctx) if a["kind"] == "mirna_counts"]
    assays[0]["options"] = {"method": "limma-voom", "design": "~ group", "block": "donor"}
    study = parse_study({**design, "assays": assays}, path=tmp_path / "s.yaml")
    report, results = analyse(study)
    res = results["de_mirna"]
    assert isinstance(res, DEClassResult)
    r = res.results["il1b_vs_ctrl"]
    assert -1 < r.params["block_correlation"] < 1
    assert r.params["voom_normalization"] == "tmm"
    sec = next(s for s in report.sections if s.id == "de_mirna")  # type: ignore[attr-defined]
    text = " ".join(m.sentence() for m in sec.methods)
    assert "donor as a random block" in text and "TMM" in text


def test_pca_methods_state_features_used_and_ntop(
    demo_run: tuple[object, dict[str, object]],
) -> None:
    """Methods and R equivalent agree: ntop = 500 (plotPCA's default), capped at the features."""
    import re

    from exodisc.omics.de._run import RnaSeqOptions

    report, _ = demo_run
    sec = next(s for s in report.sections if s.id == "de_mrna")  # type: ignore[attr-defined]
    use = next(u for u in sec.methods if u.meta.key == "de.vst_pca")
    assert RnaSeqOptions().pca_top == 500  # DESeq2 plotPCA(ntop = 500)
    m = re.search(r"of the (\d+) most variable features \(ntop = 500\b", use.sentence())
    assert m is not None, use.sentence()
    assert int(m.group(1)) <= 500
    assert "ntop = ntop" in use.meta.r_equivalent
