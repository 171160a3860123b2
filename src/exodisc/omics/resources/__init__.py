"""Annotation resources: gene sets, GO, identifier maps; versioned, checksummed, cached, offline."""

from exodisc.omics.resources._genes import (
    RNA_CLASSES,
    IdMapping,
    classify_rna,
    detect_id_type,
    map_ids,
    read_gene_annotation,
    strip_version,
)
from exodisc.omics.resources._genesets import GeneSets
from exodisc.omics.resources._load import file_record, load_gene_sets
from exodisc.omics.resources._manager import (
    CATALOGUE,
    Resource,
    ResourceRecord,
    cache_dir,
    fetch,
    import_file,
    list_resources,
    locate,
    sha256sum,
)
from exodisc.omics.resources._readers import (
    GOGraph,
    GOTerm,
    go_gene_sets,
    guess_id_type,
    read_gaf,
    read_gene_list,
    read_gmt,
    read_go_table,
    read_obo,
    read_two_column,
)

__all__ = [
    "CATALOGUE",
    "RNA_CLASSES",
    "GOGraph",
    "GOTerm",
    "GeneSets",
    "IdMapping",
    "Resource",
    "ResourceRecord",
    "cache_dir",
    "classify_rna",
    "detect_id_type",
    "fetch",
    "file_record",
    "go_gene_sets",
    "guess_id_type",
    "import_file",
    "list_resources",
    "load_gene_sets",
    "locate",
    "map_ids",
    "read_gaf",
    "read_gene_annotation",
    "read_gene_list",
    "read_gmt",
    "read_go_table",
    "read_obo",
    "read_two_column",
    "sha256sum",
    "strip_version",
]
