"""Sniffing and reading any supported qPCR export into a :class:`QpcrRun`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from exodisc.errors import InputFormatError
from exodisc.io._guard import missing_file
from exodisc.io._registry import Format, register_format
from exodisc.io.qpcr._table import QpcrRun, finish_table, sha256

__all__ = ["QpcrFormat", "read_qpcr", "sniff_qpcr"]

QpcrFormat = Literal[
    "auto",
    "quantstudio_text",
    "quantstudio_xlsx",
    "quantstudio_da_xlsx",
    "quantstudio_xls",
    "cfx_csv",
    "rdml",
    "long_table",
]


def sniff_qpcr(path: str | Path) -> str:
    """Name of the reader that parses ``path`` (see :func:`read_qpcr`'s ``format``).

    Raises
    ------
    InputFormatError
        For files known not to carry Ct values (``.eds`` run files) or of unknown kind.

    Examples
    --------
    >>> from exodisc.io.qpcr import sniff_qpcr
    >>> sniff_qpcr("QuantStudio_results.txt")  # doctest: +SKIP
    'quantstudio_text'
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise missing_file(path)
    if suffix == ".eds":
        msg = (
            "this is a QuantStudio/7500 run file (.eds, the instrument's own binary project), "
            "not an export; open it in the instrument software and export 'Results' as .txt "
            "or .xlsx"
        )
        raise InputFormatError(msg, path=path)
    if suffix in {".rdml", ".rdm", ".xml"}:
        return "rdml"
    if suffix == ".xlsx":
        return "quantstudio_xlsx"
    if suffix == ".xls":
        return "quantstudio_xls"
    head = path.read_bytes()[:8192].decode("utf-8", errors="replace")
    if suffix == ".txt" and ("[Results]" in head or "[Sample Setup]" in head or head[:1] == "*"):
        return "quantstudio_text"
    first = head.splitlines()[0].lower() if head.strip() else ""
    if "fluor" in first and "cq" in first and "content" in first:
        return "cfx_csv"
    if suffix in {".csv", ".tsv", ".txt"}:
        return "long_table"
    msg = (
        f"unknown qPCR export kind (extension {suffix!r}); supported: QuantStudio/7500/StepOne "
        ".txt/.xlsx/.xls, Design & Analysis .xlsx, CFX .csv, RDML (.rdml), long .csv/.tsv"
    )
    raise InputFormatError(msg, path=path)


def _read_xls(path: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    import pandas as pd

    from exodisc.io.qpcr._formats import _table_rows

    try:
        book = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="xlrd")
    except ImportError as exc:  # pragma: no cover - xlrd is a dependency of the extra
        msg = "reading .xls needs xlrd (pip install xlrd)"
        raise InputFormatError(msg, path=path) from exc
    except Exception as exc:
        raise InputFormatError(f"not a readable .xls workbook ({exc})", path=path) from None
    if "Results" not in book:
        msg = (
            f"no 'Results' sheet with Ct values; the workbook has sheets {list(book)} "
            "(a Sample Setup / raw-data export); export 'Results' from the instrument software"
        )
        raise InputFormatError(msg, path=path)
    sheet = book["Results"]
    rows = [tuple(None if pd.isna(v) else v for v in r) for r in sheet.itertuples(index=False)]
    for i, r in enumerate(rows):
        if r and r[0] is not None and str(r[0]).strip() == "Well":
            return (
                _table_rows(r, rows[i + 1 :], path=path, first_line=i + 1, what="Results sheet"),
                {},
            )
    msg = "no header row starting with 'Well' in the Results sheet"
    raise InputFormatError(msg, path=path, where="sheet 'Results'")


def read_qpcr(path: str | Path, *, format: QpcrFormat = "auto") -> QpcrRun:
    """Read a qPCR export (one row per well and target, Ct or Undetermined).

    Parameters
    ----------
    path
        QuantStudio / 7500 / StepOne / ViiA 7 text or Excel export (``[Results]`` section or
        ``Results`` sheet), QuantStudio Design & Analysis ``.xlsx``, Bio-Rad CFX Maestro
        "Quantification Cq Results" ``.csv``, RDML 1.0–1.3 (``.rdml``), or a plain long table
        with columns ``well, sample, target, ct`` (optional ``task``, ``quantity``).
    format
        Reader to use; ``"auto"`` sniffs it from the extension and the first lines.

    Returns
    -------
    QpcrRun
        ``wells`` is the tidy table (see :class:`QpcrRun`); the file is never modified.

    Raises
    ------
    InputFormatError
        Naming the file, the line/sheet/column and what was expected.

    Notes
    -----
    R equivalents: ``RDML::RDML$new(path)$GetFData()`` for RDML; ``read.delim`` of the
    ``[Results]`` block for text exports. Vendor-computed columns (Ct Mean, RQ …) are not
    read: exodisc recomputes them from the well Cts.

    Examples
    --------
    >>> from exodisc.io.qpcr import read_qpcr
    >>> run = read_qpcr("plate.txt")  # doctest: +SKIP
    >>> run.wells[["sample", "target", "ct"]].head()  # doctest: +SKIP
    """
    from exodisc.io.qpcr import _formats, _rdml

    path = Path(path)
    kind = sniff_qpcr(path) if format == "auto" else format
    if not path.is_file():
        raise missing_file(path)
    readers = {
        "quantstudio_text": _formats.read_quantstudio_text,
        "quantstudio_xlsx": _formats.read_quantstudio_xlsx,
        "quantstudio_da_xlsx": _formats.read_quantstudio_xlsx,
        "quantstudio_xls": _read_xls,
        "cfx_csv": _formats.read_cfx_csv,
        "rdml": _rdml.read_rdml,
        "long_table": _formats.read_long_table,
    }
    if kind not in readers:
        msg = f"format must be one of {['auto', *readers]}, got {kind!r}"
        raise ValueError(msg)
    rows, meta = readers[kind](path)
    if kind == "quantstudio_xlsx" and "Design & Analysis" in str(
        meta.get("Software Name and Version", "")
    ):
        kind = "quantstudio_da_xlsx"
    wells = finish_table(rows, path=path, what=kind)
    instrument = str(
        meta.get("Instrument Type") or meta.get("instrument") or meta.get("Instrument Name") or ""
    )
    vendor_rq = None
    if kind == "quantstudio_da_xlsx":
        from exodisc.io.qpcr._vendor import read_rq_sheet

        vendor_rq = read_rq_sheet(path)
    return QpcrRun(wells, path, sha256(path), kind, instrument, meta, vendor_rq)


def _sniffs(name: str) -> Callable[[Path], bool]:
    def sniff(path: Path) -> bool:
        try:
            return sniff_qpcr(path) == name
        except InputFormatError:
            return False

    return sniff


def _reads(name: QpcrFormat) -> Callable[[Path], QpcrRun]:
    def read(path: Path) -> QpcrRun:
        return read_qpcr(path, format=name)

    return read


_QPCR_FORMATS: dict[QpcrFormat, str] = {
    "quantstudio_text": "QuantStudio / 7500 / StepOne / ViiA 7 text export ([Results])",
    "quantstudio_xlsx": "QuantStudio / 7500 / StepOne Excel export (Results sheet)",
    "quantstudio_da_xlsx": "QuantStudio Design & Analysis Excel export",
    "quantstudio_xls": "QuantStudio / 7500 legacy .xls export",
    "cfx_csv": "Bio-Rad CFX Maestro Quantification Cq Results .csv",
    "rdml": "RDML 1.0-1.3 (.rdml)",
    "long_table": "a long table: well, sample, target, ct",
}
for _name, _description in _QPCR_FORMATS.items():
    register_format(
        Format(
            _name,
            _description,
            _sniffs(_name),
            _reads(_name),
            priority=90 if _name == "long_table" else 10,
            kind="qpcr",
        )
    )
