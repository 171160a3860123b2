"""One registry of input formats for every reader: each format has a sniff() and a read().

Each reader module registers its formats under a *kind* (``plate``, ``qpcr``, ``nta``,
``fcs``, ``western_image``, ``western_table``); :func:`sniff_format` tries a kind's formats
in increasing priority, and the command line lists a kind's formats from here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exodisc.errors import InputFormatError

__all__ = ["Format", "format_kinds", "formats", "read_input", "register_format", "sniff_format"]

#: kind -> (module whose import registers the kind's formats, what such a file is called)
_KINDS: dict[str, tuple[str, str]] = {
    "plate": ("exodisc.io.plate", "a plate-reader export"),
    "qpcr": ("exodisc.io.qpcr", "a qPCR export"),
    "nta": ("exodisc.io.nta", "an NTA export"),
    "fcs": ("exodisc.io.fcs", "an FCS file"),
    "western_image": ("exodisc.io.western", "a blot image"),
    "western_table": ("exodisc.io.western", "a band table"),
}


@dataclass(frozen=True)
class Format:
    """One input format.

    Attributes
    ----------
    name
        Short name used on the command line and in the study file (``gen5``, ``rdml`` …).
    description
        Instrument software and export type.
    sniff
        ``sniff(path) -> bool``: a cheap check of the file's name, first bytes or sheets.
    read
        ``read(path)`` -> the kind's reader result (``PlateRead``, ``QpcrRun`` …).
    priority
        Formats are sniffed in increasing priority; permissive sniffers go last.
    kind
        The kind of input (see :func:`format_kinds`).
    """

    name: str
    description: str
    sniff: Callable[[Path], bool]
    read: Callable[[Path], Any]
    priority: int = 10
    kind: str = "plate"


_FORMATS: dict[str, dict[str, Format]] = {}


def register_format(fmt: Format) -> Format:
    """Add a format to the registry (under ``fmt.kind``).

    Examples
    --------
    >>> from exodisc.io import Format, register_format
    >>> def sniff(path):  # doctest: +SKIP
    ...     return path.read_bytes().startswith(b"##MyReader")
    >>> register_format(Format("myreader", "My reader's CSV", sniff, read_myreader,
    ...                        kind="plate"))  # doctest: +SKIP
    """
    if fmt.kind not in _KINDS:
        msg = f"unknown input kind {fmt.kind!r}; expected one of {', '.join(_KINDS)}"
        raise ValueError(msg)
    _FORMATS.setdefault(fmt.kind, {})[fmt.name] = fmt
    return fmt


def format_kinds() -> list[str]:
    """Every kind of input exodisc reads.

    Examples
    --------
    >>> from exodisc.io import format_kinds
    >>> format_kinds()
    ['plate', 'qpcr', 'nta', 'fcs', 'western_image', 'western_table']
    """
    return list(_KINDS)


def formats(kind: str) -> dict[str, Format]:
    """Every registered format of ``kind`` by name, in sniffing order.

    Examples
    --------
    >>> from exodisc.io import formats
    >>> list(formats("nta"))
    ['nanosight', 'zetaview']
    """
    if kind not in _KINDS:
        msg = f"unknown input kind {kind!r}; expected one of {', '.join(_KINDS)}"
        raise ValueError(msg)
    importlib.import_module(_KINDS[kind][0])  # importing the readers registers them
    found = sorted(_FORMATS.get(kind, {}).values(), key=lambda f: f.priority)
    return {f.name: f for f in found}


def sniff_format(kind: str, path: str | Path) -> str:
    """The name of the ``kind`` format ``path`` is in.

    Raises
    ------
    InputFormatError
        When the file does not exist or no format of ``kind`` recognises it (the message
        lists the known formats).

    Examples
    --------
    >>> from exodisc.io import sniff_format
    >>> sniff_format("qpcr", "wells.csv")  # doctest: +SKIP
    'long_table'
    """
    p = Path(path)
    known = formats(kind)
    if not p.is_file():
        msg = "file not found" if not p.is_dir() else "a folder, where a file was expected"
        raise InputFormatError(msg, path=p)
    for fmt in known.values():
        if fmt.sniff(p):
            return fmt.name
    names = ", ".join(f"{f.name} ({f.description})" for f in known.values())
    msg = f"not {_KINDS[kind][1]} this version can read; known formats: {names}"
    raise InputFormatError(msg, path=p)


def read_input(kind: str, path: str | Path, *, format: str | None = None) -> Any:
    """Read ``path`` with the named format of ``kind`` (default: sniffed).

    Raises
    ------
    ValueError
        For a format name the kind does not have.
    InputFormatError
        When the file is missing or unreadable (naming the file and the place).

    Examples
    --------
    >>> from exodisc.io import read_input
    >>> plate = read_input("plate", "od450.txt")  # doctest: +SKIP
    """
    p = Path(path)
    known = formats(kind)
    name = format or sniff_format(kind, p)
    if name not in known:
        msg = f"unknown {kind} format {name!r}; expected one of {', '.join(known)}"
        raise ValueError(msg)
    if not p.is_file():
        raise InputFormatError("file not found", path=p)
    return known[name].read(p)
