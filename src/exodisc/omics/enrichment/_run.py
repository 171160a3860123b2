"""Assay kind ``enrichment``: GO / KEGG / Reactome / Hallmark enrichment inside ``exodisc run``.

Genes come from an earlier differential-expression assay's result (``ctx.results``; its
``table`` has ``feature_id``, ``log2_fold_change`` and ``padj``) when there is one, else from a
declared gene-list file (the assay's first file).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from exodisc.core import is_significant
from exodisc.errors import DesignError, SchemaError
from exodisc.registry import AssayContext, register_assay

__all__ = ["EnrichmentOptions", "EnrichmentRunResult", "run"]

_SYMBOL_COLUMNS = ("symbol", "gene_symbol", "gene_name", "gene")


class EnrichmentOptions(BaseModel):
    """Options of the ``enrichment`` assay kind (unknown keys are errors)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    gene_sets: dict[str, str] = Field(
        min_length=1,
        description="Label -> gene-set file (GMT, GAF, GO table; relative to the study file) "
        "or resource name, e.g. {'GO biological process': 'enrichr_go_bp', 'KEGG': 'kegg.gmt'}.",
    )
    genes_from: Literal["auto", "de", "file"] = Field(
        default="auto",
        description="'de': an earlier DE assay's result; 'file': the assay's gene-list file; "
        "'auto': the DE result when present and its identifiers match the sets, else the file.",
    )
    de_assay: str | None = Field(default=None, description="Id of the DE assay (default: any).")
    de_comparison: str | None = Field(
        default=None,
        description="Comparison key of the DE result, e.g. 'il1b_vs_exo' (default: the first).",
    )
    direction: Literal["both", "up", "down"] = "both"
    background: str | None = Field(
        default=None,
        description="Background gene-list file; default: every feature tested in DE, or for a "
        "gene-list file every gene annotated in the collection.",
    )
    method: Literal["hypergeometric", "fisher", "ease"] = "hypergeometric"
    min_size: int = Field(default=5, ge=1)
    max_size: int = Field(default=500, ge=1)
    min_overlap: int = Field(default=2, ge=1, description="DAVID's count threshold.")
    top: int = Field(default=15, ge=1, description="Terms shown in the figures.")
    x: Literal["gene_ratio", "rich_factor", "fold_enrichment"] = "gene_ratio"
    go_aspect: Literal["BP", "MF", "CC"] = "BP"
    obo: str | None = Field(default=None, description="GO ontology for true-path propagation.")
    simplify: bool = Field(
        default=True,
        description="With a GO graph (obo, or org.Hs.eg.db sets): also a table without parent "
        "terms explained by a more specific significant child.",
    )
    cluster: bool = Field(
        default=True,
        description="DAVID-style kappa clustering of the terms with P < alpha (a table).",
    )
    id_map: str | None = Field(
        default=None,
        description="Gene annotation table (Ensembl, symbol, Entrez columns; file or resource) "
        "to map DE feature ids to the gene sets' identifier type.",
    )
    gsea: bool = Field(default=False, description="Also run preranked GSEA on the DE ranking.")
    permutations: int = Field(default=1000, ge=10)
    gsea_rng: Literal["numpy", "gseapy"] = Field(
        default="numpy",
        description="GSEA permutation stream: 'gseapy' reproduces gseapy.prerank's "
        "permutations (and so its NES and P) for the same seed.",
    )
    min_match_rate: float = Field(
        default=0.2,
        gt=0,
        le=1,
        description="Below this fraction of list genes found in a collection it is an error.",
    )


