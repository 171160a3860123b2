"""An empty result table says why it is empty, in report.html, where the table would be (#19)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from exodisc.report import Report, write_output


def _block(text: str, name: str) -> str:
    found = re.search(rf'<details class="tbl" id="tbl-{name}">.*?</details>', text, re.S)
    assert found is not None, name
    return found.group(0)


def test_empty_table_shows_its_reason_not_a_bare_header(tmp_path: Path) -> None:
    report = Report("Empty")
    sec = report.add_section("enr", "Enrichment")
    cols = ["term", "description", "p_adj"]
    sec.add_table("enr_kegg", pd.DataFrame(columns=cols), caption="KEGG", empty="no term passed")
    sec.add_table("enr_other", pd.DataFrame(columns=cols), caption="Other")
    sec.add_table("enr_full", pd.DataFrame({"term": ["T1"]}), caption="Full", empty="unused")
    text = write_output(report, tmp_path / "o", provenance={}, versions={}).read_text("utf-8")
    kegg = _block(text, "enr_kegg")
    assert '(no rows: <span class="why">no term passed</span>;' in kegg  # seen while folded
    assert "<table>" not in kegg and "term, description, p_adj" in kegg
    assert "no rows: <span" in _block(text, "enr_other")  # a reason even when none was given
    full = _block(text, "enr_full")
    assert "(1 row;" in full and "<table>" in full and "unused" not in full
    # the TSV keeps its header for programs
    assert (tmp_path / "o" / "tables" / "enr_kegg.tsv").read_text() == "term\tdescription\tp_adj\n"


def test_ora_says_which_filter_left_no_term() -> None:
    from exodisc.omics.enrichment import ora

    sets = {"T1": ["g1", "g2", "g3"], "T2": ["g4", "g5", "g6", "g7"], "T3": ["g1", "g8", "g9"]}
    too_small = ora(["g1", "g2"], sets, min_size=5)
    assert too_small.table.empty
    assert too_small.why_empty().startswith(
        "none of the 3 term(s) was tested: 3 have a size in the background outside [5, 500]"
    )
    no_overlap = ora(["g1", "g4"], sets, min_size=3, min_overlap=2)
    assert no_overlap.table.empty
    assert "3 share fewer than 2 gene(s) with the list (2 list gene(s) annotated)" in (
        no_overlap.why_empty()
    )
    assert ora(["g1", "g2"], sets, min_size=3).why_empty() == ""


def test_enrichment_assay_table_states_why_it_is_empty(tmp_path: Path) -> None:
    from exodisc.omics.enrichment._run import run
    from tests.enrichment.test_run import GENES, _ctx, _study

    (tmp_path / "list.txt").write_text("\n".join(GENES[:12]) + "\n")
    ctx = _ctx(_study(tmp_path, {"min_size": 25}, files=["list.txt"]))
    run(ctx)
    sec = ctx.report.sections[0]
    item = next(i for i in sec.items if getattr(i, "name", "") == "enrichment_test_sets")
    assert item.frame.empty
    assert "have a size in the background outside [25, " in item.empty
    text = write_output(ctx.report, tmp_path / "o", provenance={}, versions={}).read_text()
    assert "have a size in the background outside [25, " in _block(text, "enrichment_test_sets")


@pytest.mark.slow
def test_demo_report_has_no_unexplained_empty_table(demo_out: Path) -> None:
    text = (demo_out / "results" / "report.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<details class="tbl" id="tbl-([^"]+)">(.*?)</details>', text, re.S)
    assert len(blocks) > 50
    empty = {name: b for name, b in blocks if "no rows: <span" in b}
    unexplained = [n for n, b in empty.items() if "the analysis produced none" in b]
    assert unexplained == [], unexplained
    # and every table listed in tables/ with a header only is one of those with a reason
    for tsv in (demo_out / "results" / "tables").glob("*.tsv"):
        if len(tsv.read_text(encoding="utf-8").splitlines()) <= 1 and tsv.stem in dict(blocks):
            assert tsv.stem in empty and tsv.stem not in unexplained, tsv.name
