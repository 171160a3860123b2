"""Shared figure style: readable, publication-ready defaults (no global state is changed)."""

from __future__ import annotations

from typing import Any

__all__ = ["STYLE", "freeze_layout", "new_figure"]

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


def freeze_layout(fig: Any) -> None:
    """Keep the axes where the layout engine last put them and remove the engine.

    Without an engine, saving draws the figure once; with Matplotlib's ``"none"`` placeholder
    engine, ``savefig`` first draws it a second time, only to run a layout that does nothing.
    That extra draw is kept where it matters: an arrow to a label (an annotation's, or
    adjustText's patch) is cut at the label's box as the previous draw measured it, so a
    figure with arrows is drawn once more by the renderer that saves it. The rc settings that
    would install a new engine are off meanwhile.
    """
    from matplotlib import rc_context
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.text import Annotation

    arrows = bool(fig.findobj(FancyArrowPatch)) or any(
        a.arrow_patch is not None for a in fig.findobj(Annotation)
    )
    if arrows:
        fig.set_layout_engine("none")
        return
    with rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)
