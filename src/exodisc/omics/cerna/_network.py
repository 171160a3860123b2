"""ceRNA logic filters, the network (nodes, edges, triplets, hubs, modules) and its export."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = [
    "CernaNetwork",
    "build_network",
    "de_directions",
    "dumps_cytoscape",
    "to_cytoscape",
    "triplet_correlations",
    "write_graphml",
]

NODE_COLUMNS = ["id", "type", "direction", "degree", "betweenness", "module", "hub_rank"]


def de_directions(table: pd.DataFrame, *, fdr: float = 0.05, log2_fc: float = 1.0) -> pd.Series:
    """Sign of the called change per feature from a DE table (+1 up, -1 down, 0 not called).

    Parameters
    ----------
    table
        ``feature_id``, ``log2_fold_change``, ``padj`` (the DE result table or a TSV of it).
    fdr, log2_fc
        A feature is called when ``padj < fdr`` and ``|log2_fold_change| > log2_fc``;
        NaN ``padj`` (filtered or outlier features) is not called.

    Returns
    -------
    pandas.Series
        Index ``feature_id``, values in {-1, 0, 1} (int).

    Examples
    --------
    >>> import pandas as pd
    >>> from exodisc.omics.cerna import de_directions
    >>> de = pd.DataFrame({"feature_id": ["G1", "G2", "G3"], "log2_fold_change": [2.0, -1.5, 3.0],
    ...                    "padj": [0.001, 0.01, 0.2]})
    >>> de_directions(de).to_dict()
    {'G1': 1, 'G2': -1, 'G3': 0}
    """
    from exodisc.errors import SchemaError

    need = ["feature_id", "log2_fold_change", "padj"]
    missing = [c for c in need if c not in table.columns]
    if missing:
        msg = (
            f"DE table lacks column(s) {', '.join(missing)}; expected {', '.join(need)} "
            f"(found {', '.join(map(str, table.columns))})"
        )
        raise SchemaError(msg)
    padj = table["padj"].astype(float).to_numpy()
    lfc = table["log2_fold_change"].astype(float).to_numpy()
    from exodisc.core import is_significant

    called = is_significant(padj, lfc, fdr=fdr, lfc=log2_fc)
    sign = np.where(called, np.sign(lfc), 0).astype(int)
    import pandas as pd

    return pd.Series(sign, index=table["feature_id"].astype(str).to_numpy(), name="direction")


@dataclass(frozen=True)
class CernaNetwork:
    """A ceRNA network: kept ceRNA–mRNA pairs and the miRNAs they share.

    Attributes
    ----------
    edges
        Kept ceRNA–mRNA pairs with their statistics (``EDGE_COLUMNS`` + ``mirnas_used``).
    triplets
        ``cerna``, ``mirna``, ``mrna`` rows (one per shared miRNA of a kept pair; with
        miRNA directions, only miRNAs changing opposite to the pair).
    nodes
        ``id``, ``type`` (ceRNA class, ``miRNA`` or ``mRNA``), ``direction``, ``degree``,
        ``betweenness``, ``module``, ``hub_rank`` in the ceRNA–miRNA–mRNA graph.
    params
        The thresholds used.
    """

    edges: pd.DataFrame
    triplets: pd.DataFrame
    nodes: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)

    def graph(self) -> nx.Graph:
        """The network as an undirected networkx graph (ceRNA–miRNA and miRNA–mRNA edges)."""
        import networkx as nx

        g = nx.Graph()
        for rec in self.nodes.to_dict(orient="records"):
            g.add_node(
                rec["id"],
                type=rec["type"],
                direction=int(rec["direction"]),
                degree=int(rec["degree"]),
                betweenness=float(rec["betweenness"]),
                module=int(rec["module"]),
            )
        for row in self.triplets.itertuples(index=False):
            g.add_edge(row.cerna, row.mirna, interaction="ceRNA-miRNA")
            g.add_edge(row.mirna, row.mrna, interaction="miRNA-mRNA")
        return g

    @property
    def mrnas(self) -> list[str]:
        """The network's mRNAs (for enrichment)."""
        return sorted(self.nodes.loc[self.nodes["type"] == "mRNA", "id"])


