"""Malvern NanoSight NTA 3.x ``ExperimentSummary.csv`` reader."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from exodisc.errors import InputFormatError
from exodisc.io._guard import decompress_gzip, missing_file
from exodisc.io.nta._model import VIDEO_COLUMNS, NtaMeasurement

__all__ = ["read_nanosight", "sniff_nanosight"]

_OK = {"", "OK", "No"}
_INFO_ONLY = {"Vibration correction applied", "Settings changed?"}  # not quality problems
_STATS = {"Mean": "mean_nm", "Mode": "mode_nm", "SD": "sd_nm", "D10": "d10_nm",
          "D50": "d50_nm", "D90": "d90_nm"}  # fmt: skip


def _lines(path: Path) -> list[str]:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = decompress_gzip(raw, path)
    # NTA writes Windows-1252 / Latin-1 (µ, ±); this never fails to decode
    return raw.decode("latin-1").splitlines()


def _check_complete(lines: list[str], j: int, path: Path) -> None:
    """Refuse an export cut short: the size distribution or the percentile table ends early."""
    if j >= len(lines):
        msg = (
            "the file ends inside the size distribution (a truncated export); export the "
            "Experiment Summary again"
        )
        raise InputFormatError(msg, path=path, where=f"line {len(lines)}")
    starts = [k for k, line in enumerate(lines) if line.startswith("Percentile")]
    has_rows = any(k + 1 < len(lines) and lines[k + 1].strip(", \t") for k in starts)
    last = next((line for line in reversed(lines) if line.strip(", \t")), "")
    if has_rows and not last.startswith("100,"):
        msg = (
            "the file ends before the last percentile row (100) of its final table: a "
            "truncated export; export the Experiment Summary again"
        )
        raise InputFormatError(msg, path=path, where=f"line {len(lines)}")


def sniff_nanosight(path: str | Path) -> bool:
    """True when the file starts like an NTA ``ExperimentSummary`` export.

    Examples
    --------
    >>> from exodisc.io.nta import sniff_nanosight
    >>> sniff_nanosight("usc_exo_ExperimentSummary.csv")  # doctest: +SKIP
    True
    """
    try:
        head = _lines(Path(path))[:2]
    except OSError:
        return False
    return bool(head) and head[0].startswith("NTA Experiment Summary File")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split(",")]


def _number(text: str, path: Path, lineno: int, what: str) -> float:
    try:
        return float(text)
    except ValueError:
        msg = f"{what}: {text!r} is not a number"
        raise InputFormatError(msg, path=path, where=f"line {lineno}") from None


def _find(lines: list[str], prefix: str, start: int, path: Path, *, stop: str | None = None) -> int:
    for i in range(start, len(lines)):
        if stop is not None and lines[i].startswith(stop):
            break
        if lines[i].startswith(prefix):
            return i
    msg = f"no {prefix!r} line; expected an NTA 3.x ExperimentSummary export"
    raise InputFormatError(msg, path=path, where=f"after line {start + 1}")


def read_nanosight(path: str | Path) -> NtaMeasurement:
    """Read a NanoSight NTA 3.x ``ExperimentSummary.csv`` (plain or gzip-compressed).

    Parameters
    ----------
    path
        The export.

    Returns
    -------
    NtaMeasurement
        Per-video concentration and number-weighted size statistics (the software's own),
        the software's averages, the 1-nm binned size distribution per video and the
        software's quality warnings.

    Raises
    ------
    InputFormatError
        Not an ExperimentSummary export, a missing section or a non-numeric value
        (the message names the line).

    Notes
    -----
    Only the number-weighted ``[Size Data]`` block is read (surface-area and volume
    weightings and diffusion data are ignored). Equivalent: the NTA software's
    "Export → Experiment Summary"; R has no reader (nanotools-style scripts parse it ad hoc).

    Examples
    --------
    >>> from exodisc.io.nta import read_nanosight
    >>> m = read_nanosight("usc_exo_ExperimentSummary.csv")  # doctest: +SKIP
    >>> m.instrument  # doctest: +SKIP
    'NanoSight'
    """
    path = Path(path)
    if not path.is_file():
        raise missing_file(path)
    lines = _lines(path)
    if not lines or not lines[0].startswith("NTA Experiment Summary File"):
        msg = "first line is not 'NTA Experiment Summary File'; not a NanoSight export"
        raise InputFormatError(msg, path=path, where="line 1")
    meta: dict[str, str] = {}
    for line in lines[:16]:
        cells = _cells(line)
        if len(cells) >= 2 and cells[0] and not cells[0].startswith("["):
            meta[cells[0].rstrip(":")] = cells[1]
    software = meta.get("Software Version", "NTA (version not stated)")
    experiment = meta.get("Experiment Name", path.stem)
    sample = re.sub(
        r"\s*\d{4}-\d{2}-\d{2} \d{2}-\d{2}-\d{2}$", "", experiment.removesuffix(".nano")
    )
    i_files = _find(lines, "Filename:", 0, path)
    videos = [c for c in _cells(lines[i_files])[1:] if c]
    n = len(videos)
    if n == 0:
        raise InputFormatError("no video file names", path=path, where=f"line {i_files + 1}")

    i_res = _find(lines, "[Results]", i_files, path)
    i_dil = _find(lines, "Dilution factor", i_res, path)
    dil_cells = _cells(lines[i_dil])[1 : 1 + n]
    recorded = None
    if dil_cells and dil_cells[0] not in ("Not recorded", ""):
        recorded = _number(dil_cells[0], path, i_dil + 1, "dilution factor")
    i_conc = _find(lines, "Concentration (Particles / ml)", i_res, path)
    conc_cells = _cells(lines[i_conc])
    conc = [_number(c, path, i_conc + 1, "concentration") for c in conc_cells[1 : 1 + n]]
    summary: dict[str, float] = {
        "concentration_per_ml": _number(conc_cells[1 + n], path, i_conc + 1, "average"),
        "concentration_se": _number(conc_cells[2 + n], path, i_conc + 1, "standard error"),
    }

    warnings: list[str] = []
    for header in ("[Concentration Warnings]", "[Information]"):
        try:
            i_w = _find(lines, header, i_conc, path, stop="[Size Data]")
        except InputFormatError:
            continue
        for j in range(i_w + 1, len(lines)):
            cells = _cells(lines[j])
            if not lines[j].strip() or cells[0].startswith("["):
                break
            if cells[0] in _INFO_ONLY:
                continue
            for k, value in enumerate(cells[1 : 1 + n], start=1):
                if value not in _OK:
                    warnings.append(f"video {k}: {cells[0]}: {value}")

    i_size = _find(lines, "[Size Data]", i_conc, path)
    i_weight = _find(lines, "Weighting", i_size, path)
    if _cells(lines[i_weight])[1] != "Number":
        msg = f"first [Size Data] block is weighted by {_cells(lines[i_weight])[1]!r}, not Number"
        raise InputFormatError(msg, path=path, where=f"line {i_weight + 1}")
    table: dict[str, list[float]] = {c: [] for c in VIDEO_COLUMNS[1:]}
    table["concentration_per_ml"] = conc
    i_graph = _find(lines, "Graph Data", i_weight, path)
    for j in range(i_weight + 1, i_graph):
        cells = _cells(lines[j])
        if cells[0] in _STATS:
            key = _STATS[cells[0]]
            table[key] = [_number(c, path, j + 1, cells[0]) for c in cells[1 : 1 + n]]
            summary[key] = _number(cells[1 + n], path, j + 1, f"{cells[0]} average")
            summary[key.replace("_nm", "_se")] = _number(cells[2 + n], path, j + 1, "SE")
        elif cells[0] == "Valid Tracks":
            table["valid_tracks"] = [_number(c, path, j + 1, cells[0]) for c in cells[1 : 1 + n]]
    missing = [k for k, v in table.items() if len(v) != n]
    if missing:
        msg = f"size statistics {missing} missing or with fewer than {n} videos"
        raise InputFormatError(msg, path=path, where=f"lines {i_weight + 1}-{i_graph}")
    frame = pd.DataFrame({"video": range(1, n + 1), **table}, columns=VIDEO_COLUMNS)

    bins: list[list[float]] = []
    j = i_graph + 2
    while j < len(lines) and lines[j].strip() and not lines[j].startswith("Percentile"):
        cells = _cells(lines[j])
        bins.append([_number(c, path, j + 1, "size distribution") for c in cells[: 1 + n]])
        j += 1
    if not bins:
        raise InputFormatError("empty size distribution", path=path, where=f"line {i_graph + 2}")
    _check_complete(lines, j, path)
    arr = np.asarray(bins)
    centres = arr[:, 0]
    width = np.diff(centres).min() if len(centres) > 1 else 1.0
    dist = pd.DataFrame({"bin_nm": centres, "bin_width_nm": np.full(len(centres), width)})
    for k in range(n):
        dist[f"v{k + 1}"] = arr[:, k + 1]

    empty = [k + 1 for k in range(n) if conc[k] == 0 or arr[:, k + 1].sum() == 0]
    for k in empty:
        warnings.append(
            f"video {k}: no particles tracked (concentration 0); left out of the summary"
        )
    failed = len(empty) == n
    if failed:
        warnings.insert(0, "no particles tracked in any video: failed acquisition")
    meta["n_videos"] = str(n)
    return NtaMeasurement(
        path=path,
        instrument="NanoSight",
        software=software,
        sample=sample,
        recorded_dilution=recorded if recorded is None or math.isfinite(recorded) else None,
        videos=frame,
        software_summary=summary,
        distribution=dist,
        warnings=tuple(dict.fromkeys(warnings)),
        failed=failed,
        metadata=meta,
    )
