"""Putting a group comparison into a report section."""

from __future__ import annotations

from typing import TYPE_CHECKING

from exodisc.stats._compare import ComparisonResult

if TYPE_CHECKING:
    from exodisc.config import Study
    from exodisc.report import Section

__all__ = ["add_comparison_to_section", "legend_sentence"]

_ERROR_WORDS = {"sd": "SD", "sem": "SEM", "ci95": "95% CI"}


def legend_sentence(result: ComparisonResult, study: Study, *, error: str = "sd") -> str:
    """The figure-legend sentence: error bars, n, test and what each mark means."""
    n = result.descriptives["n"]
    n_text = str(int(n.iloc[0])) if n.nunique() == 1 else f"{int(n.min())}–{int(n.max())}"
    parts = [
        f"Data are mean ± {_ERROR_WORDS.get(error, error)} of n = {n_text} biological replicates",
        "one-way ANOVA with Bonferroni post-hoc test",
    ]
    fam = result.pairs.drop_duplicates("mark_family") if len(result.pairs) else result.pairs
    for _, row in fam.iterrows():
        m = row["mark_family"]
        ref = (
            study.group_label(row["group2"]) if row["group2"] in study.group_ids else row["group2"]
        )
        parts.append(f"{m} P < 0.05, {m * 2} P < 0.01, {m * 3} P < 0.001 vs {ref}")
    return "; ".join(parts) + "."


def add_comparison_to_section(
    section: Section,
    result: ComparisonResult,
    *,
    name: str,
    value_label: str,
    study: Study,
    error: str = "sd",
) -> None:
    """Add descriptives, omnibus and pairwise tables, the methods paragraph and the legend.

    Parameters
    ----------
    section
        The report section to extend.
    result
        From :func:`exodisc.stats.compare_groups`.
    name
        Prefix of the table names (``<name>_descriptives``, ``<name>_omnibus``, ``<name>_pairs``).
    value_label
        What was measured, for the methods sentence (e.g. "Viability at 72 h").
    study
        The study (group labels, mark legend).
    error
        Error-bar kind shown in figures.
    """
    labels = {g.id: g.label for g in study.groups}
    desc = result.descriptives.assign(label=lambda d: d["group"].map(labels))
    section.add_table(f"{name}_descriptives", desc, caption=f"{value_label}: descriptives")
    section.add_table(f"{name}_omnibus", result.omnibus, caption=f"{value_label}: omnibus test")
    section.add_table(f"{name}_pairs", result.pairs, caption=f"{value_label}: comparisons")
    n = desc["n"]
    section.add_method(
        "stats.anova_bonferroni",
        what=value_label,
        n_comparisons=result.params.get("n_comparisons", len(result.pairs)),
        alpha=result.params.get("alpha", 0.05),
        error=_ERROR_WORDS.get(error, error),
        n=str(int(n.iloc[0])) if n.nunique() == 1 else f"{int(n.min())}–{int(n.max())}",
    )
    section.add_text(legend_sentence(result, study, error=error))
