"""Write a Report to an output folder atomically."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from exodisc.report._atomic import OutputExistsError, staging_folder
from exodisc.report._html import render_html
from exodisc.report._provenance import sha256_file
from exodisc.report._report import FigureItem, FileItem, Report, TableItem

__all__ = ["OutputExistsError", "write_output", "write_table"]


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """A TSV with full float precision, NA as empty, ``\\n`` line ends (byte-stable)."""
    frame.to_csv(path, sep="\t", index=False, na_rep="", lineterminator="\n")


def _sheet_names(names: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    used: set[str] = set()
    for n in names:
        base = n[:31]
        cand, i = base, 1
        while cand in used:
            suffix = f"~{i}"
            cand = base[: 31 - len(suffix)] + suffix
            i += 1
        used.add(cand)
        out[n] = cand
    return out


def _write_xlsx(tables: list[TableItem], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.utils.dataframe import dataframe_to_rows

    wb = Workbook()
    wb.remove(wb.active)
    names = _sheet_names([t.name for t in tables])
    for t in tables:
        ws = wb.create_sheet(names[t.name])
        frame = t.frame.astype(object).where(t.frame.notna(), None)
        for row in dataframe_to_rows(frame, index=False, header=True):
            ws.append(row)
    if not tables:
        wb.create_sheet("empty")
    import datetime as _dt

    fixed = _dt.datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "exodisc"
    wb.save(path)


def _save_figure(item: FigureItem, folder: Path) -> str:
    from matplotlib import rc_context

    from exodisc.pl import STYLE

    fig = item.figure
    buf = io.StringIO()
    with rc_context(STYLE):  # svg.hashsalt: stable ids, byte-identical figures on re-runs
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        svg = buf.getvalue()
        (folder / f"{item.name}.svg").write_text(svg, encoding="utf-8")
        fig.savefig(folder / f"{item.name}.png", format="png", dpi=300, metadata={"Software": None})
    write_table(item.data, folder / f"{item.name}.tsv")
    return svg


def write_output(
    report: Report,
    out: Path,
    *,
    force: bool = False,
    provenance: dict[str, Any],
    versions: dict[str, str],
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
        _write_xlsx(tables, tmp / "results.xlsx")
        svgs: dict[str, str] = {}
        for s in report.sections:
            for i in s.items:
                if isinstance(i, FigureItem):
                    svgs[i.name] = _save_figure(i, tmp / "figures")
                elif isinstance(i, FileItem):
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
