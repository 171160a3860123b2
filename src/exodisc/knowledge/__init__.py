"""Curated knowledge from the literature: exosomal RNA cargo, therapy strategies, seed findings.

The data are versioned files inside the package (``data/manifest.yaml`` holds the schema);
:func:`search` queries them and :func:`crosslink` reads a study's own results against them.
"""

from exodisc.knowledge._crosslink import CrossLinkResult, collect_tables, crosslink
from exodisc.knowledge._data import KnowledgeBase, load_knowledge
from exodisc.knowledge._search import HIT_COLUMNS, normalise_rna, search

__all__ = [
    "HIT_COLUMNS",
    "CrossLinkResult",
    "KnowledgeBase",
    "collect_tables",
    "crosslink",
    "load_knowledge",
    "normalise_rna",
    "search",
]
