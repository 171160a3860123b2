"""Demo part: GO / Reactome enrichment of the demo's DE mRNAs on the shipped real gene sets.

The genes tested are the demo's mRNA differential-expression results (IL-1β + USC-exosomes vs
IL-1β), mapped from their Ensembl-style ids to symbols through the annotation table the DE
simulator writes, as the paper sent its DE mRNAs to DAVID. They are tested against gene sets
shipped inside the package (``exodisc resources list``): ``go_bp`` (GO biological process,
org.Hs.eg.db GOALL) and ``reactome`` (CC0); the section's resources table names their
versions and sha256. KEGG's licence forbids redistribution, so the paper's KEGG pathways are
represented by small abridged sets of real symbols written here (``kegg_demo.gmt``); the full
KEGG sets are one ``exodisc resources fetch msigdb_kegg`` away.
"""

from __future__ import annotations

from typing import Any

from exodisc.demo import ANNOTATION_FILE, KEGG_SETS
from exodisc.registry import DemoContext, register_demo

__all__ = ["GENE_SETS", "simulate"]

#: Label -> shipped resource name (see ``exodisc resources list``).
GENE_SETS = {"GO biological process": "go_bp", "Reactome": "reactome"}


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
    """Write kegg_demo.gmt; GO and Reactome come from the shipped resources."""
    from exodisc.omics.resources import locate

    out = ctx.raw_dir("enrichment")
    (out / "kegg_demo.gmt").write_text(_gmt(KEGG_SETS))
    labels = {}
    for label, name in GENE_SETS.items():
        rec = locate(name)  # a missing or damaged shipped file is an error, never a fallback
        labels[f"{label} ({name} {rec.version.split(';')[0]})"] = name
    return [
        {
            "id": "enrichment",
            "kind": "enrichment",
            "title": "GO, Reactome and KEGG enrichment of differentially expressed mRNAs "
            "(shipped resources: " + ", ".join(labels) + ")",
            "options": {
                "gene_sets": {
                    **labels,
                    "KEGG pathways (abridged demo sets)": "raw/enrichment/kegg_demo.gmt",
                },
                "genes_from": "de",
                "de_assay": "de_mrna",
                "de_comparison": "exo_vs_il1b",
                "id_map": ANNOTATION_FILE,
                "min_size": 5,
                "min_overlap": 2,
                "top": 10,
                # ~120 of the ~1,400 simulated mRNAs carry real gene symbols
                "min_match_rate": 0.05,
            },
        }
    ]
