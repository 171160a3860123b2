"""Output safety: never delete inputs, never replace another run's output, recover after kills."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exodisc.cli import app
from exodisc.report._atomic import (
    OutputExistsError,
    OutputPathError,
    output_lock,
    render_folder,
    staging_folder,
)

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _run(study: Path, out: Path, *extra: str):
    return runner.invoke(app, ["run", str(study / "study.yaml"), "-o", str(out), "-q", *extra])


@pytest.mark.parametrize(
    "where",
    ["study", "raw", "input_file", "parent_of_study", "symlink_to_study", "inside_input"],
)
def test_output_that_would_delete_inputs_is_refused_even_with_force(
    study_dir: Path, checksums: Callable[[Path], dict[str, bytes]], where: str
):
    before = checksums(study_dir.parent)
    link = study_dir.parent / "link"
    link.symlink_to(study_dir)
    out = {
        "study": study_dir,
        "raw": study_dir / "raw",
        "input_file": study_dir / "raw" / "values.csv",
        "parent_of_study": study_dir.parent,
        "symlink_to_study": link,
        "inside_input": study_dir / "raw" / "values.csv" / "x",
    }[where]
    r = _run(study_dir, out, "--force")
    assert r.exit_code == 1, r.output
    assert "refusing to write the output" in r.output
    assert "--force does not change this" in r.output
    assert "Traceback" not in r.output
    assert checksums(study_dir.parent) == before


def test_output_inside_study_folder_holding_no_input_is_allowed(study_dir: Path):
    r = _run(study_dir, study_dir / "results")
    assert r.exit_code == 0, r.output
    r = _run(study_dir, study_dir / "results", "--force")
    assert r.exit_code == 0, r.output
    assert (study_dir / "raw" / "values.csv").exists()


def _no_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    import exodisc.pipeline as pipeline

    def fail(*args, **kwargs):
        raise AssertionError("the analysis ran although the output cannot be written")

    monkeypatch.setattr(pipeline, "analyse", fail)


def test_unwritable_parent_fails_before_the_analysis(
    study_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    ro = tmp_path / "ro"
    ro.mkdir()
    _no_analysis(monkeypatch)
    if os.geteuid() == 0:  # root writes anywhere (CI runs as root): deny through os.access
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, m: False if Path(p) == ro else real(p, m))
    ro.chmod(0o500)
    try:
        r = _run(study_dir, ro / "out")
    finally:
        ro.chmod(0o700)
    assert r.exit_code == 1, r.output
    assert f"no permission to write in {ro}" in r.output


def test_parent_that_is_a_file_fails_before_the_analysis(
    study_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    (tmp_path / "afile").write_text("x")
    _no_analysis(monkeypatch)
    r = _run(study_dir, tmp_path / "afile" / "out")
    assert r.exit_code == 1
    assert "is a file, not a folder" in r.output


def test_second_run_into_the_same_new_folder_does_not_replace_the_first(
    study_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The existence check is made again under the lock, just before the rename."""
    import exodisc.pipeline as pipeline

    out = tmp_path / "out"
    real = pipeline.analyse

    def analyse_while_another_run_finishes(*args, **kwargs):
        result = real(*args, **kwargs)
        out.mkdir()
        (out / "first.txt").write_text("the first run's output")
        return result

    monkeypatch.setattr(pipeline, "analyse", analyse_while_another_run_finishes)
    r = _run(study_dir, out)
    assert r.exit_code == 1
    assert "exists already" in r.output
    assert (out / "first.txt").read_text() == "the first run's output"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "study"]


def test_swap_waits_for_the_lock_and_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import exodisc.report._atomic as atomic

    monkeypatch.setattr(atomic, "LOCK_TIMEOUT_S", 0.2)
    out = tmp_path / "out"
    with output_lock(out):
        assert (tmp_path / ".out.lock").exists()
        busy = r"another exodisc process is writing .*out"
        with pytest.raises(OutputPathError, match=busy), staging_folder(out):
            pass
    assert not (tmp_path / ".out.lock").exists()
    assert not out.exists()


def test_interrupt_between_the_two_renames_keeps_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("previous")
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt), staging_folder(out, force=True) as tmp:
        (tmp / "new.txt").write_text("new")
    monkeypatch.setattr(os, "replace", real)
    assert (out / "old.txt").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_next_run_restores_an_abandoned_previous_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    out = tmp_path / "out"
    old = tmp_path / ".out.old-0badcafe"
    old.mkdir()
    (old / "report.html").write_text("previous")
    (tmp_path / ".out.tmp-12345678").mkdir()
    with pytest.raises(OutputExistsError), staging_folder(out, force=False):
        pass
    assert (out / "report.html").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    text = capsys.readouterr().err
    assert "restored the previous output" in text and ".out.old-0badcafe" in text
    assert "removed" in text and ".out.tmp-12345678" in text


