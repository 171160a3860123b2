"""Differential expression of RNA-seq counts: the DESeq2 method, batched over genes.

``run_de`` reproduces R DESeq2 1.38 (``DESeq()`` + ``results()``) on a samples x features
AnnData; readers turn count tables, featureCounts and HTSeq outputs into that AnnData.
"""

from exodisc.omics.de._deseq2 import DEClassResult, DEResult, run_de
from exodisc.omics.de._design import (
    CoefContrast,
    Contrast,
    ListContrast,
    VectorContrast,
    build_design,
    model_matrix,
    parse_contrast,
)
from exodisc.omics.de._io import (
    counts_to_anndata,
    load_counts,
    read_counts,
    read_htseq,
    read_sample_sheet,
)
from exodisc.omics.de._quant import (
    TxImport,
    read_circexplorer2,
    read_ciriquant,
    read_mirge3,
    read_mirtop,
    read_tx2gene,
    tximport,
)
from exodisc.omics.de._vst import pca_coordinates, vst

__all__ = [
    "CoefContrast",
    "Contrast",
    "DEClassResult",
    "DEResult",
    "ListContrast",
    "TxImport",
    "VectorContrast",
    "build_design",
    "counts_to_anndata",
    "load_counts",
    "model_matrix",
    "parse_contrast",
    "pca_coordinates",
    "read_circexplorer2",
    "read_ciriquant",
    "read_counts",
    "read_htseq",
    "read_mirge3",
    "read_mirtop",
    "read_sample_sheet",
    "read_tx2gene",
    "run_de",
    "tximport",
    "vst",
]
