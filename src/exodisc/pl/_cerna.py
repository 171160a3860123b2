"""ceRNA network figure: ceRNA – miRNA – mRNA graph, readable up to ~200 nodes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from exodisc.omics.cerna import CernaNetwork

__all__ = [
    "NODE_COLORS",
    "cerna_network",
    "network_layout",
    "network_plot_data",
    "network_subset",
]

_COLORS = {
    "lncRNA": "#e69f00",
    "circRNA": "#cc79a7",
    "ceRNA": "#e69f00",
    "miRNA": "#56b4e9",
    "mRNA": "#009e73",
}
_MARKERS = {"lncRNA": "s", "circRNA": "D", "ceRNA": "s", "miRNA": "^", "mRNA": "o"}


def network_subset(network: CernaNetwork, *, max_nodes: int = 200) -> tuple[list[str], str]:
    """Nodes to draw: all when at most ``max_nodes``, else the top hubs and their neighbours.

    Returns
    -------
    (node ids, description of the cut — empty when nothing was cut)
    """
    nodes = network.nodes
    if len(nodes) <= max_nodes:
        return sorted(nodes["id"]), ""
    g = network.graph()
    chosen: list[str] = []
    seen: set[str] = set()
    hubs = 0
    for hub in nodes.sort_values("hub_rank")["id"]:
        group = [hub, *sorted(g.neighbors(hub))]
        new = [n for n in group if n not in seen]
        if len(seen) + len(new) > max_nodes and hubs > 0:
            break
        seen.update(new)
        chosen += new
        hubs += 1
    cut = (
        f"{len(nodes)} nodes in the network; drawn: the top {hubs} hub(s) by degree and their "
        f"neighbours ({len(seen)} nodes, limit {max_nodes})"
    )
    return sorted(seen), cut


def cerna_network(
    network: CernaNetwork,
    *,
    max_nodes: int = 200,
    label_top: int = 15,
    title: str = "",
    seed: int = 0,
    ax: Axes | None = None,
) -> Figure:
    """Draw the ceRNA network: node colour and shape by RNA class, size by degree.

    Parameters
    ----------
    network
        :func:`exodisc.omics.cerna.build_network` result.
    max_nodes
        Larger networks are cut to the top hubs and their neighbours (see
        :func:`network_subset`); the cut is written under the title.
    label_top
        Label this many nodes with the highest hub rank (all when the network has ≤ 40 nodes).
        Labels are moved off each other and off the nodes (adjustText,
        :func:`exodisc.pl._labels.repel_labels`); one that finds no free place is left out.
    title
        Axes title.
    seed
        Seed of the spring layout (the figure is reproducible).
    ax
        Draw into this axes instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    R equivalent: ``gdcExportNetwork`` + Cytoscape, or ``igraph::plot(g, layout =
    layout_with_fr)``. Layout: Fruchterman–Reingold (``networkx.spring_layout``) per
    connected component, components packed in rows, largest first.
    """
    from matplotlib import rc_context
    from matplotlib.lines import Line2D

    from exodisc.pl._style import STYLE, new_figure

    keep, cut = network_subset(network, max_nodes=max_nodes)
    g = ordered_subgraph(network.graph(), keep)
    own = ax is None
    with rc_context(STYLE):
        if ax is None:
            fig = new_figure(6.5, 5.5)
            ax = fig.add_subplot()
        else:
            fig = ax.get_figure()
        ax.set_axis_off()
        if len(g) == 0:
            ax.text(0.5, 0.5, "no ceRNA–mRNA pair passed the filters", ha="center", va="center")
            ax.set_title(title)
            return fig
        pos = _packed_layout(g, seed=seed)
        for a, b in g.edges:
            xa, ya = pos[a]
            xb, yb = pos[b]
            ax.plot([xa, xb], [ya, yb], color="#999999", lw=0.6, alpha=0.6, zorder=1)
        info = network.nodes.set_index("id").loc[list(g.nodes)]
        deg = info["degree"].to_numpy(float)
        size = 25 + 175 * (deg / deg.max())
        for typ in dict.fromkeys(info["type"]):
            m = (info["type"] == typ).to_numpy()
            xy = np.array([pos[n] for n in info.index[m]])
            ax.scatter(
                xy[:, 0],
                xy[:, 1],
                s=size[m],
                c=_COLORS.get(typ, "#777777"),
                marker=_MARKERS.get(typ, "o"),
                edgecolors="black",
                linewidths=0.4,
                zorder=2,
            )
        handles = [
            Line2D(
                [],
                [],
                marker=_MARKERS.get(t, "o"),
                ls="",
                color=_COLORS.get(t, "#777777"),
                markeredgecolor="black",
                markersize=6,
                label=t,
            )
            for t in dict.fromkeys(info["type"])
        ]
        ax.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=7
        )
        ax.set_title(title + (f"\n{cut}" if cut else ""), fontsize=9)
        # labels last, on the finished layout: moved off each other and off the nodes
        from exodisc.pl._labels import repel_labels

        n_lab = len(info) if len(info) <= 40 else label_top
        texts = [
            ax.text(pos[n][0], pos[n][1], str(n), fontsize=6, zorder=3, ha="center", va="center")
            for n in info.sort_values("hub_rank").index[:n_lab]
        ]
        xy = np.array([pos[n] for n in info.index], dtype=float)
        repel_labels(ax, texts, x=xy[:, 0], y=xy[:, 1], radius=np.sqrt(size) / 2, freeze_layout=own)
    return fig


def ordered_subgraph(g: Any, nodes: Any) -> Any:
    """A copy of ``g`` on ``nodes`` with nodes and edges in sorted order.

    ``Graph.subgraph`` iterates its nodes through a ``set``, whose order depends on Python's
    per-process string hashing (PYTHONHASHSEED); the spring layout's start positions follow
    node order, so without sorting the figure changed from run to run.
    """
    import networkx as nx

    keep = sorted(set(nodes))
    out = nx.Graph()
    for n in keep:
        out.add_node(n, **g.nodes[n])
    inside = set(keep)
    edges = sorted(tuple(sorted((a, b))) for a, b in g.edges(keep) if a in inside and b in inside)
    for a, b in edges:
        out.add_edge(a, b, **g.edges[a, b])
    return out


def _packed_layout(g: Any, *, seed: int) -> dict[Any, np.ndarray]:
    """Spring layout per connected component, components packed in rows by size."""
    import networkx as nx

    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    pos: dict[Any, np.ndarray] = {}
    per_row = max(1, int(np.ceil(np.sqrt(len(comps)))))
    x0 = y0 = 0.0
    row_h = 0.0
    for i, comp in enumerate(comps):
        sub = ordered_subgraph(g, comp)
        size = float(np.sqrt(len(comp)))
        if len(comp) == 1:
            p = {comp[0]: np.zeros(2)}
        else:
            p = nx.spring_layout(sub, seed=seed, k=1.2 / np.sqrt(len(comp)))
        xy = np.array([p[n] for n in comp], dtype=float)
        span = np.ptp(xy, axis=0)
        xy = (xy - xy.min(axis=0)) / np.where(span > 0, span, 1.0) * size
        if i and i % per_row == 0:
            x0, y0, row_h = 0.0, y0 - row_h - 1.0, 0.0
        for n, q in zip(comp, xy, strict=True):
            pos[n] = np.array([x0 + q[0], y0 - q[1]])
        x0 += size + 1.0
        row_h = max(row_h, size)
    return pos


def network_plot_data(network: CernaNetwork, *, max_nodes: int = 200) -> pd.DataFrame:
    """The node table of exactly what :func:`cerna_network` draws (for the figure's TSV)."""
    keep, _ = network_subset(network, max_nodes=max_nodes)
    nodes = network.nodes
    return nodes[nodes["id"].isin(set(keep))].reset_index(drop=True)


#: Node colours of the ceRNA network by node type (figure and interactive view agree).
NODE_COLORS = _COLORS


def network_layout(g: Any, *, seed: int) -> dict[Any, np.ndarray]:
    """Node positions of the ceRNA network: components packed side by side (seeded)."""
    return _packed_layout(g, seed=seed)
