"""An interactive ceRNA network view for report.html (Cytoscape.js, inlined, offline)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from exodisc.omics.cerna._network import CernaNetwork

__all__ = ["network_view_elements", "network_view_html"]

_SHAPES = {
    "lncRNA": "rectangle",
    "circRNA": "diamond",
    "ceRNA": "rectangle",
    "miRNA": "triangle",
    "mRNA": "ellipse",
}
_MAX_PAIRS_IN_TIP = 8
#: The vendored Cytoscape.js release (``report/vendor/README.md``).
CYTOSCAPE_VERSION = "3.34.4"
_SCALE = 140.0  # layout units -> Cytoscape model pixels

_JS = """(function(){
var id=%(id)s,root=document.getElementById(id),box=document.getElementById(id+"-c"),
tip=document.getElementById(id+"-tip"),q=document.getElementById(id+"-q");
if(typeof cytoscape!=="function"){root.setAttribute("data-status","no-library");return;}
var data=JSON.parse(document.getElementById(id+"-data").textContent);
var cy=cytoscape({container:box,elements:data,layout:{name:"preset"},minZoom:0.05,maxZoom:6,
style:[{selector:"node",style:{"background-color":"data(color)",width:"data(size)",
height:"data(size)",shape:"data(shape)",label:"data(label)","font-size":9,
"min-zoomed-font-size":5,"text-valign":"bottom","border-width":0.8,"border-color":"#333"}},
{selector:"edge",style:{width:1,"line-color":"#aaa","curve-style":"haystack"}},
{selector:"node.hl",style:{"border-width":3,"border-color":"#d62728","z-index":9}},
{selector:"edge.hl",style:{"line-color":"#d62728",width:2,"z-index":9}},
{selector:".faded",style:{opacity:0.12}}]});
function clear(){cy.elements().removeClass("hl faded");}
function show(eles){clear();if(eles.length){cy.elements().not(eles).addClass("faded");
eles.addClass("hl");}}
cy.on("mouseover","node,edge",function(e){tip.textContent=e.target.data("tip");
tip.style.display="block";});
cy.on("mousemove",function(e){var p=e.renderedPosition||{x:0,y:0};
tip.style.left=(p.x+14)+"px";tip.style.top=(p.y+14)+"px";});
cy.on("mouseout","node,edge",function(){tip.style.display="none";});
cy.on("tap","node",function(e){show(e.target.closedNeighborhood());});
cy.on("tap",function(e){if(e.target===cy){clear();}});
q.addEventListener("input",function(){var s=q.value.trim().toLowerCase();
if(!s){clear();return;}show(cy.nodes().filter(function(n){
return n.id().toLowerCase().indexOf(s)>=0||
String(n.data("label")).toLowerCase().indexOf(s)>=0;}));});
document.getElementById(id+"-fit").addEventListener("click",function(){clear();
q.value="";cy.fit(undefined,20);});
root.setAttribute("data-status","ok");root.setAttribute("data-cytoscape",cytoscape.version);root.setAttribute("data-nodes",cy.nodes().length);
root.setAttribute("data-edges",cy.edges().length);
})();"""


def view_library_record() -> dict[str, str]:
    """The vendored library the view inlines, for ``provenance.json``."""
    from importlib.resources import files

    from exodisc.core import sha256_bytes

    data = files("exodisc.report").joinpath("vendor", "cytoscape.min.js").read_bytes()
    return {
        "library": "Cytoscape.js",
        "version": CYTOSCAPE_VERSION,
        "licence": "MIT",
        "file": "exodisc/report/vendor/cytoscape.min.js",
        "sha256": sha256_bytes(data),
    }


def _fmt_p(v: float) -> str:
    return "NA" if not np.isfinite(v) else f"{v:.3g}"


def network_view_elements(
    network: CernaNetwork,
    *,
    max_nodes: int = 1000,
    seed: int = 0,
    labels: Mapping[str, str] | None = None,
) -> tuple[list[dict[str, Any]], str]:
    """Cytoscape.js elements of the network view, with a layout computed in Python.

    Parameters
    ----------
    network
        The ceRNA network.
    max_nodes
        Larger networks are cut to the top hubs and their neighbours (as the static figure).
    seed
        Seed of the spring layout; the same network and seed give the same view.
    labels
        Node id -> the name a person reads (a gene symbol for an Ensembl id); nodes not in
        it are labelled with their id. Search finds a node by either.

    Returns
    -------
    (elements, cut)
        Nodes then edges, each ``{"group", "data", ["position"]}``; node data has ``id``,
        ``label``, ``type``, ``color``, ``shape``, ``size`` (by degree) and ``tip``; edge data has
        ``source``, ``target`` and ``tip`` naming every ceRNA–mRNA pair the edge belongs to
        with its shared miRNAs and hypergeometric FDR. ``cut`` describes what was left out
        ("" when nothing).

    Notes
    -----
    The layout is the static figure's (Fruchterman–Reingold per connected component,
    ``networkx.spring_layout`` with a fixed seed, components packed by size), so the view is
    deterministic. R equivalent: ``gdcExportNetwork`` then Cytoscape's preset layout, or
    ``visNetwork::visIgraph(g)``.

    Examples
    --------
    >>> import pandas as pd
    >>> from exodisc.omics.cerna import build_network
    >>> edges = pd.DataFrame({"cerna": ["L1"], "mrna": ["G1"], "shared_mirnas": [1],
    ...     "hyper_p": [0.01], "hyper_fdr": [0.01], "pearson_r": [0.9], "pearson_p": [0.01],
    ...     "reg_sim": [0.9], "sens_corr": [0.1], "mirnas": ["miR-1"]})
    >>> els, cut = network_view_elements(build_network(edges))
    >>> sorted(e["data"]["id"] for e in els if e["group"] == "nodes")
    ['G1', 'L1', 'miR-1']
    """
    from exodisc.pl import NODE_COLORS as _COLORS
    from exodisc.pl import network_layout as _packed_layout
    from exodisc.pl import network_subset, ordered_subgraph

    keep, cut = network_subset(network, max_nodes=max_nodes)
    keep_set = set(keep)
    g = ordered_subgraph(network.graph(), keep)
    pos = _packed_layout(g, seed=seed) if len(g) else {}
    nodes: dict[str, dict[Any, Any]] = {
        str(r["id"]): r for r in network.nodes.to_dict(orient="records")
    }
    deg = {n: int(nodes[n]["degree"]) for n in keep}
    top = max(deg.values(), default=1) or 1
    elements: list[dict[str, Any]] = []
    for n in keep:
        rec = nodes[n]
        typ = str(rec["type"])
        direction = {1: "up", -1: "down"}.get(int(rec["direction"]), "not used")
        label = str(labels.get(n, n)) if labels is not None else str(n)
        name = f"{label} [{n}]" if label != str(n) else str(n)
        tip = (
            f"{name} ({typ})\ndirection: {direction}\ndegree: {deg[n]}\n"
            f"betweenness: {float(rec['betweenness']):.3g}\nmodule: {int(rec['module'])}\n"
            f"hub rank: {int(rec['hub_rank'])}"
        )
        xy = pos[n]
        elements.append(
            {
                "group": "nodes",
                "data": {
                    "id": str(n),
                    "label": label,
                    "type": typ,
                    "color": _COLORS.get(typ, "#777777"),
                    "shape": _SHAPES.get(typ, "ellipse"),
                    "size": round(10.0 + 26.0 * float(np.sqrt(deg[n] / top)), 2),
                    "tip": tip,
                },
                "position": {
                    "x": round(float(xy[0]) * _SCALE, 2),
                    "y": round(-float(xy[1]) * _SCALE, 2),
                },
            }
        )
    pair_info: dict[tuple[str, str], str] = {}
    used = "mirnas_used" if "mirnas_used" in network.edges.columns else "mirnas"
    for e in network.edges.to_dict(orient="records"):
        pair_info[(str(e["cerna"]), str(e["mrna"]))] = (
            f"{e['cerna']} – {e['mrna']}: shared miRNAs {e[used]} "
            f"(of {int(e['shared_mirnas'])}); FDR {_fmt_p(float(e['hyper_fdr']))}"
        )
    pairs_of: dict[tuple[str, str], list[tuple[str, str]]] = {}
    kind: dict[tuple[str, str], str] = {}
    for ce, mi, mr in network.triplets[["cerna", "mirna", "mrna"]].itertuples(index=False):
        for a, b, k in ((ce, mi, "ceRNA–miRNA"), (mi, mr, "miRNA–mRNA")):
            if a in keep_set and b in keep_set:
                lst = pairs_of.setdefault((a, b), [])
                if (ce, mr) not in lst:
                    lst.append((ce, mr))
                kind[(a, b)] = k
    for i, ((a, b), lst) in enumerate(sorted(pairs_of.items())):
        lines = [pair_info.get(p, f"{p[0]} – {p[1]}") for p in sorted(lst)]
        more = len(lines) - _MAX_PAIRS_IN_TIP
        lines = lines[:_MAX_PAIRS_IN_TIP] + ([f"… and {more} more"] if more > 0 else [])
        tip = f"{a} – {b} ({kind[(a, b)]}); in {len(lst)} ceRNA–mRNA pair(s):\n" + "\n".join(lines)
        elements.append(
            {
                "group": "edges",
                "data": {"id": f"e{i}", "source": a, "target": b, "tip": tip},
            }
        )
    return elements, cut


def network_view_html(
    network: CernaNetwork,
    *,
    element_id: str,
    max_nodes: int = 1000,
    seed: int = 0,
    labels: Mapping[str, str] | None = None,
) -> tuple[str, str]:
    """The interactive view as an HTML fragment for :meth:`Section.add_html`.

    Needs the vendored Cytoscape.js (``scripts=("cytoscape",)``). Hover a node or an edge
    for its details, drag nodes, zoom with the wheel, click a node to highlight its
    neighbours, type in the box to find nodes; no network request.

    Parameters
    ----------
    network
        The ceRNA network.
    element_id
        HTML id of the view (unique in the report; letters, digits, ``-``, ``_``).
    max_nodes, seed, labels
        As in :func:`network_view_elements`.

    Returns
    -------
    (html, cut)
        The fragment and the description of the cut ("" when nothing was cut).

    Notes
    -----
    R equivalent: ``visNetwork`` / ``htmlwidgets`` with ``selfcontained = TRUE``.

    Examples
    --------
    >>> from exodisc.omics.cerna import build_network, cerna_pairs, network_view_html
    >>> import pandas as pd
    >>> x = pd.DataFrame([[1.0, 2, 3, 4, 5], [2, 1, 4, 3, 6], [5, 3, 4, 1, 2], [3, 5, 1, 2, 4]],
    ...                  index=["L1", "G1", "L2", "G2"], columns=list("abcde"))
    >>> mir = [f"hsa-miR-{i}-5p" for i in range(1, 9)]
    >>> t = pd.DataFrame({"feature_id": ["L1"] * 3 + ["G1"] * 3 + ["L2"] * 3 + ["G2"] * 3,
    ...                   "mirna": mir[0:3] + mir[0:3] + mir[3:6] + mir[5:8]})
    >>> pairs = cerna_pairs(x.loc[["L1", "L2"]], x.loc[["G1", "G2"]],
    ...                     targets_cerna=t, targets_mrna=t)
    >>> net = build_network(pairs.table, max_fdr=0.05)
    >>> html, script = network_view_html(net, element_id="cerna-net")
    >>> "cerna-net" in html
    True
    """
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", element_id):
        msg = f"view id {element_id!r} must be a letter then letters, digits, '-', '_'"
        raise ValueError(msg)
    elements, cut = network_view_elements(network, max_nodes=max_nodes, seed=seed, labels=labels)
    data = json.dumps(elements, sort_keys=True, ensure_ascii=False, allow_nan=False)
    # as Django's json_script: no '<', '>', '&' left to end the script element early
    data = data.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    eid = html.escape(element_id)
    legend = " ".join(
        f'<span style="color:{c}">{m}</span> {t}'
        for t, c, m in (
            ("lncRNA", "#e69f00", "&#9632;"),
            ("circRNA", "#cc79a7", "&#9670;"),
            ("miRNA", "#56b4e9", "&#9650;"),
            ("mRNA", "#009e73", "&#9679;"),
        )
    )
    fragment = (
        f'<div id="{eid}" class="cerna-view" data-status="not-run">'
        f'<div style="margin:.3em 0"><input id="{eid}-q" type="search" '
        f'placeholder="Find a node (symbol or id)…" aria-label="Find a node"> '
        f'<button id="{eid}-fit" type="button">Reset view</button> '
        f'<span class="small">{legend}; size by degree. Hover for details, drag, '
        "zoom with the wheel, click a node for its neighbours.</span></div>"
        f'<div style="position:relative"><div id="{eid}-c" style="width:100%;height:620px;'
        'border:1px solid #ccc;background:#fff"></div>'
        f'<div id="{eid}-tip" style="position:absolute;display:none;pointer-events:none;'
        "background:#fffff0;border:1px solid #999;padding:3px 6px;font-size:.78em;"
        'white-space:pre-line;max-width:480px;z-index:10"></div></div>'
        "<noscript>The interactive view needs JavaScript; the static figure and "
        "files/*.graphml show the same network.</noscript></div>"
        f'<script type="application/json" id="{eid}-data">{data}</script>'
        f"<script>{_JS % {'id': json.dumps(element_id)}}</script>"
    )
    return fragment, cut
