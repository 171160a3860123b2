"""report.html never scrolls sideways at a normal width: wide tables scroll inside their own box,
long words wrap (measured in headless Chromium at 1280 px, #19)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.report import Report, write_output
from tests.foundation._chromium import CHROMIUM, probe_page

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it as root)"
)

_PROBE = """<script>(function(){
var root=document.documentElement, out={scrollWidth:root.scrollWidth,
innerWidth:window.innerWidth, clientWidth:root.clientWidth, wide:[]};
document.querySelectorAll("main *").forEach(function(e){
  var r=e.getBoundingClientRect();
  if(r.right>root.clientWidth+1&&!e.closest(".tw")){out.wide.push(e.tagName+" "+r.right);}
});
out.wide=out.wide.slice(0,10);
document.body.setAttribute("data-probe",JSON.stringify(out));
})();</script>"""


def _widths(page: Path, work: Path, width: int = 1280) -> dict:
    return probe_page(page, _PROBE, work, width=width)


def _wide_report() -> Report:
    """What made the page wider than the window: 40-column tables, a cell holding 200 genes,
    file names and captions with no place to break, a 16-inch figure."""
    from matplotlib.figure import Figure

    token = "tables/" + "cerna_circrna_enrichment_go_biological_process__go_bp_" * 6 + ".tsv"
    report = Report("Wide content")
    sec = report.add_section("assay", "An assay " + token)
    sec.add_text("A result naming " + token + " in words.")
    sec.add_warning("A warning about " + token)
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        rng.normal(size=(5, 40)), columns=[f"column_{i}_long_name" for i in range(40)]
    )
    frame["genes"] = ";".join(f"GENE{i}" for i in range(200))
    sec.add_table("assay_wide", frame, caption="Wide table " + token)
    fig = Figure(figsize=(16, 3))
    fig.add_subplot().plot([0, 1], [0, 1])
    sec.add_figure("assay_fig", fig, pd.DataFrame({"x": [0, 1]}), caption="Wide " + token)
    return report


def test_wide_content_does_not_widen_the_page(tmp_path: Path) -> None:
    page = write_output(_wide_report(), tmp_path / "o", provenance={}, versions={})
    probe = _widths(page, tmp_path)
    assert probe["scrollWidth"] <= probe["innerWidth"] == 1280, probe
    assert probe["wide"] == [], probe  # only table boxes (.tw) may hold wider content


@pytest.mark.slow
def test_demo_report_has_no_horizontal_scrollbar(demo_out: Path, tmp_path: Path) -> None:
    probe = _widths(demo_out / "results" / "report.html", tmp_path)
    assert probe["scrollWidth"] <= probe["innerWidth"] == 1280, probe
    assert probe["wide"] == [], probe
