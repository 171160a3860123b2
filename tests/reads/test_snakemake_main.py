"""The Snakemake launcher: same results and exit status as ``python -m snakemake``."""

from __future__ import annotations

from pathlib import Path

import pytest

from exodisc.reads._workflow import _snakemake

pytest.importorskip("snakemake", reason="the reads extra (snakemake) is not installed")

SNAKEFILE = """
rule all:
    input: "b.txt"

rule a:
    output: "a.txt"
    shell: "echo one > {output}"

rule b:
    input: "a.txt"
    output: "b.txt"
    shell: "cat {input} > {output}; echo two >> {output}; exit {config[rc]}"
"""


def _run(tmp_path: Path, rc: int) -> tuple[int, list[str]]:
    (tmp_path / "Snakefile").write_text(SNAKEFILE)
    args = ["--snakefile", str(tmp_path / "Snakefile"), "--directory", str(tmp_path / "w")]
    args += ["--cores", "1", "--config", f"rc={rc}"]
    return _snakemake(args, tmp_path / "w", None)


def test_success_exits_zero_with_the_outputs(tmp_path: Path) -> None:
    rc, lines = _run(tmp_path, 0)
    assert rc == 0
    assert (tmp_path / "w" / "b.txt").read_text() == "one\ntwo\n"
    assert any("3 of 3 steps (100%) done" in line for line in lines)
    # Snakemake's own log of the run is complete (flushed before the early exit)
    (log,) = (tmp_path / "w" / ".snakemake" / "log").glob("*.snakemake.log")
    assert "3 of 3 steps (100%) done" in log.read_text()


def test_failed_job_exits_nonzero(tmp_path: Path) -> None:
    rc, lines = _run(tmp_path, 3)
    assert rc == 1
    assert any(line.startswith("Error in rule b:") for line in lines)
    assert not (tmp_path / "w" / "b.txt").exists()
