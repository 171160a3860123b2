"""Where a reader looks: every section shows its figures first, folds its tables, and a sticky
table of contents stays in view (measured in headless Chromium, not by reading the HTML)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.report import Report, write_output
from tests.foundation._chromium import CHROMIUM, probe_page

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it as root)"
)

_PROBE = """<script>(function(){
var out={sections:{}};
document.querySelectorAll("section[id]").forEach(function(s){
  var h=s.querySelector("h2"), f=s.querySelector("figure");
  if(h&&f){out.sections[s.id]=f.getBoundingClientRect().top-h.getBoundingClientRect().bottom;}
});
var nav=document.querySelector("nav.toc");
out.navPosition=nav?getComputedStyle(nav).position:"none";
window.scrollTo(0,document.body.scrollHeight);
out.navTopAfterScroll=nav?nav.getBoundingClientRect().top:-1;
out.scrolled=window.scrollY;
out.openTables=document.querySelectorAll("details.tbl[open]").length;
out.tables=document.querySelectorAll("details.tbl").length;
document.body.setAttribute("data-probe",JSON.stringify(out));
})();</script>"""


def _probe(page: Path, work: Path) -> dict:
    return probe_page(page, _PROBE, work)


def _tables_then_figure() -> Report:
    """A section that adds five long tables before its figure (as the old assays did)."""
    from matplotlib.figure import Figure

    report = Report("Layout")
    sec = report.add_section("assay", "An assay")
    sec.add_text("Result in words.")
    rng = np.random.default_rng(0)
    for i in range(5):
        frame = pd.DataFrame(rng.normal(size=(40, 6)), columns=list("abcdef"))
        sec.add_table(f"assay_table{i}", frame, caption=f"Table {i}")
    fig = Figure(figsize=(4, 3))
    fig.add_subplot().plot([0, 1], [0, 1])
    sec.add_figure("assay_fig", fig, pd.DataFrame({"x": [0, 1], "y": [0, 1]}), caption="A line")
    for j in range(3):  # more sections so that the page scrolls
        other = report.add_section(f"more{j}", f"More {j}")
        other.add_table(f"more{j}_t", pd.DataFrame(rng.normal(size=(40, 4))), caption="T")
    return report


def test_tables_are_folded_and_linked(tmp_path: Path) -> None:
    page = write_output(_tables_then_figure(), tmp_path / "o", provenance={}, versions={})
    text = page.read_text(encoding="utf-8")
    # the figure comes before the first table in the page, whatever the order it was added in
    assert text.index('id="fig-assay_fig"') < text.index('id="tbl-assay_table0"')
    for i in range(5):
        assert f'<a href="tables/assay_table{i}.tsv">' in text
    assert '<a href="figures/assay_fig.svg">assay_fig</a>' in text
    assert '<a href="figures/assay_fig.tsv">' in text
    # a folded table shows its first rows only; the TSV has them all
    block = re.search(r'<details class="tbl" id="tbl-assay_table0">.*?</details>', text, re.S)
    assert block.group(0).count("<tr>") == 1 + 10
    assert "(40 rows;" in block.group(0)


@needs_chromium
def test_chromium_figure_first_and_sticky_contents(tmp_path: Path) -> None:
    page = write_output(_tables_then_figure(), tmp_path / "o", provenance={}, versions={})
    probe = _probe(page, tmp_path)
    assert probe["sections"]["assay"] < 150, probe  # px from the heading to the figure
    assert probe["navPosition"] == "sticky"
    assert probe["scrolled"] > 500 and -1 <= probe["navTopAfterScroll"] < 50, probe
    assert probe["tables"] == 8 and probe["openTables"] == 0


@pytest.mark.slow
@needs_chromium
def test_chromium_demo_report_sections_show_figures_first(demo_out: Path, tmp_path: Path) -> None:
    probe = _probe(demo_out / "results" / "report.html", tmp_path)
    assert len(probe["sections"]) >= 10, probe
    far = {sid: px for sid, px in probe["sections"].items() if px > 700}
    assert not far, f"sections whose first figure is far below the heading (px): {far}"
    assert probe["navPosition"] == "sticky" and -1 <= probe["navTopAfterScroll"] < 50
