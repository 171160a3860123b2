"""Redundancy reduction of enriched terms: DAVID's kappa clustering and GO parent–child
simplification."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from exodisc.omics.resources import GOGraph

__all__ = ["kappa_clusters", "kappa_matrix", "simplify_go"]


def kappa_matrix(members: Mapping[str, set[str]], genes: list[str]) -> pd.DataFrame:
    """Cohen's kappa between every pair of terms over ``genes`` (the list genes).

    Each term is a yes/no vector over the genes; kappa = (observed − chance agreement) /
    (1 − chance agreement). Terms with no variation get kappa 0 with every other term.

    Notes
    -----
    DAVID Functional Annotation Clustering (Huang et al. 2007, Genome Biol 8:R183) uses this
    kappa; R equivalent for one pair: ``irr::kappa2(cbind(a, b))``.
    """
    terms = list(members)
    m = np.array([[g in members[t] for g in genes] for t in terms], dtype=np.float64)
    n = m.shape[1]
    if n == 0 or not terms:
        return pd.DataFrame(np.zeros((len(terms), len(terms))), index=terms, columns=terms)
    both = m @ m.T  # yes/yes
    neither = (1 - m) @ (1 - m).T  # no/no
    observed = (both + neither) / n
    p = m.mean(axis=1)
    chance = np.outer(p, p) + np.outer(1 - p, 1 - p)
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = (observed - chance) / (1 - chance)
    kappa = np.where(np.isfinite(kappa), kappa, 0.0)
    np.fill_diagonal(kappa, 1.0)
    return pd.DataFrame(kappa, index=terms, columns=terms)


def kappa_clusters(
    table: pd.DataFrame,
    *,
    threshold: float = 0.5,
    initial_membership: int = 3,
    final_membership: int = 3,
    linkage: float = 0.5,
) -> pd.DataFrame:
    """DAVID-style functional annotation clustering of ORA terms.

    Parameters
    ----------
    table
        An ORA table (``term``, ``p_value``, ``genes`` with ``;``-separated list genes).
    threshold
        Kappa similarity threshold (DAVID default 0.50, "medium" stringency).
    initial_membership
        Minimum size of a seed group (DAVID default 3).
    final_membership
        Minimum size of a final cluster (DAVID default 3).
    linkage
        Multiple-linkage threshold: a seed qualifies when at least this fraction of its
        member pairs are similar, and two groups merge when they share at least this fraction
        of the smaller one (DAVID default 0.50).

    Returns
    -------
    pandas.DataFrame
        ``cluster`` (1 = highest enrichment score), ``enrichment_score`` (DAVID's group
        score: mean of −log10 P of the members), ``term``, ``p_value``. A term may belong to
        several clusters, as in DAVID.

    Notes
    -----
    Huang DW et al. (2007) Genome Biol 8:R183, "The DAVID Gene Functional Classification
    Tool". DAVID computes kappa over the genes of the list; so does this function.
    """
    if table.empty:
        return pd.DataFrame(columns=["cluster", "enrichment_score", "term", "p_value"])
    members = {
        t: set(str(g).split(";")) if g else set()
        for t, g in zip(table["term"], table["genes"], strict=True)
    }
    genes = sorted(set().union(*members.values()))
    k = kappa_matrix(members, genes).to_numpy()
    terms = list(members)
    similar = k >= threshold
    seeds: list[set[int]] = []
    for i in range(len(terms)):
        group = set(np.flatnonzero(similar[i]).tolist())
        if len(group) < initial_membership:
            continue
        idx = sorted(group)
        sub = similar[np.ix_(idx, idx)]
        pairs = len(idx) * (len(idx) - 1)
        if pairs and (sub.sum() - len(idx)) / pairs >= linkage:
            seeds.append(group)
    merged = True
    groups = [set(s) for s in {frozenset(s) for s in seeds}]
    while merged:
        merged = False
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                shared = len(groups[a] & groups[b])
                if shared >= linkage * min(len(groups[a]), len(groups[b])):
                    groups[a] |= groups.pop(b)
                    merged = True
                    break
            if merged:
                break
    p = table["p_value"].to_numpy(float)
    rows = []
    scored = []
    for g in groups:
        if len(g) < final_membership:
            continue
        score = float(np.mean(-np.log10(np.clip(p[sorted(g)], 1e-300, 1))))
        scored.append((score, sorted(g)))
    scored.sort(key=lambda x: (-x[0], [terms[i] for i in x[1]]))
    for c, (score, idx) in enumerate(scored, start=1):
        for i in sorted(idx, key=lambda i: (p[i], terms[i])):
            rows.append(
                {"cluster": c, "enrichment_score": score, "term": terms[i], "p_value": p[i]}
            )
    return pd.DataFrame(rows, columns=["cluster", "enrichment_score", "term", "p_value"])


def simplify_go(
    table: pd.DataFrame, graph: GOGraph, *, alpha: float = 0.05, column: str = "p_adj"
) -> pd.DataFrame:
    """Drop GO terms made redundant by a more specific significant term.

    A significant term (``column`` < ``alpha``) is removed when one of its descendants is
    also significant with a P value at most its own: the child says the same, more
    specifically. Terms that are not GO ids, or not significant, are kept.

    Returns
    -------
    pandas.DataFrame
        ``table`` plus ``redundant_with`` (the child that made a term redundant; empty if
        kept), with the redundant rows removed.

    Notes
    -----
    A parent–child rule in the spirit of topGO's ``elim`` (Alexa et al. 2006) and
    ``clusterProfiler::simplify``; here it only uses the DAG, not semantic similarity.
    """
    sig = table[table[column] < alpha]
    pval = dict(zip(sig["term"], sig[column], strict=True))
    redundant: dict[str, str] = {}
    for child, pc in pval.items():
        if child not in graph.terms:
            continue
        for anc in graph.ancestors(child):
            if anc != child and anc in pval and pc <= pval[anc]:
                prev = redundant.get(anc)
                if prev is None or (pval[child], child) < (pval[prev], prev):
                    redundant[anc] = child
    out = table.copy()
    out["redundant_with"] = [redundant.get(t, "") for t in out["term"]]
    return out[out["redundant_with"] == ""].reset_index(drop=True)
