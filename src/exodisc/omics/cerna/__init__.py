"""ceRNA networks (circRNA / lncRNA – miRNA – mRNA): pair statistics, logic filters, export."""

from exodisc.omics.cerna._io import (
    Harmonized,
    MirnaNames,
    harmonize_mirnas,
    normalize_mirnas,
    read_expression,
    read_mirbase_names,
    read_targets,
)
from exodisc.omics.cerna._network import (
    CernaNetwork,
    build_network,
    de_directions,
    dumps_cytoscape,
    to_cytoscape,
    triplet_correlations,
    write_graphml,
)
from exodisc.omics.cerna._stats import (
    EDGE_COLUMNS,
    PairStats,
    bh_weighted,
    cerna_pairs,
    pearson_one_sided,
    stream_cerna_pairs,
)
from exodisc.omics.cerna._view import network_view_elements, network_view_html

__all__ = [
    "EDGE_COLUMNS",
    "CernaNetwork",
    "Harmonized",
    "MirnaNames",
    "PairStats",
    "bh_weighted",
    "build_network",
    "cerna_pairs",
    "de_directions",
    "dumps_cytoscape",
    "harmonize_mirnas",
    "network_view_elements",
    "network_view_html",
    "normalize_mirnas",
    "pearson_one_sided",
    "read_expression",
    "read_mirbase_names",
    "read_targets",
    "stream_cerna_pairs",
    "to_cytoscape",
    "triplet_correlations",
    "write_graphml",
]
