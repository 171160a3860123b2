"""HTML fragments in report.html, with vendored scripts inlined once per report."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from exodisc.report import Report, write_output

VENDOR = Path(__file__).parents[2] / "src" / "exodisc" / "report" / "vendor"


def _two_views() -> Report:
    report = Report("Views")
    for sid in ("a", "b"):
        sec = report.add_section(sid, sid.upper())
        sec.add_html(
            f"{sid}_view", f'<div id="{sid}-cy"></div>', caption="x", scripts=("cytoscape",)
        )
    return report


def test_html_fragment_and_script_inlined_once(tmp_path: Path):
    html = write_output(_two_views(), tmp_path / "o", provenance={}, versions={}).read_text()
    assert html.count('<script data-vendor="cytoscape">') == 1
    assert html.index('data-vendor="cytoscape"') < html.index('<div id="a-cy">')
    assert '<div id="b-cy"></div>' in html
    assert '<figure id="view-b_view">' in html
    # the library is inlined whole, and nothing else is written for a fragment
    lib = (VENDOR / "cytoscape.min.js").read_text("utf-8")
    assert lib[-2000:] in html and lib[:2000] in html
    assert not (tmp_path / "o" / "files").exists()


def test_vendored_file_is_the_recorded_release():
    digest = hashlib.sha256((VENDOR / "cytoscape.min.js").read_bytes()).hexdigest()
    assert digest in (VENDOR / "README.md").read_text()
    assert "Permission is hereby granted" in (VENDOR / "cytoscape.LICENSE").read_text()


def test_no_script_without_fragments(tmp_path: Path):
    report = Report("Plain")
    report.add_section("a", "A").add_text("text")
    html = write_output(report, tmp_path / "o", provenance={}, versions={}).read_text()
    assert "<script" not in html


def test_unknown_script_and_bad_name():
    sec = Report("R").add_section("a", "A")
    with pytest.raises(ValueError, match=r"unknown report script\(s\) \['d3'\]; known: "):
        sec.add_html("v", "<div></div>", scripts=("d3",))
    with pytest.raises(ValueError, match="output name 'Bad Name' must be lower-case"):
        sec.add_html("Bad Name", "<div></div>")


def test_duplicate_view_names_are_refused():
    report = Report("R")
    report.add_section("a", "A").add_html("v", "<div></div>")
    report.add_section("b", "B").add_html("v", "<div></div>")
    with pytest.raises(ValueError, match="HtmlItem name 'v' is used by sections 'a' and 'b'"):
        report.check_unique_names()
