"""Differential expression inside ``exodisc run``: one assay kind per RNA class."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from exodisc.errors import DesignError
from exodisc.registry import AssayContext, register_assay

__all__ = ["RNA_CLASSES", "RnaSeqOptions", "run_rna_class"]

RNA_CLASSES = {
    "mrna_counts": "mRNA",
    "lncrna_counts": "lncRNA",
    "circrna_counts": "circRNA",
    "mirna_counts": "miRNA",
}


class RnaSeqOptions(BaseModel):
    """Options of the RNA-seq count assays (unknown keys are errors)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal[
        "auto",
        "table",
        "featurecounts",
        "htseq",
        "salmon",
        "kallisto",
        "ciriquant",
        "circexplorer2",
        "mirge3",
        "mirtop",
    ] = Field(
        default="auto",
        description="Input format ('auto' sniffs). Per-sample formats (htseq, salmon, "
        "kallisto, ciriquant, circexplorer2) take one file per sample in 'files'.",
    )
    tx2gene: str | None = Field(
        default=None,
        description="Transcript-to-gene table (CSV/TSV) for salmon / kallisto, relative to "
        "the study file.",
    )
    counts_from_abundance: Literal["no", "scaledTPM", "lengthScaledTPM"] = Field(
        default="lengthScaledTPM",
        description="tximport's countsFromAbundance for salmon / kallisto (counts rounded).",
    )
    annotation: str | None = Field(
        default=None,
        description="Gene annotation (ensembl, symbol, biotype columns; relative to the study "
        "file): adds symbol and biotype to the result tables and keeps only the features "
        "classified into this assay's RNA class (exodisc.omics.resources.classify_rna).",
    )
    method: Literal["deseq2", "limma-voom"] = Field(
        default="deseq2", description="DESeq2 (the paper's method) or limma-voom."
    )
    design: str | None = Field(
        default=None,
        description="R design formula of the sample columns 'group' and 'donor' and of the "
        "'covariates' sheet (numeric columns continuous, factor(x) for a factor, interactions "
        "with ':' / '*'); default '~ donor + group' when samples share donors across groups "
        "(paired), else '~ group'. The first group of the study is the reference level; a "
        "comparison of two other groups is R's contrast vector on that fit.",
    )
    covariates: str | None = Field(
        default=None,
        description="Sample sheet (CSV/TSV with a 'sample' column of study sample ids, "
        "relative to the study file) whose other columns the design may use, e.g. dose, RIN, "
        "batch.",
    )
    coefficients: list[str] = Field(
        default_factory=list,
        description="Coefficients tested by name besides the study's comparisons (R's "
        "results(name=)), e.g. ['dose'] with design '~ donor + dose'; when the design has no "
        "'group' term only these are tested.",
    )
    voom_normalization: Literal["tmm", "none"] = Field(
        default="tmm",
        description="limma-voom library sizes: edgeR TMM (limma user's guide) or 'none' (raw).",
    )
    filter_by_expr: bool = Field(
        default=True, description="limma-voom: edgeR filterByExpr(y, design) before voom."
    )
    block: str | None = Field(
        default=None,
        description="limma-voom: sample column treated as a random block (e.g. 'donor', with "
        "design '~ group'): duplicateCorrelation + lmFit(block =, correlation =).",
    )
    size_factors: Literal["auto", "ratio", "poscounts"] = Field(
        default="auto",
        description="'auto': median of ratios, or 'poscounts' when every feature has a zero "
        "(sparse circRNA / miRNA matrices).",
    )
    lfc_threshold: float = Field(
        default=0.0,
        ge=0,
        description="Test |log2FC| > this (altHypothesis greaterAbs); 0 tests against zero "
        "and the study's |log2FC| threshold is applied afterwards (the paper's rule).",
    )
    test: Literal["wald", "lrt"] = Field(
        default="wald",
        description="DESeq2 test: 'wald' (the paper's) or 'lrt' (likelihood-ratio test of the "
        "design against 'reduced'; LFCs stay the full model's).",
    )
    reduced: str | None = Field(
        default=None,
        description="Reduced formula for test 'lrt'; default '~ donor' for paired designs, "
        "else '~ 1'.",
    )
    shrink: Literal["none", "normal"] = Field(
        default="none",
        description="LFC shrinkage: 'normal' reports DESeq2's normal-prior shrunken log2 fold "
        "changes (lfcShrink type='normal'; P values unchanged, MLE kept as "
        "log2_fold_change_mle); 'none' the MLE (the paper's).",
    )
    heatmap_top: int = Field(default=50, ge=2, description="Features in the heatmap.")
    pca_top: int = Field(default=500, ge=2, description="Most variable features for PCA.")


