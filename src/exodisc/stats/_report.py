"""Put a comparison into a report section: tables, methods paragraph, legend sentence."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from exodisc.stats._compare import POSTHOC_NAMES, TEST_NAMES, ComparisonResult

if TYPE_CHECKING:
    from exodisc.config import Study
    from exodisc.report import Section

__all__ = [
    "add_comparison_to_section",
    "add_two_way_to_section",
    "format_p",
    "legend_sentence",
]

_ERROR_WORDS = {"sd": "SD", "sem": "SEM", "ci95": "95% CI"}


def format_p(p: float, *, digits: int = 3) -> str:
    """P for text: ``"P = 0.012"``, ``"P < 0.001"`` — never ``"P = 0.000"``.

    Examples
    --------
    >>> format_p(0.00002), format_p(0.0123), format_p(1.0)
    ('P < 0.001', 'P = 0.012', 'P > 0.999')
    """
    if not np.isfinite(p):
        msg = f"P must be a finite number, got {p!r}"
        raise ValueError(msg)
    floor = 10.0**-digits
    if p < floor:
        return f"P < {floor:.{digits}f}"
    if p > 1 - floor:
        return f"P > {1 - floor:.{digits}f}"
    return f"P = {p:.{digits}f}"


def _n_text(result: ComparisonResult) -> str:
    ns = sorted(set(result.descriptives["n"].astype(int)))
    return str(ns[0]) if len(ns) == 1 else f"{ns[0]}–{ns[-1]}"


def _labels(study: Study | None, ids: list[str]) -> dict[str, str]:
    out = {}
    for g in ids:
        try:
            out[g] = study.group_label(g) if study is not None else g
        except KeyError:
            out[g] = g
    return out


def legend_sentence(
    result: ComparisonResult,
    study: Study | None = None,
    *,
    error: Literal["sd", "sem", "ci95"] = "sd",
    replicate_word: str = "biological replicates",
) -> str:
    """The figure-legend sentence of a comparison.

    Example: "Data are mean ± SD of n = 3 biological replicates; one-way ANOVA with
    Bonferroni post hoc test; * P < 0.05, ** P < 0.01, *** P < 0.001 vs Control;
    # P < 0.05 vs IL-1β."

    Every mark family of the pairs is listed with the thresholds up to the most marks used
    (at least one), and the reference group's label from ``study``.
    """
    p = result.params
    parts = [f"Data are mean ± {_ERROR_WORDS[error]} of n = {_n_text(result)} {replicate_word}"]
    test = TEST_NAMES[p["test"]]
    if p["posthoc"] == "none":
        parts.append(f"{test} without multiplicity correction")
    elif p["test"] in {"t_student", "t_welch", "t_paired", "mann_whitney", "wilcoxon"}:
        parts.append(f"{test} with {POSTHOC_NAMES[p['posthoc']]} correction")
    else:
        parts.append(f"{test} with {POSTHOC_NAMES[p['posthoc']]} post hoc test")
    cuts = list(p["thresholds"])
    pairs = result.pairs
    for family in dict.fromkeys(pairs["mark_family"]):
        sub = pairs[pairs["mark_family"] == family]
        used = max([len(m) for m in sub["mark"] if m and set(m) == {family}] + [1])
        refs = list(dict.fromkeys(sub["group2"]))
        levels = ", ".join(f"{family * (i + 1)} P < {c:g}" for i, c in enumerate(cuts[:used]))
        if len(refs) == 1:
            levels += f" vs {_labels(study, refs)[refs[0]]}"
        parts.append(levels)
    return "; ".join(parts) + "."


def add_comparison_to_section(
    section: Section,
    result: ComparisonResult,
    *,
    name: str,
    value_label: str,
    study: Study | None = None,
    error: Literal["sd", "sem", "ci95"] | None = None,
) -> str:
    """Add a comparison's tables, methods paragraph, checks and legend to a report section.

    Parameters
    ----------
    section
        The report section (``ctx.report.add_section(...)``).
    result
        From :func:`exodisc.stats.compare_groups`.
    name
        Prefix of the table names (``<name>_descriptives``, ``<name>_omnibus``,
        ``<name>_pairs``, ``<name>_assumptions``); use the assay kind, e.g. ``"cck8_72h"``.
    value_label
        What was measured, in words, e.g. ``"Viability at 72 h (% of control)"``.
    study
        Gives the group labels and the error-bar choice (``study.statistics.error_bars``).
    error
        Overrides the error-bar word of the legend.

    Returns
    -------
    str
        The legend sentence (also added to the section as text).

    Notes
    -----
    The methods paragraph comes from the registered :class:`~exodisc.registry.MethodMeta`
    entries ``stats.<test>``, ``stats.posthoc.<posthoc>`` and ``stats.assumptions``.
    """
    from exodisc.stats._methods import OMNIBUS_KEYS, POSTHOC_KEYS

    p = result.params
    groups = list(p["groups"])
    labels = _labels(study, groups)
    desc = result.descriptives.copy()
    desc.insert(1, "label", desc["group"].map(labels))
    section.add_table(f"{name}_descriptives", desc, caption=f"{value_label}: descriptives")
    omni = result.omnibus.copy()
    section.add_table(f"{name}_omnibus", omni, caption=f"{value_label}: {TEST_NAMES[p['test']]}")
    pairs = result.pairs.copy()
    pairs.insert(2, "label1", pairs["group1"].map(lambda g: labels.get(g, g)))
    pairs.insert(3, "label2", pairs["group2"].map(lambda g: labels.get(g, g)))
    section.add_table(
        f"{name}_pairs",
        pairs,
        caption=f"{value_label}: {POSTHOC_NAMES[p['posthoc']]} comparisons "
        f"({p['n_comparisons']} declared)",
    )
    if len(result.assumptions):
        section.add_table(
            f"{name}_assumptions", result.assumptions, caption=f"{value_label}: assumption checks"
        )
    pairwise = str(pairs["pairwise_test"].iloc[0]) if len(pairs) else ""
    params: dict[str, Any] = {
        "what": value_label,
        "n_groups": len(groups),
        "n": _n_text(result),
        "n_comparisons": p["n_comparisons"],
        "alpha": p["alpha"],
        "pairwise": pairwise,
    }
    if p["test"] == "anova" and p["posthoc"] == "bonferroni":  # the paper's default: one sentence
        section.add_method("stats.anova_bonferroni", **params)
    else:
        section.add_method(OMNIBUS_KEYS[p["test"]], **params)
        section.add_method(POSTHOC_KEYS[p["posthoc"]], **params)
    if len(result.assumptions):
        section.add_method("stats.assumptions")
    for w in result.warnings:
        section.add_warning(f"{value_label}: {w}")
    if result.recommendation and "no concern" not in result.recommendation:
        section.add_warning(f"{value_label}: {result.recommendation}")
    if error is None:
        error = study.statistics.error_bars if study is not None else "sd"
    legend = legend_sentence(result, study=study, error=error)
    omnibus = result.omnibus.iloc[0]
    if np.isfinite(omnibus["p_value"]) and p["test"] not in {
        "t_student", "t_welch", "t_paired", "mann_whitney", "wilcoxon"
    }:  # fmt: skip
        df2 = "" if pd.isna(omnibus["df2"]) else f", {omnibus['df2']:.3g}"
        section.add_text(
            f"{value_label}: {TEST_NAMES[p['test']]}, statistic = {omnibus['statistic']:.3g} "
            f"(df {omnibus['df1']:.3g}{df2}), {format_p(float(omnibus['p_value']))}. {legend}"
        )
    else:
        section.add_text(f"{value_label}: {legend}")
    return legend


def add_two_way_to_section(
    section: Section,
    table: pd.DataFrame,
    *,
    name: str,
    value_label: str,
    factors: tuple[str, str],
    ss_type: Literal["I", "II", "III"] = "II",
    subject: str | None = None,
) -> str:
    """Add a :func:`exodisc.stats.two_way_anova` table, its methods paragraph and a summary.

    Parameters
    ----------
    section
        The report section.
    table
        The two-way ANOVA table.
    name
        Table name (``<name>`` is written as ``tables/<name>.tsv``), e.g. ``"cck8_two_way"``.
    value_label
        What was measured, in words.
    factors
        The two factor columns, as passed to ``two_way_anova``.
    ss_type, subject
        As passed to ``two_way_anova`` (for the methods paragraph).

    Returns
    -------
    str
        The summary sentence (also added as text), e.g.
        "group: F(4, 40) = 51.2, P < 0.001; time: …".
    """
    section.add_table(name, table, caption=f"{value_label}: two-way ANOVA")
    repeated = (
        f"; {subject} as repeated-measures factor, each effect tested against its own "
        "subject interaction, Greenhouse–Geisser-corrected P reported for within-subject "
        "effects of split-plot designs"
        if subject
        else ""
    )
    section.add_method(
        "stats.two_way_anova",
        what=value_label,
        factors=f"{factors[0]} x {factors[1]}",
        ss_type=ss_type if subject is None else "I",
        repeated=repeated,
    )
    parts = []
    effects = table[table["F"].notna()]
    error_df = dict(zip(table["source"], table["df"].astype(float), strict=True))
    for src, df1, f, p, err in zip(
        effects["source"], effects["df"].astype(float), effects["F"].astype(float),
        effects["p_value"].astype(float), effects["error_term"], strict=True,
    ):  # fmt: skip
        df2 = error_df.get(str(err), np.nan)
        parts.append(f"{src}: F({df1:g}, {df2:g}) = {f:.3g}, {format_p(float(p))}")
    text = f"{value_label}, two-way ANOVA — " + "; ".join(parts) + "."
    section.add_text(text)
    return text
