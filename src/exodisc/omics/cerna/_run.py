"""The ``cerna`` assay kind: ceRNA networks inside ``exodisc run``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from exodisc.errors import DesignError, SchemaError
from exodisc.registry import AssayContext, register_assay

if TYPE_CHECKING:
    import pandas as pd

    from exodisc.omics.cerna import CernaNetwork, PairStats

__all__ = ["CernaOptions", "CernaResult", "run"]


class CernaOptions(BaseModel):
    """Options of the ``cerna`` assay (unknown keys are errors); paths relative to the study."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cerna_class: Literal["lncRNA", "circRNA"] = "lncRNA"
    expr_cerna: Path = Field(description="ceRNA expression or counts, features x samples TSV.")
    expr_mrna: Path = Field(description="mRNA expression or counts TSV.")
    expr_mirna: Path | None = Field(default=None, description="miRNA expression or counts TSV.")
    targets_cerna: Path = Field(description="ceRNA–miRNA interactions (any read_targets format).")
    targets_mrna: Path = Field(description="mRNA–miRNA interactions.")
    values: Literal["counts", "log"] = Field(
        default="counts",
        description="'counts': raw counts, used as log2 of median-of-ratios normalised counts "
        "+ 1; 'log': used as given.",
    )
    mirbase: Path | None = Field(default=None, description="miRBase mature names to map to.")
    test: str | None = Field(default=None, description="Group tested (default: 1st comparison).")
    reference: str | None = None
    de: dict[Literal["cerna", "mrna", "mirna"], str] = Field(
        default_factory=dict,
        description="Per RNA class, the id of an earlier DE assay or a DE table TSV "
        "(feature_id, log2_fold_change, padj); classes without one get a Welch screen.",
    )
    mode: Literal["cerna_logic", "all_pairs"] = "cerna_logic"
    min_shared: int = Field(default=1, ge=1)
    population: Literal["target_tables", "analysed"] = Field(
        default="target_tables",
        description="miRNA population N: every miRNA of the target tables (GDCRNATools) or "
        "only those of the analysed features.",
    )
    correlation_samples: Literal["mirna", "all"] = Field(
        default="mirna",
        description="ceRNA–mRNA correlation on the samples shared with the miRNA matrix "
        "(GDCRNATools) or on all RNA samples.",
    )
    max_fdr: float | None = Field(
        default=None, gt=0, le=1, description="Edge filter on hyper_fdr (default study fdr)."
    )
    min_pearson_r: float | None = Field(default=None, ge=-1, le=1)
    max_pearson_p: float | None = Field(default=None, gt=0, le=1)
    figure_max_nodes: int = Field(default=200, ge=10)
    view_max_nodes: int = Field(
        default=1000, ge=10, description="Node limit of the interactive view in report.html."
    )
    enrichment: dict[str, str] = Field(
        default_factory=dict,
        description="Label -> gene-set file (GMT, GAF, GO table) or resource name; the "
        "network's mRNAs are tested for over-representation against every mRNA measured.",
    )
    id_map: str | None = Field(
        default=None,
        description="Gene annotation table (Ensembl, symbol, Entrez) mapping mRNA ids to the "
        "gene sets' identifiers.",
    )
    id_to: Literal["symbol", "entrez", "ensembl"] = "symbol"
    enrichment_top: int = Field(default=15, ge=1)


def _symbol_labels(ctx: AssayContext, opts: Any, ids: Any) -> dict[str, str] | None:
    """Node id -> gene symbol from the assay's ``id_map`` annotation (None without one)."""
    if opts.id_map is None:
        return None
    from exodisc.omics.resources import read_gene_annotation, strip_version

    ann = read_gene_annotation(ctx.study.resolve(opts.id_map))
    sym = {e: s for e, s in zip(ann["ensembl"], ann["symbol"], strict=True) if e and s}
    ids = [str(i) for i in ids]
    return {
        i: sym[b] for i, b in zip(ids, strip_version(ids), strict=True) if b in sym and sym[b] != i
    }


