"""Presentation blocks: a result object in, report items out (nothing is computed here).

Every word a block writes about *how* something was computed (test, post-hoc test, error
bars, subject, n) is read from the result's ``params``, never from the study file or from
the caller, so the report says exactly what was computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from exodisc.config import Study
    from exodisc.report._report import Section
    from exodisc.stats import ComparisonResult

__all__ = ["group_comparison_block"]


def _labels(study: Study | None, ids: list[str]) -> dict[str, str]:
    out = {}
    for g in ids:
        try:
            out[g] = study.group_label(g) if study is not None else g
        except KeyError:
            out[g] = g
    return out


def group_comparison_block(
    section: Section,
    result: ComparisonResult,
    *,
    name: str,
    value_label: str,
    study: Study | None = None,
    data: pd.DataFrame | None = None,
    figure: str | None = None,
    caption: str = "",
    ylabel: str = "",
    title: str = "",
    tables: bool = True,
    labels: Mapping[str, str] | None = None,
) -> str:
    """Add a group comparison to a report section: tables, bars with marks, caption, methods.

    Parameters
    ----------
    section
        The report section (``ctx.report.add_section(...)``).
    result
        From :func:`exodisc.stats.compare_in_study` / :func:`exodisc.stats.compare_groups`;
        its ``params`` give the test, post-hoc test, subject, n and error bars named.
    name
        Prefix of the table names: ``<name>_descriptives``, ``<name>_omnibus``,
        ``<name>_pairs``, ``<name>_assumptions``.
    value_label
        What was measured, in words, e.g. ``"Viability at 72 h (% of control)"``.
    study
        Gives the group labels and colours (nothing about the statistics).
    data
        The replicates that were compared (``params["value"]``, ``params["group"]`` columns);
        with ``figure`` given, a bar plot of them is added with its error bars from
        ``params["error_bars"]`` and the marks of ``result.pairs``.
    figure
        Name of the figure (``figures/<figure>.svg``); None adds no figure.
    caption
        First words of the figure caption; the legend sentence follows it.
    ylabel, title
        Axis label (default ``value_label``) and title of the bar plot.
    tables
        Add the descriptives / omnibus / pairs / assumptions tables, the summary text and
        the assumption-checks paragraph (False: only the test's methods paragraph).
    labels
        Group display labels (default: from ``study``).

    Returns
    -------
    str
        The legend sentence (``"Data are mean ± SEM of n = 3 …; Kruskal–Wallis test with
        Dunn (Bonferroni) post hoc test; * P < 0.05 … vs Control."``).

    Notes
    -----
    The methods paragraph uses the registered entries :func:`exodisc.stats.method_keys`
    gives for the test and post-hoc test actually used, plus ``stats.assumptions``.

    Examples
    --------
    >>> import pandas as pd
    >>> from exodisc.report import Report
    >>> from exodisc.stats import compare_groups
    >>> df = pd.DataFrame({"g": list("aaabbb"), "v": [1.0, 2, 3, 4, 5, 6.5]})
    >>> res = compare_groups(df, value="v", group="g", test="kruskal", posthoc="dunn",
    ...                      error_bars="sem")
    >>> sec = Report("r").add_section("x", "X")
    >>> legend = group_comparison_block(sec, res, name="x", value_label="V")
    >>> [m.meta.key for m in sec.methods]
    ['stats.kruskal', 'stats.posthoc.dunn']
    >>> legend.startswith("Data are mean ± SEM of n = 3")
    True
    """
    import numpy as np

    from exodisc.stats import format_p, legend_sentence, method_keys

    p = result.params
    groups = list(p["groups"])
    labels = dict(labels) if labels is not None else _labels(study, groups)
    legend = legend_sentence(result, study=study)
    if tables:
        desc = result.descriptives.copy()
        desc.insert(1, "label", desc["group"].map(lambda g: labels.get(g, g)))
        section.add_table(f"{name}_descriptives", desc, caption=f"{value_label}: descriptives")
        section.add_table(f"{name}_omnibus", result.omnibus.copy(),
                          caption=f"{value_label}: {p['test_name']}")  # fmt: skip
        pairs = result.pairs.copy()
        pairs.insert(2, "label1", pairs["group1"].map(lambda g: labels.get(g, g)))
        pairs.insert(3, "label2", pairs["group2"].map(lambda g: labels.get(g, g)))
        section.add_table(
            f"{name}_pairs",
            pairs,
            caption=f"{value_label}: {p['pairwise']}, {p['posthoc_name']} "
            f"({p['n_comparisons']} declared comparisons)",
        )
        if len(result.assumptions):
            section.add_table(f"{name}_assumptions", result.assumptions,
                              caption=f"{value_label}: assumption checks")  # fmt: skip
    ns = sorted(set(dict(p["n_per_group"]).values()))
    params: dict[str, Any] = {
        "what": value_label,
        "n_groups": len(groups),
        "n": str(ns[0]) if len(ns) == 1 else f"{ns[0]}–{ns[-1]}",
        "n_comparisons": p["n_comparisons"],
        "alpha": p["alpha"],
        "pairwise": p["pairwise"],
    }
    for key in method_keys(p["test"], p["posthoc"]):
        section.add_method(key, **params)
    if tables and len(result.assumptions):
        section.add_method("stats.assumptions")
    if tables:
        for w in result.warnings:
            section.add_warning(f"{value_label}: {w}")
        if result.recommendation and "no concern" not in result.recommendation:
            section.add_warning(f"{value_label}: {result.recommendation}")
        omnibus = result.omnibus.iloc[0]
        from exodisc.stats import get_test

        if np.isfinite(omnibus["p_value"]) and get_test(p["test"]).omnibus == "k_groups":
            df2 = "" if omnibus["df2"] != omnibus["df2"] else f", {omnibus['df2']:.3g}"
            section.add_text(
                f"{value_label}: {p['test_name']}, statistic = {omnibus['statistic']:.3g} "
                f"(df {omnibus['df1']:.3g}{df2}), {format_p(float(omnibus['p_value']))}. "
                f"{legend}"
            )
        else:
            section.add_text(f"{value_label}: {legend}")
    if figure is not None:
        if data is None:
            msg = "group_comparison_block: a figure needs the compared replicates as data="
            raise ValueError(msg)
        from exodisc.pl import group_bars

        value, group = p["value"], p["group"]
        colors = study.group_colors() if study is not None else None
        fig = group_bars(
            data,
            value=value,
            group=group,
            pairs=result.pairs,
            order=groups,
            labels=labels,
            colors=colors,
            error=p["error_bars"],
            ylabel=ylabel or value_label,
            title=title,
        )
        keep = [c for c in ("sample", group, "replicate", "donor", value) if c in data.columns]
        plotted = data.loc[data[group].isin(groups), keep].reset_index(drop=True)
        text = f"{caption.rstrip('.')}. {legend}" if caption else legend
        section.add_figure(figure, fig, plotted, caption=text)
    return legend
