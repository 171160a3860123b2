"""Band tables measured elsewhere: ImageJ Results, Image Lab lane-and-band reports, plain tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from exodisc.errors import InputFormatError
from exodisc.io._registry import Format, register_format

__all__ = ["BandTable", "read_band_table"]

TableFormat = Literal["imagelab", "imagej", "plain"]
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xls", ".xlsx")

_IMAGELAB_VOLUME = ("Adj. Volume (Int)", "Adj. Total Band Vol. (Int)", "Volume (Int)")
_IMAGEJ_VOLUME = ("RawIntDen", "IntDen", "Area")
_PLAIN_ID = ("lane", "sample")
_PLAIN_BAND = ("band", "target", "protein", "antibody")
_PLAIN_VOLUME = ("volume", "adj_volume", "intensity", "density", "intden", "rawintden", "signal")


@dataclass(frozen=True)
class BandTable:
    """A band table read from a file.

    Attributes
    ----------
    frame
        ``lane`` (1-based, or NA when rows name samples), ``sample`` (as written, or NA),
        ``band``, ``volume``, ``row`` (line number in the file).
    format
        ``"imagelab"``, ``"imagej"`` or ``"plain"``.
    value_column
        The column the volumes came from (e.g. ``"Adj. Volume (Int)"``, ``"RawIntDen"``).
    path
        The file.
    """

    frame: pd.DataFrame
    format: TableFormat
    value_column: str
    path: Path


def _read_cells(path: Path) -> pd.DataFrame:
    """All cells as strings, ragged rows padded (Image Lab writes a title line first)."""
    import csv

    suffix = path.suffix.lower()
    if suffix in (".xls", ".xlsx"):
        try:
            return pd.read_excel(path, header=None, dtype=str).fillna("")
        except (ValueError, OSError, ImportError) as exc:
            raise InputFormatError(f"not a readable workbook ({exc})", path=path) from None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFormatError(f"not a UTF-8 text table ({exc})", path=path) from None
    sep = "\t" if (suffix == ".tsv" or text.count("\t") > text.count(",")) else ","
    rows = list(csv.reader(text.splitlines(), delimiter=sep))
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)


def _header_row(cells: pd.DataFrame) -> int:
    """First row holding a recognised header (Image Lab writes a title line above it)."""
    known = {c.lower() for c in (*_IMAGELAB_VOLUME, *_IMAGEJ_VOLUME, "band no.", "lane")}
    known |= set(_PLAIN_ID) | set(_PLAIN_BAND) | set(_PLAIN_VOLUME)
    for i in range(min(len(cells), 10)):
        row = {str(v).strip().lower() for v in cells.iloc[i] if isinstance(v, str)}
        if len(row & known) >= 2:
            return i
    return 0


def _number(text: object, path: Path, row: int, column: str) -> float:
    s = str(text).strip().replace(",", "").replace("\u00a0", "")
    try:
        value = float(s)
    except ValueError:
        msg = f"{column!r} value {text!r} is not a number"
        raise InputFormatError(msg, path=path, where=f"line {row}, column {column!r}") from None
    if not np.isfinite(value):
        msg = f"{column!r} value {text!r} is not finite"
        raise InputFormatError(msg, path=path, where=f"line {row}, column {column!r}")
    return value


def read_band_table(
    path: str | Path,
    *,
    bands: Sequence[str] | None = None,
    format: TableFormat | None = None,
) -> BandTable:
    """Read band volumes measured in ImageJ, Image Lab or written by hand.

    Parameters
    ----------
    path
        CSV, TSV, TXT or Excel file.
    bands
        Band names: for Image Lab, by band number (1 = first name) where ``Band Label`` is
        empty; for ImageJ Results, the bands measured in each lane in row order (rows run
        lane by lane: lane 1 band 1, lane 1 band 2, …, lane 2 band 1 …).
    format
        Force a format; default sniffed from the header.

    Returns
    -------
    BandTable

    Notes
    -----
    Image Lab (Bio-Rad) *Lane and Band Table* export: ``Lane``, ``Band No.``, ``Band Label``,
    ``Adj. Volume (Int)`` (background-subtracted; preferred) or ``Volume (Int)``. ImageJ
    *Results* (Analyze > Measure, or Analyze > Gels > Label Peaks): ``RawIntDen`` (sum of
    pixel values), else ``IntDen``, else the Gel Analyzer's peak ``Area``. A plain table has
    ``lane`` or ``sample``, ``band`` (or ``target``/``protein``) and ``volume`` columns.

    Examples
    --------
    >>> t = read_band_table("Results.csv", bands=["SOX-9", "GAPDH"])  # doctest: +SKIP
    >>> t.format, t.value_column  # doctest: +SKIP
    ('imagej', 'RawIntDen')
    """
    p = Path(path)
    if not p.is_file():
        raise InputFormatError("band table not found", path=p)
    cells = _read_cells(p)
    if cells.empty:
        raise InputFormatError("the table is empty", path=p)
    h = _header_row(cells)
    header = [str(c).strip() for c in cells.iloc[h]]
    body = cells.iloc[h + 1 :].reset_index(drop=True)
    body.columns = pd.Index(header)
    body = body.loc[~(body.apply(lambda c: c.str.strip()) == "").all(axis=1)]
    lines = [int(i) + h + 2 for i in body.index]  # 1-based file lines
    lower = {c.lower(): c for c in header}
    fmt = format or _sniff(lower)
    if fmt is None:
        msg = (
            f"columns {header} are not a known band table; expected an Image Lab lane-and-band "
            "report (Lane, Band No., Adj. Volume (Int)), ImageJ Results (RawIntDen or IntDen) "
            "or a plain table (lane or sample, band, volume)"
        )
        raise InputFormatError(msg, path=p, where=f"line {h + 1}")
    if body.empty:
        raise InputFormatError("the table has a header but no rows", path=p)
    if fmt == "imagelab":
        frame, col = _imagelab(body, lower, lines, p, bands)
    elif fmt == "imagej":
        frame, col = _imagej(body, lower, lines, p, bands)
    else:
        frame, col = _plain(body, lower, lines, p)
    return BandTable(frame, fmt, col, p)


def _sniff(lower: dict[str, str]) -> TableFormat | None:
    if (
        "lane" in lower
        and "band no." in lower
        and any(c.lower() in lower for c in _IMAGELAB_VOLUME)
    ):
        return "imagelab"
    plain = (_PLAIN_ID, _PLAIN_BAND, _PLAIN_VOLUME)
    if all(any(c in lower for c in names) for names in plain):
        return "plain"
    if "rawintden" in lower or "intden" in lower or ("area" in lower and "percent" in lower):
        return "imagej"
    return None


def _first(lower: dict[str, str], names: Sequence[str]) -> str | None:
    return next((lower[n.lower()] for n in names if n.lower() in lower), None)


def _need(column: str | None, path: Path) -> str:
    if column is None:  # the sniffer guarantees the column; a forced format may not
        raise InputFormatError("a required column is missing for this format", path=path)
    return column


def _imagelab(
    body: pd.DataFrame,
    lower: dict[str, str],
    lines: list[int],
    path: Path,
    bands: Sequence[str] | None,
) -> tuple[pd.DataFrame, str]:
    col = _need(_first(lower, _IMAGELAB_VOLUME), path)
    lane_c, no_c = lower["lane"], lower["band no."]
    label_c = lower.get("band label")
    rows = []
    for line, (_, r) in zip(lines, body.iterrows(), strict=True):
        lane = int(_number(r[lane_c], path, line, lane_c))
        no = int(_number(r[no_c], path, line, no_c))
        label = str(r[label_c]).strip() if label_c is not None else ""
        if not label:
            if bands is not None and 1 <= no <= len(bands):
                label = bands[no - 1]
            elif bands is not None:
                msg = f"band number {no} but only {len(bands)} band name(s) declared"
                raise InputFormatError(msg, path=path, where=f"line {line}, column {no_c!r}")
            else:
                label = f"band_{no}"
        vol = _number(r[col], path, line, col)
        rows.append({"lane": lane, "sample": pd.NA, "band": label, "volume": vol, "row": line})
    return pd.DataFrame(rows), col


def _imagej(
    body: pd.DataFrame,
    lower: dict[str, str],
    lines: list[int],
    path: Path,
    bands: Sequence[str] | None,
) -> tuple[pd.DataFrame, str]:
    col = _need(_first(lower, _IMAGEJ_VOLUME), path)
    names = list(bands) if bands else ["band_1"]
    k = len(names)
    if len(body) % k:
        msg = (
            f"{len(body)} rows cannot be {k} band(s) ({', '.join(names)}) per lane; ImageJ rows "
            "must run lane by lane with every band measured in every lane"
        )
        raise InputFormatError(msg, path=path)
    rows = []
    for i, (line, (_, r)) in enumerate(zip(lines, body.iterrows(), strict=True)):
        vol = _number(r[col], path, line, col)
        rows.append(
            {"lane": i // k + 1, "sample": pd.NA, "band": names[i % k], "volume": vol, "row": line}
        )
    return pd.DataFrame(rows), col


def _plain(
    body: pd.DataFrame, lower: dict[str, str], lines: list[int], path: Path
) -> tuple[pd.DataFrame, str]:
    id_c = _need(_first(lower, _PLAIN_ID), path)
    band_c = _need(_first(lower, _PLAIN_BAND), path)
    col = _need(_first(lower, _PLAIN_VOLUME), path)
    by_lane = id_c.lower() == "lane"
    rows = []
    for line, (_, r) in zip(lines, body.iterrows(), strict=True):
        ident = str(r[id_c]).strip()
        band = str(r[band_c]).strip()
        if not ident or not band:
            msg = f"empty {id_c!r} or {band_c!r}"
            raise InputFormatError(msg, path=path, where=f"line {line}")
        vol = _number(r[col], path, line, col)
        lane = int(_number(ident, path, line, id_c)) if by_lane else pd.NA
        rows.append(
            {
                "lane": lane,
                "sample": pd.NA if by_lane else ident,
                "band": band,
                "volume": vol,
                "row": line,
            }
        )
    return pd.DataFrame(rows), col


def _sniffs(name: TableFormat) -> Callable[[Path], bool]:
    def sniff(path: Path) -> bool:
        if Path(path).suffix.lower() not in TABLE_SUFFIXES:
            return False
        try:
            cells = _read_cells(Path(path))
            if cells.empty:
                return False
            header = [str(c).strip() for c in cells.iloc[_header_row(cells)]]
        except (InputFormatError, ValueError, OSError):
            return False
        return _sniff({c.lower(): c for c in header}) == name

    return sniff


def _reads(name: TableFormat) -> Callable[[Path], BandTable]:
    return lambda path: read_band_table(path, format=name)


_TABLE_FORMATS: tuple[tuple[TableFormat, str], ...] = (
    ("imagelab", "Bio-Rad Image Lab lane and band table"),
    ("plain", "a plain table: lane or sample, band, volume"),
    ("imagej", "ImageJ / Fiji Results (RawIntDen, IntDen or gel peak Area)"),
)
for _name, _description in _TABLE_FORMATS:
    register_format(
        Format(_name, _description, _sniffs(_name), _reads(_name), kind="western_table")
    )