def build_network(
    edges: pd.DataFrame,
    *,
    max_fdr: float = 0.05,
    min_pearson_r: float | None = None,
    max_pearson_p: float | None = None,
    mirna_direction: pd.Series | None = None,
    cerna_direction: pd.Series | None = None,
    mrna_direction: pd.Series | None = None,
    cerna_type: Literal["lncRNA", "circRNA", "ceRNA"] = "ceRNA",
) -> CernaNetwork:
    """Keep the ceRNA–mRNA pairs that pass the thresholds and assemble the network.

    Parameters
    ----------
    edges
        :func:`cerna_pairs` table.
    max_fdr
        Keep pairs with ``hyper_fdr < max_fdr`` (the default filter: hypergeometric FDR and
        direction rules, which do not rest on correlations from a few samples).
    min_pearson_r, max_pearson_p
        Optional correlation filters (``pearson_r > min_pearson_r``,
        ``pearson_p < max_pearson_p``).
    mirna_direction
        Sign of the miRNAs' change; where given, a shared miRNA links a pair only when it
        changes opposite to the ceRNA (ceRNA logic) and pairs left without one are dropped.
        miRNAs with 0 / absent direction are dropped from the pair when any miRNA direction
        is given.
    cerna_direction, mrna_direction
        Signs for the node table (the pair table was already restricted by them).
    cerna_type
        Node type of the ceRNAs.

    Returns
    -------
    CernaNetwork

    Notes
    -----
    R equivalent: ``gdcCEAnalysis`` output filtered by ``hyperPValue``/``corPValue`` and
    exported with ``gdcExportNetwork`` (GDCRNATools); hubs by ``igraph::degree`` /
    ``betweenness``; modules by greedy modularity (``igraph::cluster_fast_greedy``).

    Examples
    --------
    >>> from exodisc.omics.cerna import build_network, cerna_pairs
    >>> import pandas as pd
    >>> x = pd.DataFrame([[1.0, 2, 3, 4, 5], [2, 1, 4, 3, 6], [5, 3, 4, 1, 2], [3, 5, 1, 2, 4]],
    ...                  index=["L1", "G1", "L2", "G2"], columns=list("abcde"))
    >>> mir = [f"hsa-miR-{i}-5p" for i in range(1, 9)]
    >>> t = pd.DataFrame({"feature_id": ["L1"] * 3 + ["G1"] * 3 + ["L2"] * 3 + ["G2"] * 3,
    ...                   "mirna": mir[0:3] + mir[0:3] + mir[3:6] + mir[5:8]})
    >>> pairs = cerna_pairs(x.loc[["L1", "L2"]], x.loc[["G1", "G2"]],
    ...                     targets_cerna=t, targets_mrna=t)
    >>> net = build_network(pairs.table, max_fdr=0.05)
    >>> net.edges[["cerna", "mrna", "shared_mirnas", "hyper_fdr"]].round(4)
      cerna mrna  shared_mirnas  hyper_fdr
    0    L1   G1              3     0.0357
    >>> net.nodes[["id", "type", "degree"]]
                 id   type  degree
    0            G1   mRNA       3
    1            L1  ceRNA       3
    2  hsa-miR-1-5p  miRNA       2
    3  hsa-miR-2-5p  miRNA       2
    4  hsa-miR-3-5p  miRNA       2
    """
    import networkx as nx
    import pandas as pd

    keep = edges["hyper_fdr"].to_numpy() < max_fdr
    if min_pearson_r is not None:
        keep &= edges["pearson_r"].to_numpy() > min_pearson_r
    if max_pearson_p is not None:
        keep &= edges["pearson_p"].to_numpy() < max_pearson_p
    kept = edges[keep].copy()
    rows = []
    used = []
    mdir = None if mirna_direction is None else mirna_direction.to_dict()
    cdir = {} if cerna_direction is None else cerna_direction.to_dict()
    for ce, mr, mirs in zip(kept["cerna"], kept["mrna"], kept["mirnas"], strict=True):
        names = [m for m in str(mirs).split(";") if m]
        if mdir is not None:
            d = cdir.get(ce, 0)
            names = [m for m in names if d != 0 and mdir.get(m, 0) == -d]
        used.append(";".join(names))
        rows += [(ce, m, mr) for m in names]
    kept["mirnas_used"] = used
    kept = kept[kept["mirnas_used"] != ""].reset_index(drop=True)
    triplets = pd.DataFrame(rows, columns=["cerna", "mirna", "mrna"]).drop_duplicates()
    triplets = triplets.sort_values(["cerna", "mirna", "mrna"]).reset_index(drop=True)
    g = nx.Graph()
    for ce, mi, mr in triplets.itertuples(index=False):
        g.add_edge(ce, mi)
        g.add_edge(mi, mr)
    types = {n: cerna_type for n in triplets["cerna"]}
    types.update({n: "miRNA" for n in triplets["mirna"]})
    types.update({n: "mRNA" for n in triplets["mrna"]})
    dirs: dict[str, int] = {}
    for s in (cerna_direction, mrna_direction, mirna_direction):
        if s is not None:
            dirs.update({str(k): int(v) for k, v in s.items()})
    nodes_sorted = sorted(g.nodes)
    between = nx.betweenness_centrality(g, normalized=True) if len(g) else {}
    module = {}
    if len(g):
        comms = nx.community.greedy_modularity_communities(g, weight=None)
        comms = sorted((sorted(c) for c in comms), key=lambda c: (-len(c), c[0]))
        for i, c in enumerate(comms, start=1):
            for n in c:
                module[n] = i
    nodes = pd.DataFrame(
        {
            "id": nodes_sorted,
            "type": [types[n] for n in nodes_sorted],
            "direction": [dirs.get(n, 0) for n in nodes_sorted],
            "degree": [int(g.degree(n)) for n in nodes_sorted],
            "betweenness": [float(between.get(n, 0.0)) for n in nodes_sorted],
            "module": [module.get(n, 0) for n in nodes_sorted],
        }
    )
    order = nodes.sort_values(["degree", "betweenness", "id"], ascending=[False, False, True])
    nodes["hub_rank"] = 0
    nodes.loc[order.index, "hub_rank"] = np.arange(1, len(nodes) + 1)
    params = {
        "max_fdr": max_fdr,
        "min_pearson_r": min_pearson_r,
        "max_pearson_p": max_pearson_p,
        "mirna_direction": mirna_direction is not None,
    }
    return CernaNetwork(kept, triplets, nodes[NODE_COLUMNS], params)


