"""Shared figure style: readable, publication-ready defaults (no global state is changed)."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["STYLE", "freeze_layout", "log_formatter", "new_figure"]

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

    arrows = bool(
        fig.findobj(
            lambda a: (
                isinstance(a, FancyArrowPatch)
                or (isinstance(a, Annotation) and a.arrow_patch is not None)
            )
        )
    )
    if arrows:
        fig.set_layout_engine("none")
        return
    with rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_SCI = re.compile(r"\$\\mathdefault\{(?:(\d+(?:\.\d+)?)\\times)?10\^\{(-?\d+)\}\}\$")


def plain_sci(label: str) -> str:
    """A log-axis tick label as plain text: ``$\\mathdefault{4\\times10^{-1}}$`` -> ``4×10⁻¹``.

    Labels of another shape are returned unchanged.
    """
    m = _SCI.fullmatch(label)
    if m is None:
        return label
    mantissa, exponent = m.groups()
    return (f"{mantissa}×" if mantissa else "") + "10" + exponent.translate(_SUPERSCRIPT)


def log_formatter(*, minor: bool = False) -> Any:
    """Matplotlib's log-axis formatter (same ticks labelled) writing plain text, not mathtext.

    ``LogFormatterSciNotation`` labels ``10^{-3}`` in mathtext, which every renderer parses
    again (pyparsing: ~10 ms a label, 350 labels in the example study's figures); DejaVu
    Sans has the superscript digits, so ``10⁻³`` reads the same, and stays one editable text
    in the SVG. ``minor``: the minor-tick formatter (labels between decades when the axis
    spans few of them).
    """
    from exodisc.pl._logticks import PlainLogFormatter

    return PlainLogFormatter(labelOnlyBase=not minor)
