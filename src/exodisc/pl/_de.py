"""Figures of differential expression: PCA of samples, volcano, MA plot, top-gene heatmap."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from exodisc.pl._style import STYLE, log_formatter, new_figure

__all__ = ["de_heatmap", "ma_plot", "pca_samples", "sample_distances", "volcano"]

_STYLE: Any = STYLE  # matplotlib's stubs want Literal keys
_UP = "#D55E00"
_DOWN = "#0072B2"
_NS = "#BBBBBB"


def _axes(ax: Any, width: float, height: float) -> tuple[Any, Any]:
    if ax is None:
        fig = new_figure(width, height)
        return fig, fig.add_subplot(1, 1, 1)
    return ax.figure, ax


def pca_samples(
    scores: pd.DataFrame,
    fraction: Sequence[float] | np.ndarray,
    groups: pd.Series,
    *,
    colors: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    title: str = "",
    ax: Any = None,
) -> Any:
    """Scatter of samples on PC1 and PC2, coloured by group, points labelled by sample.

    Parameters
    ----------
    scores
        Samples x ``PC1, PC2 …`` (:func:`exodisc.omics.de._vst.pca_coordinates`).
    fraction
        Variance fraction of each component (axis labels).
    groups
        Group of every sample (index = sample).
    colors, labels
        Group colours and display labels.
    title
        Axes title.
    ax
        Draw into this Axes; a new Figure when None.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    R equivalent: ``DESeq2::plotPCA(vsd, intgroup = "group")``.
    """
    from matplotlib import rc_context

    colors = dict(colors or {})
    labels = dict(labels or {})
    with rc_context(_STYLE):
        fig, ax = _axes(ax, 3.6, 3.0)
        for g in pd.unique(groups):
            idx = groups.index[groups == g]
            ax.scatter(
                scores.loc[idx, "PC1"],
                scores.loc[idx, "PC2"],
                s=28,
                color=colors.get(g),
                edgecolor="black",
                linewidth=0.4,
                label=labels.get(g, g),
                zorder=3,
            )
        ax.set_xlabel(f"PC1 ({100 * fraction[0]:.1f}% variance)")
        ax.set_ylabel(f"PC2 ({100 * fraction[1]:.1f}% variance)")
        ax.axhline(0, color="#DDDDDD", lw=0.6, zorder=1)
        ax.axvline(0, color="#DDDDDD", lw=0.6, zorder=1)
        ax.legend(frameon=False, loc="best")
        if title:
            ax.set_title(title)
    return fig


def volcano(
    table: pd.DataFrame,
    *,
    fdr: float = 0.05,
    log2_fc: float = 1.0,
    n_labels: int = 10,
    label_column: str = "feature_id",
    title: str = "",
    ax: Any = None,
) -> Any:
    """Volcano plot: log2 fold change against -log10 adjusted P, top features labelled.

    Parameters
    ----------
    table
        A DE table with ``log2_fold_change`` and ``padj`` (rows with NA padj are not drawn).
    fdr, log2_fc
        Thresholds drawn as dashed lines; features passing both are coloured (up/down).
    n_labels
        How many of the most significant called features to label: in a column inside the
        axes on each side, joined to their points by thin lines, one text height apart
        (:func:`exodisc.pl._labels.column_labels`); when a side has more labels than its
        column holds, the least significant are left out.
    label_column
        Column with the label text (e.g. a gene symbol column).
    title
        Axes title.
    ax
        Draw into this Axes; a new Figure when None.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    R equivalent: ``EnhancedVolcano(res, x = "log2FoldChange", y = "padj")``.
    """
    from matplotlib import rc_context

    t = table.dropna(subset=["padj", "log2_fold_change"])
    x = t["log2_fold_change"].to_numpy(dtype=float)
    padj = t["padj"].to_numpy(dtype=float)
    y = -np.log10(np.maximum(padj, np.finfo(float).tiny))
    up = (padj < fdr) & (x > log2_fc)
    down = (padj < fdr) & (x < -log2_fc)
    ns = ~(up | down)
    own = ax is None
    with rc_context(_STYLE):
        fig, ax = _axes(ax, 3.8, 3.4)
        ax.scatter(x[ns], y[ns], s=4, color=_NS, linewidth=0, rasterized=True)
        ax.scatter(x[up], y[up], s=6, color=_UP, linewidth=0, label=f"up ({int(up.sum())})")
        ax.scatter(
            x[down], y[down], s=6, color=_DOWN, linewidth=0, label=f"down ({int(down.sum())})"
        )
        ax.axhline(-np.log10(fdr), color="black", lw=0.6, ls="--")
        for v in (-log2_fc, log2_fc):
            ax.axvline(v, color="black", lw=0.6, ls="--")
        called = np.flatnonzero(up | down)
        top = called[np.argsort(padj[called], kind="stable")][:n_labels]
        ax.set_xlabel("log2 fold change")
        ax.set_ylabel("-log10 adjusted P")
        ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)
        if title:
            ax.set_title(title)
        if top.size:  # last: the columns are measured on the finished layout
            from exodisc.pl._labels import column_labels

            column_labels(
                ax,
                [str(t[label_column].iloc[i]) for i in top],
                x=x[top],
                y=y[top],
                fontsize=6,
                freeze_layout=own,
            )
    return fig


def ma_plot(table: pd.DataFrame, *, fdr: float = 0.05, title: str = "", ax: Any = None) -> Any:
    """MA plot: log2 fold change against mean of normalised counts (log scale).

    Notes
    -----
    R equivalent: ``DESeq2::plotMA(res, alpha = fdr)``.
    """
    from matplotlib import rc_context

    t = table[(table["base_mean"] > 0) & table["log2_fold_change"].notna()]
    sig = (t["padj"] < fdr).fillna(False).to_numpy()
    with rc_context(_STYLE):
        fig, ax = _axes(ax, 3.8, 3.0)
        # the points are rasterized inside the SVG (axes and text stay vector): an SVG of
        # every gene's marker grows with the gene count (18 MB at 200,000 genes)
        x, y = t["base_mean"].to_numpy(), t["log2_fold_change"].to_numpy()
        ax.scatter(x[~sig], y[~sig], s=3, color=_NS, lw=0, rasterized=True)
        ax.scatter(x[sig], y[sig], s=4, color=_UP, lw=0, rasterized=True)
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(log_formatter())
        ax.xaxis.set_minor_formatter(log_formatter(minor=True))
        ax.axhline(0, color="black", lw=0.6)
        ax.set_xlabel("mean of normalised counts")
        ax.set_ylabel("log2 fold change")
        if title:
            ax.set_title(title)
    return fig


def de_heatmap(
    values: pd.DataFrame,
    groups: pd.Series,
    *,
    colors: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    title: str = "",
) -> Any:
    """Clustered heatmap of row z-scores of the top features, samples annotated by group.

    Parameters
    ----------
    values
        Features x samples (e.g. variance-stabilised values of the top DE features); rows are
        z-scored and ordered by average-linkage clustering on Euclidean distance.
    groups
        Group of every sample; columns keep the order of ``values`` (grouped as given).
    colors, labels
        Group colours and labels for the annotation bar and legend.
    title
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    R equivalent: ``pheatmap(assay(vsd)[top, ], scale = "row", cluster_cols = FALSE,
    annotation_col = data.frame(group))`` (the paper's Fig. 8a).
    """
    from matplotlib import rc_context
    from matplotlib.patches import Patch
    from scipy.cluster.hierarchy import leaves_list, linkage

    colors = dict(colors or {})
    labels = dict(labels or {})
    v = values.to_numpy(dtype=float)
    sd = v.std(axis=1, ddof=1, keepdims=True)
    z = (v - v.mean(axis=1, keepdims=True)) / np.where(sd > 0, sd, 1.0)
    order = leaves_list(linkage(z, "average")) if z.shape[0] > 2 else np.arange(z.shape[0])
    z = z[order]
    rows = values.index[order]
    height = min(8.0, 1.2 + 0.12 * len(rows))
    with rc_context(_STYLE):
        fig = new_figure(3.2 + 0.15 * values.shape[1], height)
        gs = fig.add_gridspec(
            2, 2, height_ratios=[0.35, max(len(rows), 1) * 0.1 + 1], width_ratios=[1, 0.05]
        )
        ax_bar = fig.add_subplot(gs[0, 0])
        ax = fig.add_subplot(gs[1, 0])
        cax = fig.add_subplot(gs[1, 1])
        lim = max(2.0, float(np.nanmax(np.abs(z)))) if z.size else 2.0
        im = ax.imshow(
            z, aspect="auto", cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest"
        )
        ax.set_xticks(range(values.shape[1]), list(values.columns), rotation=90, fontsize=6)
        show = len(rows) <= 60
        ax.set_yticks(range(len(rows)) if show else [], list(rows) if show else [], fontsize=5)
        gvals = groups.loc[values.columns].to_list()
        uniq = list(dict.fromkeys(gvals))
        from matplotlib.colors import ListedColormap, to_rgba

        cmap = ListedColormap([to_rgba(colors.get(g, f"C{i}")) for i, g in enumerate(uniq)])
        ax_bar.imshow(
            np.array([[uniq.index(g) for g in gvals]]),
            aspect="auto",
            cmap=cmap,
            vmin=-0.5,
            vmax=len(uniq) - 0.5,
        )
        ax_bar.set_xticks([])
        ax_bar.set_yticks([])
        for s in ax_bar.spines.values():
            s.set_visible(False)
        ax_bar.legend(
            handles=[Patch(color=cmap(i), label=labels.get(g, g)) for i, g in enumerate(uniq)],
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncol=min(3, len(uniq)),
            frameon=False,
            fontsize=6,
        )
        fig.colorbar(im, cax=cax, label="row z-score")
        if title:
            fig.suptitle(title)
    return fig


def sample_distances(
    values: pd.DataFrame,
    groups: pd.Series,
    *,
    colors: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    title: str = "",
) -> tuple[Any, pd.DataFrame]:
    """Heatmap of Euclidean distances between samples (columns of ``values``).

    Parameters
    ----------
    values
        Features x samples (e.g. variance-stabilised values).
    groups
        Group of every sample, for the coloured tick labels.
    colors, labels
        Group colours and labels.
    title
        Axes title.

    Returns
    -------
    (matplotlib.figure.Figure, pandas.DataFrame)
        The figure and the distance matrix it draws (samples x samples).

    Notes
    -----
    R equivalent: ``as.matrix(dist(t(assay(vsd))))`` drawn with ``pheatmap`` (DESeq2 vignette).
    """
    from matplotlib import rc_context
    from scipy.spatial.distance import pdist, squareform

    colors = dict(colors or {})
    labels = dict(labels or {})
    d = squareform(pdist(values.to_numpy(dtype=float).T))
    frame = pd.DataFrame(d, index=values.columns, columns=values.columns)
    with rc_context(_STYLE):
        fig, ax = _axes(None, 3.4 + 0.12 * len(frame), 2.8 + 0.12 * len(frame))
        im = ax.imshow(d, cmap="Blues_r", interpolation="nearest")
        ax.set_xticks(range(len(frame)), list(frame.columns), rotation=90, fontsize=6)
        ax.set_yticks(range(len(frame)), list(frame.index), fontsize=6)
        for tick, s in zip(ax.get_yticklabels(), frame.index, strict=True):
            tick.set_color(colors.get(groups.get(s, ""), "black"))
        fig.colorbar(im, ax=ax, label="Euclidean distance")
        if title:
            ax.set_title(title)
    return fig, frame
