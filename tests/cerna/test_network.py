"""Network assembly, ceRNA logic on miRNAs, GraphML and Cytoscape.js export, figure."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from exodisc.errors import SchemaError
from exodisc.omics.cerna import (
    build_network,
    cerna_pairs,
    de_directions,
    dumps_cytoscape,
    read_expression,
    read_targets,
    to_cytoscape,
    write_graphml,
)
from exodisc.pl._cerna import cerna_network, network_plot_data, network_subset

REF = Path(__file__).resolve().parents[1] / "reference" / "cerna"

# Cytoscape.js elements JSON (https://js.cytoscape.org/#notation/elements-json), as a schema
CYTOSCAPE_SCHEMA = {
    "type": "object",
    "required": ["elements"],
    "properties": {
        "elements": {
            "type": "object",
            "required": ["nodes", "edges"],
            "properties": {
                "nodes": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["data"],
                        "properties": {
                            "group": {"const": "nodes"},
                            "data": {
                                "type": "object",
                                "required": ["id"],
                                "properties": {"id": {"type": "string", "minLength": 1}},
                            },
                        },
                    },
                },
                "edges": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["data"],
                        "properties": {
                            "group": {"const": "edges"},
                            "data": {
                                "type": "object",
                                "required": ["id", "source", "target"],
                                "properties": {
                                    "id": {"type": "string"},
                                    "source": {"type": "string"},
                                    "target": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
        }
    },
}


@pytest.fixture(scope="module")
def net():
    res = cerna_pairs(
        read_expression(REF / "expr_lnc.tsv"),
        read_expression(REF / "expr_pc.tsv"),
        targets_cerna=read_targets(REF / "targets_lnc.tsv"),
        targets_mrna=read_targets(REF / "targets_pc.tsv"),
    )
    return build_network(res.table, max_fdr=0.25, cerna_type="lncRNA")


def test_graphml_opens_in_networkx(net, tmp_path: Path) -> None:
    path = write_graphml(net, tmp_path / "n.graphml")
    g = nx.read_graphml(path)
    assert set(g.nodes) == set(net.nodes["id"])
    assert g.number_of_edges() == net.graph().number_of_edges()
    types = nx.get_node_attributes(g, "type")
    assert set(types.values()) == {"lncRNA", "miRNA", "mRNA"}
    deg = dict(g.degree())
    assert all(deg[r.id] == r.degree for r in net.nodes.itertuples())


def test_cytoscape_json_validates(net) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    text = dumps_cytoscape(net)
    data = json.loads(text)
    jsonschema.validate(data, CYTOSCAPE_SCHEMA)
    els = data["elements"]
    ids = [e["data"]["id"] for e in els["nodes"] + els["edges"]]
    assert len(ids) == len(set(ids))  # ids unique across nodes and edges
    node_ids = {n["data"]["id"] for n in els["nodes"]}
    assert all(
        e["data"]["source"] in node_ids and e["data"]["target"] in node_ids for e in els["edges"]
    )
    assert len(els["edges"]) == net.graph().number_of_edges()
    assert to_cytoscape(net) == data


def test_mirna_opposite_direction_rule() -> None:
    edges = pd.DataFrame(
        {
            "cerna": ["L1", "L2"],
            "mrna": ["G1", "G2"],
            "shared_mirnas": [2, 1],
            "hyper_p": [0.001, 0.001],
            "hyper_fdr": [0.01, 0.01],
            "pearson_r": [0.9, 0.9],
            "pearson_p": [0.01, 0.01],
            "reg_sim": [np.nan, np.nan],
            "sens_corr": [np.nan, np.nan],
            "mirnas": ["m1;m2", "m3"],
        }
    )
    cdir = pd.Series({"L1": 1, "L2": -1})
    mdir = pd.Series({"m1": -1, "m2": 1, "m3": -1})
    net = build_network(edges, mirna_direction=mdir, cerna_direction=cdir)
    # L1 (up) keeps m1 (down), loses m2 (up); L2 (down) loses m3 (down), so the pair goes
    assert net.triplets.to_dict(orient="records") == [{"cerna": "L1", "mirna": "m1", "mrna": "G1"}]
    assert net.edges["mirnas_used"].tolist() == ["m1"]
    assert net.mrnas == ["G1"]


def test_de_directions() -> None:
    t = pd.DataFrame(
        {
            "feature_id": ["a", "b", "c", "d"],
            "log2_fold_change": [2.0, -3.0, 0.5, 4.0],
            "padj": [0.01, 0.001, 0.001, np.nan],
        }
    )
    assert de_directions(t, fdr=0.05, log2_fc=1).tolist() == [1, -1, 0, 0]
    with pytest.raises(SchemaError, match="DE table lacks column\\(s\\) padj"):
        de_directions(t.drop(columns="padj"))


def test_hub_ranks_and_modules(net) -> None:
    n = net.nodes
    assert sorted(n["hub_rank"]) == list(range(1, len(n) + 1))
    top = n.sort_values("hub_rank").iloc[0]
    assert top["degree"] == n["degree"].max()
    assert (n["module"] >= 1).all()


def test_figure_and_cut(net) -> None:
    from matplotlib.figure import Figure

    fig = cerna_network(net, title="test")
    assert isinstance(fig, Figure)
    keep, cut = network_subset(net, max_nodes=10)
    assert len(keep) <= 10 or cut.count("top 1 hub") == 1
    assert "nodes in the network; drawn: the top" in cut
    assert len(network_plot_data(net, max_nodes=10)) == len(keep)
    full, none = network_subset(net, max_nodes=1000)
    assert none == "" and len(full) == len(net.nodes)
    empty = build_network(net.edges.iloc[:0])
    assert isinstance(cerna_network(empty), Figure)


def test_triplet_correlations_equal_scipy() -> None:
    from scipy import stats

    from exodisc.omics.cerna import triplet_correlations

    ec = read_expression(REF / "expr_lnc.tsv")
    em = read_expression(REF / "expr_pc.tsv")
    emi = read_expression(REF / "expr_mir.tsv")
    trip = pd.DataFrame(
        {
            "cerna": ["LNC00", "LNC01", "LNC02"],
            "mirna": ["hsa-miR-101-5p", "hsa-miR-102-3p", "hsa-miR-129-5p"],  # last: no data
            "mrna": ["PC00", "PC03", "PC04"],
        }
    )
    out = triplet_correlations(trip, expr_cerna=ec, expr_mrna=em, expr_mirna=emi)
    for i in range(2):
        row = out.iloc[i]
        for kind, expr in (("cerna", ec), ("mrna", em)):
            res = stats.pearsonr(expr.loc[row[kind]], emi.loc[row["mirna"]], alternative="less")
            assert row[f"r_{kind}_mirna"] == pytest.approx(res.statistic, rel=1e-12)
            assert row[f"p_{kind}_mirna"] == pytest.approx(res.pvalue, rel=1e-10)
    assert np.isnan(out.iloc[2]["r_cerna_mirna"]) and not out.iloc[2]["negative_both"]
    pd.testing.assert_frame_equal(out[["cerna", "mirna", "mrna"]], trip)