@dataclass(frozen=True)
class CernaResult:
    """What the ``cerna`` assay returns (stored in ``ctx.results``)."""

    pairs: PairStats
    network: CernaNetwork
    directions: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)


def _log_normalised(counts: pd.DataFrame) -> pd.DataFrame:
    """log2(counts / size factor + 1), size factors by the median of ratios (DESeq2).

    Features with a zero in any sample are left out of the geometric means (as DESeq2's
    ``estimateSizeFactors``); when every feature has a zero, the ``poscounts`` variant is used.
    """
    import numpy as np
    import pandas as pd

    x = counts.to_numpy(float)
    with np.errstate(divide="ignore"):
        logx = np.log(x)
    full = np.isfinite(logx).all(axis=1)
    if full.any():
        geo = logx[full].mean(axis=1)
        sf = np.exp(np.median(logx[full] - geo[:, None], axis=0))
    else:  # poscounts: geometric mean over the positive counts
        pos = np.where(x > 0, logx, 0.0)
        geo = pos.sum(axis=1) / np.maximum((x > 0).sum(axis=1), 1)
        ratio = np.where(x > 0, logx - geo[:, None], np.nan)
        sf = np.exp(np.nanmedian(ratio[(x > 0).any(axis=1)], axis=0))
        sf = sf / np.exp(np.mean(np.log(sf)))
    return pd.DataFrame(np.log2(x / sf + 1.0), index=counts.index, columns=counts.columns)


def _de_table(ctx: AssayContext, ref: str, key: str) -> pd.DataFrame:
    """DE table from an earlier assay's result (duck-typed) or a TSV file."""
    import pandas as pd

    if ref in ctx.results:
        res = ctx.results[ref]
        inner = getattr(res, "results", None)
        if inner is not None and hasattr(inner, "keys"):
            if key not in inner:
                msg = (
                    f"assay {ctx.assay.id!r}: DE assay {ref!r} has no comparison {key!r} "
                    f"(it has {', '.join(inner.keys())})"
                )
                raise DesignError(msg)
            return inner[key].table
        table = getattr(res, "table", None)
        if isinstance(table, pd.DataFrame):
            return table
        msg = f"assay {ctx.assay.id!r}: result of assay {ref!r} holds no DE table"
        raise DesignError(msg)
    path = ctx.study.resolve(ref)
    if not path.is_file():
        msg = (
            f"assay {ctx.assay.id!r}: options.de value {ref!r} is neither an earlier assay id "
            f"({', '.join(ctx.results) or 'none ran before'}) nor an existing file"
        )
        raise DesignError(msg)
    return pd.read_csv(path, sep="\t")


