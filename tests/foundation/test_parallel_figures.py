"""Figures rendered in forked processes are byte-identical to a serial run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.errors import ExodiscError
from exodisc.report import Report, write_output
from exodisc.report._writer import figure_jobs


def _report() -> Report:
    from exodisc.pl import group_bars

    report = Report("Figures")
    rng = np.random.default_rng(3)
    for k in range(4):
        sec = report.add_section(f"s{k}", f"Section {k}")
        data = pd.DataFrame(
            {"group": np.repeat(["a", "b", "c"], 3), "value": rng.normal(10, 2, size=9)}
        )
        fig = group_bars(data, value="value", group="group", order=["a", "b", "c"], ylabel="V")
        sec.add_figure(f"s{k}_bars", fig, data, caption="bars")
        sec.add_table(f"s{k}_values", data)
    return report


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "provenance.json"
    }


def test_parallel_and_serial_outputs_are_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from exodisc.report import _writer

    pids = tmp_path / "pids"
    pids.mkdir()
    real = _writer._save_figure

    def recording(item, folder):
        (pids / f"{item.name}.{os.getpid()}").touch()
        return real(item, folder)

    monkeypatch.setattr(_writer, "_save_figure", recording)
    seen: list[str] = []
    write_output(_report(), tmp_path / "one", provenance={}, versions={}, jobs=1)
    write_output(
        _report(), tmp_path / "two", provenance={}, versions={}, jobs=2, on_figure=seen.append
    )
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert one.keys() == two.keys() and len([k for k in one if k.endswith(".png")]) == 4
    assert [k for k in one if one[k] != two[k]] == []
    assert sorted(seen) == [f"s{k}_bars" for k in range(4)]
    drawn_by = {p.suffix for p in pids.iterdir()}
    assert f".{os.getpid()}" in drawn_by  # jobs=1: here
    assert len(drawn_by) >= 2  # jobs=2: in forked workers too


def test_figure_jobs_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXODISC_JOBS", "3")
    assert figure_jobs() == 3
    monkeypatch.setenv("EXODISC_JOBS", "zero")
    with pytest.raises(ExodiscError, match="EXODISC_JOBS must be a positive whole number"):
        figure_jobs()
    monkeypatch.delenv("EXODISC_JOBS")
    assert figure_jobs() >= 1
