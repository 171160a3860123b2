"""Command line, atomic output folder, provenance, determinism."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exodisc import __version__
from exodisc.cli import app
from tests.foundation.conftest import GOOD

runner = CliRunner()


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"exodisc {__version__}"


def test_validate_ok_and_bad(make_study):
    ok = runner.invoke(app, ["validate", str(make_study())])
    assert ok.exit_code == 0, ok.output
    assert "valid — 3 groups, 9 samples, 2 comparisons, 1 assays" in ok.output
    bad = runner.invoke(app, ["validate", str(make_study(GOOD.replace("seed: 1", "sed: 1")))])
    assert bad.exit_code == 2
    assert "sed: unknown key" in bad.output
    assert "Traceback" not in bad.output


def test_run_writes_everything(make_study, tmp_path: Path):
    study = make_study()
    before = _digest(study.parent)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(study), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("report.html")
    for rel in [
        "report.html",
        "provenance.json",
        "results.xlsx",
        "tables/viab_values.tsv",
        "tables/viab_pairs.tsv",
        "tables/viab_omnibus.tsv",
        "tables/viab_descriptives.tsv",
        "tables/study_groups.tsv",
        "figures/viab_bars.svg",
        "figures/viab_bars.png",
        "figures/viab_bars.tsv",
    ]:
        assert (out / rel).is_file(), rel
    # inputs untouched
    after = {k: v for k, v in _digest(study.parent).items() if not k.startswith("out/")}
    assert after == before
    # provenance: inputs with checksums, resolved study, versions, times
    prov = json.loads((out / "provenance.json").read_text())
    csv = study.parent / "values.csv"
    assert prov["inputs"] == [
        {
            "path": str(csv),
            "size": csv.stat().st_size,
            "sha256": hashlib.sha256(csv.read_bytes()).hexdigest(),
        }
    ]
    assert prov["study_file"]["sha256"] == hashlib.sha256(study.read_bytes()).hexdigest()
    assert prov["study"]["thresholds"] == {"alpha": 0.05, "log2_fc": 1.0, "fdr": 0.05}
    assert prov["study"]["assays"][0]["files"] == [str(csv)]
    assert {"exodisc", "numpy", "pandas", "scipy"} <= set(prov["versions"])
    assert prov["seed"] == 1
    assert prov["started"] <= prov["finished"]
    outputs = {o["path"]: o["sha256"] for o in prov["outputs"]}
    tsv = out / "tables/viab_pairs.tsv"
    assert outputs["tables/viab_pairs.tsv"] == hashlib.sha256(tsv.read_bytes()).hexdigest()
    # the report: self-contained, the methods paragraph generated from the registry
    html = (out / "report.html").read_text()
    assert "<svg" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html and "<script" not in html
    assert "Bonferroni" in html and "2 declared comparisons" in html
    assert "# P &lt; 0.05" in html and "vs IL-1β" in html
    assert "Simulated data" not in html


def test_pairs_table_contents(make_study, tmp_path: Path):
    out = tmp_path / "out"
    runner.invoke(app, ["run", str(make_study()), "-o", str(out), "-q"])
    text = (out / "tables/viab_pairs.tsv").read_text().splitlines()
    header = text[0].split("\t")
    assert header[:2] == ["group1", "group2"]
    assert {"mean_diff", "p_value", "p_adj", "mark"} <= set(header)
    assert [line.split("\t")[:2] for line in text[1:]] == [["il1b", "ctrl"], ["exo", "il1b"]]


def test_two_runs_give_identical_tables(make_study, tmp_path: Path):
    study = make_study()
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        r = runner.invoke(app, ["run", str(study), "-o", str(out), "-q"])
        assert r.exit_code == 0, r.output
    tables_a = {k: v for k, v in _digest(a).items() if k.startswith(("tables/", "figures/"))}
    tables_b = {k: v for k, v in _digest(b).items() if k.startswith(("tables/", "figures/"))}
    assert tables_a == tables_b
    assert len(tables_a) >= 8


def test_refuses_to_overwrite_without_force(make_study, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    r = runner.invoke(app, ["run", str(make_study()), "-o", str(out), "-q"])
    assert r.exit_code == 1
    assert "exists already" in r.output and "--force" in r.output
    assert (out / "keep.txt").read_text() == "mine"
    r = runner.invoke(app, ["run", str(make_study()), "-o", str(out), "-q", "--force"])
    assert r.exit_code == 0, r.output
    assert not (out / "keep.txt").exists()
    assert (out / "report.html").exists()


@pytest.mark.parametrize("fail", ["error", "interrupt"])
def test_failed_or_interrupted_run_leaves_no_output(make_study, tmp_path: Path, fail: str):
    study = make_study(GOOD.replace('options: {unit: "%"}', f"options: {{fail: {fail}}}"))
    out = tmp_path / "out"
    r = runner.invoke(app, ["run", str(study), "-o", str(out), "-q"])
    assert r.exit_code != 0
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]
    if fail == "error":
        assert "values.csv: row 2: deliberate failure" in r.output
        assert "Traceback" not in r.output


def test_existing_output_survives_a_failed_forced_run(make_study, tmp_path: Path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", str(make_study()), "-o", str(out), "-q"]).exit_code == 0
    before = _digest(out)
    study = make_study(GOOD.replace('options: {unit: "%"}', "options: {fail: error}"))
    r = runner.invoke(app, ["run", str(study), "-o", str(out), "-q", "--force"])
    assert r.exit_code == 1
    assert _digest(out) == before


def test_debug_shows_traceback(make_study, tmp_path: Path):
    study = make_study(GOOD.replace('options: {unit: "%"}', "options: {fail: error}"))
    r = runner.invoke(app, ["--debug", "run", str(study), "-o", str(tmp_path / "o"), "-q"])
    assert r.exit_code != 0
    assert r.exception is not None
    assert "deliberate failure" in str(r.exception)


def test_bad_input_file_message(make_study, tmp_path: Path):
    study = make_study(values="sample,val\nctrl_1,1\n")
    r = runner.invoke(app, ["run", str(study), "-o", str(tmp_path / "o"), "-q"])
    assert r.exit_code == 1
    assert f"error: {study.parent / 'values.csv'}: no column 'value'" in r.output


def test_result_files_are_written_and_linked(tmp_path: Path):
    from exodisc.report import Report, write_output

    report = Report("Files")
    sec = report.add_section("net", "Network")
    sec.add_file("net.graphml", "<graphml/>\n", caption="the network")
    with pytest.raises(ValueError, match="with an extension"):
        sec.add_file("no_extension", b"x")
    html_path = write_output(report, tmp_path / "o", provenance={}, versions={})
    assert (tmp_path / "o" / "files" / "net.graphml").read_text() == "<graphml/>\n"
    assert 'href="files/net.graphml"' in html_path.read_text()
    prov = json.loads((tmp_path / "o" / "provenance.json").read_text())
    assert "files/net.graphml" in {o["path"] for o in prov["outputs"]}


def test_overview_counts_replicates(make_study, tmp_path: Path):
    out = tmp_path / "o"
    assert runner.invoke(app, ["run", str(make_study()), "-o", str(out), "-q"]).exit_code == 0
    html = (out / "report.html").read_text()
    assert "3 groups, 9 biological samples (3 per group); 1 assays." in html
