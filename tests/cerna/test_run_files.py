"""`exodisc run` writes each ceRNA network as GraphML and Cytoscape.js JSON beside the report."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest


@pytest.mark.slow
def test_run_writes_network_files(demo_out: Path) -> None:
    out = demo_out / "results"
    nodes = (out / "tables" / "cerna_lncrna_nodes.tsv").read_text().splitlines()
    graph = nx.read_graphml(out / "files" / "cerna_lncrna_network.graphml")
    assert graph.number_of_nodes() == len(nodes) - 1
    cy = json.loads((out / "files" / "cerna_lncrna_network.cyjs").read_text())
    assert {n["data"]["id"] for n in cy["elements"]["nodes"]} == set(graph.nodes)
