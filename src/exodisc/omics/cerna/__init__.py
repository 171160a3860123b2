"""ceRNA networks (circRNA / lncRNA – miRNA – mRNA): pair statistics, logic filters, export."""

from exodisc.omics.cerna._io import (
    MirnaNames,
    normalize_mirnas,
    read_expression,
    read_mirbase_names,
    read_targets,
)
from exodisc.omics.cerna._stats import (
    EDGE_COLUMNS,
    PairStats,
    bh_weighted,
    cerna_pairs,
    pearson_one_sided,
)

__all__ = [
    "EDGE_COLUMNS",
    "MirnaNames",
    "PairStats",
    "bh_weighted",
    "cerna_pairs",
    "normalize_mirnas",
    "pearson_one_sided",
    "read_expression",
    "read_mirbase_names",
    "read_targets",
]