def run_rna_class(ctx: AssayContext, rna_class: str) -> Any:
    """Read the count matrix, test the study's comparisons, report tables and figures."""
    import numpy as np
    import pandas as pd

    from exodisc.omics.de import (
        DEClassResult,
        counts_to_anndata,
        load_counts,
        pca_coordinates,
        run_de,
        vst,
    )
    from exodisc.pl import de_heatmap, ma_plot, pca_samples, sample_distances, volcano

    opts: RnaSeqOptions = ctx.options
    study = ctx.study
    files = ctx.files
    if not files:  # counts of a `reads` assay run before (issue 20)
        from exodisc.reads import counts_for

        files = counts_for(ctx, rna_class)
    if not files:
        msg = (
            f"assay {ctx.assay.id!r}: 'files' lists no count matrix / per-sample outputs "
            "(and no 'reads' assay ran before it)"
        )
        raise DesignError(msg)
    ctx.step(f"{rna_class}: reading counts")
    counts = load_counts(
        files,
        format=opts.format,
        tx2gene=study.resolve(opts.tx2gene) if opts.tx2gene else None,
        counts_from_abundance=opts.counts_from_abundance,
    )
    annot = None
    if opts.annotation:
        counts, annot, dropped = _classify(counts, study.resolve(opts.annotation), rna_class)
    rows = []
    unknown = []
    for col in counts.columns:
        s = study.sample_for(str(col))
        if s is None:
            unknown.append(str(col))
        else:
            rows.append({"column": col, "sample": s.id, "group": s.group, "donor": s.donor})
    if unknown:
        from exodisc.omics.de._checks import unknown_columns_message

        raise DesignError(unknown_columns_message(files[0], unknown))
    sheet = pd.DataFrame(rows).set_index("column")
    counts = counts.rename(columns=dict(zip(sheet.index, sheet["sample"], strict=True)))
    sheet = sheet.set_index("sample")
    groups_present = [g for g in study.group_ids if g in set(sheet["group"])]
    paired = sheet["donor"].notna().all() and sheet.groupby("donor")["group"].nunique().min() > 1
    design = opts.design or ("~ donor + group" if paired else "~ group")
    reduced = opts.reduced or ("~ donor" if paired else "~ 1")
    size_type: Literal["ratio", "poscounts"]
    if opts.size_factors == "auto":
        size_type = "ratio" if (counts.to_numpy() > 0).all(axis=1).any() else "poscounts"
    else:
        size_type = opts.size_factors
    sheet = sheet.astype({"donor": str})
    sheet["group"] = pd.Categorical(sheet["group"], categories=groups_present)
    if opts.covariates:
        from exodisc.omics.de import read_sample_sheet

        cov_path = study.resolve(opts.covariates)
        cov = read_sample_sheet(cov_path)
        lacking = [s for s in sheet.index if s not in cov.index]
        if lacking:
            msg = f"{cov_path}: no row for sample(s) {', '.join(map(str, lacking))}"
            raise DesignError(msg)
        clash = [c for c in cov.columns if c in sheet.columns]
        if clash:
            msg = f"{cov_path}: column(s) {', '.join(clash)} clash with the study's own"
            raise DesignError(msg)
        sheet = sheet.join(cov)
    adata = counts_to_anndata(counts, sheet)
    fdr, lfc = study.thresholds.fdr, study.thresholds.log2_fc
    from exodisc.omics.de._design import CoefContrast, Contrast, parse_formula

    tests: list[tuple[str, str, object]] = []  # key, label, contrast
    if "group" in parse_formula(design):
        for c in study.comparisons_or_all_pairs(groups_present):
            tests.append(
                (
                    f"{c.test}_vs_{c.reference}",
                    f"{study.group_label(c.test)} vs {study.group_label(c.reference)}",
                    Contrast("group", c.test, c.reference),
                )
            )
    tests += [(f"coef_{n}", n, CoefContrast(n)) for n in opts.coefficients]
    if not tests:
        msg = (
            f"assay {ctx.assay.id!r}: nothing to test (no comparison among groups "
            f"{', '.join(groups_present)} and no 'coefficients')"
        )
        raise DesignError(msg)
    sec = ctx.report.add_section(
        ctx.assay.id, ctx.assay.title or f"Differential expression: {rna_class}"
    )
    results = {}
    summary = []
    aid = ctx.assay.id.lower().replace(" ", "_")
    for key, label, what in tests:
        ctx.step(f"{rna_class}: {label}")
        res = run_de(
            adata,
            design,
            what,  # type: ignore[arg-type]
            method=opts.method,
            voom_normalization=opts.voom_normalization,
            filter_by_expr=opts.filter_by_expr,
            block=opts.block if opts.method == "limma-voom" else None,
            alpha=fdr,
            lfc_threshold=opts.lfc_threshold,
            size_factor_type=size_type,
            test=opts.test,
            reduced=reduced if opts.test == "lrt" else None,
            shrink=opts.shrink
            if opts.method == "deseq2" and isinstance(what, Contrast)
            else "none",
        )
        results[key] = res
        t = res.table
        called = res.significant(fdr=fdr, log2_fc=lfc)
        summary.append(
            {
                "comparison": label,
                "tested": int(t["p_value"].notna().sum()),
                "up": int((called["log2_fold_change"] > 0).sum()),
                "down": int((called["log2_fold_change"] < 0).sum()),
                "flagged_all_zero_group": int(
                    (t.get("all_zero_group", False) & (t["padj"] < fdr)).sum()
                ),
                "filter_threshold": res.params.get("filter_threshold", np.nan),
                "prior_var": res.params.get("prior_var", np.nan),
            }
        )
        norm = res.normalized.add_prefix("norm_")
        full = t.merge(norm, left_on="feature_id", right_index=True, how="left")
        if annot is not None:
            full = _annotate(full, annot)
        sec.add_table(
            f"{aid}_{key}",
            full.sort_values(["padj", "feature_id"], na_position="last"),
            caption=f"{rna_class}: {label}, {opts.method} results, normalised counts",
            show=False,
        )
        plotted = t[["feature_id", "log2_fold_change", "padj"]].dropna()
        shown = t
        if annot is not None:  # people read gene symbols; the ids stay in the tables
            shown = t.assign(label=_readable_names(t["feature_id"], annot))
        sec.add_figure(
            f"{aid}_{key}_volcano",
            volcano(
                shown,
                fdr=fdr,
                log2_fc=lfc,
                title=f"{rna_class}: {label}",
                label_column="label" if annot is not None else "feature_id",
            ),
            plotted,
            caption=f"Volcano plot; dashed lines at FDR {fdr} and |log2FC| {lfc}.",
        )
        sec.add_figure(
            f"{aid}_{key}_ma",
            ma_plot(t, fdr=fdr, title=f"{rna_class}: {label}"),
            t[["feature_id", "base_mean", "log2_fold_change", "padj"]].dropna(
                subset=["log2_fold_change"]
            ),
            caption=f"MA plot; features with FDR < {fdr} coloured.",
        )
        if opts.method == "deseq2" and opts.shrink == "normal":
            sec.add_method(
                "de.lfc_shrink_normal",
                rna_class=rna_class,
                prior_var=", ".join(
                    f"{k} {v:.3g}" for k, v in res.params["beta_prior_var"].items()
                ),
            )
        if opts.method == "deseq2" and opts.test == "lrt":
            sec.add_method(
                "de.deseq2_lrt",
                rna_class=rna_class,
                n_features=res.params["n_features"],
                n_samples=res.params["n_samples"],
                design=design,
                reduced=reduced,
                df=res.params["lrt_df"],
                fdr=fdr,
                log2_fc=lfc,
            )
        if opts.method == "deseq2":
            sec.add_method(
                "de.deseq2",
                rna_class=rna_class,
                n_features=res.params["n_features"],
                n_samples=res.params["n_samples"],
                size_factor_type=size_type,
                trend=res.params["trend"],
                prior_var=res.params["prior_var"],
                prior_var_method=res.params["prior_var_method"],
                design=design,
                fdr=fdr,
                log2_fc=lfc,
            )
        else:
            sec.add_method(
                "de.limma_voom",
                rna_class=rna_class,
                preprocessing=(
                    ("edgeR filterByExpr, " if opts.filter_by_expr else "no expression filter, ")
                    + (
                        "TMM normalisation"
                        if opts.voom_normalization == "tmm"
                        else "raw library sizes"
                    )
                ),
                block=(
                    f", {opts.block} as a random block (duplicateCorrelation, consensus "
                    f"correlation {res.params['block_correlation']:.3f})"
                    if opts.block
                    else ""
                ),
                n_features=res.params["n_features"],
                n_samples=res.params["n_samples"],
                design=design,
                df_prior=res.params["df_prior"],
                fdr=fdr,
                log2_fc=lfc,
            )
    sec.add_table(f"{aid}_summary", pd.DataFrame(summary), caption=f"{rna_class}: called features")
    first = next(iter(results.values()))
    # limma-voom: log2 counts per million (about voom's E values)
    values: pd.DataFrame = (
        vst(first) if opts.method == "deseq2" else first.normalized.add(0.5).apply(np.log2)
    )
    scores, frac = pca_coordinates(values, n_top=opts.pca_top)
    grp = sheet["group"].astype(str)
    colors = study.group_colors()
    labels = {g: study.group_label(g) for g in groups_present}
    pdata = scores[["PC1", "PC2"]].assign(group=grp.loc[scores.index]).reset_index(names="sample")
    sec.add_figure(
        f"{aid}_pca",
        pca_samples(scores, frac, grp, colors=colors, labels=labels, title=f"{rna_class}: PCA"),
        pdata,
        caption=f"PCA of the {min(opts.pca_top, len(values))} most variable features (VST).",
    )
    sec.add_method("de.vst_pca", n_used=min(opts.pca_top, len(values)), n_top=opts.pca_top)
    dfig, dmat = sample_distances(
        values, grp, colors=colors, labels=labels, title=f"{rna_class}: sample distances"
    )
    sec.add_figure(
        f"{aid}_sample_distances",
        dfig,
        dmat.reset_index(names="sample"),
        caption="Euclidean distances between samples on the transformed values.",
    )
    top: list[str] = []
    for res in results.values():
        called = res.significant(fdr=fdr, log2_fc=lfc).sort_values("padj")
        top += [f for f in called["feature_id"] if f not in top]
    top = top[: opts.heatmap_top]
    if len(top) >= 2:
        order = [s for g in groups_present for s in sheet.index[sheet["group"] == g]]
        hv = values.loc[top, order]
        drawn = hv
        if annot is not None:  # rows named by gene symbol in the figure, ids in its table
            drawn = hv.set_axis(_readable_names(pd.Series(hv.index), annot), axis=0)
        sec.add_figure(
            f"{aid}_heatmap",
            de_heatmap(
                drawn, grp, colors=colors, labels=labels, title=f"{rna_class}: top DE features"
            ),
            hv.reset_index(),
            caption=(
                f"Row z-scores of VST values of the {len(top)} most significant called features "
                f"(FDR < {fdr}, |log2FC| > {lfc})."
            ),
        )
    else:
        sec.add_text(f"Fewer than two {rna_class} features were called; no heatmap drawn.")
    n_flag = sum(
        int((r.table["extreme_lfc"] & (r.table["padj"] < fdr)).sum())
        for r in results.values()
        if "extreme_lfc" in r.table
    )
    if n_flag:
        sec.add_warning(
            f"{n_flag} significant {rna_class} feature(s) have |log2FC| > 10, typically an "
            "all-zero group (separation); R DESeq2 reports them the same way, but treat them "
            "with caution (see the all_zero_group and extreme_lfc columns)."
        )
    if annot is not None:
        sec.add_text(
            f"{rna_class}: features classified with the annotation {opts.annotation}; "
            f"{dropped} feature(s) of other classes (or not in the annotation) left out."
        )
    sec.add_text(
        f"{rna_class}: {len(counts)} features in {counts.shape[1]} samples; design {design}; "
        f"size factors: {size_type}."
    )
    return DEClassResult(rna_class, MappingProxyType(results), values, fdr, lfc)


