"""A ceRNA network with no edge: its tables say why they are empty (#19)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.cerna.test_run import _rewrite


@pytest.mark.slow
def test_empty_network_tables_state_why(cerna_demo, tmp_path: Path) -> None:
    from exodisc.config import load_study
    from exodisc.pipeline import analyse
    from exodisc.report import write_output

    _, _, folder, _ = cerna_demo
    opts = "cerna_class: lncRNA\n"
    path = _rewrite(Path(folder), tmp_path, opts, opts + "    max_fdr: 1.0e-300\n")
    report, results = analyse(load_study(path))
    assert results["cerna_lncrna"].network.edges.empty
    sec = next(s for s in report.sections if s.id == "cerna_lncrna")
    items = {getattr(i, "name", ""): i for i in sec.items}
    for name in ("edges", "nodes", "triplets"):
        item = items[f"cerna_lncrna_{name}"]
        assert item.frame.empty
        assert "pairs tested passed hypergeometric FDR < 1e-300" in item.empty, name
    page = write_output(report, tmp_path / "o", provenance={}, versions={}).read_text()
    assert 'no rows: <span class="why">none of the' in page
