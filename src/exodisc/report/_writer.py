"""Write a Report to an output folder atomically."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from exodisc.report._atomic import OutputExistsError, staging_folder
from exodisc.report._html import render_html
from exodisc.report._provenance import sha256_file
from exodisc.report._report import FigureItem, FileItem, Report, TableItem

__all__ = ["OutputExistsError", "RenderAhead", "figure_jobs", "write_output", "write_table"]


#: characters that make ``DataFrame.to_csv`` quote a field (csv.QUOTE_MINIMAL with a tab)
_QUOTED = ("\t", '"', "\n", "\r")


def _text_column(values: Any) -> list[str] | None:
    """One column as ``DataFrame.to_csv`` writes its fields, or None where only pandas knows.

    float64 fields are Python's shortest round-trip ``repr`` (what NumPy's ``astype(str)``
    gives pandas), bools ``True``/``False``, ints ``str``; object columns ``str`` of each value
    with missing values empty. Other dtypes (float32, nullable and extension types, dates) and
    text that ``to_csv`` would quote are left to pandas.
    """
    import numpy as np

    kind = values.dtype.kind
    if kind == "f" and values.dtype == np.float64:
        rep = float.__repr__
        return ["" if x != x else rep(x) for x in values.tolist()]
    if kind == "b":
        return ["True" if x else "False" for x in values.tolist()]
    if kind in "iu":
        return list(map(str, values.tolist()))
    if kind == "O":
        missing = pd.isna(values).tolist()
        out = ["" if m else str(x) for x, m in zip(values.tolist(), missing, strict=True)]
        if any(c in field for field in out for c in _QUOTED):
            return None
        return out
    return None


def _fast_rows(frame: pd.DataFrame, start: int, stop: int) -> list[str] | None:
    """Rows ``start:stop`` as TSV lines, or None where a column is left to pandas."""
    import numpy as np

    columns = []
    for i in range(frame.shape[1]):
        series = frame.iloc[start:stop, i]
        if not isinstance(series.dtype, np.dtype):  # categorical, nullable, … : pandas
            return None
        col = _text_column(series.to_numpy())
        if col is None:
            return None
        columns.append(col)
    return ["\t".join(row) + "\n" for row in zip(*columns, strict=True)]


#: rows formatted at a time (bounds the memory of the text: ~25 fields x 50,000 rows)
_BLOCK = 50_000


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """A TSV with full float precision, NA as empty, ``\\n`` line ends (byte-stable).

    The bytes are those of ``frame.to_csv(path, sep="\\t", index=False, na_rep="",
    lineterminator="\\n")``; plain columns (float64, int, bool, text needing no quotes) are
    formatted here, in blocks of rows, about 3x faster than pandas does (a 1,000,000-gene DE
    table has 25 million fields); anything else is written by pandas itself.
    """
    names = [str(c) for c in frame.columns]
    simple = (
        frame.shape[1] > 1
        and not isinstance(frame.columns, pd.MultiIndex)
        and not any(c in name for name in names for c in _QUOTED)
        and frame.columns.is_unique
    )
    if simple:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write("\t".join(names) + "\n")
            for start in range(0, len(frame), _BLOCK):
                rows = _fast_rows(frame, start, start + _BLOCK)
                if rows is None:
                    simple = False
                    break
                fh.writelines(rows)
    if not simple:  # (over)written by pandas
        frame.to_csv(path, sep="\t", index=False, na_rep="", lineterminator="\n")


def _save_figure(item: FigureItem, folder: Path) -> str:
    from matplotlib import rc_context
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    from exodisc.pl import STYLE, freeze_layout

    fig = item.figure
    buf = io.StringIO()
    with rc_context(STYLE):  # svg.hashsalt: stable ids, byte-identical figures on re-runs
        engine = fig.get_layout_engine()
        if engine is not None and not isinstance(engine, PlaceHolderLayoutEngine):
            # solve the layout once, here, for both files: savefig would first draw the whole
            # figure only to run the engine (about 0.1 s a figure), then draw it again
            engine.execute(fig)
        freeze_layout(fig)  # no extra draw at saving, unless arrows are cut at their labels
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        svg = buf.getvalue()
        (folder / f"{item.name}.svg").write_text(svg, encoding="utf-8")
        save_png(fig, folder / f"{item.name}.png", dpi=300)
    write_table(item.data, folder / f"{item.name}.tsv")
    return svg


def save_png(fig: Any, path: Path, *, dpi: int) -> None:
    """A PNG of ``fig`` at ``dpi``: RGB where every pixel is opaque (figures are), else RGBA.

    The pixels are those of ``fig.savefig(path, dpi=dpi)`` (Agg, the same draw); the file is
    written by Pillow with zlib level 1 and no filter search: about half the time of
    Matplotlib's RGBA at level 6 (its 73 figures spent 6 of ~60 CPU-seconds compressing) and
    about the same size, as an opaque figure's alpha channel is dropped. The resolution is
    recorded (pHYs) as Matplotlib does; no Software or date text, so re-runs are identical.
    """
    from PIL import Image

    raw = io.BytesIO()
    fig.savefig(raw, format="rgba", dpi=dpi)
    width, height = (int(v) for v in fig.get_size_inches() * dpi)
    if raw.tell() != width * height * 4:  # pragma: no cover - a size Agg rounded otherwise
        fig.savefig(path, format="png", dpi=dpi, metadata={"Software": None})
        return
    image = Image.frombuffer("RGBA", (width, height), raw.getvalue(), "raw", "RGBA", 0, 1)
    if image.getchannel("A").getextrema() == (255, 255):  # every pixel opaque
        image = image.convert("RGB")
    image.save(path, format="png", compress_level=1, dpi=(dpi, dpi))


#: Tables and figures the forked workers write, and the claim check (set in the parent just
#: before the pool forks).
_PENDING: tuple[list[TableItem | FigureItem], Path, Callable[[Any], bool] | None] | None = None


def _write_order(item: TableItem | FigureItem) -> tuple[int, int]:
    """Sort key of the writing order: the largest tables first, so that a long one runs beside
    the figures, not after them; then the figures with the most artists (drawing time follows
    them; counted in the figure and its axes, not deeper), so that the last ones, which may
    leave a core idle, are small."""
    if isinstance(item, TableItem):
        return (0, -item.frame.size)
    fig = item.figure
    return (1, -sum(len(a.get_children()) for a in (fig, *fig.axes)))


def _write_item(item: TableItem | FigureItem, folder: Path) -> str:
    """Write one table (``folder/tables``) or figure (``folder/figures``); the SVG or ''."""
    if isinstance(item, TableItem):
        write_table(item.frame, folder / "tables" / f"{item.name}.tsv")
        return ""
    return _save_figure(item, folder / "figures")


def _save_pending(index: int) -> tuple[int, str | None]:
    """A pool worker: write ``items[index]``; None when a render-ahead child has it."""
    if _PENDING is None:  # pragma: no cover - only reached in a worker forked by _write_items
        msg = "no items are pending"
        raise RuntimeError(msg)
    items, folder, claim = _PENDING
    if claim is not None and not claim(items[index]):
        return index, None
    return index, _write_item(items[index], folder)


def _worker_init() -> None:
    """Start of a forked figure worker: default SIGTERM (the command line's handler, inherited
    through the fork, would keep ``Pool.terminate`` from ending them), no SIGINT (Ctrl-C is
    the parent's), and the inherited heap hidden from the garbage collector (``gc.freeze``):
    its collections walk only what the worker makes, and leave the parent's pages shared."""
    import gc
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()


def figure_jobs() -> int:
    """Processes that render figures: ``EXODISC_JOBS`` if set, else the usable cores
    (:func:`exodisc.core.worker_processes`)."""
    from exodisc.core import worker_processes

    return worker_processes()


def _write_items(
    items: list[TableItem | FigureItem],
    folder: Path,
    *,
    jobs: int,
    on_figure: Callable[[str], None] | None = None,
    claim: Callable[[Any], bool] | None = None,
) -> dict[str, str]:
    """Write every table (TSV) and figure (SVG, PNG, TSV); in ``jobs`` forked processes.

    Each item is written whole by one process, so the files are the same whichever process
    wrote them (byte-identical to a serial run). Forking shares the tables and figures with
    the workers without pickling them; where ``fork`` is unavailable, or other threads run (a
    fork would copy their locks), they are written here one after another. An item for which
    ``claim`` returns False (a render-ahead child writes it: :meth:`RenderAhead.claim`) is
    skipped. Returns the SVG of each figure written.
    """
    import multiprocessing as mp
    import threading

    global _PENDING
    svgs: dict[str, str] = {}
    figures = [i for i in items if isinstance(i, FigureItem)]
    serial = (
        jobs <= 1
        or len(items) < 2
        or "fork" not in mp.get_all_start_methods()
        or threading.active_count() > 1
    )
    if serial:
        for item in items:
            if claim is not None and not claim(item):
                continue
            svg = _write_item(item, folder)
            if isinstance(item, FigureItem):
                svgs[item.name] = svg
                if on_figure is not None:
                    on_figure(item.name)
        return svgs

    order = sorted(range(len(items)), key=lambda k: _write_order(items[k]))
    _PENDING = (items, folder, claim)
    pool = mp.get_context("fork").Pool(min(jobs, len(items)), initializer=_worker_init)
    try:
        for index, written in pool.imap_unordered(_save_pending, order):
            item = items[index]
            if written is None:  # a render-ahead child writes it
                continue
            if isinstance(item, FigureItem):
                svgs[item.name] = written
                if on_figure is not None:
                    on_figure(item.name)
        pool.close()  # workers finish and exit on their own
    except BaseException:
        pool.terminate()  # workers have the default SIGTERM: this ends them
        raise
    finally:
        pool.join()
        _PENDING = None
    return {item.name: svgs[item.name] for item in figures if item.name in svgs}


class RenderAhead:
    """Write the tables and figures of finished assays in forked processes during the analysis.

    ``exodisc run`` calls :meth:`submit` after each assay: the items the report gained since
    the last call are handed to a forked child (at most ``jobs - 1`` at a time: the analysis
    itself uses one core), which writes them into ``folder`` (``tables/``, ``figures/``)
    exactly as :func:`write_output` would, one item whole per process, so the files are
    byte-identical to a serial run, and marks each item done once its files are complete.
    Every item is claimed before it is written (:meth:`claim`: an exclusive file create), so
    no item is written twice. When the analysis ends, :func:`write_output` calls
    :meth:`wind_down` (each child finishes the item it is writing and takes no other), writes
    the unclaimed rest on every core, then :meth:`collect` waits for the children and
    returns what they finished, whose files it moves into place. Nothing is forked while
    another thread runs (a fork would copy its locks); an item a child could not write is
    written again by :func:`write_output`, where any error is reported. On an error or
    interruption :meth:`stop` ends the children at once.
    """

    def __init__(self, folder: Path, *, jobs: int) -> None:
        self.folder = folder
        self.slots = max(0, jobs - 1)
        self._seq: dict[int, int] = {}
        self._items: list[TableItem | FigureItem] = []
        self._queue: list[int] = []
        self._running: list[Any] = []
        self._closed = False
        for sub in ("tables", "figures", ".done", ".claim"):
            (folder / sub).mkdir(exist_ok=True)

    def submit(self, report: Report) -> None:
        """Queue the report's new tables and figures; start a child for them if one is free."""
        import multiprocessing as mp
        import os
        import threading

        if self._closed:
            return
        for section in report.sections:
            for item in section.items:
                if isinstance(item, TableItem | FigureItem) and id(item) not in self._seq:
                    self._seq[id(item)] = len(self._items)
                    self._items.append(item)
                    self._queue.append(self._seq[id(item)])
        for proc in [p for p in self._running if p.exitcode is not None]:
            proc.join()
            self._running.remove(proc)
        if (
            not self._queue
            or len(self._running) >= self.slots
            or threading.active_count() > 1
            or "fork" not in mp.get_all_start_methods()
        ):
            return
        batch, self._queue = self._queue, []
        batch.sort(key=lambda k: _write_order(self._items[k]))
        proc = mp.get_context("fork").Process(
            target=_render_batch,
            args=(self._items, batch, self.folder, os.getpid()),
            daemon=True,
        )
        proc.start()
        self._running.append(proc)

    def claim(self, item: TableItem | FigureItem) -> bool:
        """Claim ``item`` for this process: False when a child has claimed it already.

        An item never submitted is not a child's: True. Safe across processes (the pool
        workers of :func:`write_output` call it too).
        """
        k = self._seq.get(id(item))
        return True if k is None else _claim(self.folder, k, _WRITER)

    def wind_down(self) -> None:
        """Have each child finish the item it is writing and claim no other; start no more.

        Later :meth:`submit` calls do nothing.
        """
        self._closed = True
        (self.folder / ".stop").touch()

    def collect(self) -> tuple[list[TableItem | FigureItem], list[TableItem | FigureItem]]:
        """Wait for the children; the items they finished (files in ``folder``), and those a
        child claimed but did not finish (it failed): the caller's to write."""
        self.wind_down()
        for proc in self._running:
            proc.join()
        self._running = []
        done = {int(p.name) for p in (self.folder / ".done").iterdir() if p.name.isdigit()}
        unfinished = [
            int(p.name)
            for p in (self.folder / ".claim").iterdir()
            if int(p.name) not in done and p.read_text() != _WRITER  # a child's (or empty)
        ]
        return [self._items[k] for k in sorted(done)], [self._items[k] for k in sorted(unfinished)]

    def stop(self) -> None:
        """End the children (SIGTERM: they stop at once) and wait for them."""
        for proc in self._running:
            if proc.exitcode is None:
                proc.terminate()
        for proc in self._running:
            proc.join()
        self._running = []


def _render_batch(
    items: list[TableItem | FigureItem], batch: list[int], folder: Path, parent: int
) -> None:
    """A render-ahead child: write ``items[k]`` for each ``k`` of ``batch`` it can claim,
    marking each done (``folder/.done/k``) once its files are complete, until the parent
    winds down (``folder/.stop``); the default SIGTERM and no SIGINT, as the figure workers
    (:func:`_worker_init`)."""
    _worker_init()
    _end_with_parent(parent)
    for k in batch:
        if (folder / ".stop").exists():
            return
        if not _claim(folder, k, "child"):
            continue
        _write_item(items[k], folder)
        (folder / ".done" / str(k)).touch()


#: Who claimed an item (the content of its claim file): write_output's own processes.
_WRITER = "writer"


def _claim(folder: Path, k: int, who: str) -> bool:
    """Claim item ``k`` of a render folder (``.claim/k``, created exclusively, holding
    ``who``); False when another process has it."""
    import os

    try:
        fd = os.open(folder / ".claim" / str(k), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as fh:
        fh.write(who)
    return True


def _end_with_parent(parent: int) -> None:
    """Have the kernel send this child SIGTERM when its parent dies (Linux), so a run killed
    with SIGKILL leaves no child writing into its render folder (whose lock it would hold)."""
    import ctypes
    import os
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() != parent:  # pragma: no cover - the parent died before prctl
        os._exit(1)


def _move_rendered(item: TableItem | FigureItem, source: Path, target: Path) -> str:
    """Move an item's files written ahead into ``target``; the SVG of a figure, else ''."""
    import os

    if isinstance(item, TableItem):
        os.replace(source / "tables" / f"{item.name}.tsv", target / "tables" / f"{item.name}.tsv")
        return ""
    for ext in ("svg", "png", "tsv"):
        os.replace(
            source / "figures" / f"{item.name}.{ext}", target / "figures" / f"{item.name}.{ext}"
        )
    return (target / "figures" / f"{item.name}.svg").read_text(encoding="utf-8")


def write_output(
    report: Report,
    out: Path,
    *,
    force: bool = False,
    provenance: dict[str, Any],
    versions: dict[str, str],
    jobs: int | None = None,
    on_figure: Callable[[str], None] | None = None,
    ahead: RenderAhead | None = None,
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
    ahead
        Tables and figures already written during the analysis (:class:`RenderAhead`):
        their files are moved into place, the rest is written here.

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
        from exodisc.report._xlsx import write_workbook

        write_workbook(tables, tmp / "results.xlsx")
        figures = [i for s in report.sections for i in s.items if isinstance(i, FigureItem)]
        items: list[TableItem | FigureItem] = [*tables, *figures]
        svgs: dict[str, str] = {}
        n_jobs = figure_jobs() if jobs is None else jobs
        if ahead is None:
            svgs.update(_write_items(items, tmp, jobs=n_jobs, on_figure=on_figure))
        else:
            # the children finish what they are writing while the rest is written here
            ahead.wind_down()
            svgs.update(
                _write_items(items, tmp, jobs=n_jobs, on_figure=on_figure, claim=ahead.claim)
            )
            done, unfinished = ahead.collect()
            for item in done:
                svg = _move_rendered(item, ahead.folder, tmp)
                if isinstance(item, FigureItem):  # a table may share a figure's name
                    svgs[item.name] = svg
                    if on_figure is not None:
                        on_figure(item.name)
            svgs.update(_write_items(unfinished, tmp, jobs=n_jobs, on_figure=on_figure))
        svgs = {f.name: svgs[f.name] for f in figures}
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
