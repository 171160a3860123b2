"""Put a comparison into a report section: tables, methods paragraph, legend sentence."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from exodisc.stats._compare import POSTHOC_NAMES, TEST_NAMES, ComparisonResult
from exodisc.stats._registry import ERROR_WORDS, get_test

if TYPE_CHECKING:
    from exodisc.config import Study
    from exodisc.report import Section

__all__ = [
    "add_comparison_to_section",
    "add_two_way_to_section",
    "format_p",
    "legend_sentence",
]


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
    replicate_word: str = "biological replicates",
) -> str:
    """The figure-legend sentence of a comparison, from what the result says was done.

    Example: "Data are mean ± SD of n = 3 biological replicates; one-way ANOVA with
    Bonferroni post hoc test; * P < 0.05, ** P < 0.01, *** P < 0.001 vs Control;
    # P < 0.05 vs IL-1β."

    The error-bar words come from ``result.params["error_bars"]``, the test and post-hoc
    test from ``params["test"]`` / ``params["posthoc"]``; paired designs name the subject.
    Every mark family of the pairs is listed with the thresholds up to the most marks used
    (at least one), and the reference group's label from ``study``.

    Examples
    --------
    >>> import pandas as pd
    >>> from exodisc.stats import compare_groups
    >>> df = pd.DataFrame({"g": list("aaabbb"), "v": [1.0, 2, 3, 4, 5, 6.5]})
    >>> legend_sentence(compare_groups(df, value="v", group="g", error_bars="sem"))[:60]
    'Data are mean ± SEM of n = 3 biological replicates; one-way '
    """
    p = result.params
    parts = [
        f"Data are mean ± {ERROR_WORDS[p['error_bars']]} of n = {_n_text(result)} "
        f"{replicate_word}" + (f", paired by {p['subject']}" if p["subject"] else "")
    ]
    test = TEST_NAMES[p["test"]]
    if p["posthoc"] == "none":
        parts.append(f"{test} without multiplicity correction")
    elif get_test(p["test"]).omnibus == "per_comparison":
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
) -> str:
    """Add a comparison's tables, methods paragraph, checks and legend to a report section.

    The tables-only form of :func:`exodisc.report.group_comparison_block` (which also draws
    the bar plot); everything it says about the statistics comes from ``result.params``.

    Parameters
    ----------
    section
        The report section (``ctx.report.add_section(...)``).
    result
        From :func:`exodisc.stats.compare_groups` / :func:`exodisc.stats.compare_in_study`.
    name
        Prefix of the table names (``<name>_descriptives``, ``<name>_omnibus``,
        ``<name>_pairs``, ``<name>_assumptions``); use the assay kind, e.g. ``"cck8_72h"``.
    value_label
        What was measured, in words, e.g. ``"Viability at 72 h (% of control)"``.
    study
        Gives the group labels.

    Returns
    -------
    str
        The legend sentence (also added to the section as text).

    Examples
    --------
    >>> import pandas as pd
    >>> from exodisc.report import Section
    >>> from exodisc.stats import add_comparison_to_section, compare_groups
    >>> df = pd.DataFrame({"g": list("aaabbb"), "v": [1.0, 2, 3, 4, 5, 6.5]})
    >>> section = Section("cck8", "Viability")
    >>> legend = add_comparison_to_section(
    ...     section, compare_groups(df, value="v", group="g"), name="cck8", value_label="OD"
    ... )
    >>> legend.split(";")[0]
    'Data are mean ± SD of n = 3 biological replicates'
    >>> [item.name for item in section.items]
    ['cck8_descriptives', 'cck8_omnibus', 'cck8_pairs', 'cck8_assumptions']
    """
    from exodisc.report import group_comparison_block

    return group_comparison_block(section, result, name=name, value_label=value_label, study=study)


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

    Examples
    --------
    >>> import pandas as pd
    >>> from exodisc.report import Section
    >>> from exodisc.stats import add_two_way_to_section, two_way_anova
    >>> df = pd.DataFrame({"g": list("aabbaabb"), "t": list("xxxxyyyy"),
    ...                    "v": [1.0, 2, 3, 4, 2, 3, 6, 8]})
    >>> table = two_way_anova(df, value="v", factors=("g", "t"))
    >>> section = Section("cck8", "Viability")
    >>> summary = add_two_way_to_section(
    ...     section, table, name="cck8_two_way", value_label="OD", factors=("g", "t")
    ... )
    >>> [item.name for item in section.items]
    ['cck8_two_way']
    >>> summary.split(";")[0]
    'OD, two-way ANOVA — g: F(1, 4) = 24.1, P = 0.008'
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