def write_graphml(network: CernaNetwork, path: str | Path) -> Path:
    """Write the network as GraphML (opens in Cytoscape, Gephi, networkx, igraph).

    Notes
    -----
    R equivalent: ``igraph::write_graph(g, path, format = "graphml")``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from exodisc.omics.cerna import build_network, cerna_pairs, write_graphml
    >>> import pandas as pd
    >>> x = pd.DataFrame([[1.0, 2, 3, 4, 5], [2, 1, 4, 3, 6], [5, 3, 4, 1, 2], [3, 5, 1, 2, 4]],
    ...                  index=["L1", "G1", "L2", "G2"], columns=list("abcde"))
    >>> mir = [f"hsa-miR-{i}-5p" for i in range(1, 9)]
    >>> t = pd.DataFrame({"feature_id": ["L1"] * 3 + ["G1"] * 3 + ["L2"] * 3 + ["G2"] * 3,
    ...                   "mirna": mir[0:3] + mir[0:3] + mir[3:6] + mir[5:8]})
    >>> pairs = cerna_pairs(x.loc[["L1", "L2"]], x.loc[["G1", "G2"]],
    ...                     targets_cerna=t, targets_mrna=t)
    >>> net = build_network(pairs.table, max_fdr=0.05)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_graphml(net, Path(tmp) / "cerna.graphml")
    ...     print(out.name, out.read_text().count("<node "))
    cerna.graphml 5
    """
    import networkx as nx

    path = Path(path)
    nx.write_graphml(network.graph(), path)
    return path


def _clean(v: Any) -> Any:
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        return None if not np.isfinite(v) else float(v)
    return v


