"""Fixtures of the reads-stage tests: tool check, one synthetic run shared by several tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def reads_tools() -> None:
    """Skip, naming what is missing, where the workflow's tools are not installed."""
    from exodisc.reads import MissingToolsError, check_tools

    try:
        check_tools()
    except MissingToolsError as exc:
        pytest.skip(f"reads tools missing (make system-deps-reads installs them): {exc}")


@pytest.fixture(scope="session")
def sequencing(shared_data: Path) -> Path:
    """Real public sequencing test sets: tests/data/sequencing, else ../shared/data/sequencing."""
    local = REPO / "tests" / "data" / "sequencing"
    return local if (local / "PROVENANCE.md").is_file() else shared_data / "sequencing"


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory):
    from exodisc.reads import simulate_reads_dataset

    return simulate_reads_dataset(tmp_path_factory.mktemp("synthetic") / "data")


@pytest.fixture(scope="session")
def synthetic_run(synthetic, reads_tools, tmp_path_factory: pytest.TempPathFactory):
    """The whole workflow on the synthetic genome (two samples, total + small), run once."""
    from exodisc.reads import run_reads

    out = tmp_path_factory.mktemp("run") / "out"
    result = run_reads(
        synthetic.samplesheet,
        genome=synthetic.genome,
        gtf=synthetic.gtf,
        mirbase_gff=synthetic.mirbase_gff,
        hairpins=synthetic.hairpins,
        out=out,
        cores=2,
    )
    return result
