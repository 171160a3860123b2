"""Figures rendered in forked processes are byte-identical to a serial run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
        sec.add_table(f"s{k}_bars", data)  # a table may share a figure's name
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


def _report_in_steps(ahead: Any | None) -> Report:
    """The report of :func:`_report`, handed to ``ahead`` after each section (as after each
    assay of ``exodisc run``)."""
    full = _report()
    report = Report(full.title)
    for section in full.sections:
        report.sections.append(section)
        if ahead is not None:
            ahead.submit(report)
    return report


def _pid_recorder(monkeypatch: pytest.MonkeyPatch, pids: Path) -> None:
    import os

    from exodisc.report import _writer

    real = _writer._write_item

    def recording(item, folder):
        (pids / f"{type(item).__name__}-{item.name}.{os.getpid()}").touch()
        return real(item, folder)

    monkeypatch.setattr(_writer, "_write_item", recording)


def test_render_ahead_writes_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tables and figures written by forked children during the analysis are moved into
    place; the output is byte-identical to a serial run and nothing is written twice."""
    import os

    from exodisc.report._atomic import render_folder
    from exodisc.report._writer import RenderAhead

    pids = tmp_path / "pids"
    pids.mkdir()
    write_output(_report(), tmp_path / "one", provenance={}, versions={}, jobs=1)
    _pid_recorder(monkeypatch, pids)
    seen: list[str] = []
    with render_folder(tmp_path / "two") as folder:
        ahead = RenderAhead(folder, jobs=2)
        report = _report_in_steps(ahead)
        for proc in ahead._running:  # let the children finish their batches
            proc.join()
        write_output(
            report, tmp_path / "two", provenance={}, versions={}, jobs=2,
            on_figure=seen.append, ahead=ahead,
        )  # fmt: skip
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [k for k in one if one[k] != two[k]] == []
    assert sorted(seen) == [f"s{k}_bars" for k in range(4)]
    written = sorted(p.name.rsplit(".", 1)[0] for p in pids.iterdir())
    assert written == sorted(set(written))  # each item written once
    assert any(not p.name.endswith(f".{os.getpid()}") for p in pids.iterdir())  # by children
    assert not list(tmp_path.glob(".two.render-*"))


