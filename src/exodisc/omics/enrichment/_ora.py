"""Over-representation analysis: hypergeometric, Fisher exact and DAVID's EASE score."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Literal

import numpy as np
import pandas as pd

from exodisc.errors import DesignError
from exodisc.omics.enrichment._hyper import hyper_upper_tail
from exodisc.omics.resources import GeneSets

__all__ = ["ORA_COLUMNS", "OraResult", "adjust_bh", "ora", "ora_pvalues"]

OraMethod = Literal["hypergeometric", "fisher", "ease"]

ORA_COLUMNS = [
    "term",
    "description",
    "set_size",
    "overlap",
    "list_size",
    "background_size",
    "gene_ratio",
    "bg_ratio",
    "rich_factor",
    "fold_enrichment",
    "p_value",
    "p_adj",
    "p_bonferroni",
    "genes",
]


@dataclass(frozen=True)
class OraResult:
    """Result of :func:`ora`.

    Attributes
    ----------
    table
        One row per tested term (columns :data:`ORA_COLUMNS`), sorted by ``p_value`` then
        ``term``. ``set_size`` and ``overlap`` count genes inside the background;
        ``gene_ratio`` = overlap / list_size; ``bg_ratio`` = set_size / background_size;
        ``rich_factor`` = overlap / set_size; ``fold_enrichment`` = gene_ratio / bg_ratio;
        ``p_adj`` is Benjamini–Hochberg, ``p_bonferroni`` Bonferroni, over the tested terms;
        ``genes`` lists the overlapping genes separated by ``;``.
    dropped
        Terms not tested, with ``reason`` (set size outside the limits, overlap below
        ``min_overlap``).
    unmatched
        Query genes not in the (annotated) background, so not counted.
    params
        Method, limits, background description and sizes.
    """

    table: pd.DataFrame
    dropped: pd.DataFrame
    unmatched: tuple[str, ...]
    params: Mapping[str, Any] = field(default_factory=dict)


def ora_pvalues(
    overlap: Any,
    set_size: Any,
    *,
    list_size: Any,
    background_size: Any,
    method: OraMethod = "hypergeometric",
) -> np.ndarray:
    """One-sided over-representation P values for arrays of 2 x 2 counts.

    Parameters
    ----------
    overlap, set_size, list_size, background_size
        k (list genes in the term), K (background genes in the term), n (list genes in the
        background), N (background genes); broadcastable integer arrays.
    method
        ``hypergeometric``: P(X >= k) for X ~ Hypergeometric(N, K, n).
        ``fisher``: one-sided (``greater``) Fisher exact test on
        ``[[k, n - k], [K - k, N - K - n + k]]``; the same number as ``hypergeometric``.
        ``ease``: DAVID's EASE score, the Fisher P value with one list hit removed,
        ``[[k - 1, n - k], [K - k, N - K - n + k]]`` (1 where k = 0).

    Notes
    -----
    R equivalents: ``phyper(k - 1, K, N - K, n, lower.tail = FALSE)``;
    ``fisher.test(matrix(c(k, K - k, n - k, N - K - n + k), 2), alternative = "greater")``;
    EASE: Hosack et al. 2003, Genome Biol 4:R70; DAVID help, "EASE score".
    """
    k = np.asarray(overlap, dtype=np.int64)
    big_k = np.asarray(set_size, dtype=np.int64)
    n = np.asarray(list_size, dtype=np.int64)
    big_n = np.asarray(background_size, dtype=np.int64)
    if method in ("hypergeometric", "fisher"):
        return hyper_upper_tail(k, big_n, big_k, n)
    if method == "ease":
        p = hyper_upper_tail(k - 1, big_n - 1, np.maximum(big_k - 1, 0), np.maximum(n - 1, 0))
        return np.where(k <= 0, 1.0, p)
    msg = f"method must be 'hypergeometric', 'fisher' or 'ease', got {method!r}"
    raise ValueError(msg)


_GENE_MAJOR: dict[int, tuple[Any, Any]] = {}
_TERM_ARRAYS: dict[int, tuple[Any, Any, np.ndarray, np.ndarray]] = {}


def _gene_major(matrix: Any) -> Any:
    """Genes x terms (CSR) copy of a terms x genes membership matrix, cached for the last one."""
    hit = _GENE_MAJOR.get(id(matrix))
    if hit is not None and hit[0] is matrix:
        return hit[1]
    by_gene = matrix.T.tocsr()
    by_gene.sort_indices()
    _GENE_MAJOR.clear()
    _GENE_MAJOR[id(matrix)] = (matrix, by_gene)
    return by_gene


def _term_arrays(gs: GeneSets) -> tuple[np.ndarray, np.ndarray]:
    """Term ids and descriptions as object arrays in collection order, cached for the last one."""
    hit = _TERM_ARRAYS.get(id(gs))
    if hit is not None and hit[0] is gs.sets and hit[1] is gs.descriptions:
        return hit[2], hit[3]
    terms = np.array(gs.terms, dtype=object)
    desc = np.array([gs.descriptions.get(t, "") for t in gs.terms], dtype=object)
    _TERM_ARRAYS.clear()
    _TERM_ARRAYS[id(gs)] = (gs.sets, gs.descriptions, terms, desc)
    return terms, desc


def _pick(items: tuple[str, ...], positions: np.ndarray) -> list[str]:
    """``[items[i] for i in positions]`` at C speed."""
    if positions.size == 0:
        return []
    if positions.size == 1:
        return [items[int(positions[0])]]
    return list(itemgetter(*positions.tolist())(items))


def _pvalues_unique(
    k: np.ndarray, big_k: np.ndarray, n: int, big_n: int, method: OraMethod
) -> np.ndarray:
    """:func:`ora_pvalues` evaluated once per distinct (overlap, set size) pair."""
    if k.size == 0:
        return np.empty(0)
    key = k * (int(big_k.max()) + 1) + big_k
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    p = ora_pvalues(k[first], big_k[first], list_size=n, background_size=big_n, method=method)
    return p[inverse.ravel()]


def adjust_bh(p: Any) -> np.ndarray:
    """Benjamini–Hochberg adjusted P values (R ``p.adjust(p, "BH")``)."""
    p = np.asarray(p, dtype=np.float64)
    if p.size == 0:
        return p.copy()
    m = p.size
    order = np.argsort(p, kind="mergesort")[::-1]
    ranked = p[order] * m / np.arange(m, 0, -1)
    adj = np.minimum.accumulate(ranked)
    out = np.empty(m)
    out[order] = np.minimum(adj, 1.0)
    return out


def ora(
    genes: Iterable[str],
    gene_sets: GeneSets | Mapping[str, Iterable[str]],
    *,
    background: Iterable[str] | None = None,
    method: OraMethod = "hypergeometric",
    min_size: int = 5,
    max_size: int = 500,
    min_overlap: int = 1,
) -> OraResult:
    """Test gene sets for over-representation in a gene list (DAVID / clusterProfiler style).

    Parameters
    ----------
    genes
        The query list (e.g. significant DE genes); duplicates are ignored.
    gene_sets
        The collection (:func:`exodisc.omics.resources.read_gmt`, GO sets …).
    background
        The universe the list was drawn from — for DE results, every feature tested. Only its
        genes annotated in at least one set count (DAVID's "Pop Total", clusterProfiler's
        ``universe``). Default: every gene annotated in the collection.
    method
        ``hypergeometric``, ``fisher`` (same P value, one-sided) or ``ease`` (DAVID).
    min_size, max_size
        Terms whose size inside the background is outside ``[min_size, max_size]`` are not
        tested (listed in ``dropped``).
    min_overlap
        Terms with fewer list genes are not tested (DAVID's "count" threshold).

    Returns
    -------
    OraResult

    Notes
    -----
    R equivalent: ``clusterProfiler::enricher(genes, TERM2GENE = t2g, universe = bg,
    minGSSize = min_size, maxGSSize = max_size, pvalueCutoff = 1, qvalueCutoff = 1)``;
    each P value is ``phyper(k - 1, K, N - K, n, lower.tail = FALSE)``; DAVID reports the
    EASE score (Huang, Sherman & Lempicki 2009, Nat Protoc 4:44). Adjustment: BH 1995.

    Examples
    --------
    >>> sets = {"A": ["g1", "g2", "g3"], "B": ["g4", "g5", "g6"]}
    >>> res = ora(["g1", "g2"], sets, min_size=1)
    >>> res.table[["term", "overlap", "set_size"]].to_dict("records")
    [{'term': 'A', 'overlap': 2, 'set_size': 3}]
    """
    if method not in ("hypergeometric", "fisher", "ease"):
        msg = f"method must be 'hypergeometric', 'fisher' or 'ease', got {method!r}"
        raise ValueError(msg)
    if min_size < 1 or max_size < min_size:
        msg = f"need 1 <= min_size <= max_size, got min_size={min_size}, max_size={max_size}"
        raise ValueError(msg)
    gs = gene_sets if isinstance(gene_sets, GeneSets) else GeneSets.from_mapping(gene_sets)
    annotated = gs.genes_sorted()
    if background is None:
        universe = annotated
        bg_label = "all genes annotated in the gene-set collection"
    else:
        bg = {str(g) for g in background}
        if not bg:
            raise DesignError("the background gene list is empty")
        universe = tuple(sorted(bg.intersection(annotated)))
        bg_label = f"{len(bg)} given background genes, {len(universe)} of them annotated"
        if not universe:
            msg = (
                f"none of the {len(bg)} background genes is in the gene-set collection "
                f"({gs.source or 'given sets'}, identifiers look like {gs.id_type!r}); "
                "check that both use the same identifier type"
            )
            raise DesignError(msg)
    query = list(dict.fromkeys(str(g) for g in genes))
    if not query:
        raise DesignError("the gene list is empty")
    index = gs.index_of(universe)
    hits = sorted({index[g] for g in query if g in index})
    unmatched = tuple(g for g in query if g not in index)
    if not hits:
        msg = (
            f"none of the {len(query)} query genes (e.g. {query[:3]}) is in the annotated "
            f"background ({len(universe)} genes, identifiers like {gs.id_type!r}); "
            "check the identifier type of the gene list"
        )
        raise DesignError(msg)

    matrix = gs.membership(universe)
    set_size = np.diff(matrix.indptr).astype(np.int64)
    # (term, gene) pairs of the hits only, from the gene-major copy of the membership matrix:
    # the work grows with the list's annotations, not with the whole collection
    by_gene = _gene_major(matrix)
    hit_arr = np.asarray(hits, dtype=np.int64)
    starts, stops = by_gene.indptr[hit_arr], by_gene.indptr[hit_arr + 1]
    counts = stops - starts
    pos = np.repeat(stops - np.cumsum(counts), counts) + np.arange(int(counts.sum()))
    pair_term = by_gene.indices[pos]
    pair_gene = np.repeat(hit_arr, counts)
    overlap = np.bincount(pair_term, minlength=matrix.shape[0]).astype(np.int64)
    n, big_n = len(hits), len(universe)
    terms, descriptions = _term_arrays(gs)

    size_ok = (set_size >= min_size) & (set_size <= max_size)
    keep = size_ok & (overlap >= min_overlap)
    reasons = np.full(
        len(terms), f"set size in background outside [{min_size}, {max_size}]", dtype=object
    )
    reasons[size_ok] = f"overlap below {min_overlap}"
    dropped = pd.DataFrame(
        {"term": terms[~keep], "set_size": set_size[~keep], "reason": reasons[~keep]}
    )

    idx = np.flatnonzero(keep)
    k, big_k = overlap[idx], set_size[idx]
    p = _pvalues_unique(k, big_k, n, big_n, method)
    order = np.lexsort((terms[idx].astype(str), p))
    idx, k, big_k, p = idx[order], k[order], big_k[order], p[order]
    # overlapping genes per kept term, in universe (= sorted) order: a stable sort of the
    # pairs by term keeps the gene order, since the hits were visited in increasing order
    by_term = np.argsort(pair_term, kind="stable")
    names = _pick(universe, pair_gene[by_term])
    first = np.concatenate(([0], np.cumsum(overlap)))
    genes_col = [
        ";".join(names[a:b])
        for a, b in zip(first[idx].tolist(), first[idx + 1].tolist(), strict=True)
    ]
    table = pd.DataFrame(
        {
            "term": terms[idx].astype(str),
            "description": descriptions[idx],
            "set_size": big_k,
            "overlap": k,
            "list_size": np.full(idx.size, n, dtype=np.int64),
            "background_size": np.full(idx.size, big_n, dtype=np.int64),
            "gene_ratio": k / n,
            "bg_ratio": big_k / big_n,
            "rich_factor": k / big_k,
            "fold_enrichment": (k / n) / (big_k / big_n),
            "p_value": p,
            "p_adj": adjust_bh(p),
            "p_bonferroni": np.minimum(p * idx.size, 1.0),
            "genes": genes_col,
        },
        columns=ORA_COLUMNS,
    )
    params = {
        "method": method,
        "min_size": min_size,
        "max_size": max_size,
        "min_overlap": min_overlap,
        "background": bg_label,
        "background_size": big_n,
        "list_size": n,
        "query_size": len(query),
        "n_terms_tested": int(idx.size),
        "n_terms_in_collection": len(gs),
        "gene_sets": gs.source,
        "correction": "Benjamini-Hochberg (p_adj); Bonferroni (p_bonferroni)",
    }
    return OraResult(table, dropped, unmatched, params)
