"""Byte-identical re-runs: results.xlsx and the ceRNA network layout."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from exodisc.report import Report, write_output


def _report(rows: int = 5) -> Report:
    report = Report("Re-runs")
    sec = report.add_section("s", "Section")
    sec.add_table("small", pd.DataFrame({"a": np.arange(rows), "b": np.linspace(0, 1, rows)}))
    sec.add_table("big", pd.DataFrame({"gene": [f"g{i}" for i in range(30)], "x": range(30)}))
    return report


def test_results_xlsx_is_byte_identical_across_runs(tmp_path: Path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_output(_report(), a, provenance={}, versions={})
    time.sleep(2.1)  # zip entry times have a 2-second resolution
    write_output(_report(), b, provenance={}, versions={})
    assert (a / "results.xlsx").read_bytes() == (b / "results.xlsx").read_bytes()
    with zipfile.ZipFile(a / "results.xlsx") as z:
        core = z.read("docProps/core.xml").decode()
    assert "<dcterms:modified" in core and "2000-01-01T00:00:00Z" in core.split("modified")[1]


def test_tables_too_long_for_excel_are_tsv_only_and_the_index_says_so(tmp_path: Path):
    import openpyxl

    from exodisc.report._xlsx import write_workbook

    report = _report()
    tables = [i for s in report.sections for i in s.items]
    write_workbook(tables, tmp_path / "results.xlsx", max_rows=20)  # type: ignore[arg-type]
    wb = openpyxl.load_workbook(tmp_path / "results.xlsx", read_only=True)
    assert wb.sheetnames == ["index", "small"]
    index = [list(r) for r in wb["index"].iter_rows(values_only=True)]
    wb.close()
    assert index[1][0] == "small" and index[1][3] == 5
    assert index[2][2] == "tables/big.tsv" and index[2][3] == 30
    assert "TSV only" in index[2][5]


def test_tables_over_the_xlsx_cells_limit_are_tsv_only_and_the_index_says_so(tmp_path: Path):
    """Issue 17: a 200,000-gene DE table took most of `exodisc run` writing its sheet."""
    import openpyxl

    from exodisc.config import get_limits, set_limits, use_limits
    from exodisc.report._xlsx import write_workbook

    report = _report()
    tables = [i for s in report.sections for i in s.items]
    n_big = tables[1].frame.size  # type: ignore[attr-defined]
    previous = get_limits()
    try:
        set_limits(xlsx_cells=n_big - 1)
        write_workbook(tables, tmp_path / "results.xlsx")  # type: ignore[arg-type]
    finally:
        use_limits(previous)
    wb = openpyxl.load_workbook(tmp_path / "results.xlsx", read_only=True)
    assert wb.sheetnames == ["index", "small"]
    index = [list(r) for r in wb["index"].iter_rows(values_only=True)]
    wb.close()
    assert index[2][2] == "tables/big.tsv"
    assert f"TSV only: {n_big:,} cells exceed the xlsx_cells limit of {n_big - 1:,}" in index[2][5]
    assert "--limit xlsx_cells=N" in index[2][5]


_LAYOUT = """
import sys
sys.path[:0] = [{src!r}]
import networkx as nx
from exodisc.pl._cerna import _packed_layout
g = nx.Graph()
names = []
for c in range(4):  # components smaller than half the graph: subgraph() iterates a set
    ring = [f"lnc{{c}}_{{i}}" if i % 2 else f"MIR{{c}}_{{i}}" for i in range(7)]
    names += ring
    for i in range(7):
        g.add_edge(ring[i], ring[(i + 1) % 7])
    g.add_edge(ring[0], ring[3])
g.add_nodes_from(f"other{{i}}" for i in range(40))  # drawn: a subset (as for > max_nodes)
pos = _packed_layout(g.subgraph(names), seed=0)
print(sorted((k, round(float(v[0]), 9), round(float(v[1]), 9)) for k, v in pos.items()))
"""


def test_cerna_layout_does_not_depend_on_python_hash_seed():
    import exodisc

    code = _LAYOUT.format(src=str(Path(exodisc.__file__).parents[1]))
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": ""}
        r = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
        )
        assert r.returncode == 0, r.stderr
        outs.append(r.stdout)
    assert outs[0] == outs[1]
