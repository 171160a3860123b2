"""``kind: knowledge`` — the report section "Known therapeutic axes in this study"."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from exodisc.registry import AssayContext, register_assay

__all__ = ["KnowledgeOptions", "run"]


class KnowledgeOptions(BaseModel):
    """Options of the knowledge cross-link.

    ``contrast``: ``"test vs reference"`` (group ids) of the DE tables given as ``files``.
    ``alpha``: adjusted-P threshold for calling a direction (default: the study's alpha).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    contrast: str = ""
    alpha: float | None = None


@register_assay(
    "knowledge",
    title="Known therapeutic axes in this study",
    options=KnowledgeOptions,
    description="Reads the study's DE / qPCR / enrichment / ceRNA results against the review.",
    consumes=("de_table", "enrichment", "cerna_network", "flow_tables", "group_comparisons"),
)
def run(ctx: AssayContext) -> Any:
    """Cross-link every earlier result (and declared DE tables) with the curated knowledge."""
    from exodisc.knowledge._crosslink import collect_tables, crosslink
    from exodisc.knowledge._data import load_knowledge
    from exodisc.knowledge._tables import read_result_table
    from exodisc.pl import axes_matrix

    opts: KnowledgeOptions = ctx.options
    ctx.step("reading results against curated knowledge")
    tables = collect_tables(ctx.results)
    for path in ctx.files:
        tables[f"{ctx.assay.id}.{path.name}"] = read_result_table(path, contrast=opts.contrast)
    alpha = opts.alpha if opts.alpha is not None else ctx.study.thresholds.alpha
    roles = {g.id: g.role for g in ctx.study.groups}
    kb = load_knowledge()
    result = crosslink(tables, roles=roles, alpha=alpha, kb=kb)

    sec = ctx.report.add_section(
        ctx.assay.id, ctx.assay.title or "Known therapeutic axes in this study"
    )
    axes = result.axes
    if axes.empty:
        sec.add_text(
            "None of the review's exosomal RNAs, their targets or the seed study's marker genes "
            f"were found in the {len(tables)} result table(s) of this study."
        )
    else:
        n_yes = int((axes["agrees"] == "yes").sum())
        n_no = int((axes["agrees"] == "no").sum())
        sec.add_text(
            f"{axes['entry_id'].nunique()} curated axes were found in this study's results "
            f"({len(axes)} observations): {n_yes} in the direction expected for a therapeutic "
            f"effect, {n_no} against it; the rest were not significant or had no stated "
            "expectation."
        )
        sec.add_figure(
            "knowledge_axes_matrix",
            axes_matrix(axes),
            axes[
                [
                    "axis",
                    "feature",
                    "role",
                    "source_table",
                    "contrast",
                    "observed_direction",
                    "agrees",
                ]
            ],
            caption=(
                "Curated therapeutic axes (rows) by contrast (columns): red up, blue down, grey "
                "not significant; ✓ / ✗ agreement with the direction expected for a therapy."
            ),
        )
        sec.add_table(
            "knowledge_axes",
            axes,
            caption="Curated RNAs, targets and seed-study genes observed in this study.",
        )
    if not result.pathways.empty:
        sec.add_table(
            "knowledge_pathways",
            result.pathways,
            caption=(
                "Seed-study pathways (IL-17, TNF, Toll-like receptor, NF-κB, Notch) found in "
                "this study's enrichment results."
            ),
        )
    sec.add_table("knowledge_scanned", result.scanned, caption="Result tables read.", show=False)
    sec.add_method(
        "knowledge.crosslink",
        n_tables=len(tables),
        version=kb.version,
        n_rna=len(kb.cargo),
        alpha=alpha,
    )
    return result
