"""The plate-export format registry: each format has a sniff() and a read()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from exodisc.errors import InputFormatError
from exodisc.io._guard import missing_file
from exodisc.io.plate._common import PlateRead

__all__ = ["PlateFormat", "formats", "read_plate", "register_format", "sniff_format"]


@dataclass(frozen=True)
class PlateFormat:
    """One export format.

    Attributes
    ----------
    name
        Short name used on the command line and in the study file (``gen5``, ``softmax`` …).
    description
        Instrument software and export type.
    sniff
        ``sniff(path) -> bool``: cheap check of the file's first bytes / sheets.
    read
        ``read(path) -> PlateRead``.
    priority
        Formats are sniffed in increasing priority; permissive sniffers (plain grids) go last.
    """

    name: str
    description: str
    sniff: Callable[[Path], bool]
    read: Callable[[Path], PlateRead]
    priority: int = 10


_FORMATS: dict[str, PlateFormat] = {}


def register_format(fmt: PlateFormat) -> PlateFormat:
    """Add a format to the registry."""
    _FORMATS[fmt.name] = fmt
    return fmt


def formats() -> dict[str, PlateFormat]:
    """Every registered format by name."""
    return dict(_FORMATS)


def sniff_format(path: str | Path) -> str:
    """The name of the format ``path`` is in.

    Raises
    ------
    InputFormatError
        When the file does not exist or no format recognises it.
    """
    p = Path(path)
    if not p.is_file():
        raise missing_file(p, "file")
    for fmt in sorted(_FORMATS.values(), key=lambda f: f.priority):
        if fmt.sniff(p):
            return fmt.name
    known = ", ".join(f"{f.name} ({f.description})" for f in _FORMATS.values())
    msg = f"not a plate-reader export this version can read; known formats: {known}"
    raise InputFormatError(msg, path=p)


def read_plate(path: str | Path, *, format: str | None = None) -> PlateRead:
    """Read a plate-reader export into a tidy table.

    Parameters
    ----------
    path
        The export file.
    format
        A registered format name; default: sniffed from the file.

    Returns
    -------
    PlateRead
        ``table`` has one row per plate, read, well (and time for kinetic reads):
        ``plate, read, well, row, column, value, time_s``.

    Notes
    -----
    Readers only parse: no blank subtraction, no rounding. Values equal those the instrument
    software shows in the file. R equivalent: none in one call (``plater::read_plate`` reads
    the plain grid layout).
    """
    p = Path(path)
    name = format or sniff_format(p)
    try:
        fmt = _FORMATS[name]
    except KeyError:
        msg = f"unknown plate format {name!r}; expected one of {', '.join(_FORMATS)}"
        raise ValueError(msg) from None
    if not p.is_file():
        raise missing_file(p, "file")
    return fmt.read(p)
