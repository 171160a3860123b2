"""Plotting: result or DataFrame [+ ax] in, Figure out; nothing here saves files."""

from exodisc.pl._bars import group_bars
from exodisc.pl._cerna import (
    NODE_COLORS,
    cerna_network,
    network_layout,
    network_plot_data,
    network_subset,
    ordered_subgraph,
)
from exodisc.pl._de import de_heatmap, ma_plot, pca_samples, sample_distances, volcano
from exodisc.pl._disc import (
    disc_dose,
    disc_endplate_curves,
    disc_map_data,
    disc_maps,
    disc_viability,
)
from exodisc.pl._enrichment import (
    enrichment_bars,
    enrichment_bubble,
    enrichment_plot_data,
    gsea_running_score,
)
from exodisc.pl._flow import density_table, flow_histograms, flow_quadrants, histogram_table
from exodisc.pl._groups import group_box
from exodisc.pl._knowledge import axes_matrix
from exodisc.pl._plate import timecourse
from exodisc.pl._power import de_found_curve, power_curves
from exodisc.pl._qpcr import qpcr_fold_changes, qpcr_stability
from exodisc.pl._style import STYLE, freeze_layout, log_formatter, new_figure
from exodisc.pl._vesicles import misev_tiles, nta_distribution, nta_overlay
from exodisc.pl._western import qc_data, western_qc

__all__ = [
    "NODE_COLORS",
    "STYLE",
    "axes_matrix",
    "cerna_network",
    "de_found_curve",
    "de_heatmap",
    "density_table",
    "disc_dose",
    "disc_endplate_curves",
    "disc_map_data",
    "disc_maps",
    "disc_viability",
    "enrichment_bars",
    "enrichment_bubble",
    "enrichment_plot_data",
    "flow_histograms",
    "flow_quadrants",
    "freeze_layout",
    "group_bars",
    "group_box",
    "gsea_running_score",
    "histogram_table",
    "log_formatter",
    "ma_plot",
    "misev_tiles",
    "network_layout",
    "network_plot_data",
    "network_subset",
    "new_figure",
    "nta_distribution",
    "nta_overlay",
    "ordered_subgraph",
    "pca_samples",
    "power_curves",
    "qc_data",
    "qpcr_fold_changes",
    "qpcr_stability",
    "sample_distances",
    "timecourse",
    "volcano",
    "western_qc",
]
