"""The plate-export formats: kind ``plate`` of the io format registry (:mod:`exodisc.io`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from exodisc.io._registry import Format, read_input
from exodisc.io._registry import formats as _formats_of
from exodisc.io._registry import register_format as _register
from exodisc.io._registry import sniff_format as _sniff
from exodisc.io.plate._common import PlateRead

__all__ = ["PlateFormat", "formats", "read_plate", "register_format", "sniff_format"]


@dataclass(frozen=True)
class PlateFormat(Format):
    """One plate-reader export format (see :class:`exodisc.io.Format`); ``read`` gives a
    :class:`PlateRead`."""

    kind: str = "plate"


def register_format(fmt: PlateFormat) -> PlateFormat:
    """Add a plate format to the registry."""
    _register(fmt)
    return fmt


def formats() -> dict[str, Format]:
    """Every registered plate format by name, in sniffing order.

    Examples
    --------
    >>> from exodisc.io.plate import formats
    >>> list(formats())
    ['gen5', 'magellan', 'skanit', 'softmax', 'icontrol', 'grid']
    """
    return _formats_of("plate")


def sniff_format(path: str | Path) -> str:
    """The name of the plate format ``path`` is in.

    Raises
    ------
    InputFormatError
        When the file does not exist or no format recognises it.

    Examples
    --------
    >>> from exodisc.io.plate import sniff_format
    >>> sniff_format("od450.txt")  # doctest: +SKIP
    'gen5'
    """
    return _sniff("plate", path)


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

    Examples
    --------
    >>> from exodisc.io.plate import read_plate
    >>> plate = read_plate("od450.txt")  # doctest: +SKIP
    >>> plate.table.head()  # doctest: +SKIP
    """
    result: PlateRead = read_input("plate", path, format=format)
    return result
