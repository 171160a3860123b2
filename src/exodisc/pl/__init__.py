"""Plotting: result or DataFrame [+ ax] in, Figure out; nothing here saves files."""

from exodisc.pl._bars import group_bars
from exodisc.pl._enrichment import (
    enrichment_bars,
    enrichment_bubble,
    enrichment_plot_data,
    gsea_running_score,
)
from exodisc.pl._flow import flow_histograms, flow_quadrants
from exodisc.pl._plate import timecourse
from exodisc.pl._style import STYLE, new_figure

__all__ = [
    "STYLE",
    "enrichment_bars",
    "enrichment_bubble",
    "enrichment_plot_data",
    "flow_histograms",
    "flow_quadrants",
    "group_bars",
    "gsea_running_score",
    "new_figure",
    "timecourse",
]
