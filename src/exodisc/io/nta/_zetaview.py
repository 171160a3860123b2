"""Particle Metrix ZetaView size export reader (``*_size_488.txt`` [+ ``_11pos.txt``])."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from exodisc.errors import InputFormatError
from exodisc.io._guard import missing_file
from exodisc.io.nta._model import VIDEO_COLUMNS, NtaMeasurement

__all__ = ["positions_file", "read_zetaview", "sniff_zetaview"]


def _lines(path: Path) -> list[str]:
    return path.read_bytes().decode("latin-1").splitlines()


def sniff_zetaview(path: str | Path) -> bool:
    """True for a ZetaView size export or its per-position (``_11pos``) table.

    Examples
    --------
    >>> from exodisc.io.nta import sniff_zetaview
    >>> sniff_zetaview("usc_exo_size_488.txt")  # doctest: +SKIP
    True
    """
    try:
        head = _lines(Path(path))[:6]
    except OSError:
        return False
    if head and head[0].startswith("Original File:"):
        return any(line.startswith("ZetaView") or "ZetaView" in line for line in head)
    return bool(head) and head[0].startswith("Use\tPosition\t")


def positions_file(path: str | Path) -> Path:
    """The per-position table written beside a size export (``<stem>_11pos.txt``)."""
    p = Path(path)
    return p.with_name(f"{p.stem}_11pos{p.suffix}")


def _header(lines: list[str]) -> dict[str, list[str]]:
    meta: dict[str, list[str]] = {}
    for line in lines:
        if line == "Size Distribution":
            break
        cells = line.split("\t")
        key = cells[0].rstrip(":").strip()
        if key and key not in meta:
            meta[key] = [c.strip() for c in cells[1:]]
    return meta


def _float(text: str, path: Path, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise InputFormatError(f"{text!r} is not a number", path=path, where=where) from None


def _positions(path: Path) -> tuple[pd.DataFrame, dict[str, float], list[str]]:
    lines = _lines(path)
    if not lines or not lines[0].startswith("Use\tPosition\t"):
        msg = "not a ZetaView per-position table (first line should start 'Use<TAB>Position')"
        raise InputFormatError(msg, path=path, where="line 1")
    header = lines[0].split("\t")

    def col(prefix: str) -> int:
        for k, h in enumerate(header):
            if h.startswith(prefix):
                return k
        raise InputFormatError(f"no column starting {prefix!r}", path=path, where="line 1")

    c_conc, c_tr, c_x50, c_peak = (
        col("Conc. (p./mL)"),
        col("No. of Traces"),
        col("X50"),
        col("Peak"),
    )
    c_rm = len(header) - 1 if header[-1].startswith("Removal") else None
    rows: list[dict[str, object]] = []
    warnings: list[str] = []
    mean: dict[str, float] = {}
    for n, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) < len(header) - 1:
            continue
        label = cells[1].strip()
        if label == "Mean":
            mean = {
                "concentration_per_ml": _float(cells[c_conc], path, f"line {n}"),
                "d50_nm": _float(cells[c_x50], path, f"line {n}"),
                "mode_nm": _float(cells[c_peak], path, f"line {n}"),
            }
            continue
        if label in ("St.Dev.", "Rel.St.Dev."):
            continue
        used = cells[0].strip() == "X"
        removal = cells[c_rm].strip() if c_rm is not None and c_rm < len(cells) else ""
        if not used:
            warnings.append(f"position {label}: removed by the software ({removal or 'no reason'})")
        rows.append(
            {
                "video": len(rows) + 1,
                "position": _float(label, path, f"line {n}, column 'Position'"),
                "used": used,
                "concentration_per_ml": _float(cells[c_conc], path, f"line {n}"),
                "valid_tracks": _float(cells[c_tr], path, f"line {n}"),
                "d50_nm": _float(cells[c_x50], path, f"line {n}"),
                "mode_nm": _float(cells[c_peak], path, f"line {n}"),
            }
        )
    return pd.DataFrame(rows), mean, warnings


def read_zetaview(path: str | Path) -> NtaMeasurement:
    """Read a ZetaView size export (``*_size_488.txt``) and, if beside it, its ``_11pos`` table.

    Parameters
    ----------
    path
        The size export (or its ``_11pos`` table; the size export is then read from beside it).

    Returns
    -------
    NtaMeasurement
        The linear 5-nm number distribution (``Number`` of traces per bin), the software's
        ``Median Number (D50)``, the dilution and, from the per-position table, each position's
        concentration (particles/mL in the cell, i.e. before the dilution), X50 and peak.

    Raises
    ------
    InputFormatError
        Not a ZetaView export, or a non-numeric value (the line is named).

    Notes
    -----
    A failed acquisition ("Number of Traces: 0", a distribution of one ``-1`` row) gives a
    measurement with ``failed=True`` and a warning, not an error. ZetaView lists each bin by
    its upper edge (its D50 is interpolated that way), which the recomputation follows.
    Equivalent: ZetaView software 8.x "Export → Size distribution".

    Examples
    --------
    >>> from exodisc.io.nta import read_zetaview
    >>> m = read_zetaview("usc_exo_size_488.txt")  # doctest: +SKIP
    >>> m.instrument  # doctest: +SKIP
    'ZetaView'
    """
    path = Path(path)
    if path.stem.endswith("_11pos"):
        main = path.with_name(path.name.replace("_11pos", ""))
        if not main.is_file():
            msg = f"per-position table only; the size export {main.name} is needed beside it"
            raise InputFormatError(msg, path=path)
        path = main
    if not path.is_file():
        raise missing_file(path)
    lines = _lines(path)
    if not lines or not lines[0].startswith("Original File:"):
        msg = "first line is not 'Original File:'; not a ZetaView size export"
        raise InputFormatError(msg, path=path, where="line 1")
    meta = _header(lines)
    if "Size Distribution" not in lines:
        raise InputFormatError("no 'Size Distribution' section", path=path)
    software = " ".join(meta.get("Software", ["ZetaView"])[:1])
    sample = (meta.get("Sample") or [path.stem])[0] or path.stem
    traces_cells = meta.get("Number of Traces", [])
    traces = _float(traces_cells[0], path, "'Number of Traces'") if traces_cells else np.nan
    dilution = None
    keys = [c.rstrip(":") for c in traces_cells]
    if "Dilution" in keys and keys.index("Dilution") + 1 < len(keys):  # "Dilution::<TAB>1000"
        dilution = _float(traces_cells[keys.index("Dilution") + 1], path, "'Dilution::'")
    d50 = _float((meta.get("Median Number (D50)") or ["nan"])[0], path, "'Median Number (D50)'")

    start = lines.index("Size Distribution") + 2
    bins: list[list[float]] = []
    for n in range(start, len(lines)):
        cells = lines[n].split("\t")
        if len(cells) < 2:
            break
        row = [_float(c, path, f"line {n + 1}") for c in cells[:2]]
        if row[0] < 0:  # end of the linear table (a log-binned table follows)
            break
        bins.append(row)
    warnings: list[str] = []
    failed = len(bins) == 0 or traces == 0
    if failed:
        warnings.append(
            f"no particles tracked (Number of Traces: {traces:g}): failed acquisition; "
            "nothing to summarise"
        )
    arr = np.asarray(bins) if bins else np.empty((0, 2))
    width = 5.0 if len(arr) < 2 else float(round(arr[1, 0] - arr[0, 0], 6))
    dist = pd.DataFrame(
        {
            "bin_nm": arr[:, 0] - width / 2,  # listed value is the upper edge
            "bin_width_nm": np.full(len(arr), width),
            "v1": arr[:, 1],
        }
    )
    summary: dict[str, float] = {"d50_nm": d50, "traces": traces}
    pos_path = positions_file(path)
    if pos_path.is_file():
        positions, mean, pos_warn = _positions(pos_path)
        if not failed:
            warnings.extend(pos_warn)
        summary.update({f"{k}_positions_mean": v for k, v in mean.items()})
        videos = positions.reindex(columns=VIDEO_COLUMNS)
        videos["used"] = positions["used"]
    else:
        videos = pd.DataFrame(columns=[*VIDEO_COLUMNS, "used"])
        warnings.append(
            f"{pos_path.name} not found beside the export: no concentration per position"
        )
    return NtaMeasurement(
        path=path,
        instrument="ZetaView",
        software=software,
        sample=sample,
        recorded_dilution=dilution,
        videos=videos,
        software_summary=summary,
        distribution=dist,
        warnings=tuple(warnings),
        failed=failed,
        metadata={k: " ".join(v) for k, v in meta.items() if len(k) < 40},
    )
