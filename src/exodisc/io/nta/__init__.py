"""Readers of nanoparticle-tracking (NTA) exports: NanoSight NTA 3.x and ZetaView."""

from exodisc.io.nta._model import VIDEO_COLUMNS, NtaMeasurement
from exodisc.io.nta._nanosight import read_nanosight, sniff_nanosight
from exodisc.io.nta._read import read_nta
from exodisc.io.nta._zetaview import read_zetaview, sniff_zetaview

__all__ = [
    "VIDEO_COLUMNS",
    "NtaMeasurement",
    "read_nanosight",
    "read_nta",
    "read_zetaview",
    "sniff_nanosight",
    "sniff_zetaview",
]
