"""qPCR export readers: QuantStudio / 7500 / StepOne, Design & Analysis, CFX, RDML, long table."""

from exodisc.io.qpcr._read import QpcrFormat, read_qpcr, sniff_qpcr
from exodisc.io.qpcr._table import COLUMNS, QpcrRun

__all__ = ["COLUMNS", "QpcrFormat", "QpcrRun", "read_qpcr", "sniff_qpcr"]
