"""Shared figure style: readable, publication-ready defaults (no global state is changed)."""

from __future__ import annotations

from typing import Any

__all__ = ["STYLE", "new_figure"]

STYLE: dict[Any, Any] = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "exodisc",
    "figure.dpi": 100,
}


def new_figure(width: float = 3.5, height: float = 3.0) -> Any:
    """A new Figure (not registered with pyplot, so nothing leaks between calls)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with rc_context(STYLE):
        fig = Figure(figsize=(width, height), layout="constrained")
    return fig
