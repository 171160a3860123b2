"""Readers of qPCR exports: QuantStudio / 7500 / StepOne, Design & Analysis, CFX, long tables."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from exodisc.errors import InputFormatError
from exodisc.io.qpcr._table import parse_ct

__all__ = ["read_cfx_csv", "read_long_table", "read_quantstudio_text", "read_quantstudio_xlsx"]

# column aliases, compared case-insensitively after stripping
_CT = ("ct", "cт", "crt", "cq", "c_t", "ct value", "cq value")
_SAMPLE = ("sample name", "sample")
_TARGET = ("target name", "target", "detector", "gene")
_WELL = ("well position", "well")
_TASK = ("task", "content", "type")
_QUANTITY = ("quantity", "starting quantity (sq)", "sq")
_OMIT = ("omit",)
_REPORTER = ("reporter", "fluor", "dye")


def _find(header: Sequence[str], names: Sequence[str]) -> int | None:
    low = [str(h).strip().lower() for h in header]
    for n in names:
        if n in low:
            return low.index(n)
    return None


def _table_rows(
    header: Sequence[Any],
    body: Sequence[Sequence[Any]],
    *,
    path: Path,
    first_line: int,
    what: str,
    target_from_reporter: bool = False,
) -> list[dict[str, Any]]:
    """Rows of a results table (header + body) → reader dicts; names the missing column."""
    head = [str(h).strip() if h is not None else "" for h in header]
    idx = {
        "well": _find(head, _WELL),
        "sample": _find(head, _SAMPLE),
        "target": _find(head, _TARGET),
        "ct": _find(head, _CT),
        "task": _find(head, _TASK),
        "quantity": _find(head, _QUANTITY),
        "omit": _find(head, _OMIT),
        "reporter": _find(head, _REPORTER),
    }
    need = {"well": _WELL, "sample": _SAMPLE, "target": _TARGET, "ct": _CT}
    missing = [f"{k} ({' / '.join(v)})" for k, v in need.items() if idx[k] is None]
    if missing:
        msg = (
            f"the {what} lacks column(s) {', '.join(missing)}; "
            f"found columns {[h for h in head if h]}"
        )
        raise InputFormatError(msg, path=path, where=f"line {first_line}")
    rows: list[dict[str, Any]] = []
    ct_name = head[idx["ct"]]  # type: ignore[index]
    for i, raw in enumerate(body):
        cells = list(raw) + [None] * (len(head) - len(raw))
        if all(c is None or str(c).strip() == "" for c in cells):
            break  # a blank row ends the table
        line = first_line + 1 + i

        def get(key: str, cells: list[Any] = cells) -> Any:
            j = idx[key]
            return None if j is None else cells[j]

        target = get("target")
        if target_from_reporter and (target is None or str(target).strip() == ""):
            target = get("reporter")  # CFX: wells without a target name are named by dye
        if target is None or str(target).strip() == "":
            continue  # an empty well of the plate layout
        ct, undetermined = parse_ct(get("ct"), path=path, where=f"line {line}, column {ct_name!r}")
        rows.append(
            {
                "well": get("well"),
                "sample": get("sample"),
                "target": target,
                "task": get("task"),
                "ct": ct,
                "undetermined": undetermined,
                "quantity": get("quantity"),
                "omit": get("omit") or False,
                "reporter": get("reporter"),
                "_where": f"line {line}",
            }
        )
    return rows


def read_quantstudio_text(path: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """QuantStudio / 7500 / StepOne / ViiA 7 text export: ``* key = value`` then ``[Sections]``.

    Only the ``[Results]`` section carries Ct values; ``[Sample Setup]`` and
    ``[Amplification Data]`` are skipped.
    """
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    lines = text.splitlines()
    meta: dict[str, str] = {}
    start = None
    for i, line in enumerate(lines):
        if line.startswith("*") and "=" in line:
            key, _, value = line[1:].partition("=")
            meta[key.strip()] = value.strip()
        if line.strip().lower() == "[results]":
            start = i + 1
            break
    if start is None:
        sections = [ln.strip() for ln in lines if ln.startswith("[") and ln.strip().endswith("]")]
        msg = (
            "no [Results] section (the Ct values); found sections "
            f"{sections or 'none'} — export 'Results' from the instrument software"
        )
        raise InputFormatError(msg, path=path)
    end = len(lines)
    for j in range(start, len(lines)):
        if lines[j].startswith("[") and lines[j].strip().endswith("]"):
            end = j
            break
    table = [ln.split("\t") for ln in lines[start:end]]
    meta.update(_footer(lines[start:end]))
    if not table:
        raise InputFormatError("the [Results] section is empty", path=path, where=f"line {start}")
    rows = _table_rows(
        table[0], table[1:], path=path, first_line=start + 1, what="[Results] section"
    )
    return rows, meta


def _footer(lines: Sequence[Any]) -> dict[str, str]:
    """``Key = Value`` lines after a results table (QuantStudio writes its analysis settings
    there: ``Endogenous Control``, ``Reference Sample``, ``RQ Min/Max Confidence Level``)."""
    out: dict[str, str] = {}
    blank = False
    for line in lines:
        cells = [c for c in (line if isinstance(line, list | tuple) else [line]) if c is not None]
        text = "\t".join(str(c) for c in cells).strip()
        if not text:
            blank = True
            continue
        if not blank:
            continue  # still inside the table
        if len(cells) == 2 and str(cells[0]).strip() and "=" not in str(cells[0]):
            out[str(cells[0]).strip()] = str(cells[1]).strip()  # xlsx: key and value cells
        elif "\t" not in text and " = " in text:
            key, _, value = text.partition(" = ")
            out[key.strip()] = value.strip()
    return out


def _open_workbook(path: Path) -> Any:
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        # openpyxl: "Workbook contains no default style" on every vendor export
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        try:
            return openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise InputFormatError(f"not a readable .xlsx workbook ({exc})", path=path) from None


def _sheet_rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    wb = _open_workbook(path)
    try:
        if sheet not in wb.sheetnames:
            msg = f"no {sheet!r} sheet (the Ct values); the workbook has sheets {wb.sheetnames}"
            raise InputFormatError(msg, path=path)
        return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


def read_quantstudio_xlsx(path: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """QuantStudio / ViiA 7 / Design & Analysis XLSX: sheet ``Results``, metadata rows on top."""
    rows = _sheet_rows(path, "Results")
    meta: dict[str, str] = {}
    for i, r in enumerate(rows):
        if r and r[0] is not None and str(r[0]).strip() == "Well":
            out = _table_rows(r, rows[i + 1 :], path=path, first_line=i + 1, what="Results sheet")
            if _find([str(h) for h in r if h is not None], _QUANTITY) is None:
                _standard_quantities(path, out)
            meta.update(_footer(rows[i + 1 :]))
            return out, meta
        if r and r[0] is not None and len(r) > 1 and r[1] is not None:
            meta[str(r[0]).strip()] = str(r[1]).strip()
    msg = "no header row starting with 'Well' in the Results sheet"
    raise InputFormatError(msg, path=path, where="sheet 'Results'")


def _standard_quantities(path: Path, rows: list[dict[str, Any]]) -> None:
    """Design & Analysis keeps standard quantities in 'Standard Curve Result', not 'Results'."""
    wb = _open_workbook(path)
    try:
        if "Standard Curve Result" not in wb.sheetnames:
            return
        sheet = [tuple(r) for r in wb["Standard Curve Result"].iter_rows(values_only=True)]
    finally:
        wb.close()
    for i, r in enumerate(sheet):
        if r and r[0] is not None and str(r[0]).strip() == "Well":
            head = [str(h).strip() if h is not None else "" for h in r]
            jw, jt = _find(head, ("well position",)), _find(head, ("target",))
            jq, jk = _find(head, ("quantity",)), _find(head, ("task",))
            if None in (jw, jt, jq, jk):
                return
            qty = {}
            for body in sheet[i + 1 :]:
                if not body or body[jw] is None:  # type: ignore[index]
                    break
                if str(body[jk]).strip().upper() == "STANDARD":  # type: ignore[index]
                    key = (str(body[jw]).strip(), str(body[jt]).strip())  # type: ignore[index]
                    qty[key] = body[jq]  # type: ignore[index]
            for row in rows:
                if str(row.get("task") or "").strip().upper() == "STANDARD":
                    row["quantity"] = qty.get(
                        (str(row["well"]).strip(), str(row["target"]).strip())
                    )
            return


def _read_delimited(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    if sample.count(";") > max(sample.count(","), sample.count("\t")):
        delimiter = ";"
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def read_cfx_csv(path: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Bio-Rad CFX Manager / CFX Maestro "Quantification Cq Results" CSV."""
    table = _read_delimited(path)
    head = 0
    for i, r in enumerate(table):
        if _find(r, ("well",)) is not None and _find(r, ("cq",)) is not None:
            head = i
            break
    rows = _table_rows(
        table[head],
        table[head + 1 :],
        path=path,
        first_line=head + 1,
        what="CFX Cq table",
        target_from_reporter=True,
    )
    return rows, {}


def read_long_table(path: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """A plain long table (CSV / TSV) with columns well, sample, target, ct [, task, quantity]."""
    table = _read_delimited(path)
    if not table:
        raise InputFormatError("the file is empty", path=path)
    rows = _table_rows(table[0], table[1:], path=path, first_line=1, what="long table")
    return rows, {}
