"""The report: an explicit object analyses add sections to, and the only writer of outputs."""

from exodisc.report._report import FigureItem, MethodUse, Report, Section, TableItem

__all__ = ["FigureItem", "MethodUse", "Report", "Section", "TableItem"]