def test_render_ahead_children_finish_their_item_and_the_rest_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the analysis ends, a child still writing an item finishes it (it is not written
    again) and takes no other; what no child reached, and an item whose child failed, are
    written by write_output; the output is identical to a serial run."""
    import os
    import time

    from exodisc.report import _writer
    from exodisc.report._atomic import render_folder
    from exodisc.report._writer import FigureItem, RenderAhead

    write_output(_report(), tmp_path / "one", provenance={}, versions={}, jobs=1)
    pids = tmp_path / "pids"
    pids.mkdir()
    parent = os.getpid()
    real = _writer._write_item

    def slow_or_failing(item, folder):
        (pids / f"{type(item).__name__}-{item.name}.{os.getpid()}").touch()
        if os.getpid() != parent:
            if item.name == "s1_values":
                raise RuntimeError("a child failed")
            if isinstance(item, FigureItem) and item.name == "s0_bars":
                time.sleep(3)  # still writing when the analysis ends
        return real(item, folder)

    monkeypatch.setattr(_writer, "_write_item", slow_or_failing)
    with render_folder(tmp_path / "two") as folder:
        ahead = RenderAhead(folder, jobs=3)
        report = _report_in_steps(ahead)
        slow = next(i for i in ahead._items if isinstance(i, FigureItem) and i.name == "s0_bars")
        claimed = folder / ".claim" / str(ahead._items.index(slow))
        deadline = time.monotonic() + 60
        while not claimed.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert claimed.read_text() == "child"
        write_output(report, tmp_path / "two", provenance={}, versions={}, jobs=2, ahead=ahead)
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [k for k in one if one[k] != two[k]] == []
    by: dict[str, list[int]] = {}
    for p in pids.iterdir():
        name, pid = p.name.rsplit(".", 1)
        by.setdefault(name, []).append(int(pid))
    assert len(by["FigureItem-s0_bars"]) == 1 and by["FigureItem-s0_bars"][0] != parent
    assert len(by["TableItem-s1_values"]) == 2  # failed in a child, written again
    assert all(len(v) == 1 for k, v in by.items() if k != "TableItem-s1_values")
    assert len(by) == 12


def test_render_ahead_forks_nothing_while_another_thread_runs(tmp_path: Path) -> None:
    import threading

    from exodisc.report._atomic import render_folder
    from exodisc.report._writer import RenderAhead

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with render_folder(tmp_path / "out") as folder:
            ahead = RenderAhead(folder, jobs=4)
            report = _report_in_steps(ahead)
            assert ahead._running == []
            write_output(report, tmp_path / "out", provenance={}, versions={}, ahead=ahead)
    finally:
        stop.set()
        thread.join()
    assert len(list((tmp_path / "out" / "figures").glob("*.png"))) == 4


def test_png_pixels_are_matplotlibs(tmp_path: Path) -> None:
    """save_png: Matplotlib's own PNG (Agg) decoded gives the same pixels and resolution;
    an opaque figure is stored as RGB, a transparent one keeps its alpha channel."""
    from PIL import Image

    from exodisc.pl import group_bars
    from exodisc.report._writer import save_png

    data = pd.DataFrame({"group": ["a", "a", "b", "b"], "value": [1.0, 2.0, 3.0, 4.5]})
    fig = group_bars(data, value="value", group="group", order=["a", "b"], ylabel="V")
    for transparent in (False, True):
        fig.patch.set_alpha(0.0 if transparent else 1.0)
        fig.savefig(tmp_path / "mpl.png", format="png", dpi=300)
        save_png(fig, tmp_path / "ours.png", dpi=300)
        ref, ours = Image.open(tmp_path / "mpl.png"), Image.open(tmp_path / "ours.png")
        assert ours.mode == ("RGBA" if transparent else "RGB")
        assert ours.size == ref.size and ours.info["dpi"] == ref.info["dpi"]
        assert np.array_equal(np.asarray(ours.convert("RGBA")), np.asarray(ref.convert("RGBA")))
        assert "Software" not in ours.info


def test_freeze_layout_saves_the_same_figure_with_one_draw_less(tmp_path: Path) -> None:
    """freeze_layout removes the engine (savefig then draws once, not twice) and the file is
    the one Matplotlib's "none" placeholder gives; with an arrow to a label (cut at the label's
    box as the last draw measured it) the placeholder and its extra draw are kept."""
    import io

    from matplotlib.patches import FancyArrowPatch

    from exodisc.pl import freeze_layout, group_bars
    from exodisc.report._writer import save_png

    def figure(arrow: bool) -> Any:
        data = pd.DataFrame({"group": ["a", "a", "b", "b"], "value": [1.0, 2.0, 3.0, 4.5]})
        fig = group_bars(data, value="value", group="group", order=["a", "b"], ylabel="V")
        if arrow:
            ax = fig.axes[0]
            label = ax.text(0.2, 3.5, "label")
            ax.add_patch(FancyArrowPatch((0.0, 1.5), (0.2, 3.5), patchA=label))
        fig.savefig(io.StringIO(), format="svg")  # laid out for the SVG, at 72 dpi
        return fig

    for arrow in (False, True):
        draws: list[int] = []
        ours, ref = figure(arrow), figure(arrow)
        freeze_layout(ours)
        ref.set_layout_engine("none")
        assert (ours.get_layout_engine() is None) is (not arrow)
        ours.canvas.mpl_connect("draw_event", lambda _e, d=draws: d.append(1))
        save_png(ours, tmp_path / "ours.png", dpi=300)
        save_png(ref, tmp_path / "ref.png", dpi=300)
        assert (tmp_path / "ours.png").read_bytes() == (tmp_path / "ref.png").read_bytes()
        assert len(draws) == (2 if arrow else 1)
