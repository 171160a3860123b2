"""The example study's gene universe: real symbols of the pathways the seed study reports.

Shared by the demo simulators that must agree on genes: the DE simulator gives these genes
(behind simulated Ensembl-style ids, with an annotation table) the IL-1β effects, and the
enrichment simulator writes the GO / KEGG gene-set files they are tested against. The sets are
abridged for the demo; the effects follow the paper (inflammatory, TNF, IL-17, Toll-like
receptor and Notch genes up with IL-1β; SOX9, COL2A1, ACAN and other matrix genes down).
"""

from __future__ import annotations

__all__ = [
    "ANNOTATION_FILE",
    "GO_SETS",
    "IL1B_DOWN",
    "IL1B_UP",
    "KEGG_SETS",
    "annotated_genes",
]

# where the DE simulator writes the id -> symbol table, relative to the study folder
ANNOTATION_FILE = "raw/rnaseq/mrna_annotation.tsv"

_INFLAM = [
    "IL1B",
    "IL6",
    "CXCL8",
    "CXCL1",
    "CXCL2",
    "CCL2",
    "CCL20",
    "PTGS2",
    "TNF",
    "NFKBIA",
    "NFKB1",
    "RELA",
    "MMP3",
    "MMP13",
    "LCN2",
]
_TLR = ["TLR2", "TLR4", "MYD88", "IRAK1", "IRAK4", "TRAF6", "TICAM1", "CD14", "LY96", "TIRAP"]
_IL17 = [
    "IL17A",
    "IL17RA",
    "IL17RC",
    "TRAF3IP2",
    "ACT1",
    "CEBPB",
    "FOSB",
    "FOS",
    "JUN",
    "S100A8",
    "S100A9",
    "DEFB4A",
]
_NOTCH = ["NOTCH1", "NOTCH2", "JAG1", "DLL1", "HES1", "HEY1", "RBPJ", "MAML1", "ADAM17", "PSEN1"]
_APOP = [
    "BAX",
    "BCL2",
    "BCL2L1",
    "CASP3",
    "CASP8",
    "CASP9",
    "CYCS",
    "APAF1",
    "BID",
    "FAS",
    "FASLG",
    "TP53",
    "XIAP",
    "BIRC3",
]
_ECM = [
    "ACAN",
    "COL2A1",
    "COL1A1",
    "COL1A2",
    "SOX9",
    "COMP",
    "HAPLN1",
    "FN1",
    "LAMA1",
    "ITGA5",
    "ITGB1",
    "SDC1",
    "CD44",
]
_OXPHOS = [
    "NDUFA1",
    "NDUFA2",
    "NDUFB3",
    "SDHA",
    "SDHB",
    "UQCRC1",
    "UQCRC2",
    "COX4I1",
    "COX5A",
    "ATP5F1A",
    "ATP5F1B",
]
_RIBO = [
    "RPL3",
    "RPL4",
    "RPL5",
    "RPL7",
    "RPS3",
    "RPS6",
    "RPS8",
    "RPS11",
    "RPL13",
    "RPL23",
    "RPS19",
    "RPL10",
]
_CYCLE = [
    "CDK1",
    "CDK2",
    "CDK4",
    "CCNA2",
    "CCNB1",
    "CCND1",
    "CCNE1",
    "E2F1",
    "RB1",
    "CDKN1A",
    "MCM2",
    "MCM3",
    "PCNA",
]

GO_SETS = [
    ("inflammatory response (GO:0006954)", _INFLAM + _TLR[:4]),
    ("cellular response to interleukin-1 (GO:0071347)", [*_INFLAM[:10], "IL1R1", "IRAK1"]),
    ("response to tumor necrosis factor (GO:0034612)", [*_INFLAM[4:], "TNFRSF1A", "TRADD"]),
    ("toll-like receptor signaling pathway (GO:0002224)", [*_TLR, "NFKB1", "RELA"]),
    ("Notch signaling pathway (GO:0007219)", _NOTCH),
    ("apoptotic process (GO:0006915)", _APOP),
    ("extracellular matrix organization (GO:0030198)", _ECM),
    ("mitochondrial electron transport (GO:0006120)", _OXPHOS),
    ("cytoplasmic translation (GO:0002181)", _RIBO),
    ("G1/S transition of mitotic cell cycle (GO:0000082)", _CYCLE),
]
KEGG_SETS = [
    ("IL-17 signaling pathway hsa04657", _IL17 + _INFLAM[:9]),
    ("TNF signaling pathway hsa04668", [*_INFLAM[4:], "TNFRSF1A", "TRADD", "CASP8", "FOS", "JUN"]),
    ("Toll-like receptor signaling pathway hsa04620", [*_TLR, "IL1B", "IL6", "TNF", "CXCL8"]),
    (
        "NF-kappa B signaling pathway hsa04064",
        [
            "NFKB1",
            "RELA",
            "NFKBIA",
            "TRAF6",
            "BIRC3",
            "CXCL8",
            "PTGS2",
            "IL1B",
            "TNF",
            "CD14",
            "LY96",
        ],
    ),
    ("Notch signaling pathway hsa04330", _NOTCH),
    ("Apoptosis hsa04210", _APOP),
    ("ECM-receptor interaction hsa04512", [*_ECM[4:], "COL4A1", "COL6A1"]),
    ("Oxidative phosphorylation hsa00190", _OXPHOS),
    ("Ribosome hsa03010", _RIBO),
    ("Cell cycle hsa04110", _CYCLE),
]
IL1B_UP = set(_INFLAM + _TLR + _IL17 + _NOTCH[:5] + ["TNFRSF1A", "TRADD", "IL1R1"])


IL1B_DOWN = {"SOX9", "COL2A1", "ACAN", "COMP", "HAPLN1", "COL1A2"}


def annotated_genes() -> list[str]:
    """Every gene of the demo's GO and KEGG sets, sorted.

    Examples
    --------
    >>> from exodisc.demo import annotated_genes
    >>> genes = annotated_genes()
    >>> genes[:3], "SOX9" in genes
    (['ACAN', 'ACT1', 'ADAM17'], True)
    """
    return sorted({g for _, genes in GO_SETS + KEGG_SETS for g in genes})
