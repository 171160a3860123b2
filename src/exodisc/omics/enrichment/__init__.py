"""Functional enrichment: over-representation (hypergeometric, Fisher, EASE) and preranked GSEA."""

from exodisc.omics.enrichment._gsea import GSEA_COLUMNS, GseaResult, gsea, running_score
from exodisc.omics.enrichment._ora import ORA_COLUMNS, OraResult, adjust_bh, ora, ora_pvalues
from exodisc.omics.enrichment._redundancy import kappa_clusters, kappa_matrix, simplify_go

__all__ = [
    "GSEA_COLUMNS",
    "ORA_COLUMNS",
    "GseaResult",
    "OraResult",
    "adjust_bh",
    "gsea",
    "kappa_clusters",
    "kappa_matrix",
    "ora",
    "ora_pvalues",
    "running_score",
    "simplify_go",
]
