"""The ceRNA pair statistics of GDCRNATools' ``gdcCEAnalysis``, vectorised over all pairs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from exodisc.errors import DesignError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "EDGE_COLUMNS",
    "PairStats",
    "bh_weighted",
    "cerna_pairs",
    "pearson_one_sided",
    "stream_cerna_pairs",
]

Population = Literal["target_tables", "analysed"]
CorrelationSamples = Literal["mirna", "all"]

EDGE_COLUMNS = [
    "cerna",
    "mrna",
    "shared_mirnas",
    "hyper_p",
    "hyper_fdr",
    "pearson_r",
    "pearson_p",
    "reg_sim",
    "sens_corr",
    "mirnas",
]
_DTYPES = {
    "cerna": object,
    "mrna": object,
    "shared_mirnas": np.int64,
    "hyper_p": float,
    "hyper_fdr": float,
    "pearson_r": float,
    "pearson_p": float,
    "reg_sim": float,
    "sens_corr": float,
    "mirnas": object,
}


@dataclass(frozen=True)
class PairStats:
    """Result of :func:`cerna_pairs`.

    Attributes
    ----------
    table
        One row per ceRNA–mRNA pair tested (``EDGE_COLUMNS``), sorted by ``cerna``, ``mrna``.
    n_tested
        Pairs sharing at least ``min_shared`` miRNAs among the candidate pairs (the number of
        tests the BH FDR corrects for); ``table`` may hold fewer rows when ``max_fdr`` is set.
    population
        N, the number of distinct miRNAs in the two target tables (all of them by default,
        as GDCRNATools; restricted to the features analysed with
        ``population="analysed"``).
    samples
        Samples used for the ceRNA–mRNA correlations; ``mirna_samples`` for the miRNA ones.
    dropped
        Features or miRNAs left out, with the reason (``kind``, ``id``, ``reason``).
    """

    table: pd.DataFrame
    n_tested: int
    population: int
    samples: tuple[str, ...]
    mirna_samples: tuple[str, ...]
    dropped: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)


def pearson_one_sided(r: np.ndarray, n: int) -> np.ndarray:
    """One-sided P (alternative 'greater') of Pearson correlations from ``n`` samples.

    Notes
    -----
    R equivalent: ``cor.test(x, y, alternative = "greater")$p.value``: the t statistic
    ``r sqrt((n-2)/(1-r²))`` on ``n - 2`` degrees of freedom.

    Examples
    --------
    >>> import numpy as np
    >>> from exodisc.omics.cerna import pearson_one_sided
    >>> pearson_one_sided(np.array([0.9, 0.0, -0.5]), 6).round(4).tolist()
    [0.0072, 0.5, 0.8438]
    """
    from scipy.special import stdtr

    df = n - 2
    r = np.clip(np.asarray(r, dtype=float), -1.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = r * np.sqrt(df / (1.0 - r * r))
    # stdtr handles ±inf (r = ±1) exactly: P = 0 or 1
    return np.asarray(stdtr(df, -t), dtype=float)


def bh_weighted(p: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted P of distinct values ``p`` occurring ``counts`` times each.

    Identical to ``p.adjust(rep(p, counts), "BH")`` in R, value for value, without
    materialising the repeated vector (ties get the adjusted value of their highest rank).

    Examples
    --------
    >>> import numpy as np
    >>> from exodisc.omics.cerna import bh_weighted
    >>> bh_weighted(np.array([0.01, 0.04]), np.array([1, 3])).round(4).tolist()
    [0.04, 0.04]
    """
    p = np.asarray(p, dtype=float)
    counts = np.asarray(counts, dtype=np.int64)
    order = np.argsort(p, kind="stable")
    m = counts.sum()
    cum = np.cumsum(counts[order])
    adj = p[order] * m / cum
    adj = np.minimum.accumulate(adj[::-1])[::-1]
    out = np.empty_like(adj)
    out[order] = np.minimum(adj, 1.0)
    return out


