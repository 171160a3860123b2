"""The plain-text log-axis formatter (a module of its own: it imports Matplotlib, which
:mod:`exodisc.pl._style` does only when called; a module-level class keeps figures picklable)."""

from __future__ import annotations

from matplotlib.ticker import LogFormatterSciNotation

from exodisc.pl._style import plain_sci

__all__ = ["PlainLogFormatter"]


class PlainLogFormatter(LogFormatterSciNotation):
    """``LogFormatterSciNotation``'s labels as plain text (:func:`exodisc.pl.log_formatter`)."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return plain_sci(super().__call__(x, pos))
