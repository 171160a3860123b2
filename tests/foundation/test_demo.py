"""The built-in example study runs end to end (the `make demo` path)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exodisc.cli import app
from exodisc.config import load_study
from exodisc.demo import build_demo

pytestmark = pytest.mark.slow


def test_demo_study_is_the_seed_design(demo_out: Path):
    study = load_study(demo_out / "study" / "study.yaml")
    assert study.simulated
    assert [g.label for g in study.ordered_groups] == [
        "Control",
        "IL-1β",
        "IL-1β + USC",
        "IL-1β + USC + GW4869",
        "IL-1β + USC-Exos",
    ]
    assert {s.replicate for s in study.samples} == {1, 2, 3}
    assert study.mark_legend() == {"*": "Control", "#": "IL-1β", "&": "IL-1β + USC"}


def test_demo_report_has_every_simulated_assay(demo_out: Path):
    study = load_study(demo_out / "study" / "study.yaml")
    html = (demo_out / "results" / "report.html").read_text()
    assert "Simulated data" in html
    for assay in study.assays:
        assert f'<section id="{assay.id}">' in html, assay.id
    prov = json.loads((demo_out / "results" / "provenance.json").read_text())
    recorded = {i["path"] for i in prov["inputs"]}
    for assay in study.assays:  # every declared file, and files named in options, too
        assert {str(study.resolve(f)) for f in assay.files} <= recorded, assay.id
    assert str(study.resolve("raw/enrichment/kegg_demo.gmt")) in recorded
    assert str(study.resolve("raw/rnaseq/mrna_annotation.tsv")) in recorded


def test_demo_is_deterministic(tmp_path: Path):
    a = build_demo(tmp_path / "a")
    b = build_demo(tmp_path / "b")
    files_a = sorted(p.relative_to(a.parent) for p in a.parent.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b.parent) for p in b.parent.rglob("*") if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        assert (a.parent / rel).read_bytes() == (b.parent / rel).read_bytes(), rel


def test_demo_refuses_existing_folder(tmp_path: Path):
    (tmp_path / "d").mkdir()
    r = CliRunner().invoke(app, ["demo", "-o", str(tmp_path / "d"), "--no-run"])
    assert r.exit_code == 1
    assert "exists already" in r.output
