"""Write a Report to an output folder atomically."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from exodisc.errors import ExodiscError
from exodisc.report._atomic import OutputExistsError, staging_folder
from exodisc.report._html import render_html
from exodisc.report._provenance import sha256_file
from exodisc.report._report import FigureItem, FileItem, Report, TableItem

__all__ = ["OutputExistsError", "figure_jobs", "write_output", "write_table"]


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """A TSV with full float precision, NA as empty, ``\\n`` line ends (byte-stable)."""
    frame.to_csv(path, sep="\t", index=False, na_rep="", lineterminator="\n")


def _save_figure(item: FigureItem, folder: Path) -> str:
    from matplotlib import rc_context

    from exodisc.pl import STYLE

    fig = item.figure
    buf = io.StringIO()
    with rc_context(STYLE):  # svg.hashsalt: stable ids, byte-identical figures on re-runs
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        svg = buf.getvalue()
        (folder / f"{item.name}.svg").write_text(svg, encoding="utf-8")
        # the layout was computed for the SVG: keep it rather than solve it again for the PNG
        fig.set_layout_engine("none")
        fig.savefig(folder / f"{item.name}.png", format="png", dpi=300, metadata={"Software": None})
    write_table(item.data, folder / f"{item.name}.tsv")
    return svg


#: Figures the forked workers render (set in the parent just before the pool forks).
_PENDING: tuple[list[FigureItem], Path] | None = None


def _save_pending(index: int) -> tuple[int, str]:
    if _PENDING is None:  # pragma: no cover - only reached in a worker forked by _save_figures
        msg = "no figures are pending"
        raise RuntimeError(msg)
    items, folder = _PENDING
    return index, _save_figure(items[index], folder)


def _worker_signals() -> None:
    """Figure workers: default SIGTERM (the command line's handler, inherited through the fork,
    would keep ``Pool.terminate`` from ending them) and no SIGINT (Ctrl-C is the parent's)."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def figure_jobs() -> int:
    """Processes that render figures: ``EXODISC_JOBS`` if set, else the usable cores."""
    import os

    env = os.environ.get("EXODISC_JOBS", "").strip()
    if env:
        if not env.isdigit() or int(env) < 1:
            msg = f"EXODISC_JOBS must be a positive whole number, got {env!r}"
            raise ExodiscError(msg)
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _save_figures(
    items: list[FigureItem],
    folder: Path,
    *,
    jobs: int,
    on_figure: Callable[[str], None] | None = None,
) -> dict[str, str]:
    """Render every figure (SVG, PNG, TSV); in ``jobs`` forked processes where possible.

    Each figure is rendered whole by one process, so the files are the same whichever
    process drew them (byte-identical to a serial run). Forking shares the figures with the
    workers without pickling them; where ``fork`` is unavailable, or other threads run (a
    fork would copy their locks), the figures are rendered here one after another.
    """
    import multiprocessing as mp
    import threading

    global _PENDING
    svgs: dict[str, str] = {}
    serial = (
        jobs <= 1
        or len(items) < 2
        or "fork" not in mp.get_all_start_methods()
        or threading.active_count() > 1
    )
    if serial:
        for item in items:
            svgs[item.name] = _save_figure(item, folder)
            if on_figure is not None:
                on_figure(item.name)
        return svgs
    _PENDING = (items, folder)
    pool = mp.get_context("fork").Pool(min(jobs, len(items)), initializer=_worker_signals)
    try:
        for index, svg in pool.imap_unordered(_save_pending, range(len(items))):
            svgs[items[index].name] = svg
            if on_figure is not None:
                on_figure(items[index].name)
        pool.close()  # workers finish and exit on their own
    except BaseException:
        pool.terminate()  # workers have the default SIGTERM: this ends them
        raise
    finally:
        pool.join()
        _PENDING = None
    return {item.name: svgs[item.name] for item in items}


def write_output(
    report: Report,
    out: Path,
    *,
    force: bool = False,
    provenance: dict[str, Any],
    versions: dict[str, str],
    jobs: int | None = None,
    on_figure: Callable[[str], None] | None = None,
) -> Path:
    """Write tables, results.xlsx, figures, report.html and provenance.json to ``out``.

    Everything is built in a temporary folder beside ``out`` and renamed at the end, so an
    error or an interruption leaves no half-written ``out`` (and an existing one untouched).

    Parameters
    ----------
    report
        The finished report.
    out
        The output folder; must not exist unless ``force``.
    force
        Replace an existing ``out``.
    provenance
        The provenance record; the list of outputs with checksums is added here.
    versions
        Software versions for the methods section.
    jobs
        Processes rendering figures (default :func:`figure_jobs`: ``EXODISC_JOBS`` or the
        usable cores); outputs are byte-identical whatever the number.
    on_figure
        Called with each figure's name once it is written (progress display).

    Returns
    -------
    Path
        ``out / "report.html"``.
    """
    out = Path(out).absolute()
    if out.exists() and not force:
        msg = f"{out} exists already; choose another folder or pass --force to replace it"
        raise OutputExistsError(msg)
    report.check_unique_names()
    with staging_folder(out, force=force) as tmp:
        (tmp / "tables").mkdir()
        (tmp / "figures").mkdir()
        tables = [i for s in report.sections for i in s.items if isinstance(i, TableItem)]
        for t in tables:
            write_table(t.frame, tmp / "tables" / f"{t.name}.tsv")
        from exodisc.report._xlsx import write_workbook

        write_workbook(tables, tmp / "results.xlsx")
        figures = [i for s in report.sections for i in s.items if isinstance(i, FigureItem)]
        svgs = _save_figures(
            figures,
            tmp / "figures",
            jobs=figure_jobs() if jobs is None else jobs,
            on_figure=on_figure,
        )
        for s in report.sections:
            for i in s.items:
                if isinstance(i, FileItem):
                    (tmp / "files").mkdir(exist_ok=True)
                    (tmp / "files" / i.name).write_bytes(i.content)
        summary = {
            "study file": provenance.get("study_file", {}).get("path", ""),
            "study sha256": provenance.get("study_file", {}).get("sha256", ""),
            "inputs": len(provenance.get("inputs", [])),
            "started": provenance.get("started", ""),
            "finished": provenance.get("finished", ""),
            "seed": provenance.get("seed", ""),
        }
        (tmp / "report.html").write_text(
            render_html(report, svgs=svgs, versions=versions, provenance_summary=summary),
            encoding="utf-8",
        )
        outputs = []
        for p in sorted(tmp.rglob("*")):
            if p.is_file():
                rel = p.relative_to(tmp).as_posix()
                outputs.append({"path": rel, "size": p.stat().st_size, "sha256": sha256_file(p)})
        record = {**provenance, "outputs": outputs}
        (tmp / "provenance.json").write_text(
            json.dumps(record, indent=2, sort_keys=False, default=str) + "\n", encoding="utf-8"
        )
    return out / "report.html"
