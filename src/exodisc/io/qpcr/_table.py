"""The tidy qPCR well table every reader returns."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from exodisc.errors import InputFormatError

__all__ = ["COLUMNS", "QpcrRun", "finish_table", "sha256", "well_name"]

#: Columns of :attr:`QpcrRun.wells`, in order.
COLUMNS = (
    "well",
    "sample",
    "target",
    "task",
    "ct",
    "undetermined",
    "quantity",
    "omit",
    "reporter",
)

_TASKS = {
    "unknown": "UNKNOWN",
    "unkn": "UNKNOWN",
    "ntc": "NTC",
    "ntp": "NTC",
    "nac": "NTC",
    "standard": "STANDARD",
    "std": "STANDARD",
    "endogenous control": "UNKNOWN",
    "pos": "POSITIVE",
    "opt": "UNKNOWN",
    "ntp ": "NTC",
    "nrt": "NRT",
    "neg ctrl": "NTC",
    "pos ctrl": "POSITIVE",
    "": "UNKNOWN",
}


@dataclass(frozen=True)
class QpcrRun:
    """One qPCR export read into a tidy table.

    Attributes
    ----------
    wells
        One row per well and target: ``well`` (e.g. ``"A1"``), ``sample``, ``target``,
        ``task`` (``UNKNOWN``, ``NTC``, ``STANDARD``, ``POSITIVE``, ``NRT``), ``ct`` (float;
        NaN where the instrument reported no amplification), ``undetermined`` (True where
        the file said Undetermined / no Cq), ``quantity`` (standard quantity or NaN),
        ``omit`` (the instrument's own omit flag), ``reporter`` (dye).
    path
        The file read.
    sha256
        Checksum of the file.
    format
        Reader that parsed it (``quantstudio_text``, ``quantstudio_xlsx``,
        ``quantstudio_da_xlsx``, ``cfx_csv``, ``rdml``, ``long_table``).
    instrument
        Instrument model as the file states it (empty when unknown).
    meta
        Header key/value pairs of the file (experiment name, software version …), and the
        analysis settings QuantStudio text/xlsx exports write below their results table
        (``Endogenous Control``, ``Reference Sample``, ``RQ Min/Max Confidence Level``).
    vendor_rq
        Design & Analysis exports: the vendor's own ``RQ Replicate Group Result`` rows
        (``sample, target, delta_ct_se, rq, rq_min, rq_max``), kept only to recover the
        confidence level the file was analysed at; None for other exports.
    """

    wells: pd.DataFrame
    path: Path
    sha256: str
    format: str
    instrument: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    vendor_rq: pd.DataFrame | None = None


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


_WELL = re.compile(r"^([A-Pa-p])0*(\d{1,2})$")


def well_name(value: Any) -> str:
    """``"A01"`` → ``"A1"``; other names are kept as text."""
    text = str(value).strip()
    m = _WELL.match(text)
    if m:
        return f"{m.group(1).upper()}{int(m.group(2))}"
    return text


def _number(value: Any) -> float:
    """A cell as float: empty → NaN; ``1,234.5`` (thousands separator) accepted."""
    if value is None:
        return np.nan
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace(",", "")
    if text in {"", "-", "nan", "NaN", "N/A", "NA"}:
        return np.nan
    return float(text)


#: Largest Ct accepted: no qPCR protocol runs more cycles; larger values are corrupt.
MAX_CT = 100.0

_UNDETERMINED = {"undetermined", "no ct", "no cq", "n/a", "none", "nan", ""}


def parse_ct(value: Any, *, path: Path, where: str) -> tuple[float, bool]:
    """A Ct cell as ``(ct, undetermined)``; anything that is neither is an error."""
    if value is None:
        return np.nan, True
    if isinstance(value, float) and np.isnan(value):
        return np.nan, True
    text = str(value).strip()
    if text.lower() in _UNDETERMINED:
        return np.nan, True
    try:
        ct = float(text.replace(",", ""))
    except ValueError:
        msg = f"Ct value {text!r} is neither a number nor 'Undetermined'"
        raise InputFormatError(msg, path=path, where=where) from None
    if ct in (0.0, -1.0):
        # RDML and some exports write -1 or 0 for 'no Cq'
        return np.nan, True
    if not np.isfinite(ct) or not 0 < ct <= MAX_CT:
        msg = (
            f"Ct value {text!r} is not a possible cycle number (expected a number between 0 "
            f"and {MAX_CT:g}, or 'Undetermined'); check the export"
        )
        raise InputFormatError(msg, path=path, where=where)
    return ct, False


def _bool(value: Any) -> bool:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    return str(value).strip().lower() in {"true", "yes", "1", "x"}


def _check_duplicates(rows: list[dict[str, Any]], out: list[dict[str, Any]], *, path: Path) -> None:
    """A well measured twice for the same target would count as two replicates: an error."""
    seen: dict[tuple[str, str, str], int] = {}
    for k, (r, o) in enumerate(zip(rows, out, strict=True)):
        key = (str(r.get("_run") or ""), o["well"], o["target"])
        if key in seen:
            j = seen[key]
            a = rows[j].get("_where") or f"entry {j + 1}"
            b = r.get("_where") or f"entry {k + 1}"
            msg = (
                f"well {o['well']} with target {o['target']!r} is given twice ({a} and {b}); "
                "each well and target must appear once (a duplicate would count as an extra "
                "replicate)"
            )
            raise InputFormatError(msg, path=path, where=b)
        seen[key] = k


def finish_table(rows: list[dict[str, Any]], *, path: Path, what: str) -> pd.DataFrame:
    """Rows (dicts with reader values) → the tidy table with normalized types."""
    if not rows:
        msg = f"no wells with a sample and a target were found in the {what}"
        raise InputFormatError(msg, path=path)
    out = []
    for r in rows:
        task_raw = str(r.get("task") or "").strip()
        task = _TASKS.get(task_raw.lower(), task_raw.upper())
        out.append(
            {
                "well": well_name(r["well"]),
                "sample": str(r.get("sample") or "").strip(),
                "target": str(r.get("target") or "").strip(),
                "task": task,
                "ct": float(r["ct"]),
                "undetermined": bool(r["undetermined"]),
                "quantity": _number(r.get("quantity")),
                "omit": _bool(r.get("omit", False)),
                "reporter": str(r.get("reporter") or "").strip(),
            }
        )
    _check_duplicates(rows, out, path=path)
    df = pd.DataFrame(out, columns=list(COLUMNS))
    return df.astype(
        {
            "well": str,
            "sample": str,
            "target": str,
            "task": str,
            "ct": float,
            "undetermined": bool,
            "quantity": float,
            "omit": bool,
            "reporter": str,
        }
    )
