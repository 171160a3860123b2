"""Functional enrichment: over-representation (hypergeometric, Fisher, EASE) and preranked GSEA."""

from exodisc.omics.enrichment._ora import ORA_COLUMNS, OraResult, adjust_bh, ora, ora_pvalues

__all__ = ["ORA_COLUMNS", "OraResult", "adjust_bh", "ora", "ora_pvalues"]
