"""Canonical column names of the tables that cross module boundaries."""

from __future__ import annotations

from types import SimpleNamespace

__all__ = ["COLUMNS"]

#: One spelling per quantity. DE tables: ``feature_id``, ``log2_fold_change``, ``p_value``,
#: ``padj``; group tables: ``sample``, ``group``, ``donor``, ``replicate``; pairs of a group
#: comparison: ``group1`` (tested), ``group2`` (reference), ``p_value``, ``p_adj``, ``mark``.
COLUMNS = SimpleNamespace(
    sample="sample",
    group="group",
    donor="donor",
    replicate="replicate",
    feature="feature_id",
    log2_fc="log2_fold_change",
    p_value="p_value",
    padj="padj",
    p_adj="p_adj",
    group1="group1",
    group2="group2",
    mark="mark",
)