def _zscore_rows(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows centred and scaled to unit norm; also a mask of rows with zero variance."""
    c = x - x.mean(axis=1, keepdims=True)
    norm = np.sqrt((c * c).sum(axis=1))
    const = norm <= 1e-12 * np.maximum(1.0, np.abs(x).max(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        z = c / norm[:, None]
    z[const] = np.nan
    return z, const


def _binary(targets: pd.DataFrame, features: list[str], mirnas: list[str]) -> Any:
    import scipy.sparse as sp

    fi = {f: i for i, f in enumerate(features)}
    mi = {m: j for j, m in enumerate(mirnas)}
    keep = targets["feature_id"].isin(fi) & targets["mirna"].isin(mi)
    t = targets[keep]
    rows = t["feature_id"].map(fi).to_numpy(np.int64)
    cols = t["mirna"].map(mi).to_numpy(np.int64)
    mat = sp.csr_matrix(
        (np.ones(len(t), dtype=np.float32), (rows, cols)), shape=(len(features), len(mirnas))
    )
    mat.sum_duplicates()
    mat.data[:] = 1.0
    return mat


def cerna_pairs(
    expr_cerna: pd.DataFrame,
    expr_mrna: pd.DataFrame,
    *,
    targets_cerna: pd.DataFrame,
    targets_mrna: pd.DataFrame,
    expr_mirna: pd.DataFrame | None = None,
    direction_cerna: pd.Series | None = None,
    direction_mrna: pd.Series | None = None,
    min_shared: int = 1,
    max_fdr: float | None = None,
    mirna_names: bool = True,
    block_size: int = 512,
    population: Population = "target_tables",
    correlation_samples: CorrelationSamples = "mirna",
) -> PairStats:
    """Test every ceRNA–mRNA pair that shares miRNAs (GDCRNATools ``gdcCEAnalysis`` statistics).

    Parameters
    ----------
    expr_cerna, expr_mrna
        Normalised expression (e.g. log2 CPM or VST), features x samples; the samples both
        have are used.
    targets_cerna, targets_mrna
        ``feature_id``, ``mirna`` tables (:func:`read_targets`), miRNA names already
        normalised to one spelling.
    expr_mirna
        miRNA expression, miRNAs x samples, same name spelling; needed for ``reg_sim`` and
        ``sens_corr`` (NaN without it, by design).
    direction_cerna, direction_mrna
        Sign of the change (+1 up, -1 down, 0 unchanged) per feature. When given, only pairs
        whose ceRNA and mRNA change in the same direction are tested (ceRNA logic); features
        with 0 or absent are not tested. When None, all pairs are tested.
    min_shared
        Pairs sharing fewer miRNAs are not tested.
    max_fdr
        Keep only rows with ``hyper_fdr <= max_fdr`` in the table (the FDR is still computed
        over all tested pairs); None keeps every tested pair.
    mirna_names
        Fill the ``mirnas`` column (``;``-separated shared miRNA names).
    block_size
        ceRNAs per block; memory grows with ``block_size x n_mrna``.
    population
        The miRNA population N of the hypergeometric test. ``"target_tables"`` (default,
        GDCRNATools ``hyperTestFun``): every distinct miRNA in the two target tables as
        given, whether or not its features are analysed. ``"analysed"``: only the miRNAs
        targeting the ceRNAs and mRNAs that are tested (exodisc's former definition).
    correlation_samples
        Samples of the ceRNA–mRNA correlation. ``"mirna"`` (default, GDCRNATools
        ``multiRegTestFun``): the samples the ceRNA, mRNA *and* miRNA matrices share, the
        same as the miRNA correlations (all shared ceRNA/mRNA samples without
        ``expr_mirna``). ``"all"``: every sample the ceRNA and mRNA matrices share.

    Returns
    -------
    PairStats

    Notes
    -----
    Definitions (Li et al. 2018, GDCRNATools ``gdcCEAnalysis``): N = distinct miRNAs in both
    target tables (``population``); K = miRNAs targeting the mRNA; n = miRNAs targeting the
    ceRNA; k = shared miRNAs; ``hyper_p`` = P(X >= k), X ~ Hypergeom(N, K, n)
    (R: ``phyper(k - 1, K, N - K, n, lower.tail = FALSE)``); ``hyper_fdr`` =
    ``p.adjust(hyper_p, "BH")`` over the tested pairs; ``pearson_r``/``pearson_p``:
    ``cor.test(ce, m, alternative = "greater")`` (``correlation_samples``); with r_lm, r_pm
    the correlations of the ceRNA and the mRNA with shared miRNA m (on the samples the
    miRNA matrix shares) and M the number of shared miRNAs with expression data,
    ``reg_sim`` = 1 − mean_m((|r_lm − r_pm| / (|r_lm| + |r_pm|))^M) and ``sens_corr`` =
    mean_m(r − (r − r_lm r_pm) / (sqrt(1 − r_lm²) sqrt(1 − r_pm²))) (Paci et al. 2014).
    Pairs are computed in blocks: shared counts by binary matrix products, P values once per
    distinct (K, n, k), correlations by products of standardised matrices. Use
    :func:`stream_cerna_pairs` to receive the table in blocks without holding every pair.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame([[1.0, 2, 3, 4], [2, 1, 4, 3]], index=["L1", "G1"], columns=list("abcd"))
    >>> t = pd.DataFrame({"feature_id": ["L1", "G1"], "mirna": ["hsa-miR-21-5p"] * 2})
    >>> res = cerna_pairs(x.loc[["L1"]], x.loc[["G1"]], targets_cerna=t, targets_mrna=t)
    >>> res.table[["cerna", "mrna", "shared_mirnas", "pearson_r"]].to_dict(orient="records")
    [{'cerna': 'L1', 'mrna': 'G1', 'shared_mirnas': 1, 'pearson_r': 0.6}]
    """
    import pandas as pd

    head, chunks = stream_cerna_pairs(
        expr_cerna,
        expr_mrna,
        targets_cerna=targets_cerna,
        targets_mrna=targets_mrna,
        expr_mirna=expr_mirna,
        direction_cerna=direction_cerna,
        direction_mrna=direction_mrna,
        min_shared=min_shared,
        max_fdr=max_fdr,
        mirna_names=mirna_names,
        block_size=block_size,
        population=population,
        correlation_samples=correlation_samples,
    )
    parts = [head.table, *chunks]
    table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else head.table
    table = table.sort_values(["cerna", "mrna"], kind="stable").reset_index(drop=True)
    return PairStats(
        table,
        head.n_tested,
        head.population,
        head.samples,
        head.mirna_samples,
        head.dropped,
        head.params,
    )


def stream_cerna_pairs(
    expr_cerna: pd.DataFrame,
    expr_mrna: pd.DataFrame,
    *,
    targets_cerna: pd.DataFrame,
    targets_mrna: pd.DataFrame,
    expr_mirna: pd.DataFrame | None = None,
    direction_cerna: pd.Series | None = None,
    direction_mrna: pd.Series | None = None,
    min_shared: int = 1,
    max_fdr: float | None = None,
    mirna_names: bool = True,
    block_size: int = 512,
    population: Population = "target_tables",
    correlation_samples: CorrelationSamples = "mirna",
) -> tuple[PairStats, Iterator[pd.DataFrame]]:
    """:func:`cerna_pairs` in blocks: the counts first, then the pair table block by block.

    Returns
    -------
    head, chunks
        ``head`` is a :class:`PairStats` whose ``table`` is empty (the columns only) but whose
        ``n_tested``, ``population``, samples and ``dropped`` are final (the FDR is computed
        over every tested pair before the first block is produced). ``chunks`` yields the
        rows that pass ``min_shared`` / ``max_fdr`` in blocks of ``block_size`` ceRNAs,
        sorted by ``cerna`` then ``mrna`` across blocks; memory stays bounded by one block.

    Examples
    --------
    >>> from exodisc.omics.cerna import stream_cerna_pairs
    >>> import pandas as pd
    >>> x = pd.DataFrame([[1.0, 2, 3, 4], [2, 1, 4, 3]], index=["L1", "G1"], columns=list("abcd"))
    >>> t = pd.DataFrame({"feature_id": ["L1", "G1"], "mirna": ["hsa-miR-21-5p"] * 2})
    >>> stats, blocks = stream_cerna_pairs(
    ...     x.loc[["L1"]], x.loc[["G1"]], targets_cerna=t, targets_mrna=t
    ... )
    >>> stats.n_tested
    1
    >>> [len(block) for block in blocks]
    [1]
    """
    import pandas as pd
    from scipy.stats import hypergeom

    if min_shared < 1:
        msg = f"min_shared must be at least 1, got {min_shared}"
        raise ValueError(msg)
    if max_fdr is not None and not 0 < max_fdr <= 1:
        msg = f"max_fdr must be in (0, 1], got {max_fdr!r}"
        raise ValueError(msg)
    if population not in ("target_tables", "analysed"):
        msg = f"population must be 'target_tables' or 'analysed', got {population!r}"
        raise ValueError(msg)
    if correlation_samples not in ("mirna", "all"):
        msg = f"correlation_samples must be 'mirna' or 'all', got {correlation_samples!r}"
        raise ValueError(msg)
    rna_samples = [s for s in expr_cerna.columns if s in set(expr_mrna.columns)]
    if len(rna_samples) < 3:
        msg = (
            f"the ceRNA and mRNA expression matrices share {len(rna_samples)} sample column(s) "
            f"({', '.join(map(str, rna_samples)) or 'none'}); correlations need at least 3 — "
            "check that both matrices use the same sample names"
        )
        raise DesignError(msg)
    mir_samples: list[str] = []
    if expr_mirna is not None:
        mir_samples = [s for s in rna_samples if s in set(expr_mirna.columns)]
        if len(mir_samples) < 3:
            msg = (
                f"the miRNA expression matrix shares {len(mir_samples)} sample column(s) with "
                "the ceRNA and mRNA matrices; regulation similarity and sensitivity "
                "correlation need at least 3"
            )
            raise DesignError(msg)
    use_mir_samples = correlation_samples == "mirna" and expr_mirna is not None
    samples = mir_samples if use_mir_samples else rna_samples
    dropped: list[tuple[str, str, str]] = []

    def _features(expr: pd.DataFrame, targets: pd.DataFrame, kind: str, direction: Any) -> Any:
        x = expr[samples].to_numpy(float)
        ids = [str(i) for i in expr.index]
        z, const = _zscore_rows(x)
        has_t = pd.Index(ids).isin(targets["feature_id"])
        keep = ~const & has_t
        if direction is not None:
            d = pd.Series(direction).reindex(ids).fillna(0).to_numpy()
            keep &= d != 0
        else:
            d = np.ones(len(ids))
        for i in np.flatnonzero(const):
            dropped.append((kind, ids[i], "constant across samples (no correlation)"))
        for i in np.flatnonzero(~has_t & ~const):
            dropped.append((kind, ids[i], "no miRNA in the target table"))
        # sorted by identifier, so that blocks come out in the table's final order
        idx = sorted(np.flatnonzero(keep).tolist(), key=lambda i: ids[i])
        return [ids[i] for i in idx], z[idx], np.sign(d[idx]).astype(np.int8)

    ce_ids, zc, dc = _features(expr_cerna, targets_cerna, "cerna", direction_cerna)
    mr_ids, zp, dp = _features(expr_mrna, targets_mrna, "mrna", direction_mrna)
    tc = targets_cerna[targets_cerna["feature_id"].isin(set(ce_ids))]
    tp = targets_mrna[targets_mrna["feature_id"].isin(set(mr_ids))]
    if population == "target_tables":
        mirnas = sorted(set(targets_cerna["mirna"]) | set(targets_mrna["mirna"]))
    else:
        mirnas = sorted(set(tc["mirna"]) | set(tp["mirna"]))
    big_n = len(mirnas)
    cmat = _binary(tc, ce_ids, mirnas)
    pmat = _binary(tp, mr_ids, mirnas)
    n_c = np.asarray(cmat.sum(axis=1)).ravel().astype(np.int64)
    k_p = np.asarray(pmat.sum(axis=1)).ravel().astype(np.int64)
    pmat_t = pmat.T.tocsr()
    ns = len(samples)

    use_dir = direction_cerna is not None or direction_mrna is not None
    # dense mRNA x miRNA matrix when it fits in 256 MB (BLAS), else sparse products
    dense_p = pmat.T.toarray() if len(mr_ids) * big_n * 4 <= 256 * 2**20 else None
    # every pair's P depends only on (K, n, k): index the distinct K and n values so that a
    # pair's (K, n, k) is one small integer ("bin"), counted with bincount
    u_k, k_idx = np.unique(k_p, return_inverse=True)
    u_n, n_idx = np.unique(n_c, return_inverse=True)
    k_max = int(min(u_k.max(initial=0), u_n.max(initial=0))) + 1
    n_bins = len(u_k) * len(u_n) * k_max
    if n_bins > 50_000_000:
        msg = (
            f"{len(u_k)} distinct mRNA and {len(u_n)} distinct ceRNA target counts give "
            f"{n_bins} (K, n, k) combinations; the binned computation supports 5e7"
        )
        raise DesignError(msg)
    k_idx = k_idx.astype(np.int64) * len(u_n)
    n_idx = n_idx.astype(np.int64)

    def blocks() -> Any:
        """Per ceRNA block: start, (K, n, k) bin of every pair, mask of candidate pairs."""
        for start in range(0, len(ce_ids), block_size):
            stop = min(start + block_size, len(ce_ids))
            if dense_p is not None:
                shared = cmat[start:stop].toarray() @ dense_p
            else:
                shared = np.asarray((cmat[start:stop] @ pmat_t).todense(), dtype=np.float32)
            ok = shared >= min_shared
            if use_dir:
                ok &= dc[start:stop, None] == dp[None, :]
            if not ok.any():
                continue
            kn = k_idx[None, :] + n_idx[start:stop, None]
            yield start, kn * k_max + shared.astype(np.int64), ok

    # pass 1: how often each (K, n, k) occurs among the tested pairs (BH needs every test)
    cnt = np.zeros(n_bins, dtype=np.int64)
    for _, code, ok in blocks():
        cnt += np.bincount(code[ok], minlength=n_bins)
    occupied = np.flatnonzero(cnt)
    k_u = occupied % k_max
    n_u = u_n[(occupied // k_max) % len(u_n)]
    kk_u = u_k[occupied // (k_max * len(u_n))]
    p_bin = np.full(n_bins, np.nan)
    fdr_bin = np.full(n_bins, np.nan)
    if len(occupied):
        p_u = np.asarray(hypergeom.sf(k_u - 1, big_n, kk_u, n_u), dtype=float)
        p_bin[occupied] = p_u
        fdr_bin[occupied] = bh_weighted(p_u, cnt[occupied])
    n_tested = int(cnt.sum())
    # P falls as k rises for fixed (K, n), and BH is monotone in P: the pairs that pass are
    # those with k >= the smallest passing k of their (K, n)
    if max_fdr is None:
        k_min = np.full(len(u_k) * len(u_n), min_shared, dtype=np.int64)
    else:
        k_min = np.full(len(u_k) * len(u_n), k_max + 1, dtype=np.int64)
        good = occupied[fdr_bin[occupied] <= max_fdr]
        np.minimum.at(k_min, good // k_max, good % k_max)

    mirna_terms = None
    if expr_mirna is not None and n_tested:
        mirna_terms = _MirnaTerms(
            expr_cerna, expr_mrna, expr_mirna, ce_ids, mr_ids, mirnas, cmat, pmat, mir_samples
        )
        dropped += mirna_terms.dropped
    ce_arr = np.asarray(ce_ids, dtype=object)
    mr_arr = np.asarray(mr_ids, dtype=object)
    max_rows = 250_000

    def chunks() -> Iterator[pd.DataFrame]:
        if not n_tested:
            return
        for start, code, ok in blocks():
            sel = ok & (code % k_max >= k_min[code // k_max])
            if not sel.any():
                continue
            bi_all, pj_all = np.nonzero(sel)
            codes_all = code[bi_all, pj_all]
            del code, ok, sel
            # at most max_rows pairs per table chunk, however many pairs a block holds
            for a in range(0, len(bi_all), max_rows):
                yield _chunk(
                    bi_all[a : a + max_rows].astype(np.int64) + start,
                    pj_all[a : a + max_rows].astype(np.int64),
                    codes_all[a : a + max_rows],
                )

    def _chunk(ci: np.ndarray, pj: np.ndarray, codes: np.ndarray) -> pd.DataFrame:
        r = np.clip(np.einsum("ij,ij->i", zc[ci], zp[pj]), -1.0, 1.0)
        reg_sim = np.full(len(ci), np.nan)
        sens = np.full(len(ci), np.nan)
        if mirna_terms is not None:
            reg_sim, sens = mirna_terms.pairs(ci, pj, r)
        names = _shared_names(cmat, pmat, ci, pj, mirnas) if mirna_names else [""] * len(ci)
        return pd.DataFrame(
            {
                "cerna": ce_arr[ci].astype(str),
                "mrna": mr_arr[pj].astype(str),
                "shared_mirnas": (codes % k_max).astype(np.int64),
                "hyper_p": p_bin[codes],
                "hyper_fdr": fdr_bin[codes],
                "pearson_r": r,
                "pearson_p": pearson_one_sided(r, ns),
                "reg_sim": reg_sim,
                "sens_corr": sens,
                "mirnas": np.asarray(names, dtype=object).astype(str),
            },
            columns=EDGE_COLUMNS,
        )

    empty = pd.DataFrame({c: pd.Series(dtype=_DTYPES[c]) for c in EDGE_COLUMNS})
    drop = pd.DataFrame(dropped, columns=["kind", "id", "reason"])
    params = {
        "min_shared": min_shared,
        "max_fdr": max_fdr,
        "direction_filter": use_dir,
        "n_cerna": len(ce_ids),
        "n_mrna": len(mr_ids),
        "population": population,
        "correlation_samples": correlation_samples if expr_mirna is not None else "all",
    }
    head = PairStats(empty, n_tested, big_n, tuple(samples), tuple(mir_samples), drop, params)
    return head, chunks()


def _shared_names(
    cmat: Any, pmat: Any, ci: np.ndarray, pj: np.ndarray, mirnas: list[str]
) -> list[str]:
    inter = cmat[ci].multiply(pmat[pj]).tocsr()
    inter.sort_indices()
    arr = np.asarray(mirnas, dtype=object)
    ptr, ind = inter.indptr, inter.indices
    return [";".join(arr[ind[ptr[i] : ptr[i + 1]]]) for i in range(len(ci))]


class _MirnaTerms:
    """Regulation similarity and sensitivity correlation, prepared once, computed per block.

    The miRNA correlations use the samples the three matrices share (GDCRNATools
    ``multiRegTestFun``); the mRNA x miRNA correlations are kept (n_mrna x n_expressed floats),
    the ceRNA ones are computed per block.
    """

    def __init__(
        self,
        expr_cerna: pd.DataFrame,
        expr_mrna: pd.DataFrame,
        expr_mirna: pd.DataFrame,
        ce_ids: list[str],
        mr_ids: list[str],
        mirnas: list[str],
        cmat: Any,
        pmat: Any,
        samples: list[str],
    ) -> None:
        import scipy.sparse as sp

        self.dropped: list[tuple[str, str, str]] = []
        present = set(expr_mirna.index)
        xm = expr_mirna.reindex([m for m in mirnas if m in present])
        zm, const = _zscore_rows(xm[samples].to_numpy(float))
        for m in xm.index[const]:
            self.dropped.append(("mirna", str(m), "constant across samples (no correlation)"))
        # (only miRNAs some analysed feature targets can be shared; report those missing)
        used = np.flatnonzero(
            np.asarray(cmat.sum(axis=0)).ravel() + np.asarray(pmat.sum(axis=0)).ravel()
        )
        for j in used:
            if mirnas[j] not in present:
                self.dropped.append(
                    ("mirna", mirnas[j], "in the target tables but not in the miRNA matrix")
                )
        expressed = [m for m, c in zip(xm.index, const, strict=True) if not c]
        col = {m: j for j, m in enumerate(mirnas)}
        cols = np.asarray([col[m] for m in expressed], dtype=np.int64)
        self.zm = zm[~const]
        self.zc, _ = _zscore_rows(expr_cerna.loc[ce_ids, samples].to_numpy(float))
        zp, _ = _zscore_rows(expr_mrna.loc[mr_ids, samples].to_numpy(float))
        self.rp = np.clip(zp @ self.zm.T, -1.0, 1.0)  # mRNA x expressed miRNA
        sel = sp.csr_matrix(
            (np.ones(len(cols), np.float32), (cols, np.arange(len(cols)))),
            shape=(len(mirnas), len(cols)),
        )
        self.ce_e = (cmat @ sel).tocsr()
        self.mr_e = (pmat @ sel).tocsr()

    def pairs(self, ci: np.ndarray, pj: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """reg_sim and sens_corr of the pairs (ci, pj) with ceRNA–mRNA correlation r."""
        reg = np.full(len(ci), np.nan)
        sens = np.full(len(ci), np.nan)
        if not len(ci):
            return reg, sens
        u_ce, ce_local = np.unique(ci, return_inverse=True)
        rc = np.clip(self.zc[u_ce] @ self.zm.T, -1.0, 1.0)  # this block's ceRNAs only
        step = 200_000
        for a in range(0, len(ci), step):
            b = min(a + step, len(ci))
            inter = self.ce_e[ci[a:b]].multiply(self.mr_e[pj[a:b]]).tocsr()
            counts = np.diff(inter.indptr)
            row = np.repeat(np.arange(b - a), counts)
            m = inter.indices
            x = rc[ce_local[a:b][row], m]
            y = self.rp[pj[a:b][row], m]
            den = np.abs(x) + np.abs(y)
            with np.errstate(invalid="ignore", divide="ignore"):
                f = np.where(den > 0, np.abs(x - y) / den, 0.0)
                term = f ** counts[row]
                rr = r[a:b][row]
                s = rr - (rr - x * y) / (np.sqrt(1 - x * x) * np.sqrt(1 - y * y))
                has = counts > 0
                tot = np.bincount(row, weights=term, minlength=b - a)
                stot = np.bincount(row, weights=s, minlength=b - a)
                reg[a:b] = np.where(has, 1.0 - tot / np.maximum(counts, 1), np.nan)
                sens[a:b] = np.where(has, stot / np.maximum(counts, 1), np.nan)
        return reg, sens
