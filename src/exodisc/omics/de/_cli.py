"""``exodisc de``: differential expression of one count matrix from the command line."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["register"]


class _Method(StrEnum):
    deseq2 = "deseq2"
    limma_voom = "limma-voom"


class _Format(StrEnum):
    auto = "auto"
    table = "table"
    featurecounts = "featurecounts"
    htseq = "htseq"
    salmon = "salmon"
    kallisto = "kallisto"
    ciriquant = "ciriquant"
    circexplorer2 = "circexplorer2"
    mirge3 = "mirge3"
    mirtop = "mirtop"


class _CountsFromAbundance(StrEnum):
    no = "no"
    scaledTPM = "scaledTPM"
    lengthScaledTPM = "lengthScaledTPM"


class _Test(StrEnum):
    wald = "wald"
    lrt = "lrt"


class _Shrink(StrEnum):
    none = "none"
    normal = "normal"


class _VoomNorm(StrEnum):
    tmm = "tmm"
    none = "none"


class _SizeFactors(StrEnum):
    ratio = "ratio"
    poscounts = "poscounts"


def de(
    counts: Annotated[
        list[Path],
        typer.Argument(
            help="Count matrix, features x samples (first column the feature ID; TSV/CSV, "
            "featureCounts, miRge3 miR.Counts.csv, mirtop), or one file per sample (HTSeq, "
            "salmon quant.sf, kallisto abundance.tsv, CIRIquant GTF, CIRCexplorer2)."
        ),
    ],
    samples: Annotated[
        Path, typer.Option("--samples", help="Sample sheet (CSV/TSV) with a 'sample' column.")
    ],
    design: Annotated[
        str,
        typer.Option(
            "--design",
            "--formula",
            help="R design formula, e.g. '~ cell + dex', '~ donor + dose' (numeric columns are "
            "continuous; factor(dose) makes them a factor), '~ genotype * treatment', "
            "'~ 0 + group'.",
        ),
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="Result table (TSV) to write.")],
    contrast: Annotated[
        str | None,
        typer.Option(
            "--contrast",
            help="factor,test_level,reference_level (R's contrast = c(factor, test, ref), a "
            "contrast vector on the fit with the factor's own reference level).",
        ),
    ] = None,
    coef: Annotated[
        str | None,
        typer.Option(
            "--coef",
            "--name",
            help="Test one coefficient by name (R's results(name=)), e.g. 'dose' or "
            "'batchb2.conditionil1b'; see resultsNames, printed on error.",
        ),
    ] = None,
    contrast_vector: Annotated[
        str | None,
        typer.Option(
            "--contrast-vector",
            help="Numeric contrast, one comma-separated weight per coefficient "
            "(R's contrast = c(0, 0, 1, -1)).",
        ),
    ] = None,
    contrast_list: Annotated[
        str | None,
        typer.Option(
            "--contrast-list",
            help="Coefficients added / subtracted: 'a,b/c' is R's contrast = list(c('a', 'b'), "
            "'c').",
        ),
    ] = None,
    reference: Annotated[
        list[str] | None,
        typer.Option(
            "--reference",
            help="Reference level of a factor, 'factor=level' (R's relevel; repeatable). "
            "Default: the first level in sorted order, as R's factor().",
        ),
    ] = None,
    method: Annotated[_Method, typer.Option("--method", help="Test.")] = _Method.deseq2,
    alpha: Annotated[
        float, typer.Option("--alpha", help="FDR for independent filtering (R default 0.1).")
    ] = 0.1,
    lfc_threshold: Annotated[
        float, typer.Option("--lfc-threshold", help="Test |log2FC| > this (greaterAbs).")
    ] = 0.0,
    test: Annotated[
        _Test,
        typer.Option(
            "--test", help="DESeq2 test: Wald (default) or likelihood-ratio against --reduced."
        ),
    ] = _Test.wald,
    reduced: Annotated[
        str | None,
        typer.Option("--reduced", help="Reduced formula for --test lrt, e.g. '~ cell' or '~ 1'."),
    ] = None,
    shrink: Annotated[
        _Shrink,
        typer.Option(
            "--shrink",
            help="LFC shrinkage: none, or DESeq2's normal prior (lfcShrink type='normal'); "
            "the MLE is kept in log2_fold_change_mle, P values are unchanged.",
        ),
    ] = _Shrink.none,
    size_factors: Annotated[
        _SizeFactors, typer.Option("--size-factors", help="Size factor estimator.")
    ] = _SizeFactors.ratio,
    format: Annotated[
        _Format, typer.Option("--format", help="Input format ('auto' sniffs).")
    ] = _Format.auto,
    tx2gene: Annotated[
        Path | None,
        typer.Option("--tx2gene", help="Transcript-to-gene table (salmon / kallisto)."),
    ] = None,
    counts_from_abundance: Annotated[
        _CountsFromAbundance,
        typer.Option("--counts-from-abundance", help="tximport countsFromAbundance."),
    ] = _CountsFromAbundance.lengthScaledTPM,
    voom_norm: Annotated[
        _VoomNorm,
        typer.Option(
            "--voom-norm",
            help="limma-voom library sizes: edgeR TMM (default, limma user's guide) or none "
            "(raw library sizes, exodisc before 2026-12).",
        ),
    ] = _VoomNorm.tmm,
    filter_by_expr: Annotated[
        bool,
        typer.Option(
            "--filter-by-expr/--no-filter-by-expr",
            help="limma-voom: drop low counts with edgeR filterByExpr(y, design) first.",
        ),
    ] = True,
    block: Annotated[
        str | None,
        typer.Option(
            "--block",
            help="limma-voom: sheet column of a random block (donor), limma's "
            "duplicateCorrelation + lmFit(block =, correlation =); design without it.",
        ),
    ] = None,
    annotation: Annotated[
        Path | None,
        typer.Option(
            "--annotation",
            help="Gene annotation (Ensembl / symbol / biotype columns): appends symbol, "
            "biotype and rna_class columns.",
        ),
    ] = None,
) -> None:
    """Test every feature of COUNTS for differential expression (DESeq2 or limma-voom).

    Writes feature_id, base_mean, log2_fold_change, lfc_se, stat, p_value, padj (DESeq2's
    baseMean, log2FoldChange, lfcSE, stat, pvalue, padj; NA written as empty) and flags.
    """
    from exodisc.errors import DesignError, naming_files
    from exodisc.omics.de import counts_to_anndata, load_counts, read_sample_sheet, run_de
    from exodisc.omics.de._design import ListContrast

    given = [
        o
        for o, v in [
            ("--contrast", contrast),
            ("--coef", coef),
            ("--contrast-vector", contrast_vector),
            ("--contrast-list", contrast_list),
        ]
        if v is not None
    ]
    if len(given) != 1:
        msg = "give exactly one of --contrast, --coef, --contrast-vector, --contrast-list" + (
            f" (got {', '.join(given)})" if given else ""
        )
        raise DesignError(msg)
    what: object = contrast
    if contrast_vector is not None:
        try:
            what = [float(v) for v in contrast_vector.split(",")]
        except ValueError:
            msg = f"--contrast-vector {contrast_vector!r} must be comma-separated numbers"
            raise DesignError(msg) from None
    elif contrast_list is not None:
        num, _, den = contrast_list.partition("/")
        what = ListContrast(
            tuple(v.strip() for v in num.split(",") if v.strip()),
            tuple(v.strip() for v in den.split(",") if v.strip()),
        )
    refs: dict[str, str] = {}
    for r in reference or []:
        k, sep, v = r.partition("=")
        if not sep or not k.strip() or not v.strip():
            msg = f"--reference {r!r} must be 'factor=level', e.g. 'dex=untrt'"
            raise DesignError(msg)
        refs[k.strip()] = v.strip()
    matrix = load_counts(
        counts,
        format=format.value,
        tx2gene=tx2gene,
        counts_from_abundance=counts_from_abundance.value,
    )
    sheet = read_sample_sheet(samples)
    ann = None
    if annotation is not None:  # read before the analysis: a bad file fails in seconds
        from exodisc.omics.resources import read_gene_annotation

        ann = read_gene_annotation(annotation)
    with naming_files(*counts, samples):
        adata = counts_to_anndata(matrix, sheet)
        result = run_de(
            adata,
            design,
            what if coef is None else None,  # type: ignore[arg-type]
            coef=coef,
            reference=refs or None,
            voom_normalization="none" if voom_norm is _VoomNorm.none else "tmm",
            filter_by_expr=filter_by_expr,
            block=block,
            method="limma-voom" if method is _Method.limma_voom else "deseq2",
            alpha=alpha,
            lfc_threshold=lfc_threshold,
            size_factor_type="poscounts" if size_factors is _SizeFactors.poscounts else "ratio",
            test="lrt" if test is _Test.lrt else "wald",
            reduced=reduced,
            shrink="normal" if shrink is _Shrink.normal else "none",
        )
    table = result.table.drop(columns=["disp_gene_est", "disp_fit", "max_cooks"], errors="ignore")
    if ann is not None:
        table = _annotated(table, ann)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    table.to_csv(tmp, sep="\t", index=False, na_rep="", float_format="%.17g")
    tmp.replace(out)
    n_sig = int((result.table["padj"] < alpha).sum())
    typer.echo(
        f"{out}: {len(table)} features, {n_sig} with padj < {alpha} "
        f"({result.contrast.label()}, design {design}"
        + (f", LRT vs {reduced}" if test is _Test.lrt else "")
        + ")",
        err=True,
    )


def _annotated(table: pd.DataFrame, ann: pd.DataFrame) -> pd.DataFrame:
    """``table`` with symbol, biotype and RNA class (resources layer) as its last columns."""
    from exodisc.omics.resources import classify_rna, strip_version

    ids = table["feature_id"].astype(str).tolist()
    cls = classify_rna(ids, ann)
    sym = dict(zip(ann["ensembl"], ann["symbol"], strict=True))
    known = set(ann["symbol"])
    return table.assign(
        symbol=[
            sym.get(k, i if i in known else "")
            for i, k in zip(ids, strip_version(ids), strict=True)
        ],
        biotype=cls["biotype"].to_numpy(),
        rna_class=cls["rna_class"].to_numpy(),
    )


def register(app: typer.Typer) -> None:
    """Add ``exodisc de`` to the command line."""
    app.command("de")(de)
