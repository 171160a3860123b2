"""The interactive ceRNA network view in report.html (Cytoscape.js inlined, offline)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from exodisc.omics.cerna import network_view_elements, network_view_html
from exodisc.omics.cerna._view import CYTOSCAPE_VERSION, view_library_record
from exodisc.pl._cerna import network_subset
from exodisc.report import HtmlItem, write_output

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
_skip_no_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it as root)"
)


def needs_chromium(test):
    """Mark ``test`` as a Chromium test, skipped with the reason where Chromium is absent."""
    return pytest.mark.chromium(_skip_no_chromium(test))


def _net(cerna_demo):
    return cerna_demo[1]["cerna_lncrna"].network


def _split(elements):
    nodes = {e["data"]["id"]: e for e in elements if e["group"] == "nodes"}
    edges = [e["data"] for e in elements if e["group"] == "edges"]
    return nodes, edges


def test_elements_are_the_network(cerna_demo) -> None:
    net = _net(cerna_demo)
    assert len(net.nodes) <= 1000  # the demo network is shown whole
    elements, cut = network_view_elements(net)
    assert cut == ""
    nodes, edges = _split(elements)
    g = net.graph()  # the networkx graph written as GraphML is the reference
    assert set(nodes) == set(g.nodes)
    assert {frozenset((e["source"], e["target"])) for e in edges} == {frozenset(e) for e in g.edges}
    assert len({e["id"] for e in edges}) == len(edges)
    colors = {"lncRNA": "#e69f00", "miRNA": "#56b4e9", "mRNA": "#009e73"}
    for rec in net.nodes.to_dict(orient="records"):
        d = nodes[rec["id"]]["data"]
        assert d["type"] == rec["type"] and d["color"] == colors[rec["type"]]
        assert f"degree: {rec['degree']}\n" in d["tip"]
    # size grows with degree (sqrt scale, 10 to 36 px)
    deg = np.array([g.degree(n) for n in nodes])
    size = np.array([nodes[n]["data"]["size"] for n in nodes])
    order = np.argsort(deg, kind="stable")
    assert np.all(np.diff(size[order]) >= 0)
    assert size.max() == 36.0 and size.min() >= 10.0


def test_edge_tips_name_pairs_shared_mirnas_and_fdr(cerna_demo) -> None:
    net = _net(cerna_demo)
    _, edges = _split(network_view_elements(net)[0])
    tips = {(e["source"], e["target"]): e["tip"] for e in edges}
    # independently: every triplet's two edges name its ceRNA–mRNA pair with that pair's
    # shared miRNAs and FDR, formatted from the edges table
    pairs = net.edges.set_index(["cerna", "mrna"])
    checked = 0
    for ce, mi, mr in net.triplets[["cerna", "mirna", "mrna"]].itertuples(index=False):
        row = pairs.loc[(ce, mr)]
        line = (
            f"{ce} – {mr}: shared miRNAs {row['mirnas_used']} (of {row['shared_mirnas']}); "
            f"FDR {row['hyper_fdr']:.3g}"
        )
        for key in ((ce, mi), (mi, mr)):
            n_pairs = int(re.search(r"in (\d+) ceRNA–mRNA", tips[key]).group(1))
            if n_pairs <= 8:
                assert line in tips[key]
                checked += 1
        assert mi in row["mirnas_used"].split(";")
    assert checked > 0


def test_layout_is_deterministic_and_finite(cerna_demo) -> None:
    net = _net(cerna_demo)
    a, _ = network_view_html(net, element_id="v")
    b, _ = network_view_html(net, element_id="v")
    assert a == b
    els, _ = network_view_elements(net)
    xy = np.array([[e["position"]["x"], e["position"]["y"]] for e in els if "position" in e])
    assert np.isfinite(xy).all() and len(np.unique(xy, axis=0)) == len(xy)
    other, _ = network_view_elements(net, seed=1)
    assert other != els  # the seed is what fixes the layout


def test_large_networks_are_cut_like_the_figure(cerna_demo) -> None:
    net = _net(cerna_demo)
    elements, cut = network_view_elements(net, max_nodes=12)
    nodes, edges = _split(elements)
    keep, fig_cut = network_subset(net, max_nodes=12)
    assert set(nodes) == set(keep) and cut == fig_cut
    assert cut.startswith(f"{len(net.nodes)} nodes in the network; drawn: the top ")
    assert all(e["source"] in nodes and e["target"] in nodes for e in edges)


def test_bad_element_id(cerna_demo) -> None:
    with pytest.raises(ValueError, match=r"view id '1 x' must be a letter then letters"):
        network_view_html(_net(cerna_demo), element_id="1 x")


def test_report_section_has_the_view(cerna_demo, tmp_path: Path) -> None:
    net = _net(cerna_demo)
    report = cerna_demo[3]
    sec = next(s for s in report.sections if s.id == "cerna_lncrna")
    view = next(i for i in sec.items if isinstance(i, HtmlItem))
    assert view.name == "cerna_lncrna_network_view" and view.scripts == ("cytoscape",)
    assert report.records["network_view"] == view_library_record()
    html = write_output(report, tmp_path / "o", provenance={}, versions={}).read_text()
    # one view per network (lncRNA and circRNA), the library inlined once
    assert html.count('class="cerna-view"') == 2
    assert html.count('<script data-vendor="cytoscape">') == 1
    data = re.search(
        r'<script type="application/json" id="cy-cerna_lncrna-data">(.*?)</script>', html, re.S
    )
    elements = json.loads(data.group(1))
    assert {e["data"]["id"] for e in elements if e["group"] == "nodes"} == set(net.nodes["id"])
    # nothing besides the HTML: tables and network files are unchanged by the view
    files = (tmp_path / "o" / "files").iterdir()
    assert sorted(p.name for p in files if p.name.startswith("cerna_lncrna")) == [
        "cerna_lncrna_network.cyjs",
        "cerna_lncrna_network.graphml",
    ]


def _chromium(args: list[str], work: Path, page: Path) -> subprocess.CompletedProcess[str]:
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={work / 'profile'}",
        "--window-size=1200,1600",
        "--virtual-time-budget=5000",
        *args,
        page.as_uri(),
    ]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)


@needs_chromium
def test_chromium_draws_the_view_offline(cerna_demo, tmp_path: Path) -> None:
    from tests.foundation.test_report_chromium import _page_requests

    net = _net(cerna_demo)
    page = write_output(cerna_demo[3], tmp_path / "o", provenance={}, versions={})
    urls, png = _page_requests(page, tmp_path)
    assert urls == []
    assert png.startswith(b"\x89PNG")
    dom = _chromium(["--dump-dom"], tmp_path, page).stdout
    tag = re.search(r'<div id="cy-cerna_lncrna" class="cerna-view"[^>]*>', dom).group(0)
    assert 'data-status="ok"' in tag  # the inlined library loaded and the script ran
    n_edges = net.graph().number_of_edges()
    assert f'data-nodes="{len(net.nodes)}"' in tag and f'data-edges="{n_edges}"' in tag
    assert "<canvas" in dom  # Cytoscape drew into the container
    assert f'data-cytoscape="{CYTOSCAPE_VERSION}"' in tag  # the release the README names


@pytest.mark.slow
@needs_chromium
def test_chromium_draws_the_demo_report_offline(demo_out: Path, tmp_path: Path) -> None:
    from tests.foundation.test_report_chromium import _page_requests

    page = demo_out / "results" / "report.html"
    urls, _ = _page_requests(page, tmp_path)
    assert urls == []
    dom = _chromium(["--dump-dom"], tmp_path, page).stdout
    for aid in ("cerna_lncrna", "cerna_circrna"):
        nodes = (demo_out / "results" / "tables" / f"{aid}_nodes.tsv").read_text().splitlines()
        tag = re.search(rf'<div id="cy-{aid}" class="cerna-view"[^>]*>', dom).group(0)
        assert 'data-status="ok"' in tag and f'data-nodes="{len(nodes) - 1}"' in tag


def test_library_record_names_the_vendored_release() -> None:
    rec = view_library_record()
    readme = (Path(__file__).parents[2] / "src/exodisc/report/vendor/README.md").read_text()
    assert f"| Cytoscape.js | {rec['version']} | MIT" in readme and rec["sha256"] in readme


def test_names_cannot_break_out_of_the_script() -> None:
    import pandas as pd

    from exodisc.omics.cerna import build_network

    name = "L</script><img src=x>1<!--"
    edges = pd.DataFrame(
        {
            "cerna": [name],
            "mrna": ["G1"],
            "shared_mirnas": [1],
            "hyper_p": [0.01],
            "hyper_fdr": [0.01],
            "pearson_r": [0.9],
            "pearson_p": [0.01],
            "reg_sim": [0.9],
            "sens_corr": [0.1],
            "mirnas": ["miR-1"],
        }
    )
    fragment, _ = network_view_html(build_network(edges), element_id="v")
    assert "<img" not in fragment and "<!--" not in fragment
    data = re.search(r'<script type="application/json" id="v-data">(.*?)</script>', fragment)
    ids = {e["data"]["id"] for e in json.loads(data.group(1)) if e["group"] == "nodes"}
    assert ids == {name, "G1", "miR-1"}


def test_labels_are_symbols_and_ids_stay_in_the_data(cerna_demo) -> None:
    net = _net(cerna_demo)
    mrna = sorted(net.nodes.loc[net.nodes["type"] == "mRNA", "id"])[0]
    elements, _ = network_view_elements(net, labels={mrna: "SOX9"})
    nodes, _ = _split(elements)
    assert nodes[mrna]["data"]["label"] == "SOX9" and nodes[mrna]["data"]["id"] == mrna
    assert nodes[mrna]["data"]["tip"].startswith(f"SOX9 [{mrna}] (mRNA)")
    other = next(n for n in nodes if n != mrna)
    assert nodes[other]["data"]["label"] == other  # no symbol known: the id is the label


@needs_chromium
def test_chromium_search_by_symbol_keeps_node_sizes(cerna_demo, tmp_path: Path) -> None:
    from importlib.resources import files

    net = _net(cerna_demo)
    mrna = sorted(net.nodes.loc[net.nodes["type"] == "mRNA", "id"])[0]
    fragment, _ = network_view_html(net, element_id="v", labels={mrna: "SOX9"})
    library = files("exodisc.report").joinpath("vendor", "cytoscape.min.js").read_text()
    probe = """<script>(function(){
var cy=document.getElementById("v-c")._cyreg.cy, q=document.getElementById("v-q");
var before={};cy.nodes().forEach(function(n){before[n.id()]=n.width();});
q.value="sox9";q.dispatchEvent(new Event("input"));
var hl=cy.nodes(".hl"), out=[];
hl.forEach(function(n){out.push([n.id(),before[n.id()],n.width(),n.renderedWidth()]);});
document.body.setAttribute("data-probe",JSON.stringify(out));})();</script>"""
    page = tmp_path / "view.html"
    page.write_text(
        f"<!doctype html><html><head><meta charset='utf-8'><script>{library}</script></head>"
        f"<body>{fragment}{probe}</body></html>",
        encoding="utf-8",
    )
    dom = _chromium(["--dump-dom"], tmp_path, page).stdout
    raw = re.search(r'data-probe="([^"]*)"', dom).group(1)
    found = json.loads(raw.replace("&quot;", '"'))
    size = {
        e["data"]["id"]: e["data"]["size"]
        for e in network_view_elements(net)[0]
        if e["group"] == "nodes"
    }
    assert [row[0] for row in found] == [mrna]  # found by its symbol, case-insensitively
    _, width_before, width_after, rendered = found[0]
    # the highlight adds a border; it must not squash the node into a sliver
    assert width_before == width_after == size[mrna]
    assert rendered > 4


def test_report_view_names_mrnas_by_symbol(cerna_demo) -> None:
    """With ``id_map``, the report's view labels mRNA nodes with the annotation's symbols."""
    from exodisc.omics.resources import read_gene_annotation

    study, _, _, report = cerna_demo
    assay = next(a for a in study.assays if a.id == "cerna_lncrna")
    symbol: dict[str, str] = {}
    if assay.options.get("id_map"):  # without one, every node is labelled with its id
        ann = read_gene_annotation(study.resolve(assay.options["id_map"]))
        symbol = {e: s for e, s in zip(ann["ensembl"], ann["symbol"], strict=True) if e and s}
    sec = next(s for s in report.sections if s.id == "cerna_lncrna")
    view = next(i for i in sec.items if isinstance(i, HtmlItem))
    data = re.search(r'<script type="application/json" id="[^"]+-data">(.*?)</script>', view.html)
    nodes = [e["data"] for e in json.loads(data.group(1)) if e["group"] == "nodes"]
    mrnas = [n for n in nodes if n["type"] == "mRNA"]
    expected = {n["id"]: symbol.get(n["id"].split(".")[0], n["id"]) for n in mrnas}
    assert {n["id"]: n["label"] for n in mrnas} == expected
    if symbol:
        assert sum(n["label"] != n["id"] for n in mrnas) > 0
