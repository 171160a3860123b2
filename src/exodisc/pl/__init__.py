"""Plotting: result or DataFrame [+ ax] in, Figure out; nothing here saves files."""

from exodisc.pl._bars import group_bars
from exodisc.pl._flow import flow_histograms, flow_quadrants
from exodisc.pl._groups import group_box
from exodisc.pl._plate import timecourse
from exodisc.pl._style import STYLE, new_figure

__all__ = [
    "STYLE",
    "flow_histograms",
    "flow_quadrants",
    "group_bars",
    "group_box",
    "new_figure",
    "timecourse",
]
