"""qPCR export readers: QuantStudio / 7500 / StepOne, Design & Analysis, CFX, RDML, long table."""

from exodisc.io.qpcr._read import QpcrFormat, read_qpcr, sniff_qpcr
from exodisc.io.qpcr._table import COLUMNS, QpcrRun
from exodisc.io.qpcr._vendor import STATED_CONFIDENCE_KEY, stated_confidence

__all__ = [
    "COLUMNS",
    "STATED_CONFIDENCE_KEY",
    "QpcrFormat",
    "QpcrRun",
    "read_qpcr",
    "sniff_qpcr",
    "stated_confidence",
]
