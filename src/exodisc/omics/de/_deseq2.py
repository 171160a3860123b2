"""The DESeq2 method end to end on a count matrix: the public :func:`run_de`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from exodisc.core import single_threaded_blas
from exodisc.errors import DesignError, SchemaError
from exodisc.omics.de._design import (
    AnyContrast,
    CoefContrast,
    Contrast,
    Design,
    build_design,
    build_reduced,
    parse_contrast,
)

if TYPE_CHECKING:
    from anndata import AnnData

__all__ = ["DEClassResult", "DEResult", "run_de"]

RESULT_COLUMNS = (
    "feature_id",
    "base_mean",
    "log2_fold_change",
    "lfc_se",
    "stat",
    "p_value",
    "padj",
)


@dataclass(frozen=True)
class DEResult:
    """Differential expression of one contrast (frozen).

    Attributes
    ----------
    table
        One row per feature, in input order: ``feature_id, base_mean, log2_fold_change,
        lfc_se, stat, p_value, padj`` (DESeq2's ``baseMean, log2FoldChange, lfcSE, stat,
        pvalue, padj``) then ``disp_gene_est, disp_fit, dispersion`` and the flags
        ``all_zero, disp_outlier, cooks_outlier, filtered, all_zero_group, extreme_lfc,
        optim_used``. Missing values are NaN exactly where R gives NA.
    normalized
        Normalised counts, features x samples.
    size_factors
        By sample.
    contrast, design
        What was tested.
    params
        Method, thresholds and what the fit estimated (prior variance, trend, filter).
    """

    table: pd.DataFrame
    normalized: pd.DataFrame
    size_factors: pd.Series
    contrast: AnyContrast
    design: Design
    params: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def significant(self, *, fdr: float = 0.05, log2_fc: float = 1.0) -> pd.DataFrame:
        """Rows with ``padj < fdr`` and ``|log2_fold_change| > log2_fc`` (the paper's rule).

        The rule is :func:`exodisc.core.is_significant` (strict, as DESeq2).
        """
        from exodisc.core import is_significant

        t = self.table
        keep = is_significant(t["padj"].to_numpy(float), t["log2_fold_change"].to_numpy(float),
                              fdr=fdr, lfc=log2_fc)  # fmt: skip
        return t.loc[keep]


def _check_counts(counts: pd.DataFrame) -> np.ndarray:
    vals = counts.to_numpy(dtype=float, na_value=np.nan)
    problems = []
    bad_nan = np.isnan(vals)
    if bad_nan.any():
        r, c = np.argwhere(bad_nan)[0]
        problems.append(
            f"{int(bad_nan.sum())} missing (NaN) count(s), first at feature "
            f"{counts.index[r]!r}, sample {counts.columns[c]!r}"
        )
    finite = np.where(bad_nan, 0, vals)
    neg = finite < 0
    if neg.any():
        r, c = np.argwhere(neg)[0]
        problems.append(
            f"{int(neg.sum())} negative count(s), first {finite[r, c]:g} at feature "
            f"{counts.index[r]!r}, sample {counts.columns[c]!r}"
        )
    frac = finite != np.round(finite)
    if frac.any():
        r, c = np.argwhere(frac)[0]
        problems.append(
            f"{int(frac.sum())} non-integer count(s), first {finite[r, c]:g} at feature "
            f"{counts.index[r]!r}, sample {counts.columns[c]!r} (DESeq2 needs raw integer "
            "counts; round tximport estimates or use lengthScaledTPM counts)"
        )
    dup = counts.index[counts.index.duplicated()]
    if len(dup):
        problems.append(f"duplicated feature ID(s): {', '.join(map(str, dup[:5]))}")
    if problems:
        raise SchemaError("count matrix: " + "; ".join(problems))
    return finite


def run_de(
    counts: AnnData,
    design: str,
    contrast: str | tuple[str, str, str] | Sequence[float] | AnyContrast | None = None,
    *,
    coef: str | None = None,
    reference: Mapping[str, str] | None = None,
    method: Literal["deseq2", "limma-voom"] = "deseq2",
    alpha: float = 0.1,
    lfc_threshold: float = 0.0,
    size_factor_type: Literal["ratio", "poscounts"] = "ratio",
    independent_filtering: bool = True,
    cooks_cutoff: bool = True,
    test: Literal["wald", "lrt"] = "wald",
    reduced: str | None = None,
    min_replicates_for_replace: int | None = 7,
    shrink: Literal["none", "normal"] = "none",
    voom_normalization: Literal["tmm", "none"] = "tmm",
    filter_by_expr: bool = True,
    block: str | None = None,
) -> DEResult:
    """Test every feature for differential expression with the DESeq2 method.

    Parameters
    ----------
    counts
        Raw integer counts, samples x features (``obs`` holds the sample sheet with the
        design's columns, ``var_names`` the feature IDs).
    design
        R formula of sheet columns, e.g. ``"~ donor + condition"`` (paired test), ``"~ donor +
        dose"`` (numeric columns are continuous), ``"~ genotype * treatment"``, ``"~ 0 + group"``
        or ``"~ factor(dose) + donor"``; the model matrix equals R's ``model.matrix``.
    contrast
        What to test, as R's ``results()``: ``"factor,test,reference"`` (or a 3-tuple /
        :class:`Contrast`) is the contrast vector ``test_vs_ref - reference_vs_ref`` on the fit
        with the factor's own reference level (R's ``contrast = c(factor, test, reference)``);
        a numeric vector with one weight per coefficient (``contrast = c(0, 1, -1)``); a
        :class:`ListContrast` (``contrast = list(num, den)``); or a :class:`CoefContrast`.
    coef
        Name of one coefficient, instead of ``contrast`` (R's ``results(name=)``); DESeq2's
        ``resultsNames`` (``"dose"``, ``"condition_exo_vs_ctrl"``, ``"batchb2.conditionil1b"``)
        or R's ``model.matrix`` column names.
    reference
        Reference (first) level by factor, as R's ``relevel``; otherwise the sorted levels (or
        a pandas categorical's order) as R's ``factor()``.
    method
        ``"deseq2"`` (default) or ``"limma-voom"`` (``voom`` + ``lmFit`` + ``eBayes``, limma
        3.54 defaults; a donor term in the design is the donor block as fixed effects).
    alpha
        FDR level at which independent filtering maximises discoveries (R's ``alpha``,
        default 0.1 as in ``results()``; the study uses its FDR threshold).
    lfc_threshold
        Test ``|log2FC| > lfc_threshold`` (``altHypothesis = "greaterAbs"``); 0 tests LFC = 0.
    size_factor_type
        ``"ratio"`` (R's default; fails when every feature has a zero) or ``"poscounts"``.
    independent_filtering, cooks_cutoff
        As ``results(independentFiltering=, cooksCutoff=)``.
    test
        ``"wald"`` (default) or ``"lrt"``: the likelihood-ratio test of the full design against
        ``reduced`` (DESeq2's ``nbinomLRT``); ``stat`` is then the deviance difference and
        ``p_value`` its chi-square tail with ``df = p_full - p_reduced``, while
        ``log2_fold_change`` and ``lfc_se`` stay the full model's MLE for the contrast, as in R.
        DESeq2 method only; not with ``lfc_threshold``.
    reduced
        Reduced formula for ``test="lrt"``, nested in ``design`` (e.g. ``"~ donor"`` or ``"~ 1"``).

    min_replicates_for_replace
        As ``DESeq(minReplicatesForReplace=)``: in design cells with at least this many
        samples, counts with Cook's distance above ``qf(0.99, p, m - p)`` are replaced by the
        20 % trimmed mean of the normalised counts times the size factor, and those genes get
        new gene-wise and MAP dispersions (trend and prior kept) and a new fit; their
        ``base_mean`` is then that of the replaced counts, ``normalized`` keeps the originals,
        and the ``replaced`` column flags them. ``None`` turns replacement off.
    shrink
        ``"normal"``: report ``log2_fold_change`` and ``lfc_se`` shrunk with DESeq2's normal
        prior (``lfcShrink(dds, contrast =, res =, type = "normal")``: prior variance per term
        from the upper quantile of the MLE LFCs, refit of the expanded design with that ridge);
        ``stat``, ``p_value`` and ``padj`` stay those of the unshrunken test, as in R, and the
        MLE is kept in ``log2_fold_change_mle``. apeglm is not available.
    voom_normalization, filter_by_expr
        limma-voom only. Default: the limma user's guide pipeline, edgeR ``filterByExpr(y,
        design)`` then ``calcNormFactors`` (TMM) and ``voom`` on ``lib.size * norm.factors``;
        features removed by the filter keep NaN statistics and ``filtered = True``.
        ``voom_normalization="none"`` with ``filter_by_expr=False`` is ``voom(counts, design)``
        on raw library sizes (exodisc before 2026-12).
    block
        limma-voom only: sheet column of a random block (donors), R's
        ``duplicateCorrelation(v, design, block =)`` then ``lmFit(v, design, block =,
        correlation = consensus)``; the design must not contain the block (``"~ group"``).

    Returns
    -------
    DEResult

    Notes
    -----
    R equivalent::

        dds <- DESeqDataSetFromMatrix(counts, sheet, design)   # contrast ref level first
        dds <- DESeq(dds)            # test = "lrt": DESeq(dds, test = "LRT", reduced = ~ donor)
        results(dds, contrast = c(factor, test, reference), alpha = alpha)

    limma-voom: ``fit <- eBayes(lmFit(voom(counts, design), design)); topTable(fit, coef,
    number = Inf, sort.by = "none")`` (Law et al. 2014, Genome Biology 15:R29); its table has
    ``base_mean`` = mean counts per million, ``ave_expr`` = limma's AveExpr, ``stat`` = moderated
    t, ``padj`` = BH over all features (no independent filtering, no Cook's).

    Love, Huber & Anders (2014) Genome Biology 15:550. Differences from R DESeq2 1.38.3:
    the parametric-trend fallback uses the mean rather than ``locfit``; the L-BFGS-B refit
    of non-converging genes uses SciPy (same objective and bounds).

    Examples
    --------
    >>> import anndata as ad, numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> sheet = pd.DataFrame({"donor": ["A", "A", "B", "B", "C", "C"],
    ...                       "cond": ["c", "t"] * 3}, index=list("123456"))
    >>> x = rng.negative_binomial(5, 0.05, size=(6, 200)).astype(float)
    >>> res = run_de(ad.AnnData(x, obs=sheet), "~ donor + cond", "cond,t,c")
    >>> list(res.table.columns[:7])
    ['feature_id', 'base_mean', 'log2_fold_change', 'lfc_se', 'stat', 'p_value', 'padj']
    """

    from exodisc.omics.de import _engine as eng

    if not 0 < alpha < 1:
        msg = f"alpha must be between 0 and 1, got {alpha!r}"
        raise ValueError(msg)
    if lfc_threshold < 0:
        msg = f"lfc_threshold must be >= 0, got {lfc_threshold!r}"
        raise ValueError(msg)
    if test not in ("wald", "lrt"):
        msg = f"test must be 'wald' or 'lrt', got {test!r}"
        raise ValueError(msg)
    if test == "lrt":
        if reduced is None:
            msg = "test='lrt' needs a reduced formula, e.g. reduced='~ donor' (or '~ 1')"
            raise DesignError(msg)
        if lfc_threshold > 0:
            msg = "tests against an LFC threshold (lfc_threshold > 0) must be Wald tests"
            raise DesignError(msg)
        if method != "deseq2":
            msg = "test='lrt' is available for method='deseq2' only"
            raise DesignError(msg)
    if block is not None and method != "limma-voom":
        msg = "block= (duplicateCorrelation) is available for method='limma-voom' only"
        raise DesignError(msg)
    if shrink != "none" and method != "deseq2":
        msg = "shrink='normal' is available for method='deseq2' only"
        raise DesignError(msg)
    if (contrast is None) == (coef is None):
        msg = "give exactly one of contrast (factor,test,reference or a vector) and coef (a name)"
        raise DesignError(msg)
    con = parse_contrast(contrast) if contrast is not None else CoefContrast(str(coef))
    if shrink != "none" and not isinstance(con, Contrast):
        msg = "shrink='normal' needs a factor contrast (factor, test, reference)"
        raise DesignError(msg)
    sheet = counts.obs
    frame = pd.DataFrame(
        np.asarray(counts.X.todense() if hasattr(counts.X, "todense") else counts.X).T,
        index=pd.Index(counts.var_names.astype(str), name="feature_id"),
        columns=counts.obs_names.astype(str),
    )
    y_all = _check_counts(frame)
    des = build_design(sheet, design, con, reference=reference)
    if method == "limma-voom" and isinstance(con, Contrast) and np.count_nonzero(des.contrast) > 1:
        # weighted least squares is invariant to the coding: the re-levelled fit gives the
        # exact moderated t of the contrast (limma's contrasts.fit approximates its SE)
        des = build_design(
            sheet, design, con, reference={**(reference or {}), con.factor: con.reference}
        )
    if shrink != "none" and not des.main_effects_only:
        msg = (
            f"shrink='normal' needs a design of factor main effects with an intercept (DESeq2's "
            f"betaPrior); {design!r} has numeric covariates, interactions or no intercept"
        )
        raise DesignError(msg)
    x_reduced = build_reduced(sheet, reduced, des) if test == "lrt" and reduced else None
    if method == "limma-voom":
        blk = None
        if block is not None:
            if block not in sheet.columns:
                msg = (
                    f"block column {block!r} is not in the sample sheet "
                    f"({', '.join(sheet.columns)})"
                )
                raise DesignError(msg)
            if sheet[block].isna().any():
                msg = f"block column {block!r} is empty for some samples"
                raise DesignError(msg)
            blk = sheet[block].astype(str).to_numpy()
        return _run_limma(
            frame,
            y_all,
            des,
            con,
            design,
            normalization=voom_normalization,
            filt=filter_by_expr,
            block=blk,
        )
    if method != "deseq2":
        msg = f"method must be 'deseq2' or 'limma-voom', got {method!r}"
        raise ValueError(msg)
    x = des.matrix
    g, n = y_all.shape
    sf = eng.size_factors(y_all, kind=size_factor_type)
    norm = y_all / sf
    base_mean = norm.mean(axis=1)
    base_var = norm.var(axis=1, ddof=1)
    all_zero = y_all.sum(axis=1) == 0
    nz = ~all_zero
    if nz.sum() == 0:
        msg = "every feature has zero counts in every sample"
        raise DesignError(msg)
    y = y_all[nz]
    with single_threaded_blas():
        disp = eng.estimate_dispersions(y, x, sf, base_mean[nz], base_var[nz])
        fit = eng.fit_nbinom_glm(y, x, sf, disp.dispersion)
        lrt = (
            None
            if x_reduced is None
            else eng.nbinom_lrt(
                y, x, x_reduced, sf, disp.dispersion, full_mu=fit.mu, full_optim=fit.optim
            )
        )
    k = des.contrast_column
    cvec = des.contrast
    lfc, se, stat, pval = _test_stats(fit, lrt, cvec, lfc_threshold, y, x, sf, disp.dispersion)
    gene_est, disp_fit = disp.disp_gene_est.copy(), disp.disp_fit.copy()
    dispersion, disp_outlier = disp.dispersion.copy(), disp.disp_outlier.copy()
    optim = fit.optim.copy()
    beta_mle = fit.beta.copy()
    # Cook's distances; outlier replacement and refit (cells with >= min_replicates_for_replace)
    from scipy.stats import f as fdist

    p = x.shape[1]
    cooks = eng.cooks_distance(y, x, sf, fit.mu, fit.hat)
    big = eng.samples_in_big_cells(x)
    cutoff = fdist.ppf(0.99, p, n - p) if n > p else np.inf
    replaceable = (
        eng.samples_in_big_cells(x, min_replicates_for_replace)
        if min_replicates_for_replace is not None and n > p
        else np.zeros(n, dtype=bool)
    )
    y_eff = y
    replace = np.zeros(y.shape[0], dtype=bool)
    refit = np.zeros(y.shape[0], dtype=bool)
    if replaceable.any():
        over = np.asarray(cooks > cutoff, dtype=bool)
        replace = np.asarray(over.any(axis=1), dtype=bool)
    if replace.any():
        trimmed = eng.trim_mean_rows(y / sf, 0.2)
        mask = over & replaceable[None, :]
        y_eff = y.copy()
        y_eff[mask] = np.trunc(np.outer(trimmed, sf))[mask]
        norm_rep = y_eff / sf
        new_zero = replace & (y_eff.sum(axis=1) == 0)
        refit = replace & ~new_zero
        base_mean[np.flatnonzero(nz)[replace]] = norm_rep[replace].mean(axis=1)
        if refit.any():
            sub = y_eff[refit]
            with single_threaded_blas():
                d2 = eng.estimate_dispersions(
                    sub,
                    x,
                    sf,
                    norm_rep[refit].mean(axis=1),
                    norm_rep[refit].var(axis=1, ddof=1),
                    fixed=disp,
                )
                f2 = eng.fit_nbinom_glm(sub, x, sf, d2.dispersion)
                l2 = (
                    None
                    if x_reduced is None
                    else eng.nbinom_lrt(
                        sub, x, x_reduced, sf, d2.dispersion, full_mu=f2.mu, full_optim=f2.optim
                    )
                )
            lfc[refit], se[refit], stat[refit], pval[refit] = _test_stats(
                f2, l2, cvec, lfc_threshold, sub, x, sf, d2.dispersion
            )
            gene_est[refit], disp_fit[refit] = d2.disp_gene_est, d2.disp_fit
            dispersion[refit], disp_outlier[refit] = d2.dispersion, d2.disp_outlier
            optim[refit] = f2.optim
            beta_mle[refit] = f2.beta
        lfc[new_zero], se[new_zero], stat[new_zero], pval[new_zero] = 0.0, 0.0, 0.0, 1.0
    lfc_mle = lfc.copy()
    if shrink == "normal" and isinstance(con, Contrast):
        from exodisc.omics.de._shrink import shrink_normal

        with single_threaded_blas():
            shr = shrink_normal(
                y,
                sf,
                des,
                {t: sheet[t].astype(str).to_numpy() for t in des.levels},
                con,
                beta_mle=beta_mle,
                dispersion=dispersion,
                disp_fit=disp_fit,
                base_mean=base_mean[nz],
            )
        lfc, se = shr.lfc.copy(), shr.se.copy()
    elif shrink != "none":
        msg = f"shrink must be 'none' or 'normal', got {shrink!r}"
        raise ValueError(msg)
    # R's cleanContrast: samples of the contrast all zero -> LFC 0, stat 0, p 1. A factor
    # contrast read from one coefficient uses the two levels' samples; any other contrast with
    # weights of both signs (contrastAllZeroNumeric) the samples whose design row enters it;
    # a coefficient by name is not cleaned.
    groups_zero = np.zeros(y.shape[0], dtype=bool)
    pair_zero = np.zeros(y.shape[0], dtype=bool)
    if isinstance(con, Contrast) and np.count_nonzero(cvec) == 1:
        levels = sheet[con.factor].astype(str).to_numpy()
        in_pair = (levels == con.test) | (levels == con.reference)
        pair_zero = (y_eff[:, in_pair] == 0).all(axis=1)
    elif not isinstance(con, CoefContrast) and (cvec > 0).any() and (cvec < 0).any():
        involved = (x @ (cvec != 0).astype(float)) != 0
        pair_zero = (y[:, involved] == 0).all(axis=1)
    if pair_zero.any():
        lfc[pair_zero] = 0.0
        lfc_mle[pair_zero] = 0.0
        if lrt is None:  # R's cleanContrast changes the Wald statistic only
            stat[pair_zero] = 0.0
            pval[pair_zero] = 1.0
    if isinstance(con, Contrast):
        levels = sheet[con.factor].astype(str).to_numpy()
        for lvl in (con.test, con.reference):
            groups_zero |= (y[:, levels == lvl] == 0).all(axis=1)
    else:  # any level of any factor of the design all zero
        for f, lvs in des.levels.items():
            fl = sheet[f].astype(str).to_numpy()
            for lvl in lvs:
                groups_zero |= (y[:, fl == lvl] == 0).all(axis=1)
    # Cook's filtering (after a refit: original Cook's of the samples that were not replaceable)
    cooks_out = np.zeros(y.shape[0], dtype=bool)
    max_cooks = np.full(y.shape[0], np.nan)
    if n > p and big.any() and not (refit.any() and replaceable.all()):
        kept = cooks if not refit.any() else np.where(replaceable[None, :], 0.0, cooks)
        max_cooks = kept[:, big].max(axis=1)
        if cooks_cutoff:
            cooks_out = max_cooks > cutoff
            var = des.variables[0] if len(des.variables) == 1 else ""
            if var in des.levels and len(des.levels[var]) == 2:
                for i in np.flatnonzero(cooks_out):
                    out_count = y[i, int(np.argmax(cooks[i]))]
                    if (y[i] > out_count).sum() >= 3:
                        cooks_out[i] = False
            pval = np.where(cooks_out, np.nan, pval)

    # scatter back to all features
    def full(v: np.ndarray, fill: float = np.nan) -> np.ndarray:
        out = np.full(g, fill, dtype=float)
        out[nz] = v
        return out

    p_full = full(pval)
    if independent_filtering:
        filt = eng.independent_filtering(base_mean, p_full, alpha=alpha)
        padj = filt.padj
        filter_threshold, filter_theta = filt.threshold, filt.theta
    else:
        padj = eng.bh_adjust(p_full)
        filter_threshold, filter_theta = 0.0, 0.0
    filtered = ~np.isnan(p_full) & np.isnan(padj)
    table = pd.DataFrame(
        {
            "feature_id": frame.index.to_numpy(),
            "base_mean": base_mean,
            "log2_fold_change": full(lfc),
            "lfc_se": full(se),
            "stat": full(stat),
            "p_value": p_full,
            "padj": padj,
            "disp_gene_est": full(gene_est),
            "disp_fit": full(disp_fit),
            "dispersion": full(dispersion),
            "max_cooks": full(max_cooks),
            "all_zero": all_zero,
            "disp_outlier": full(disp_outlier.astype(float), 0.0).astype(bool),
            "replaced": full(replace.astype(float), 0.0).astype(bool),
            "cooks_outlier": full(cooks_out.astype(float), 0.0).astype(bool),
            "filtered": filtered,
            "all_zero_group": full(groups_zero.astype(float), 0.0).astype(bool),
            "extreme_lfc": np.abs(full(lfc, 0.0)) > 10,
            "optim_used": full(optim.astype(float), 0.0).astype(bool),
        }
    )
    params = {
        "method": "deseq2",
        "design": design,
        "contrast": con.label(),
        "coefficient": des.columns[k] if k >= 0 else con.label(),
        "contrast_vector": dict(zip(des.columns, map(float, cvec), strict=True)),
        "alpha": alpha,
        "lfc_threshold": lfc_threshold,
        "size_factor_type": size_factor_type,
        "trend": disp.trend_kind,
        "trend_coefficients": disp.trend_coefs,
        "var_log_disp_ests": disp.var_log_disp_ests,
        "prior_var": disp.prior_var,
        "prior_var_method": disp.prior_var_method,
        "filter_threshold": filter_threshold,
        "filter_theta": filter_theta,
        "n_features": g,
        "n_samples": n,
        "n_all_zero": int(all_zero.sum()),
        "n_cooks_outliers": int(cooks_out.sum()),
        "n_filtered": int(filtered.sum()),
        "n_optim": int(optim.sum()),
        "n_replaced": int(replace.sum()),
        "shrink": shrink,
        "min_replicates_for_replace": min_replicates_for_replace,
        "test": test,
    }
    if shrink == "normal":
        table.insert(7, "log2_fold_change_mle", full(lfc_mle))
        params["beta_prior_var"] = dict(shr.prior_var)
    if lrt is not None:
        params |= {"reduced": reduced, "lrt_df": lrt.df, "n_optim_reduced": int(lrt.optim.sum())}
    return DEResult(
        table=table,
        normalized=pd.DataFrame(norm, index=frame.index, columns=frame.columns),
        size_factors=pd.Series(sf, index=frame.columns, name="size_factor"),
        contrast=con,
        design=des,
        params=MappingProxyType(params),
    )


def _test_stats(
    fit: Any,
    lrt: Any,
    c: np.ndarray,
    lfc_threshold: float,
    y: np.ndarray,
    x: np.ndarray,
    sf: np.ndarray,
    dispersion: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """log2 fold change, its SE, statistic and P value of contrast ``c`` (Wald or LRT).

    A single coefficient (weight +-1) reads the fit's sandwich variance; any other contrast
    is DESeq2's ``getContrast``: ``c' beta`` with ``sqrt(c' Sigma c)``, Sigma the sandwich
    covariance at the fitted coefficients (means floored at 0.5, the fit's ridge).
    """
    from scipy.special import ndtr

    from exodisc.omics.de._engine import contrast_variance

    nz = np.flatnonzero(c)
    lfc = (fit.beta @ c) / np.log(2)
    if len(nz) == 1 and abs(c[nz[0]]) == 1.0:
        var = fit.beta_var[:, nz[0]]
    else:
        var = contrast_variance(y, x, sf, fit.beta, dispersion, c)
    se = np.sqrt(np.maximum(var, 0)) / np.log(2)
    if lrt is not None:
        return lfc, se, lrt.stat.copy(), lrt.p_value.copy()
    if lfc_threshold > 0:
        stat = np.sign(lfc) * np.maximum((np.abs(lfc) - lfc_threshold) / se, 0)
        pval = np.minimum(1.0, 2 * ndtr(-(np.abs(lfc) - lfc_threshold) / se))
    else:
        stat = lfc / se
        pval = 2 * ndtr(-np.abs(stat))
    return lfc, se, stat, pval


def _run_limma(
    frame: pd.DataFrame,
    y: np.ndarray,
    des: Design,
    con: AnyContrast,
    design: str,
    *,
    normalization: Literal["tmm", "none"] = "tmm",
    filt: bool = True,
    block: np.ndarray | None = None,
) -> DEResult:
    from exodisc.omics.de._engine import bh_adjust
    from exodisc.omics.de._limma import calc_norm_factors_tmm, filter_by_expr, voom_ebayes

    if y.sum(axis=0).min() <= 0:
        msg = "limma-voom: a sample has no counts at all (library size 0)"
        raise DesignError(msg)
    if normalization not in ("tmm", "none"):
        msg = f"voom_normalization must be 'tmm' or 'none', got {normalization!r}"
        raise ValueError(msg)
    c = des.contrast
    nz = np.flatnonzero(c)
    if len(nz) != 1 or abs(c[nz[0]]) != 1.0:
        msg = (
            f"limma-voom tests one coefficient; {con.label()!r} combines several (use a "
            "coefficient name, a contrast against the factor's reference level, or set that "
            "reference with reference= / --reference)"
        )
        raise DesignError(msg)
    sign = float(c[nz[0]])
    keep = filter_by_expr(y, des.matrix) if filt else np.ones(y.shape[0], dtype=bool)
    if keep.sum() < 2:
        msg = f"limma-voom: filterByExpr keeps {int(keep.sum())} feature(s); too few to fit"
        raise DesignError(msg)
    yk = y[keep]
    lib = yk.sum(axis=0)
    nf = calc_norm_factors_tmm(yk, lib) if normalization == "tmm" else np.ones(y.shape[1])
    eff = lib * nf
    fit = voom_ebayes(yk, des.matrix, int(nz[0]), lib_size=eff, block=block)

    def full(v: np.ndarray) -> np.ndarray:
        out = np.full(y.shape[0], np.nan)
        out[keep] = v
        return out

    p_full = full(fit.p_value)
    padj = np.full(y.shape[0], np.nan)
    padj[keep] = bh_adjust(fit.p_value)
    cpm = y / (eff + 1.0) * 1e6
    all_zero = y.sum(axis=1) == 0
    table = pd.DataFrame(
        {
            "feature_id": frame.index.to_numpy(),
            "base_mean": cpm.mean(axis=1),
            "log2_fold_change": sign * full(fit.log_fc),
            "lfc_se": full(fit.se),
            "stat": sign * full(fit.t),
            "p_value": p_full,
            "padj": padj,
            "ave_expr": full(fit.ave_expr),
            "all_zero": all_zero,
            "filtered": ~keep,
        }
    )
    params = {
        "method": "limma-voom",
        "design": design,
        "contrast": con.label(),
        "coefficient": des.columns[int(nz[0])],
        "df_prior": fit.df_prior,
        "s2_prior": fit.s2_prior,
        "n_features": int(y.shape[0]),
        "n_samples": int(y.shape[1]),
        "voom_normalization": normalization,
        "filter_by_expr": filt,
        "n_filtered": int((~keep).sum()),
        "norm_factors": dict(zip(frame.columns, map(float, nf), strict=True)),
        "block_correlation": fit.correlation if block is not None else None,
    }
    return DEResult(
        table=table,
        normalized=pd.DataFrame(cpm, index=frame.index, columns=frame.columns),
        size_factors=pd.Series(eff / np.exp(np.mean(np.log(eff))), index=frame.columns),
        contrast=con,
        design=des,
        params=MappingProxyType(params),
    )


@dataclass(frozen=True)
class DEClassResult:
    """All contrasts of one RNA class in a study (what ``exodisc run`` stores per assay).

    Attributes
    ----------
    rna_class
        ``mRNA``, ``lncRNA``, ``circRNA`` or ``miRNA``.
    results
        :class:`DEResult` by comparison key ``"<test>_vs_<reference>"``.
    vst
        Variance-stabilised values (features x samples) for PCA, heatmaps and correlations.
    fdr, log2_fc
        The study's thresholds used to call features.
    """

    rna_class: str
    results: MappingProxyType[str, DEResult]
    vst: pd.DataFrame
    fdr: float
    log2_fc: float

    def significant(self, key: str) -> pd.DataFrame:
        """Called features of one comparison (FDR and |log2FC| thresholds of the study)."""
        return self.results[key].significant(fdr=self.fdr, log2_fc=self.log2_fc)
