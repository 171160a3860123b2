"""results.xlsx: every table on its own sheet, an index sheet first, byte-identical re-runs."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exodisc.report._report import TableItem

__all__ = ["EXCEL_MAX_ROWS", "sheet_names", "write_workbook"]

#: Rows of one Excel sheet (1,048,576) less the header row.
EXCEL_MAX_ROWS = 1_048_575
_MAX_NAME = 31  # Excel's sheet-name limit
_BAD = re.compile(r"[\[\]:*?/\\]")
_FIXED_TIME = "2000-01-01T00:00:00Z"


#: Abbreviations tried first when a table name is longer than a sheet name may be.
_ABBREV = {
    "enrichment": "enr",
    "biological": "bio",
    "process": "proc",
    "molecular": "mol",
    "function": "fn",
    "cellular": "cell",
    "component": "comp",
    "comparison": "cmp",
    "comparisons": "cmps",
    "network": "net",
    "differential": "diff",
    "expression": "expr",
    "characterisation": "char",
    "significant": "sig",
    "descriptives": "desc",
    "descriptive": "desc",
    "viability": "viab",
    "apoptosis": "apop",
    "normalised": "norm",
    "normalized": "norm",
    "percentages": "pct",
    "quadrant": "quad",
}


def sheet_names(names: list[str]) -> dict[str, str]:
    """Unique, readable sheet names of at most 31 characters for table ``names``.

    A long name is shortened word by word — common words abbreviated first
    (``biological`` → ``bio``), then the longest earlier word trimmed — rather than cut at the
    end, so the last word, which usually tells two tables apart (``…_unmatched``), stays
    whole. A name still taken gets ``~2``, ``~3``… The index sheet maps every sheet to its
    full table name.

    Examples
    --------
    >>> sheet_names(["enrichment_go_biological_process_unmatched",
    ...              "enrichment_go_biological_process"])  # doctest: +NORMALIZE_WHITESPACE
    {'enrichment_go_biological_process_unmatched': 'enr_go_bio_process_unmatched',
     'enrichment_go_biological_process': 'enr_go_biological_process'}
    """
    out: dict[str, str] = {}
    used = {"index"}
    for name in names:
        words = [w for w in _BAD.sub("_", name).split("_") if w] or ["table"]

        def long(ws: list[str]) -> bool:
            return len("_".join(ws)) > _MAX_NAME

        order = sorted(range(len(words)), key=lambda k: (-len(words[k]), k))
        for k in order:
            if long(words) and words[k].lower() in _ABBREV:
                words[k] = _ABBREV[words[k].lower()]
        while long(words):
            head = range(len(words) - 1) if len(words) > 1 else range(len(words))
            i = max(head, key=lambda k: (len(words[k]), -k))
            if len(words[i]) <= 3:
                break
            words[i] = words[i][:-1]
        base = "_".join(words)[:_MAX_NAME]
        cand, k = base, 2
        while cand.lower() in used:
            suffix = f"~{k}"
            cand = base[: _MAX_NAME - len(suffix)] + suffix
            k += 1
        used.add(cand.lower())
        out[name] = cand
    return out


def _cell_text_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, float):
        return min(len(f"{value:.6g}"), 14)
    return len(str(value))


def write_workbook(
    tables: list[TableItem],
    path: Path,
    *,
    max_rows: int = EXCEL_MAX_ROWS,
    max_cells: int | None = None,
) -> None:
    """Write ``tables`` to ``path`` (results.xlsx).

    The first sheet, ``index``, lists every table: its sheet, title, source TSV, size, and
    why a table is not in the workbook (more rows than a sheet holds, or more cells than the
    ``xlsx_cells`` limit: TSV only). Each sheet
    has a bold, frozen header row, an autofilter and column widths fitted to its contents.
    Rows are streamed (openpyxl's write-only mode), and the file is byte-identical on re-runs:
    the document dates and the zip entries' times are fixed.

    Parameters
    ----------
    tables
        The report's tables, in report order.
    path
        Where to write the workbook.
    max_rows
        Tables with more data rows than this go to TSV only (Excel's limit by default).
    max_cells
        Tables with more cells (rows x columns) than this go to TSV only (default: the
        ``xlsx_cells`` limit, :func:`exodisc.config.get_limits`).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from exodisc.config import get_limits

    if max_cells is None:
        max_cells = get_limits().xlsx_cells
    wb = Workbook(write_only=True)
    names = sheet_names([t.name for t in tables])
    bold = Font(bold=True)
    index = wb.create_sheet("index")
    index_rows: list[list[Any]] = []
    written: list[TableItem] = []
    for t in tables:
        n_rows, n_cols = t.frame.shape
        if n_rows > max_rows:
            index_rows.append(
                [
                    "",
                    t.caption or t.name,
                    f"tables/{t.name}.tsv",
                    n_rows,
                    n_cols,
                    f"TSV only: {n_rows:,} rows exceed the {max_rows + 1:,}-row limit of a sheet",
                ]
            )
            continue
        if n_rows * n_cols > max_cells:
            index_rows.append(
                [
                    "",
                    t.caption or t.name,
                    f"tables/{t.name}.tsv",
                    n_rows,
                    n_cols,
                    f"TSV only: {n_rows * n_cols:,} cells exceed the xlsx_cells limit of "
                    f"{max_cells:,} (raise it with `exodisc --limit xlsx_cells=N run …`)",
                ]
            )
            continue
        index_rows.append(
            [names[t.name], t.caption or t.name, f"tables/{t.name}.tsv", n_rows, n_cols, ""]
        )
        written.append(t)
    header = ["sheet", "title", "source table", "rows", "columns", "note"]
    widths = [max([len(h), *(len(str(r[i])) for r in index_rows)]) for i, h in enumerate(header)]
    for i, w in enumerate(widths, start=1):
        index.column_dimensions[get_column_letter(i)].width = min(w + 2, 80)
    index.freeze_panes = "A2"
    index.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(index_rows) + 1}"
    index.append([_bold(WriteOnlyCell(index, value=h), bold) for h in header])
    for row in index_rows:
        index.append(row)

    for t in written:
        ws = wb.create_sheet(names[t.name])
        frame = t.frame
        cols = [str(c) for c in frame.columns]
        sample = frame.head(200)
        for i, c in enumerate(cols, start=1):
            values = sample.iloc[:, i - 1].tolist()
            width = max([len(c), *(_cell_text_width(v) for v in values)])
            ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 50)
        ws.freeze_panes = "A2"
        if cols:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(frame) + 1}"
        ws.append([_bold(WriteOnlyCell(ws, value=c), bold) for c in cols])
        obj = frame.astype(object).where(frame.notna(), None)
        for rec in obj.itertuples(index=False, name=None):
            ws.append([_plain(v) for v in rec])
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(_fixed_dates(buf.getvalue()))


def _bold(cell: Any, font: Any) -> Any:
    cell.font = font
    return cell


def _plain(value: Any) -> Any:
    """NumPy scalars as Python values (openpyxl writes those natively)."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def _fixed_dates(data: bytes) -> bytes:
    """The workbook with fixed document dates and zip-entry times (byte-stable re-runs).

    openpyxl stamps ``docProps/core.xml`` with the time of saving whatever the workbook's
    properties say, and the zip entries carry the time they were written.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                for tag in ("dcterms:created", "dcterms:modified"):
                    text = re.sub(
                        rf"(<{tag}[^>]*>)[^<]*(</{tag}>)", rf"\g<1>{_FIXED_TIME}\g<2>", text
                    )
                content = text.encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, content)
    return out.getvalue()