@dataclass(frozen=True)
class EnrichmentRunResult:
    """What the ``enrichment`` assay returns (stored in ``ctx.results`` for later assays)."""

    ora: Mapping[str, Any]
    gsea: Mapping[str, Any]
    genes: tuple[str, ...]
    source: str
    resources: tuple[Any, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return s or "sets"


def _tables_of(result: Any) -> list[tuple[str, pd.DataFrame]]:
    """DE tables a result offers: its own ``table``, or those of a ``results`` mapping
    (one per comparison, as the DE assay returns for each RNA class)."""
    need = {"feature_id", "padj"}
    table = getattr(result, "table", None)
    if isinstance(table, pd.DataFrame) and need <= set(table.columns):
        return [("", table)]
    out = []
    inner = getattr(result, "results", None)
    if isinstance(inner, Mapping):
        for key, res in inner.items():
            t = getattr(res, "table", None)
            if isinstance(t, pd.DataFrame) and need <= set(t.columns):
                out.append((str(key), t))
    return out


def _find_de(ctx: AssayContext, opts: EnrichmentOptions) -> tuple[str, pd.DataFrame] | None:
    items = list(ctx.results.items())
    if opts.de_assay is not None:
        if opts.de_assay not in ctx.results:
            msg = (
                f"assay {ctx.assay.id!r}: options.de_assay is {opts.de_assay!r}, but no earlier "
                f"assay has that id (earlier assays: {', '.join(ctx.results) or 'none'})"
            )
            raise DesignError(msg)
        items = [(opts.de_assay, ctx.results[opts.de_assay])]
    else:  # prefer mRNA results (the paper enriches mRNAs), then any DE result
        items.sort(key=lambda kv: str(getattr(kv[1], "rna_class", "")).lower() != "mrna")
    for aid, res in items:
        tables = _tables_of(res)
        if not tables:
            continue
        if opts.de_comparison is not None:
            hit = [t for key, t in tables if key == opts.de_comparison]
            if not hit:
                msg = (
                    f"assay {ctx.assay.id!r}: options.de_comparison is {opts.de_comparison!r}, "
                    f"but DE assay {aid!r} has {', '.join(k for k, _ in tables) or 'one table'}"
                )
                raise DesignError(msg)
            return f"{aid} ({opts.de_comparison})", hit[0]
        key, table = tables[0]
        return (f"{aid} ({key})" if key else aid), table
    return None


def _de_genes(
    table: pd.DataFrame, opts: EnrichmentOptions, *, fdr: float, lfc: float
) -> tuple[list[str], list[str], pd.Series | None, str]:
    """Significant genes, tested background and a ranking from a DE table."""
    id_col = next((c for c in _SYMBOL_COLUMNS if c in table.columns), "feature_id")
    ids = table[id_col].astype(str)
    tested = table["padj"].notna().to_numpy()
    padj = table["padj"].to_numpy(float)
    has_lfc = "log2_fold_change" in table.columns
    lfc_v = table["log2_fold_change"].to_numpy(float) if has_lfc else np.zeros(len(table))
    sig = tested & is_significant(padj, lfc_v, fdr=fdr, lfc=lfc)  # the one rule (strict)
    if opts.direction == "up":
        sig &= lfc_v > 0
    elif opts.direction == "down":
        sig &= lfc_v < 0
    genes = list(dict.fromkeys(ids[sig]))
    background = list(dict.fromkeys(ids[tested]))
    ranking = None
    if has_lfc:
        if "stat" in table.columns:  # DESeq2's Wald statistic, the usual GSEA metric
            metric = table["stat"].to_numpy(float)
        else:
            pcol = next((c for c in ("p_value", "pvalue") if c in table.columns), "padj")
            p = table[pcol].to_numpy(float)
            metric = np.sign(lfc_v) * -np.log10(np.clip(p, 1e-300, 1))
        ok = tested & np.isfinite(metric)
        r = pd.Series(metric[ok], index=ids[ok].to_numpy())
        ranking = r[~r.index.duplicated()]
    return genes, background, ranking, id_col


def _go_graph(obo: str | Path | None) -> Any:
    """The GO graph used for propagation: an OBO file / resource, else Debian's GO.db."""
    from exodisc.omics.resources import WITH_REGULATES, locate, read_go_db, read_obo

    if obo is None:
        return read_go_db(relations=WITH_REGULATES)
    path = Path(obo)
    return read_obo(path if path.is_file() else locate(str(obo)).path)


def _map_table(
    ctx: AssayContext,
    table: pd.DataFrame,
    id_map: str,
    opts: EnrichmentOptions,
    collections: Mapping[str, Any],
    sec: Any,
    records: list[Any],
    prefix: str,
) -> pd.DataFrame:
    """Replace DE feature ids by the gene sets' identifier type through ``opts.id_map``."""
    from exodisc.omics.resources import file_record, locate, map_ids, read_gene_annotation

    path = ctx.study.resolve(id_map)
    rec = file_record(path, kind="id_map") if Path(path).exists() else locate(id_map)
    records.append(rec)
    ann = read_gene_annotation(rec.path)
    kinds = [g.id_type for g in collections.values() if g.id_type in ("symbol", "entrez")]
    target: Literal["symbol", "entrez"] = (
        "entrez" if kinds and all(k == "entrez" for k in kinds) else "symbol"
    )
    m = map_ids(table["feature_id"].astype(str), ann, to=target, min_rate=opts.min_match_rate)
    out = table.copy()
    out["symbol" if target == "symbol" else "gene"] = m.table["mapped"].to_numpy()
    if m.unmapped:
        sec.add_text(
            f"{len(m.unmapped)} of {len(table)} DE features had no {target} in "
            f"{Path(rec.path).name} ({m.rate:.1%} mapped); they are listed in table "
            f"{prefix}_unmapped_ids and left out of the enrichment."
        )
        sec.add_table(
            f"{prefix}_unmapped_ids",
            pd.DataFrame({"feature_id": list(m.unmapped)}),
            caption="DE features without a mapped identifier.",
            show=False,
        )
    return out[out["symbol" if target == "symbol" else "gene"] != ""]


@register_assay(
    "enrichment",
    title="Functional enrichment (GO / KEGG)",
    options=EnrichmentOptions,
    produces=("enrichment",),
    consumes=("de_table",),
    requires=lambda o: ("de_table",) if o.genes_from == "de" or o.de_assay else (),
)
def run(ctx: AssayContext) -> EnrichmentRunResult:
    """Over-representation (and optionally GSEA) of DE genes or a gene list in gene-set
    collections, with the paper's bubble plots."""
    from exodisc.omics.enrichment._gsea import gsea, running_score
    from exodisc.omics.enrichment._ora import ora
    from exodisc.omics.enrichment._redundancy import kappa_clusters, simplify_go
    from exodisc.omics.resources import file_record, load_gene_sets, read_gene_list
    from exodisc.pl import (
        enrichment_bubble,
        enrichment_plot_data,
        gsea_running_score,
    )

    opts: EnrichmentOptions = ctx.options
    study = ctx.study
    fdr = study.thresholds.fdr
    sec = ctx.report.add_section(ctx.assay.id, ctx.assay.title or "Functional enrichment")
    prefix = "enrichment" if ctx.assay.id == "enrichment" else f"enrichment_{_slug(ctx.assay.id)}"

    ctx.step("loading gene sets")
    collections = {}
    graphs: dict[str, Any] = {}
    collection_records: dict[str, Any] = {}
    records: list[Any] = []
    for label, spec in opts.gene_sets.items():
        resolved = study.resolve(spec)
        target: str | Path = resolved if Path(resolved).exists() else spec
        obo: str | Path | None = None
        if opts.obo is not None:
            obo_path = study.resolve(opts.obo)
            obo = obo_path if Path(obo_path).exists() else opts.obo
        gs, recs = load_gene_sets(target, aspect=opts.go_aspect, obo=obo)
        if opts.simplify and (obo is not None or str(spec) in ("org.Hs.eg.db", "GO.db")):
            graphs[label] = _go_graph(obo)
        collections[label] = gs
        collection_records[label] = recs[0]
        records.extend(recs)

    def match_rate(genes: list[str]) -> float:
        annotated = set().union(*(set(g.genes_sorted()) for g in collections.values()))
        return sum(g in annotated for g in genes) / max(len(genes), 1)

    de = _find_de(ctx, opts) if opts.genes_from != "file" else None
    if opts.genes_from == "de" and de is None:
        msg = (
            f"assay {ctx.assay.id!r}: genes_from is 'de' but no earlier assay returned a DE "
            "table (feature_id, log2_fold_change, padj); put the DE assay before this one"
        )
        raise DesignError(msg)
    genes: list[str] = []
    background: list[str] | None = None
    ranking = None
    source = ""
    metric_label = ""
    if de is not None:
        aid, table = de
        metric_label = (
            "the Wald statistic" if "stat" in table.columns else "sign(log2 fold change) × −log10 P"
        )
        if opts.id_map is not None:
            table = _map_table(ctx, table, opts.id_map, opts, collections, sec, records, prefix)
        genes, background, ranking, id_col = _de_genes(
            table, opts, fdr=fdr, lfc=study.thresholds.log2_fc
        )
        source = (
            f"genes with FDR < {fdr} and |log2 fold change| > {study.thresholds.log2_fc} "
            f"in assay {aid!r} ({opts.direction}; identifiers from column {id_col!r})"
        )
        rate = match_rate(background)
        if rate < opts.min_match_rate:
            msg = (
                f"only {rate:.0%} of the {len(background)} DE features of assay {aid!r} "
                f"(column {id_col!r}, e.g. {background[:3]}) are in the gene sets, which use "
                f"{', '.join(sorted({g.id_type for g in collections.values()}))} identifiers"
            )
            if opts.genes_from == "de" or not ctx.files:
                raise DesignError(
                    msg + "; add a symbol column to the DE table or use a matching collection"
                )
            sec.add_warning(msg + "; the declared gene-list file was used instead.")
            de = None
    if de is None:
        if not ctx.files:
            msg = (
                f"assay {ctx.assay.id!r}: no DE result to take genes from and no gene-list file "
                "in 'files' (one gene per line)"
            )
            raise DesignError(msg)
        genes = read_gene_list(ctx.files[0])
        records.append(file_record(ctx.files[0], kind="gene_list"))
        source = f"genes listed in {ctx.files[0].name}"
        ranking = None
        background = None
    if opts.background is not None:
        bg_path = study.resolve(opts.background)
        background = read_gene_list(bg_path)
        records.append(file_record(bg_path, kind="gene_list"))
        bg_label = f"the genes in {Path(bg_path).name}"
    elif background is not None:
        bg_label = "every feature tested for differential expression"
    else:
        bg_label = "every gene annotated in the collection"
    if not genes:
        sec.add_warning(f"No genes to test ({source}); enrichment was not run.")
        return EnrichmentRunResult({}, {}, (), source, tuple(records), {})
    rate = match_rate(genes)
    if rate < opts.min_match_rate:
        ids = sorted({g.id_type for g in collections.values()})
        msg = (
            f"assay {ctx.assay.id!r}: only {rate:.0%} of the {len(genes)} genes "
            f"(e.g. {genes[:3]}) occur in the gene sets; they use {', '.join(ids)} identifiers "
            f"(expected at least {opts.min_match_rate:.0%})"
        )
        raise SchemaError(msg)

    ora_results: dict[str, Any] = {}
    gsea_results: dict[str, Any] = {}
    for label, gs in collections.items():
        slug = _slug(label)
        ctx.step(f"enrichment: {label}")
        res = ora(
            genes,
            gs,
            background=background,
            method=opts.method,
            min_size=opts.min_size,
            max_size=min(opts.max_size, 100_000),
            min_overlap=opts.min_overlap,
        )
        ora_results[label] = res
        table = res.table
        n_sig = int((table["p_adj"] < fdr).sum())
        sec.add_text(
            f"{label}: {res.params['list_size']} of {len(genes)} genes are annotated in the "
            f"background of {res.params['background_size']}; {res.params['n_terms_tested']} "
            f"terms tested, {n_sig} enriched at adjusted P < {fdr}."
        )
        if res.params["n_terms_tested"] == 0:
            why = (
                "no list gene is in the collection (no overlap with the gene sets)"
                if res.params["list_size"] == 0
                else f"no term has {opts.min_size}–{min(opts.max_size, 100_000)} genes in the "
                f"background and at least {opts.min_overlap} list gene(s) "
                f"({res.params['list_size']} list genes annotated); lower min_size / "
                "min_overlap or use a larger list"
            )
            sec.add_warning(f"{label}: 0 terms tested: {why}.")
        if res.unmatched:
            sec.add_text(
                f"{label}: {len(res.unmatched)} list gene(s) are not in the annotated "
                f"background and were not counted: {', '.join(res.unmatched[:20])}"
                + (" …" if len(res.unmatched) > 20 else "")
                + f" (full list in table {prefix}_{slug}_unmatched)."
            )
            sec.add_table(
                f"{prefix}_{slug}_unmatched",
                pd.DataFrame({"gene": list(res.unmatched)}),
                caption=f"{label}: list genes not in the annotated background.",
                show=False,
            )
        sec.add_table(
            f"{prefix}_{slug}",
            table,
            caption=f"{label}: over-representation ({opts.method}); p_adj is BH.",
            show=len(table) <= 50,
        )
        if opts.cluster:
            clusters = kappa_clusters(table[table["p_value"] < study.thresholds.alpha])
            if not clusters.empty:
                sec.add_table(
                    f"{prefix}_{slug}_clusters",
                    clusters,
                    caption=(
                        f"{label}: DAVID-style functional annotation clusters (Cohen's kappa "
                        "≥ 0.5 over the list genes, multiple linkage 0.5, ≥ 3 terms) of the "
                        f"terms with P < {study.thresholds.alpha}; enrichment score = mean "
                        "−log10 P of the members."
                    ),
                )
        if label in graphs:
            simple = simplify_go(table, graphs[label], alpha=fdr)
            sec.add_table(
                f"{prefix}_{slug}_simplified",
                simple,
                caption=(
                    f"{label}: terms with adjusted P < {fdr} whose more specific significant "
                    "child has a P at most theirs are left out (GO parent–child "
                    f"simplification); {len(table) - len(simple)} term(s) removed."
                ),
                show=False,
            )
        data = enrichment_plot_data(table, top=opts.top, x=opts.x)
        fig = enrichment_bubble(data, x=opts.x, title=label)
        sec.add_figure(
            f"{prefix}_{slug}_bubble",
            fig,
            data,
            caption=(
                f"{label}: the {len(data)} terms with the smallest adjusted P, ordered by "
                f"{opts.x.replace('_', ' ')}; bubble size = overlapping genes, colour = BH "
                "adjusted P."
            ),
        )
        rec = collection_records[label]
        sec.add_method(
            "enrichment.ora",
            n_genes=len(genes),
            what=source,
            collection=label,
            collection_version=f"{rec.name} {rec.version}, sha256 {rec.sha256[:12]}…",
            test={
                "hypergeometric": "hypergeometric test",
                "fisher": "Fisher exact test",
                "ease": "EASE score (Fisher exact test with one list gene removed, DAVID)",
            }[opts.method],
            background=bg_label,
            background_size=res.params["background_size"],
            min_size=opts.min_size,
            max_size=opts.max_size,
            min_overlap=opts.min_overlap,
            n_terms=res.params["n_terms_tested"],
            fdr=fdr,
        )
        if opts.gsea and ranking is not None:
            ctx.step(f"GSEA: {label}")
            seed = int(ctx.rng(f"gsea/{label}").integers(0, 2**31 - 1))
            g = gsea(
                ranking,
                gs,
                permutations=opts.permutations,
                seed=seed,
                min_size=max(opts.min_size, 5),
                max_size=opts.max_size,
                rng=opts.gsea_rng,
            )
            gsea_results[label] = g
            sec.add_table(f"{prefix}_{slug}_gsea", g.table, caption=f"{label}: preranked GSEA.")
            top_term = str(g.table.iloc[0]["term"])
            rs = running_score(g, top_term)
            sec.add_figure(
                f"{prefix}_{slug}_gsea_top",
                gsea_running_score(rs, title=top_term, es=float(g.table.iloc[0]["es"])),
                rs,
                caption=f"{label}: GSEA running score of the top set ({top_term}).",
            )
            sec.add_method(
                "enrichment.gsea",
                collection=label,
                collection_version=gs.source,
                n_genes=len(ranking),
                metric=metric_label,
                weight=1,
                permutations=opts.permutations,
                rng=(
                    "gseapy's permutation stream"
                    if opts.gsea_rng == "gseapy"
                    else "NumPy PCG64 generator"
                ),
                seed=seed,
                min_size=max(opts.min_size, 5),
                max_size=opts.max_size,
            )
    prov = pd.DataFrame([r.to_dict() for r in records]).drop_duplicates()
    ctx.report.record(f"resources.{ctx.assay.id}", prov.to_dict("records"))
    sec.add_table(
        f"{prefix}_resources",
        _shown_paths(prov, ctx.study.base_dir),
        caption="Gene-set resources and files used (name, version, sha256, source, licence).",
    )
    return EnrichmentRunResult(
        ora_results,
        gsea_results,
        tuple(genes),
        source,
        tuple(records),
        {"options": opts.model_dump(), "background": bg_label},
    )


def _shown_paths(prov: pd.DataFrame, base: Path) -> pd.DataFrame:
    """Absolute local paths as a reader may share them: relative to the study folder.

    Files outside the study folder show as ``…/name`` (the resource cache: name and version
    are in their own columns); provenance.json keeps the full record.
    """
    base = Path(base).resolve()

    def show(v: object) -> object:
        if not isinstance(v, str) or not Path(v).is_absolute():
            return v
        p = Path(v)
        try:
            return p.relative_to(base).as_posix()
        except ValueError:
            return f"…/{p.name}"

    out = prov.copy()
    for col in ("path", "source"):
        if col in out.columns:
            out[col] = out[col].map(show)
    return out
