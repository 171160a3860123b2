"""Demo part: small GO / KEGG gene-set files (real GMT format) for the DE results of the demo.

The gene sets hold real gene symbols of the pathways the paper reports (IL-17, TNF,
Toll-like receptor, NF-κB and Notch signalling, apoptosis, ECM), abridged for the demo (see
:mod:`exodisc.demo._genes`). The genes tested are the demo's mRNA differential-expression
results (IL-1β + USC-exosomes vs IL-1β), mapped from their Ensembl-style ids to symbols through
the annotation table the DE simulator writes, as the paper sent its DE mRNAs to DAVID.
"""

from __future__ import annotations

from typing import Any

from exodisc.demo._genes import ANNOTATION_FILE, GO_SETS, KEGG_SETS
from exodisc.registry import DemoContext, register_demo

__all__ = ["simulate"]


def _gmt(sets: list[tuple[str, list[str]]]) -> str:
    """GMT lines: the set name, its description (the name without the GO / KEGG id), genes."""
    return "".join(
        "\t".join([name, _description(name), *dict.fromkeys(genes)]) + "\n" for name, genes in sets
    )


def _description(name: str) -> str:
    """``'inflammatory response (GO:0006954)'`` -> ``'inflammatory response'``; KEGG alike."""
    import re

    return re.sub(r"\s*(\(GO:\d+\)|hsa\d+)$", "", name)


@register_demo("enrichment", order=80)
def simulate(ctx: DemoContext) -> list[dict[str, Any]]:
    """Write go_bp_demo.gmt and kegg_demo.gmt; the genes come from the mRNA DE assay."""
    out = ctx.raw_dir("enrichment")
    (out / "go_bp_demo.gmt").write_text(_gmt(GO_SETS))
    (out / "kegg_demo.gmt").write_text(_gmt(KEGG_SETS))
    return [
        {
            "id": "enrichment",
            "kind": "enrichment",
            "title": "GO and KEGG enrichment of differentially expressed mRNAs",
            "options": {
                "gene_sets": {
                    "GO biological process": "raw/enrichment/go_bp_demo.gmt",
                    "KEGG pathways": "raw/enrichment/kegg_demo.gmt",
                },
                "genes_from": "de",
                "de_assay": "de_mrna",
                "de_comparison": "exo_vs_il1b",
                "id_map": ANNOTATION_FILE,
                "min_size": 5,
                "min_overlap": 2,
                "top": 10,
                # the demo's abridged sets cover ~120 of ~1,400 tested mRNAs
                "min_match_rate": 0.05,
            },
        }
    ]