def test_render_folder_of_a_killed_run_is_removed_a_living_one_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """A render folder is removed by the next run only when no process holds its lock: one
    left by a killed run (lock free, or never made) goes; one of a run still going stays."""
    out = tmp_path / "out"
    dead = tmp_path / ".out.render-dead0000"
    dead.mkdir()
    (dead / ".lock").touch()
    (tmp_path / ".out.render-nolock00").mkdir()
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; sys.path[:0] = [sys.argv[1]]\n"
            "from pathlib import Path\n"
            "from exodisc.report._atomic import render_folder\n"
            "with render_folder(Path(sys.argv[2])) as f:\n"
            "    print(f.name, flush=True); time.sleep(60)",
            str(REPO / "src"),
            str(out),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        alive = child.stdout.readline().strip()
        assert alive.startswith(".out.render-")
        with staging_folder(out) as tmp:
            (tmp / "report.html").write_text("new")
        left = sorted(p.name for p in tmp_path.iterdir())
        assert left == sorted([alive, "out"])
    finally:
        child.kill()
        child.communicate()
    text = capsys.readouterr().err
    assert ".out.render-dead0000" in text and "figures rendered ahead" in text
    with render_folder(out) as folder:  # removed on exit, with its lock file
        assert (folder / ".lock").exists()
    assert not folder.exists()


_SLOW_RUN = """
import pathlib, sys, time
sys.path[:0] = [{repo!r}, {src!r}]
import tests.foundation._plugin
import exodisc.report._xlsx as x
real = x.write_workbook
def slow(tables, path, **kw):
    real(tables, path, **kw)
    pathlib.Path({marker!r}).write_text("staging")
    time.sleep(60)
x.write_workbook = slow
from exodisc.cli import main
sys.argv = ["exodisc", "run", {study!r}, "-o", {out!r}, "-q", "--force"]
main()
"""


def _start_slow_run(study: Path, out: Path, tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    marker = tmp_path / "staging.marker"
    script = tmp_path / "slow_run.py"
    script.write_text(
        textwrap.dedent(
            _SLOW_RUN.format(
                repo=str(REPO),
                src=str(REPO / "src"),
                marker=str(marker),
                study=str(study / "study.yaml"),
                out=str(out),
            )
        )
    )
    proc = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            out_, err = proc.communicate()
            pytest.fail(f"the run did not reach the staging step:\n{out_}\n{err}")
        time.sleep(0.05)
    return proc, marker


@pytest.mark.slow
def test_sigterm_is_handled_like_sigint(study_dir: Path, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("previous")
    proc, _ = _start_slow_run(study_dir, out, tmp_path)
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".out.tmp-")]
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"SIGTERM did not end the run: {proc.communicate()}")
    assert proc.returncode == 143, err
    assert "terminated (SIGTERM)" in err
    assert "Traceback" not in err
    assert (out / "old.txt").read_text() == "previous"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


@pytest.mark.slow
def test_staging_left_by_kill_9_is_removed_by_the_next_run(study_dir: Path, tmp_path: Path):
    out = tmp_path / "out"
    proc, _ = _start_slow_run(study_dir, out, tmp_path)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")]
    assert any(n.startswith(".out.tmp-") for n in left)
    r = _run(study_dir, out)
    assert r.exit_code == 0, r.output
    assert "removed" in r.output and ".out.tmp-" in r.output
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]
    assert (out / "report.html").exists()


def test_run_writing_figures_during_the_analysis_matches_a_serial_run(
    study_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    checksums: Callable[[Path], dict[str, bytes]],
):
    """`exodisc run` on several assays: with two cores the figures of finished assays are
    written while later ones run (forked children); the tables and figures equal
    EXODISC_JOBS=1's byte for byte, and no render folder is left."""
    text = (study_dir / "study.yaml").read_text()
    more = "".join(
        f"  - id: viab{k}\n    kind: testing_values\n    title: Viability {k}\n"
        "    files: [raw/values.csv]\n"
        for k in range(2, 6)
    )
    (study_dir / "study.yaml").write_text(text + more)
    from exodisc.report import Report, _writer

    started: list[int] = []
    real_submit = _writer.RenderAhead.submit

    def counting(self: _writer.RenderAhead, report: Report) -> None:
        real_submit(self, report)
        started.append(len(self._running))

    monkeypatch.setattr(_writer.RenderAhead, "submit", counting)
    outputs = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv("EXODISC_JOBS", jobs)
        r = _run(study_dir, tmp_path / f"out{jobs}")
        assert r.exit_code == 0, r.output
        outputs[jobs] = {
            k: v
            for k, v in checksums(tmp_path / f"out{jobs}").items()
            if k.startswith(("tables/", "figures/"))
        }
    assert len(outputs["1"]) > 20 and outputs["1"] == outputs["2"]
    assert len(started) == 5 and max(started) == 1  # children ran during the analysis
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out1", "out2", "study"]


def test_a_run_freezes_results_between_assays_and_leaves_nothing_frozen(
    study_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """`exodisc run` hides each finished assay's results from the garbage collector (so
    full collections do not walk them again) and gives them back at the end: a run from a
    notebook leaves the collector as it was."""
    import gc

    frozen: list[int] = []
    real = gc.freeze

    def counting() -> None:
        real()
        frozen.append(gc.get_freeze_count())

    monkeypatch.setattr(gc, "freeze", counting)
    monkeypatch.setenv("EXODISC_JOBS", "1")
    r = _run(study_dir, tmp_path / "out")
    assert r.exit_code == 0, r.output
    assert frozen and frozen[-1] > 1000
    assert gc.get_freeze_count() == 0