def _classify(counts: Any, path: Any, rna_class: str) -> tuple[Any, Any, int]:
    """Keep the features of ``rna_class`` (resources layer); their symbol / biotype."""
    from exodisc.omics.resources import classify_rna, read_gene_annotation, strip_version

    annotation = read_gene_annotation(path)
    cls = classify_rna(counts.index, annotation).set_index("feature_id")
    keep = (cls["rna_class"] == rna_class).to_numpy()
    if not keep.any():
        seen = ", ".join(f"{k} {v}" for k, v in cls["rna_class"].value_counts().items())
        msg = f"{path}: no feature of the count matrix is classified as {rna_class} ({seen})"
        raise DesignError(msg)
    sym = dict(zip(annotation["ensembl"], annotation["symbol"], strict=True))
    by_sym = set(annotation["symbol"])
    ids = [str(i) for i in counts.index[keep]]
    symbols = [
        sym.get(k, i if i in by_sym else "") for i, k in zip(ids, strip_version(ids), strict=True)
    ]
    annot = cls.loc[ids, ["biotype"]].assign(symbol=symbols, rna_class=rna_class)
    return counts.loc[keep], annot[["symbol", "biotype", "rna_class"]], int((~keep).sum())


def _readable_names(ids: Any, annot: Any) -> list[str]:
    """Gene symbol where the annotation has one, else the id (unique: a repeated symbol
    gets its id in brackets, so two rows never share a label)."""
    import pandas as pd

    sym = annot["symbol"] if "symbol" in annot.columns else pd.Series(dtype=object)
    names = [str(sym.get(i)) if isinstance(sym.get(i), str) and sym.get(i) else str(i) for i in ids]
    seen: dict[str, int] = {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
    return [
        f"{n} [{i}]" if seen[n] > 1 and n != str(i) else n for n, i in zip(names, ids, strict=True)
    ]


def _annotate(table: Any, annot: Any) -> Any:
    """Result table with ``symbol``, ``biotype``, ``rna_class`` after ``feature_id``."""
    out = table.merge(annot, left_on="feature_id", right_index=True, how="left")
    cols = ["feature_id", "symbol", "biotype", "rna_class"]
    return out[cols + [c for c in out.columns if c not in cols]]


def _make(kind: str, rna_class: str) -> None:
    def run(ctx: AssayContext) -> Any:
        return run_rna_class(ctx, rna_class)

    run.__doc__ = f"Differential expression of {rna_class} counts (DESeq2 method)."
    register_assay(
        kind,
        title=f"Differential expression: {rna_class}",
        options=RnaSeqOptions,
        produces=("de_table",),
        consumes=("read_counts",),  # a DE assay without files takes a reads assay's counts
    )(run)


for _kind, _cls in RNA_CLASSES.items():
    _make(_kind, _cls)