def to_cytoscape(network: CernaNetwork) -> dict[str, Any]:
    """The network in Cytoscape.js JSON (``{"elements": {"nodes": [...], "edges": [...]}}``).

    Every element has a ``data`` object with a unique ``id``; edges have ``source`` and
    ``target`` naming node ids. ceRNA–mRNA pair statistics ride on the miRNA–mRNA edges'
    ``pairs`` count and on the node table; NaN is written as ``null`` (strict JSON).

    Notes
    -----
    Format: https://js.cytoscape.org/#notation/elements-json. ``json.dumps`` of the result
    loads in Cytoscape.js ``cy.add(...)`` and in Cytoscape desktop (File › Import › Network).

    Examples
    --------
    >>> from exodisc.omics.cerna import build_network, cerna_pairs, to_cytoscape
    >>> import pandas as pd
    >>> x = pd.DataFrame([[1.0, 2, 3, 4, 5], [2, 1, 4, 3, 6], [5, 3, 4, 1, 2], [3, 5, 1, 2, 4]],
    ...                  index=["L1", "G1", "L2", "G2"], columns=list("abcde"))
    >>> mir = [f"hsa-miR-{i}-5p" for i in range(1, 9)]
    >>> t = pd.DataFrame({"feature_id": ["L1"] * 3 + ["G1"] * 3 + ["L2"] * 3 + ["G2"] * 3,
    ...                   "mirna": mir[0:3] + mir[0:3] + mir[3:6] + mir[5:8]})
    >>> pairs = cerna_pairs(x.loc[["L1", "L2"]], x.loc[["G1", "G2"]],
    ...                     targets_cerna=t, targets_mrna=t)
    >>> net = build_network(pairs.table, max_fdr=0.05)
    >>> js = to_cytoscape(net)
    >>> len(js["elements"]["nodes"]), len(js["elements"]["edges"])
    (5, 6)
    >>> sorted(js["elements"]["nodes"][0]["data"])
    ['betweenness', 'degree', 'direction', 'hub_rank', 'id', 'module', 'type']
    """
    nodes = [
        {"data": {k: _clean(v) for k, v in row.items()}, "group": "nodes"}
        for row in network.nodes.to_dict(orient="records")
    ]
    seen: dict[tuple[str, str], int] = {}
    kinds: dict[tuple[str, str], str] = {}
    for ce, mi, mr in network.triplets.itertuples(index=False):
        for a, b, kind in ((ce, mi, "ceRNA-miRNA"), (mi, mr, "miRNA-mRNA")):
            seen[(a, b)] = seen.get((a, b), 0) + 1
            kinds[(a, b)] = kind
    edges = [
        {
            "data": {
                "id": f"edge{i}",
                "source": a,
                "target": b,
                "interaction": kinds[(a, b)],
                "triplets": n,
            },
            "group": "edges",
        }
        for i, ((a, b), n) in enumerate(sorted(seen.items()))
    ]
    return {"elements": {"nodes": nodes, "edges": edges}}


def dumps_cytoscape(network: CernaNetwork) -> str:
    """:func:`to_cytoscape` as strict JSON text (sorted keys, no NaN).

    Examples
    --------
    >>> from exodisc.omics.cerna import build_network, cerna_pairs, dumps_cytoscape
    >>> import pandas as pd
    >>> x = pd.DataFrame([[1.0, 2, 3, 4, 5], [2, 1, 4, 3, 6], [5, 3, 4, 1, 2], [3, 5, 1, 2, 4]],
    ...                  index=["L1", "G1", "L2", "G2"], columns=list("abcde"))
    >>> mir = [f"hsa-miR-{i}-5p" for i in range(1, 9)]
    >>> t = pd.DataFrame({"feature_id": ["L1"] * 3 + ["G1"] * 3 + ["L2"] * 3 + ["G2"] * 3,
    ...                   "mirna": mir[0:3] + mir[0:3] + mir[3:6] + mir[5:8]})
    >>> pairs = cerna_pairs(x.loc[["L1", "L2"]], x.loc[["G1", "G2"]],
    ...                     targets_cerna=t, targets_mrna=t)
    >>> net = build_network(pairs.table, max_fdr=0.05)
    >>> import json
    >>> text = dumps_cytoscape(net)
    >>> sorted(json.loads(text)["elements"])
    ['edges', 'nodes']
    """
    return json.dumps(to_cytoscape(network), sort_keys=True, allow_nan=False, indent=1)


