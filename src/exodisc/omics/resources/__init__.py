"""Annotation resources: gene sets, GO, identifier maps; versioned, checksummed, cached, offline."""

from exodisc.omics.resources._genesets import GeneSets
from exodisc.omics.resources._readers import (
    GOGraph,
    GOTerm,
    go_gene_sets,
    guess_id_type,
    read_gaf,
    read_gmt,
    read_go_table,
    read_obo,
    read_two_column,
)

__all__ = [
    "GOGraph",
    "GOTerm",
    "GeneSets",
    "go_gene_sets",
    "guess_id_type",
    "read_gaf",
    "read_gmt",
    "read_go_table",
    "read_obo",
    "read_two_column",
]
