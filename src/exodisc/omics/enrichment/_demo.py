"""Demo part: a small GO / KEGG gene-set pair and a DE gene list, in real GMT / list formats.

The gene sets hold real gene symbols of the pathways the paper reports (IL-17, TNF,
Toll-like receptor, NF-κB and Notch signalling, apoptosis, ECM) but are abridged for the
demo, and the gene list is simulated: inflammatory genes are drawn more often, as after IL-1β.
"""

from __future__ import annotations

from typing import Any

from exodisc.registry import DemoContext, register_demo

__all__ = ["simulate"]

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

_GO = [
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
_KEGG = [
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
_UP = set(_INFLAM + _TLR + _IL17 + _NOTCH[:5] + ["TNFRSF1A", "TRADD", "IL1R1"])


def _gmt(sets: list[tuple[str, list[str]]]) -> str:
    return "".join("\t".join([name, "", *dict.fromkeys(genes)]) + "\n" for name, genes in sets)


@register_demo("enrichment", order=80)
def simulate(ctx: DemoContext) -> list[dict[str, Any]]:
    """Write go_bp.gmt, kegg.gmt, a DE gene list and its background (the tested genes)."""
    rng = ctx.rng("enrichment")
    out = ctx.raw_dir("enrichment")
    (out / "go_bp_demo.gmt").write_text(_gmt(_GO))
    (out / "kegg_demo.gmt").write_text(_gmt(_KEGG))
    annotated = sorted({g for _, genes in _GO + _KEGG for g in genes})
    filler = [f"DEMO{i:04d}" for i in range(1, 301)]  # tested genes outside every set
    background = annotated + filler
    p = [0.75 if g in _UP else (0.05 if g.startswith("DEMO") else 0.08) for g in background]
    picked = [g for g, pi in zip(background, p, strict=True) if rng.random() < pi]
    (out / "de_genes_il1b_vs_exo.txt").write_text(
        "# simulated DE genes (IL-1β vs IL-1β + USC-exosomes), one per line\n"
        + "\n".join(picked)
        + "\n"
    )
    (out / "tested_genes.txt").write_text("\n".join(background) + "\n")
    return [
        {
            "id": "enrichment",
            "kind": "enrichment",
            "title": "GO and KEGG enrichment of differentially expressed genes",
            "files": ["raw/enrichment/de_genes_il1b_vs_exo.txt"],
            "options": {
                "gene_sets": {
                    "GO biological process": "raw/enrichment/go_bp_demo.gmt",
                    "KEGG pathways": "raw/enrichment/kegg_demo.gmt",
                },
                "background": "raw/enrichment/tested_genes.txt",
                "min_size": 5,
                "min_overlap": 2,
                "top": 10,
            },
        }
    ]
