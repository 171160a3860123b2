"""``exodisc cerna`` at scale: pairs streamed in blocks, under a 2 GB address-space cap."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from exodisc.cli import app


def _write_case(folder: Path, n_lnc: int, n_pc: int, n_mir: int, seed: int = 3) -> int:
    """Synthetic expression and target tables; returns the number of pairs sharing a miRNA."""
    rng = np.random.default_rng(seed)
    samples = [f"S{i}" for i in range(10)]
    mirs = [f"hsa-miR-{i}-5p" for i in range(n_mir)]
    lnc = [f"L{i:05d}" for i in range(n_lnc)]
    pc = [f"P{i:05d}" for i in range(n_pc)]
    for name, ids in (("lnc", lnc), ("pc", pc), ("mir", mirs)):
        x = rng.normal(5, 1, size=(len(ids), len(samples)))
        pd.DataFrame(x, index=pd.Index(ids, name="feature"), columns=samples).to_csv(
            folder / f"expr_{name}.tsv", sep="\t"
        )
    inc = {}
    for name, ids in (("lnc", lnc), ("pc", pc)):
        m = rng.random((len(ids), n_mir)) < 12 / n_mir  # ~12 miRNAs per feature
        m[np.arange(len(ids)), rng.integers(0, n_mir, len(ids))] = True
        inc[name] = m
        r, c = np.nonzero(m)
        pd.DataFrame({"gene": np.asarray(ids)[r], "mirna": np.asarray(mirs)[c]}).to_csv(
            folder / f"targets_{name}.tsv", sep="\t", index=False
        )
    shared = inc["lnc"].astype(np.float32) @ inc["pc"].T.astype(np.float32)
    return int((shared >= 1).sum())


@pytest.mark.slow
def test_cli_streams_under_2gb(tmp_path: Path) -> None:
    n_pairs = _write_case(tmp_path, 1000, 1500, 120)
    assert n_pairs > 1_000_000
    out = tmp_path / "pairs.tsv"
    script = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
        from exodisc.cli import main
        sys.argv = ["exodisc", "cerna",
            "--expr-cerna", "{tmp_path}/expr_lnc.tsv", "--expr-mrna", "{tmp_path}/expr_pc.tsv",
            "--expr-mirna", "{tmp_path}/expr_mir.tsv",
            "--targets-cerna", "{tmp_path}/targets_lnc.tsv",
            "--targets-mrna", "{tmp_path}/targets_pc.tsv",
            "--max-fdr", "0.05", "-o", "{out}"]
        main()
        """
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=600
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{n_pairs} pair(s) tested" in proc.stdout
    t = pd.read_csv(out, sep="\t")
    assert (t["hyper_fdr"] <= 0.05).all()
    assert f"{len(t)} written (hyper_fdr <= 0.05)" in proc.stdout


def test_memory_error_is_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_case(tmp_path, 20, 30, 20)
    import exodisc.omics.cerna as cerna

    def boom(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(cerna, "stream_cerna_pairs", boom)
    args = [
        "cerna",
        "--expr-cerna", str(tmp_path / "expr_lnc.tsv"),
        "--expr-mrna", str(tmp_path / "expr_pc.tsv"),
        "--targets-cerna", str(tmp_path / "targets_lnc.tsv"),
        "--targets-mrna", str(tmp_path / "targets_pc.tsv"),
        "-o", str(tmp_path / "o.tsv"),
    ]  # fmt: skip
    r = CliRunner().invoke(app, args)
    assert r.exit_code != 0
    assert "ran out of memory; use a smaller --block-size" in r.output
    assert "unexpected" not in r.output
