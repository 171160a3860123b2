"""Enrichment figures: the paper's GO/KEGG bubble plot, a bar plot and the GSEA running score."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from exodisc.pl._style import STYLE, log_formatter, new_figure

__all__ = ["enrichment_bars", "enrichment_bubble", "enrichment_plot_data", "gsea_running_score"]

XColumn = Literal["gene_ratio", "rich_factor", "fold_enrichment"]
_X_LABELS = {
    "gene_ratio": "Gene ratio (overlap / list genes)",
    "rich_factor": "Rich factor (overlap / term size)",
    "fold_enrichment": "Fold enrichment",
}


def _label(row: pd.Series, width: int = 60) -> str:
    text = str(row.get("description") or "")
    term = str(row["term"])
    # GMT descriptions are often URLs or empty; GO tables carry the term name there
    name = text if text and not text.startswith(("http", "na")) and text != term else term
    if name != term and term.startswith("GO:"):
        name = f"{name} ({term})"
    return name if len(name) <= width else name[: width - 1] + "…"


def enrichment_plot_data(
    table: pd.DataFrame,
    *,
    top: int = 20,
    x: XColumn = "gene_ratio",
    color: Literal["p_adj", "p_value"] = "p_adj",
) -> pd.DataFrame:
    """The rows a bubble or bar plot shows, in plotting order (what the figure's TSV holds).

    The ``top`` terms by ``color`` (then ``p_value``, then term name) are kept, and ordered
    by ``x`` so that the largest value is drawn at the top (clusterProfiler's ``dotplot``
    order); ``label`` is the text on the y axis.

    Notes
    -----
    R equivalent: ``head(as.data.frame(enrichResult), top)`` ordered by ``GeneRatio``.
    """
    need = ["term", "overlap", x, color]
    missing = [c for c in need if c not in table.columns]
    if missing:
        msg = f"enrichment table lacks column(s) {missing}; expected an ORA result table"
        raise ValueError(msg)
    keep = table.sort_values([color, "p_value", "term"], kind="mergesort").head(top).copy()
    keep["label"] = [_label(r) for _, r in keep.iterrows()]
    keep["neg_log10_" + color] = -np.log10(np.clip(keep[color].to_numpy(float), 1e-300, 1))
    keep = keep.sort_values([x, "term"], ascending=[True, False], kind="mergesort")
    return keep.reset_index(drop=True)


def enrichment_bubble(
    data: pd.DataFrame,
    *,
    x: XColumn = "gene_ratio",
    color: Literal["p_adj", "p_value"] = "p_adj",
    title: str = "",
    ax: Any = None,
) -> Any:
    """The paper's GO / KEGG bubble plot: x = gene ratio (or rich factor), size = count,
    colour = adjusted P value.

    Parameters
    ----------
    data
        Output of :func:`enrichment_plot_data` (one row per term, in plotting order).
    x
        Column for the x axis.
    color
        Column for the colour (shown as its value; darker red = smaller).
    title
        Axes title (e.g. ``"GO biological process"``).
    ax
        Draw into this Axes; a new Figure is made when None.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    R equivalent: ``enrichplot::dotplot(enrichResult, x = "GeneRatio", color = "p.adjust",
    size = "Count")``.
    """
    from matplotlib import rc_context
    from matplotlib.colors import LogNorm
    from matplotlib.transforms import ScaledTranslation

    n = len(data)
    with rc_context(STYLE):
        if ax is None:
            # wide enough for the y labels (up to 60 characters + GO id), the colour bar and
            # the count legend: real GO term names otherwise collapse the axes
            longest = int(data["label"].astype(str).str.len().max()) if n else 0
            fig = new_figure(max(5.6, 3.4 + 0.07 * longest), max(2.6, 0.26 * n + 1.6))
            ax = fig.add_subplot()
        else:
            fig = ax.figure
        if n == 0:
            ax.text(0.5, 0.5, "no enriched terms", ha="center", va="center")
            ax.set_axis_off()
            return fig
        y = np.arange(n)
        counts = data["overlap"].to_numpy(float)
        cvals = np.clip(data[color].to_numpy(float), 1e-300, 1)
        lo, hi = float(cvals.min()), float(cvals.max())
        norm = LogNorm(vmin=lo, vmax=hi if hi > lo else lo * 10)
        size = 25 + 220 * (counts - counts.min()) / max(counts.max() - counts.min(), 1)
        sc = ax.scatter(
            data[x], y, s=size, c=cvals, cmap="RdBu", norm=norm, edgecolors="0.3", linewidths=0.4
        )
        ax.set_yticks(y, data["label"])
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xlabel(_X_LABELS[x])
        ax.margins(x=0.15)
        ax.grid(axis="both", color="0.92", linewidth=0.6)
        ax.set_axisbelow(True)
        cb = fig.colorbar(sc, ax=ax, shrink=0.7, pad=0.02, aspect=15)
        cb.formatter = log_formatter()
        cb.minorformatter = log_formatter(minor=True)
        cb.set_label("Adjusted P (BH)" if color == "p_adj" else "P value")
        levels = np.unique(np.linspace(counts.min(), counts.max(), 4).round().astype(int))
        for c in levels:
            s = 25 + 220 * (c - counts.min()) / max(counts.max() - counts.min(), 1)
            ax.scatter([], [], s=s, color="0.6", edgecolors="0.3", linewidths=0.4, label=str(c))
        # below the x label at a fixed distance (inches, not axes fractions: with few terms
        # the axes are short and a fractional offset put the legend outside the figure)
        below = ScaledTranslation(0, -0.45, fig.dpi_scale_trans)
        ax.legend(
            title="Count",
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            bbox_transform=ax.transAxes + below,
            ncols=len(levels),
            frameon=False,
            columnspacing=1.2,
        )
        if title:
            ax.set_title(title)
    return fig


def enrichment_bars(
    data: pd.DataFrame,
    *,
    color: Literal["p_adj", "p_value"] = "p_adj",
    title: str = "",
    ax: Any = None,
) -> Any:
    """Horizontal bars of −log10 adjusted P per term, labelled with the overlap count.

    Parameters
    ----------
    data
        Output of :func:`enrichment_plot_data`.
    color
        Column whose −log10 is drawn.
    title
        Axes title.
    ax
        Draw into this Axes; a new Figure is made when None.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    R equivalent: ``barplot(enrichResult, showCategory = n)`` (enrichplot).
    """
    from matplotlib import rc_context

    n = len(data)
    with rc_context(STYLE):
        if ax is None:
            fig = new_figure(5.2, max(2.2, 0.26 * n + 1.0))
            ax = fig.add_subplot()
        else:
            fig = ax.figure
        vals = -np.log10(np.clip(data[color].to_numpy(float), 1e-300, 1))
        order = np.argsort(vals, kind="mergesort")
        y = np.arange(n)
        ax.barh(y, vals[order], color="#c0392b", height=0.7)
        ax.set_yticks(y, data["label"].to_numpy()[order])
        for yi, v, c in zip(y, vals[order], data["overlap"].to_numpy()[order], strict=True):
            ax.text(v, yi, f" {int(c)}", va="center", fontsize=7)
        ax.set_xlabel("−log10 adjusted P" if color == "p_adj" else "−log10 P")
        ax.axvline(-np.log10(0.05), color="0.4", linestyle="--", linewidth=0.8)
        if title:
            ax.set_title(title)
    return fig


def gsea_running_score(data: pd.DataFrame, *, title: str = "", es: float | None = None) -> Any:
    """The GSEA enrichment plot: running score, hit ticks and the ranking metric.

    Parameters
    ----------
    data
        :func:`exodisc.omics.enrichment.running_score` output.
    title
        The set's name.
    es
        Enrichment score to mark with a dashed line (default: the running score's extreme).

    Notes
    -----
    R equivalent: ``enrichplot::gseaplot2(gseaResult, geneSetID)``; GSEA's enrichment plot.
    """
    from matplotlib import rc_context

    with rc_context(STYLE):
        fig = new_figure(4.2, 3.4)
        gs = fig.add_gridspec(3, 1, height_ratios=[3, 0.6, 1.4])
        a1 = fig.add_subplot(gs[0])
        a2 = fig.add_subplot(gs[1], sharex=a1)
        a3 = fig.add_subplot(gs[2], sharex=a1)
        rank = data["rank"].to_numpy()
        res = data["running_es"].to_numpy()
        a1.plot(rank, res, color="#2e7d32", linewidth=1.2)
        a1.axhline(0, color="0.5", linewidth=0.6)
        if es is None:
            es = float(res[np.argmax(np.abs(res))])
        a1.axhline(es, color="#c0392b", linestyle="--", linewidth=0.8)
        a1.set_ylabel("Running ES")
        if title:
            a1.set_title(title)
        hits = rank[data["hit"].to_numpy(bool)]
        a2.vlines(hits, 0, 1, color="black", linewidth=0.5)
        a2.set_yticks([])
        a2.spines["left"].set_visible(False)
        a3.fill_between(rank, data["score"].to_numpy(), color="0.6", linewidth=0)
        a3.set_ylabel("Ranking metric")
        a3.set_xlabel("Rank in ordered gene list")
        for a in (a1, a2):
            a.tick_params(labelbottom=False)
    return fig
