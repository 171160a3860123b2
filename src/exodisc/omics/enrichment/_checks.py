"""What ``exodisc run`` of an ``enrichment`` assay would refuse, from the study file alone.

``exodisc validate`` (and ``exodisc run`` before any analysis) runs these: the DE assay it
takes genes from exists (``options.de_assay`` names a DE assay of the study), the comparison
it names is one the study tests, and the option files exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from exodisc.registry import register_check

if TYPE_CHECKING:
    from exodisc.config import Study

__all__ = ["check_enrichment"]


@register_check("enrichment")
def check_enrichment(study: Study, assay: Any, opts: Any) -> list[tuple[str, str]]:
    """DE source and comparison, gene-list and option files."""
    from exodisc.registry import assay_kinds, option_file_problems

    out = option_file_problems(study, opts, ("background", "obo", "id_map"))
    kinds = assay_kinds()
    de_assays = [
        a for a in study.assays if a.kind in kinds and "de_table" in kinds[a.kind].produces
    ]
    ids = [a.id for a in de_assays]
    all_ids = [a.id for a in study.assays if a.id != assay.id]
    if opts.de_assay is not None and opts.de_assay not in all_ids:
        msg = (
            f"assay {assay.id!r}: options.de_assay is {opts.de_assay!r}, but no assay of the "
            f"study has that id (DE assays: {', '.join(ids) or 'none'})"
        )
        out.append(("options.de_assay", msg))
    if opts.genes_from == "auto" and not de_assays and not assay.files:
        msg = (
            f"assay {assay.id!r}: no DE result to take genes from and no gene-list file "
            "in 'files' (one gene per line)"
        )
        out.append(("files", msg))
    if opts.genes_from == "file" and not assay.files:
        msg = f"assay {assay.id!r}: genes_from is 'file' but 'files' lists no gene-list file"
        out.append(("files", msg))
    if opts.de_comparison is not None and opts.genes_from != "file":
        keys = [f"{c.test}_vs_{c.reference}" for c in study.comparisons_or_all_pairs()]
        for a in de_assays:
            keys += [f"coef_{n}" for n in (a.options or {}).get("coefficients", []) or []]
        if opts.de_comparison not in keys:
            msg = (
                f"assay {assay.id!r}: options.de_comparison is {opts.de_comparison!r}, but the "
                f"study's DE assays test {', '.join(dict.fromkeys(keys)) or 'nothing'}"
            )
            out.append(("options.de_comparison", msg))
    return out
