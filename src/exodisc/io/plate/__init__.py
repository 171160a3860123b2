"""Plate-reader exports -> tidy tables (one module per export format, each sniffable).

Formats: BioTek Gen5 text (``gen5``), SoftMax Pro text (``softmax``), Thermo SkanIt xlsx
(``skanit``), Tecan Magellan xlsx (``magellan``), Tecan i-control xlsx (``icontrol``), plain
grid CSV/TSV/XLSX (``grid``).
Importing the reader modules registers them.
"""

from exodisc.io.plate import _gen5, _grid, _icontrol, _magellan, _skanit, _softmax  # noqa: F401
from exodisc.io.plate._cells import is_xlsx
from exodisc.io.plate._common import COLUMNS, PlateRead, SourceInfo
from exodisc.io.plate._layout import read_layout
from exodisc.io.plate._registry import PlateFormat, formats, read_plate, sniff_format

__all__ = [
    "COLUMNS",
    "PlateFormat",
    "PlateRead",
    "SourceInfo",
    "formats",
    "is_xlsx",
    "read_layout",
    "read_plate",
    "sniff_format",
]