def _welch_directions(
    logx: pd.DataFrame, test: list[str], ref: list[str], *, alpha: float, log2_fc: float
) -> pd.Series:
    import numpy as np
    import pandas as pd
    from scipy import stats

    a = logx[test].to_numpy(float)
    b = logx[ref].to_numpy(float)
    lfc = a.mean(axis=1) - b.mean(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = stats.ttest_ind(a, b, axis=1, equal_var=False).pvalue
    p = np.where(np.isnan(p), 1.0, p)
    called = (p < alpha) & (np.abs(lfc) > log2_fc)
    return pd.Series(np.where(called, np.sign(lfc), 0).astype(int), index=logx.index)


@register_assay(
    "cerna", title="ceRNA network", options=CernaOptions, produces=("cerna_network",),
    consumes=("de_table",),
)  # fmt: skip
def run(ctx: AssayContext) -> CernaResult:
    """ceRNA–miRNA–mRNA network from expression, DE results and interaction tables."""
    import networkx as nx
    import pandas as pd

    from exodisc.omics.cerna import (
        build_network,
        cerna_pairs,
        de_directions,
        dumps_cytoscape,
        harmonize_mirnas,
        read_expression,
        read_mirbase_names,
        read_targets,
    )
    from exodisc.pl import cerna_network, network_plot_data

    opts: CernaOptions = ctx.options
    study = ctx.study
    res_path = study.resolve
    ctx.step("cerna: reading inputs")
    raw = {
        "cerna": read_expression(res_path(opts.expr_cerna)),
        "mrna": read_expression(res_path(opts.expr_mrna)),
    }
    if opts.expr_mirna is not None:
        raw["mirna"] = read_expression(res_path(opts.expr_mirna))
    # map columns to study samples
    expr: dict[str, pd.DataFrame] = {}
    groups: dict[str, str] = {}
    for cls, df in raw.items():
        rename = {}
        unknown = []
        for col in df.columns:
            s = study.sample_for(str(col))
            if s is None:
                unknown.append(str(col))
            else:
                rename[col] = s.id
                groups[s.id] = s.group
        if unknown:
            path = {"cerna": opts.expr_cerna, "mrna": opts.expr_mrna}.get(cls, opts.expr_mirna)
            path = path if path is not None else Path("?")
            msg = (
                f"{res_path(path)}: column(s) {', '.join(unknown)} match no sample of the study "
                "(add them as samples or aliases)"
            )
            raise DesignError(msg)
        if opts.values == "counts" and (df.to_numpy() < 0).any():
            msg = f"{cls} matrix has negative values but options.values is 'counts'; use 'log'"
            raise SchemaError(msg)
        df = df.rename(columns=rename)
        expr[cls] = _log_normalised(df) if opts.values == "counts" else df
    present = [g for g in study.group_ids if g in set(groups.values())]
    if opts.test and opts.reference:
        test, reference = opts.test, opts.reference
    else:
        comps = study.comparisons_or_all_pairs(present)
        if not comps:
            msg = f"assay {ctx.assay.id!r}: no comparison among groups {', '.join(present)}"
            raise DesignError(msg)
        test, reference = comps[0].test, comps[0].reference
    for g in (test, reference):
        if g not in present:
            msg = f"assay {ctx.assay.id!r}: group {g!r} has no sample in the expression matrices"
            raise DesignError(msg)
    thr = study.thresholds
    key = f"{test}_vs_{reference}"

    # directions (ceRNA logic)
    ctx.step("cerna: direction calls")
    dirs: dict[str, pd.Series] = {}
    welch: list[str] = []
    for cls in expr:
        if cls in opts.de:
            dirs[cls] = de_directions(
                _de_table(ctx, opts.de[cls], key), fdr=thr.fdr, log2_fc=thr.log2_fc
            )
        else:
            cols_t = [s for s in expr[cls].columns if groups[s] == test]
            cols_r = [s for s in expr[cls].columns if groups[s] == reference]
            if min(len(cols_t), len(cols_r)) < 2:
                msg = (
                    f"{cls}: fewer than 2 samples in {test!r} or {reference!r} for a direction call"
                )
                raise DesignError(msg)
            dirs[cls] = _welch_directions(
                expr[cls], cols_t, cols_r, alpha=thr.alpha, log2_fc=thr.log2_fc
            )
            welch.append(cls)

    ctx.step("cerna: miRNA names")
    ref_names = read_mirbase_names(res_path(opts.mirbase)) if opts.mirbase is not None else None
    h = harmonize_mirnas(
        read_targets(res_path(opts.targets_cerna)),
        read_targets(res_path(opts.targets_mrna)),
        expr.get("mirna"),
        reference=ref_names,
    )
    mir_dir = None
    if "mirna" in dirs and h.expr_mirna is not None:
        from exodisc.omics.cerna import normalize_mirnas

        names = normalize_mirnas(map(str, dirs["mirna"].index), reference=ref_names)
        mir_dir = dirs["mirna"].rename(index=names.mapping)
        mir_dir = mir_dir[~mir_dir.index.duplicated()]

    ctx.step("cerna: pair statistics")
    logic = opts.mode == "cerna_logic"
    pairs = cerna_pairs(
        expr["cerna"],
        expr["mrna"],
        targets_cerna=h.targets_cerna,
        targets_mrna=h.targets_mrna,
        expr_mirna=h.expr_mirna,
        direction_cerna=dirs["cerna"] if logic else None,
        direction_mrna=dirs["mrna"] if logic else None,
        min_shared=opts.min_shared,
        population=opts.population,
        correlation_samples=opts.correlation_samples,
    )
    max_fdr = opts.max_fdr if opts.max_fdr is not None else thr.fdr
    net = build_network(
        pairs.table,
        max_fdr=max_fdr,
        min_pearson_r=opts.min_pearson_r,
        max_pearson_p=opts.max_pearson_p,
        mirna_direction=mir_dir if logic else None,
        cerna_direction=dirs["cerna"],
        mrna_direction=dirs["mrna"],
        cerna_type=opts.cerna_class,
    )

    # report
    aid = ctx.assay.id.lower().replace(" ", "_")
    sec = ctx.report.add_section(
        ctx.assay.id, ctx.assay.title or f"ceRNA network ({opts.cerna_class})"
    )
    n_per = min(sum(1 for s in expr["cerna"].columns if groups[s] == g) for g in (test, reference))
    ncls = {c: int((d != 0).sum()) for c, d in dirs.items()}
    labels = {"cerna": opts.cerna_class, "mrna": "mRNA", "mirna": "miRNA"}
    sec.add_text(
        f"{study.group_label(test)} vs {study.group_label(reference)}: "
        + ", ".join(f"{ncls[c]} {labels[c]} changed" for c in dirs)
        + f". {pairs.n_tested} {opts.cerna_class}–mRNA pairs sharing miRNAs were tested "
        f"(N = {pairs.population} miRNAs); {len(net.edges)} passed (hypergeometric FDR < "
        f"{max_fdr}{'' if not logic else ', ceRNA logic'}), giving {len(net.nodes)} nodes "
        f"({(net.nodes['type'] == 'miRNA').sum()} miRNAs, {(net.nodes['type'] == 'mRNA').sum()} "
        f"mRNAs) and {len(net.triplets)} triplets."
    )
    n_corr = len(pairs.samples)
    sec.add_warning(
        f"Correlations use {n_corr} samples ({n_corr - 2} degrees of freedom; with 3 per group "
        "a within-group correlation would have 1). Pearson r, regulation similarity and "
        "sensitivity correlation are descriptive here; the default edge filter rests on the "
        "hypergeometric FDR and the direction rules, not on correlation."
    )
    unmatched = {k: len(v) for k, v in h.unmatched.items() if v}
    if ref_names is not None:
        sec.add_text(
            "miRNA names not found in the miRBase table: "
            + (", ".join(f"{k} {v}" for k, v in unmatched.items()) or "none")
            + "."
        )
    if len(pairs.dropped):
        counts = pairs.dropped.groupby(["kind", "reason"]).size().reset_index(name="n")
        sec.add_table(
            f"{aid}_dropped", counts, caption="Features left out of the pair tests, by reason."
        )
    no_pairs = (
        f"no {opts.cerna_class}–mRNA pair shares a miRNA with a target in both target tables "
        f"({ncls['cerna']} {opts.cerna_class} and {ncls['mrna']} mRNA changed)"
    )
    no_edges = (
        no_pairs
        if not pairs.n_tested
        else (
            f"none of the {pairs.n_tested} pairs tested passed hypergeometric FDR < {max_fdr}"
            + (" and the ceRNA direction rules" if logic else "")
        )
    )
    sec.add_table(
        f"{aid}_pairs",
        pairs.table,
        caption="Every ceRNA–mRNA pair tested, with the GDCRNATools statistics.",
        show=False,
        empty=no_pairs,
    )
    sec.add_table(
        f"{aid}_edges",
        net.edges,
        caption="Network edges (pairs that passed the filters).",
        empty=no_edges,
    )
    triplets = net.triplets
    if h.expr_mirna is not None:
        from exodisc.omics.cerna import triplet_correlations

        triplets = triplet_correlations(
            triplets, expr_cerna=expr["cerna"], expr_mrna=expr["mrna"], expr_mirna=h.expr_mirna
        )
        n_neg = int(triplets["negative_both"].sum())
        sec.add_text(
            f"miRNA–target correlations: in {n_neg} of {len(triplets)} triplets the miRNA "
            f"correlates negatively with both the {opts.cerna_class} and the mRNA."
        )
    sec.add_table(
        f"{aid}_triplets",
        triplets,
        caption="ceRNA–miRNA–mRNA triplets, with the miRNA–target correlations (expected < 0).",
        show=False,
        empty=f"the network has no edges: {no_edges}",
    )
    hubs = net.nodes.sort_values("hub_rank").reset_index(drop=True)
    sec.add_table(
        f"{aid}_nodes",
        hubs,
        caption=(
            "Nodes ranked as hubs (degree, then betweenness); module = greedy-modularity community."
        ),
        empty=f"the network has no edges: {no_edges}",
    )
    fig = cerna_network(
        net, max_nodes=opts.figure_max_nodes, title=f"ceRNA network ({opts.cerna_class})"
    )
    sec.add_figure(
        f"{aid}_network",
        fig,
        network_plot_data(net, max_nodes=opts.figure_max_nodes),
        caption="ceRNA–miRNA–mRNA network; colour and shape by RNA class, size by degree.",
    )
    sec.add_file(
        f"{aid}_network.graphml",
        "\n".join(nx.generate_graphml(net.graph())) + "\n",
        caption="the network as GraphML (Cytoscape, Gephi, networkx, igraph)",
    )
    sec.add_file(
        f"{aid}_network.cyjs",
        dumps_cytoscape(net) + "\n",
        caption="the network as Cytoscape.js JSON (cy.add(...), Cytoscape: File › Import)",
    )
    from exodisc.omics.cerna._view import network_view_html, view_library_record

    ctx.report.record("network_view", view_library_record())

    view, view_cut = network_view_html(
        net,
        element_id=f"cy-{aid}".replace(".", "-"),
        max_nodes=opts.view_max_nodes,
        labels=_symbol_labels(ctx, opts, net.nodes["id"]),
    )
    sec.add_html(
        f"{aid}_network_view",
        view,
        caption="Interactive network (Cytoscape.js, inlined; works offline). Colour and shape "
        "by RNA class, size by degree; edge tooltips list the ceRNA–mRNA pairs with their "
        "shared miRNAs and hypergeometric FDR." + (f" Cut: {view_cut}." if view_cut else ""),
        scripts=("cytoscape",),
    )
    corr_text = ""
    if opts.min_pearson_r is not None:
        corr_text += f" and Pearson r > {opts.min_pearson_r}"
    if opts.max_pearson_p is not None:
        corr_text += f" and one-sided Pearson P < {opts.max_pearson_p}"
    sec.add_method(
        "cerna.gdcce",
        cerna_class=opts.cerna_class,
        n_cerna_targets=len(h.targets_cerna),
        n_mrna_targets=len(h.targets_mrna),
        target_source=f"{Path(opts.targets_cerna).name}, {Path(opts.targets_mrna).name}",
        mode_text=(
            f"Candidate pairs followed ceRNA logic: the {opts.cerna_class} and the mRNA changed "
            f"in the same direction between {study.group_label(test)} and "
            f"{study.group_label(reference)}."
            if logic
            else "All pairs were tested without filtering on differential expression."
        ),
        min_shared=opts.min_shared,
        n_tested=pairs.n_tested,
        population=pairs.population,
        n_samples=n_corr,
        max_fdr=max_fdr,
        corr_text=corr_text,
        mirna_text=(
            "a shared miRNA linked a pair only when it changed opposite to the pair."
            if mir_dir is not None and logic
            else "miRNA direction was not used."
        ),
        networkx_version=nx.__version__,
    )
    if welch:
        sec.add_method(
            "cerna.direction_welch",
            classes=", ".join(welch),
            test=study.group_label(test),
            reference=study.group_label(reference),
            alpha=thr.alpha,
            log2_fc=thr.log2_fc,
            n_per_group=n_per,
        )
    enrichment = _enrichment_hook(ctx, net, [str(i) for i in expr["mrna"].index], sec, aid)
    if enrichment:
        sec.add_text(enrichment)
    direction_table = (
        pd.concat([d.rename("direction").to_frame().assign(rna_class=c) for c, d in dirs.items()])
        .rename_axis("feature_id")
        .reset_index()
    )
    return CernaResult(
        pairs,
        net,
        direction_table,
        {
            "test": test,
            "reference": reference,
            "max_fdr": max_fdr,
            "mode": opts.mode,
            "welch": tuple(welch),
        },
    )


def _enrichment_hook(
    ctx: AssayContext, net: CernaNetwork, background: list[str], sec: Any, aid: str
) -> str:
    """Send the network's mRNAs to over-representation analysis (exodisc.omics.enrichment)."""
    import importlib.util

    opts: CernaOptions = ctx.options
    genes = net.mrnas
    if not opts.enrichment:
        return (
            f"The network's {len(genes)} mRNAs are listed in the nodes table; set "
            "options.enrichment (gene-set files) to test them for GO/KEGG over-representation."
        )
    if importlib.util.find_spec("exodisc.omics.enrichment") is None:  # pragma: no cover
        return "The enrichment module is not part of this installation; no enrichment was run."
    from exodisc.omics.enrichment import ora
    from exodisc.omics.resources import load_gene_sets, map_ids, read_gene_annotation
    from exodisc.pl import enrichment_bubble, enrichment_plot_data

    ctx.step("cerna: enrichment of the network's mRNAs")
    if len(genes) < 2:
        return f"The network has {len(genes)} mRNA(s); no enrichment was run."
    if opts.id_map is not None:
        ann = read_gene_annotation(ctx.study.resolve(opts.id_map))
        mp = map_ids(background, ann, to=opts.id_to, min_rate=0.2)
        conv = {r["input"]: r["mapped"] for r in mp.table.to_dict(orient="records") if r["mapped"]}
        genes = sorted({conv[g] for g in genes if g in conv})
        background = sorted(set(conv.values()))
        sec.add_text(
            f"Identifiers mapped to {opts.id_to} for enrichment: {len(conv)} of "
            f"{len(mp.table)} measured mRNAs ({len(mp.unmapped)} unmapped)."
        )
    texts = []
    for label, spec in opts.enrichment.items():
        resolved = ctx.study.resolve(spec)
        gs, _ = load_gene_sets(resolved if Path(resolved).exists() else spec)
        res = ora(genes, gs, background=background, min_overlap=1)
        slug = "".join(ch if ch.isalnum() else "_" for ch in label.lower()).strip("_") or "sets"
        sec.add_table(
            f"{aid}_enrichment_{slug}",
            res.table,
            caption=f"{label}: over-representation of the network's mRNAs (background: every "
            "mRNA measured).",
            empty=res.why_empty(),
        )
        n_sig = int((res.table["p_adj"] < ctx.study.thresholds.fdr).sum())
        texts.append(
            f"{label}: {len(res.table)} terms tested, {n_sig} at FDR < {ctx.study.thresholds.fdr}"
            + (f" ({res.why_empty()})" if res.table.empty else "")
        )
        if len(res.table):
            data = enrichment_plot_data(res.table, top=opts.enrichment_top)
            sec.add_figure(
                f"{aid}_enrichment_{slug}_bubble",
                enrichment_bubble(data, title=f"{label}: ceRNA network mRNAs"),
                data,
                caption=f"{label}: top terms of the network's mRNAs (size = count, colour = "
                "adjusted P).",
            )
        sec.add_method(
            "cerna.ora",
            label=label,
            n_genes=len(genes),
            n_background=len(background),
        )
    return f"Enrichment of the network's {len(genes)} mRNAs: " + "; ".join(texts) + "."
