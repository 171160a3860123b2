"""Plotting: result or DataFrame [+ ax] in, Figure out; nothing here saves files."""

from exodisc.pl._bars import group_bars
from exodisc.pl._de import de_heatmap, ma_plot, pca_samples, sample_distances, volcano
from exodisc.pl._flow import flow_histograms, flow_quadrants
from exodisc.pl._plate import timecourse
from exodisc.pl._style import STYLE, new_figure

__all__ = [
    "STYLE",
    "de_heatmap",
    "flow_histograms",
    "flow_quadrants",
    "group_bars",
    "ma_plot",
    "new_figure",
    "pca_samples",
    "sample_distances",
    "timecourse",
    "volcano",
]
