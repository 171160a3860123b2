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


#: Rows a worksheet holds (Excel's limit, header row included).
EXCEL_MAX_ROWS = 1_048_576

_FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def _write_xlsx(tables: list[TableItem], path: Path) -> None:
    """Every table as a sheet, streamed (write-only); an ``index`` sheet lists where each is.

    Tables longer than Excel's 1,048,576 rows are not put in the workbook: the index says they
    are in ``tables/NAME.tsv`` only. Dates and zip-entry times are fixed, so re-runs give a
    byte-identical file.
    """
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    names = _sheet_names(["index", *[t.name for t in tables]])
    index = wb.create_sheet(names["index"])
    index.append(["table", "sheet", "rows", "columns", "note"])
    for t in tables:
        n = len(t.frame)
        if n + 1 > EXCEL_MAX_ROWS:
            note = (
                f"{n:,} rows: more than an Excel sheet holds ({EXCEL_MAX_ROWS:,}); "
                f"see tables/{t.name}.tsv"
            )
            index.append([t.name, "", n, t.frame.shape[1], note])
        else:
            index.append([t.name, names[t.name], n, t.frame.shape[1], ""])
    for t in tables:
        if len(t.frame) + 1 > EXCEL_MAX_ROWS:
            continue
        ws = wb.create_sheet(names[t.name])
        ws.append([str(c) for c in t.frame.columns])
        frame = t.frame
        columns = [frame[c].to_numpy(dtype=object) for c in frame.columns]
        masks = [frame[c].isna().to_numpy() for c in frame.columns]
        for i in range(len(frame)):
            ws.append([None if m[i] else _cell(v[i]) for v, m in zip(columns, masks, strict=True)])
    import datetime as _dt

    fixed = _dt.datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "exodisc"
    buf = io.BytesIO()
    wb.save(buf)
    _fix_zip(buf.getvalue(), path)


def _cell(value: Any) -> Any:
    """A value openpyxl writes (numpy scalars as Python numbers)."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()
    return value


def _fix_zip(data: bytes, path: Path) -> None:
    """Rewrite the xlsx zip with fixed entry times and modified date (openpyxl sets 'now')."""
    import re
    import zipfile

    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2000-01-01T00:00:00Z\g<2>",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, content)


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