def triplet_correlations(
    triplets: pd.DataFrame,
    *,
    expr_cerna: pd.DataFrame,
    expr_mrna: pd.DataFrame,
    expr_mirna: pd.DataFrame,
) -> pd.DataFrame:
    """Add the miRNA–target correlations of each triplet (expected negative).

    Parameters
    ----------
    triplets
        ``cerna``, ``mirna``, ``mrna`` rows (:attr:`CernaNetwork.triplets`).
    expr_cerna, expr_mrna, expr_mirna
        Expression, features x samples, with the same miRNA spelling as the triplets.

    Returns
    -------
    pandas.DataFrame
        ``triplets`` plus ``r_cerna_mirna``, ``p_cerna_mirna``, ``r_mrna_mirna``,
        ``p_mrna_mirna`` (Pearson r on the samples the three matrices share, one-sided P for
        a negative correlation) and ``negative_both`` (both r < 0). miRNAs without expression
        give NaN (listed by the caller), never a silent drop.

    Notes
    -----
    R equivalent: ``cor.test(mir, target, alternative = "less")``.

    Examples
    --------
    >>> from exodisc.omics.cerna import build_network, cerna_pairs, triplet_correlations
    >>> import pandas as pd
    >>> x = pd.DataFrame([[1.0, 2, 3, 4, 5], [2, 1, 4, 3, 6], [5, 3, 4, 1, 2], [3, 5, 1, 2, 4]],
    ...                  index=["L1", "G1", "L2", "G2"], columns=list("abcde"))
    >>> mir = [f"hsa-miR-{i}-5p" for i in range(1, 9)]
    >>> t = pd.DataFrame({"feature_id": ["L1"] * 3 + ["G1"] * 3 + ["L2"] * 3 + ["G2"] * 3,
    ...                   "mirna": mir[0:3] + mir[0:3] + mir[3:6] + mir[5:8]})
    >>> pairs = cerna_pairs(x.loc[["L1", "L2"]], x.loc[["G1", "G2"]],
    ...                     targets_cerna=t, targets_mrna=t)
    >>> net = build_network(pairs.table, max_fdr=0.05)
    >>> expr_mir = pd.DataFrame([[5.0, 4, 3, 2, 1]] * 3, index=mir[0:3], columns=list("abcde"))
    >>> res = triplet_correlations(net.triplets, expr_cerna=x, expr_mrna=x, expr_mirna=expr_mir)
    >>> res[["cerna", "mirna", "mrna", "r_cerna_mirna", "r_mrna_mirna"]].round(3)
      cerna         mirna mrna  r_cerna_mirna  r_mrna_mirna
    0    L1  hsa-miR-1-5p   G1           -1.0        -0.822
    1    L1  hsa-miR-2-5p   G1           -1.0        -0.822
    2    L1  hsa-miR-3-5p   G1           -1.0        -0.822
    """
    import pandas as pd

    from exodisc.omics.cerna._stats import _zscore_rows, pearson_one_sided

    samples = [
        s
        for s in expr_cerna.columns
        if s in set(expr_mrna.columns) and s in set(expr_mirna.columns)
    ]
    out = triplets.copy()
    if len(samples) < 3 or out.empty:
        for col in ("r_cerna_mirna", "p_cerna_mirna", "r_mrna_mirna", "p_mrna_mirna"):
            out[col] = np.nan
        out["negative_both"] = False
        return out
    zm_all, _ = _zscore_rows(expr_mirna[samples].to_numpy(float))
    zm = pd.DataFrame(zm_all, index=expr_mirna.index)
    have = out["mirna"].isin(zm.index).to_numpy()
    for kind, expr in (("cerna", expr_cerna), ("mrna", expr_mrna)):
        z_all, _ = _zscore_rows(expr[samples].to_numpy(float))
        z = pd.DataFrame(z_all, index=expr.index)
        r = np.full(len(out), np.nan)
        if have.any():
            a = z.loc[out.loc[have, kind]].to_numpy()
            b = zm.loc[out.loc[have, "mirna"]].to_numpy()
            r[have] = np.clip(np.einsum("ij,ij->i", a, b), -1.0, 1.0)
        out[f"r_{kind}_mirna"] = r
        out[f"p_{kind}_mirna"] = pearson_one_sided(-r, len(samples))  # alternative "less"
    out["negative_both"] = (out["r_cerna_mirna"] < 0) & (out["r_mrna_mirna"] < 0)
    return out
