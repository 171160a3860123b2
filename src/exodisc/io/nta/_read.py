"""Format sniffing for NTA exports."""

from __future__ import annotations

from pathlib import Path

from exodisc.errors import InputFormatError
from exodisc.io._registry import Format, formats, register_format
from exodisc.io.nta._model import NtaMeasurement
from exodisc.io.nta._nanosight import read_nanosight, sniff_nanosight
from exodisc.io.nta._zetaview import read_zetaview, sniff_zetaview

__all__ = ["read_nta"]


def read_nta(path: str | Path) -> NtaMeasurement:
    """Read a NanoSight ExperimentSummary or a ZetaView size export, whichever it is.

    Parameters
    ----------
    path
        The export.

    Returns
    -------
    NtaMeasurement

    Raises
    ------
    InputFormatError
        The file is neither (the message says what the first line should be).

    Notes
    -----
    The format is told from the first line, never from the file name.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFormatError("file not found", path=path)
    for fmt in formats("nta").values():
        if fmt.sniff(path):
            result: NtaMeasurement = fmt.read(path)
            return result
    msg = (
        "not a recognised NTA export: expected a NanoSight 'NTA Experiment Summary File' CSV "
        "or a ZetaView size export starting 'Original File:'"
    )
    raise InputFormatError(msg, path=path, where="line 1")


register_format(
    Format(
        "nanosight",
        "Malvern NanoSight NTA ExperimentSummary CSV",
        sniff_nanosight,
        read_nanosight,
        kind="nta",
    )
)
register_format(
    Format(
        "zetaview",
        "Particle Metrix ZetaView size distribution export",
        sniff_zetaview,
        read_zetaview,
        priority=20,
        kind="nta",
    )
)
