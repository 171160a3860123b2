"""Design formulas to model matrices as R's ``model.matrix`` builds them, and R's contrasts.

The formula grammar is R's (Wilkinson-Rogers), parsed by ``formulaic``: ``+``, ``:``, ``*``,
``-``, ``0 +`` / ``- 1``, ``(a + b)^2``, and ``factor(x)`` / ``C(x)`` / ``as.factor(x)`` to read a
numeric column as a factor. Numeric sample-sheet columns are continuous covariates; text
(or pandas categorical) columns are factors whose first level is the reference (R's sorted
levels, the categorical order, or ``reference=`` as R's ``relevel``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from exodisc.errors import DesignError

__all__ = [
    "AnyContrast",
    "CoefContrast",
    "Contrast",
    "Design",
    "ListContrast",
    "VectorContrast",
    "build_design",
    "build_reduced",
    "contrast_vector",
    "make_names",
    "model_matrix",
    "parse_contrast",
    "parse_formula",
]

_NAME = r"[A-Za-z_.][A-Za-z0-9_.]*"
_TOKEN = re.compile(rf"(?P<fun>factor|as\.factor|C)\s*\(\s*(?P<arg>{_NAME})\s*\)|(?P<name>{_NAME})")
_ALLOWED = re.compile(r"^[\s+\-*:()^0-9/]*$")


@dataclass(frozen=True)
class Contrast:
    """Two levels of one factor: ``test`` against ``reference`` (R's ``c(factor, a, b)``)."""

    factor: str
    test: str
    reference: str

    def label(self) -> str:
        return f"{self.factor}: {self.test} vs {self.reference}"


@dataclass(frozen=True)
class CoefContrast:
    """One coefficient by name (R's ``results(name=)``), e.g. ``"dose"``."""

    name: str

    def label(self) -> str:
        return f"coefficient {self.name}"


@dataclass(frozen=True)
class VectorContrast:
    """A numeric contrast vector, one weight per coefficient (R's ``contrast = c(0, 1, -1)``)."""

    weights: tuple[float, ...]

    def label(self) -> str:
        return "contrast c(" + ", ".join(f"{w:g}" for w in self.weights) + ")"


@dataclass(frozen=True)
class ListContrast:
    """Coefficients added (``numerator``) and subtracted (``denominator``): R's
    ``contrast = list(numerator, denominator)`` with ``listValues = c(1, -1)``."""

    numerator: tuple[str, ...]
    denominator: tuple[str, ...] = ()

    def label(self) -> str:
        den = f" - ({' + '.join(self.denominator)})" if self.denominator else ""
        return f"({' + '.join(self.numerator)}){den}"


AnyContrast = Contrast | CoefContrast | VectorContrast | ListContrast


@dataclass(frozen=True)
class Design:
    """A model matrix with R's column names and what its factors and covariates are.

    Attributes
    ----------
    columns
        DESeq2's ``resultsNames`` (``make.names`` of the model matrix columns, factor main
        effects as ``factor_level_vs_reference``).
    r_columns
        ``colnames(model.matrix(formula, sheet))``.
    levels
        Levels of each sheet column used as a factor (first = reference).
    numeric
        Sheet columns used as continuous covariates.
    variables
        Every sheet column the formula uses (R's ``all.vars``).
    contrast_column
        Column of the contrast when it is a single coefficient, else -1.
    contrast
        Contrast vector over the columns (zeros when no contrast was given).
    """

    formula: str
    matrix: NDArray[np.float64]
    columns: tuple[str, ...]
    levels: dict[str, tuple[str, ...]]
    contrast_column: int
    r_columns: tuple[str, ...] = ()
    numeric: tuple[str, ...] = ()
    variables: tuple[str, ...] = ()
    contrast: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    intercept: bool = True
    main_effects_only: bool = True

    @property
    def n_coef(self) -> int:
        return self.matrix.shape[1]


def make_names(name: str) -> str:
    """R's ``make.names`` for one name (ASCII letters)."""
    out = re.sub(r"[^A-Za-z0-9._]", ".", name)
    if not out or not (out[0].isalpha() or (out[0] == "." and not out[1:2].isdigit())):
        out = "X" + out
    return out


def parse_formula(formula: str) -> list[str]:
    """Sheet columns a formula uses (R's ``all.vars``), in order of appearance."""
    _, names = _tokens(formula)
    return names


def _tokens(formula: str) -> tuple[str, list[str]]:
    text = formula.strip()
    if not text.startswith("~"):
        msg = f"design {formula!r} must start with '~', e.g. '~ donor + condition'"
        raise DesignError(msg)
    body = text[1:]
    for m in re.finditer(rf"({_NAME})\s*\(", body):
        if m.group(1) not in ("factor", "as.factor", "C"):
            msg = (
                f"design {formula!r}: cannot read {m.group(1)}(); only factor(x), as.factor(x) "
                "and C(x) are understood (compute other transformations as sheet columns)"
            )
            raise DesignError(msg)
    rest = _TOKEN.sub(" ", body)
    if not _ALLOWED.match(rest):
        bad = "".join(sorted(set(re.sub(r"[\s+\-*:()^0-9/]", "", rest))))
        msg = (
            f"design {formula!r}: cannot read {bad!r}; use sheet columns joined by +, :, *, "
            "-, '0 +' / '- 1', and factor(x) or C(x) to treat a numeric column as a factor"
        )
        raise DesignError(msg)
    names: list[str] = []
    for m in _TOKEN.finditer(body):
        n = m.group("arg") or m.group("name")
        if n not in names:
            names.append(n)
    if not body.strip():
        msg = f"design {formula!r} is empty; write '~ 1' for an intercept-only model"
        raise DesignError(msg)
    return body, names


def _r_number(v: float) -> str:
    """``as.character`` of a number as R prints it (15 significant digits)."""
    s = f"{v:.15g}"
    return s


def _factor_values(
    values: pd.Series, column: str, reference: str | None
) -> tuple[NDArray[np.str_], tuple[str, ...]]:
    """Labels and levels of a sheet column read as an R factor."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        present = set(values.astype(str))
        lv = [str(c) for c in values.cat.categories if str(c) in present]
        labels = values.astype(str).to_numpy()
    elif pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        nums = values.to_numpy(dtype=float)
        lv = [_r_number(v) for v in np.unique(nums)]
        labels = np.array([_r_number(v) for v in nums])
    else:
        labels = values.astype(str).to_numpy()
        lv = sorted(set(labels))
    if reference is not None:
        if reference not in lv:
            msg = (
                f"reference level {reference!r} does not occur in column {column!r}; "
                f"its levels are {', '.join(lv)}"
            )
            raise DesignError(msg)
        lv.remove(reference)
        lv.insert(0, reference)
    return labels.astype(str), tuple(lv)


def model_matrix(
    sheet: pd.DataFrame,
    formula: str,
    *,
    reference: Mapping[str, str] | None = None,
    check_rank: bool = True,
) -> Design:
    """R's ``model.matrix(formula, sheet)`` with DESeq2's coefficient names.

    Parameters
    ----------
    sheet
        One row per sample. Numeric columns are covariates, others factors.
    formula
        R formula, e.g. ``"~ donor + dose"``, ``"~ genotype * treatment"``, ``"~ 0 + group"``.
    reference
        Reference level by factor (R's ``relevel``); default the first sorted level (or the
        categorical order).
    check_rank
        Refuse designs that are not of full column rank or have no residual degrees of freedom.

    Notes
    -----
    R equivalent: ``model.matrix(formula, sheet)`` after ``factor()`` of character columns
    (and ``relevel``); ``resultsNames(dds)`` for :attr:`Design.columns`.

    Examples
    --------
    >>> import pandas as pd
    >>> from exodisc.omics.de import model_matrix
    >>> sheet = pd.DataFrame({"donor": ["A", "A", "B", "B"], "cond": ["c", "t", "c", "t"]},
    ...                      index=["s1", "s2", "s3", "s4"])
    >>> design = model_matrix(sheet, "~ donor + cond")
    >>> design.r_columns
    ('(Intercept)', 'donorB', 'condt')
    >>> design.matrix
    array([[1., 0., 0.],
           [1., 0., 1.],
           [1., 1., 0.],
           [1., 1., 1.]])
    """
    from formulaic import model_matrix as fm_model_matrix

    reference = dict(reference or {})
    body, names = _tokens(formula)
    missing = [n for n in names if n not in sheet.columns]
    if missing:
        msg = (
            f"design {formula!r} uses column(s) {', '.join(map(repr, missing))} that the sample "
            f"sheet lacks; it has {', '.join(map(str, sheet.columns))}"
        )
        raise DesignError(msg)
    for n in names:
        if sheet[n].isna().any():
            rows = ", ".join(map(str, sheet.index[sheet[n].isna()]))
            msg = f"sample sheet column {n!r} is empty for sample(s) {rows}"
            raise DesignError(msg)
    unknown_ref = [k for k in reference if k not in names]
    if unknown_ref:
        msg = (
            f"reference level given for {', '.join(map(repr, unknown_ref))}, which the design "
            f"{formula!r} does not use"
        )
        raise DesignError(msg)
    data: dict[str, object] = {}
    alias: dict[str, str] = {}  # alias -> R text
    alias_levels: dict[str, tuple[str, ...]] = {}
    levels: dict[str, tuple[str, ...]] = {}
    numeric: list[str] = []

    seen: dict[str, str] = {}

    def add_factor(key: str, text: str, column: str, ref: str | None) -> str:
        if key in seen:
            return seen[key]
        a = seen[key] = f"v{len(alias)}"
        labels, lv = _factor_values(sheet[column], column, ref)
        codes = {lvl: f"l{i}" for i, lvl in enumerate(lv)}
        data[a] = pd.Categorical([codes[x] for x in labels], categories=list(codes.values()))
        alias[a], alias_levels[a] = text, lv
        return a

    def replace(m: re.Match[str]) -> str:
        if m.group("fun"):
            col = m.group("arg")
            return add_factor(f"{m.group('fun')}({col})", f"{m.group('fun')}({col})", col, None)
        col = m.group("name")
        values = sheet[col]
        if (
            pd.api.types.is_numeric_dtype(values)
            and not pd.api.types.is_bool_dtype(values)
            and not isinstance(values.dtype, pd.CategoricalDtype)
        ):
            if col in seen:
                return seen[col]
            a = seen[col] = f"v{len(alias)}"
            data[a] = values.to_numpy(dtype=float)
            alias[a] = col
            if col not in numeric:
                numeric.append(col)
            return a
        a = add_factor(col, col, col, reference.get(col))
        levels[col] = alias_levels[a]
        return a

    rewritten = _TOKEN.sub(replace, body)
    frame = pd.DataFrame(data, index=range(len(sheet))) if data else None
    try:
        mm = fm_model_matrix("~" + rewritten, frame if frame is not None else _n_rows(len(sheet)))
    except Exception as e:  # formulaic's parse / evaluation errors
        msg = f"design {formula!r} could not be read: {e}"
        raise DesignError(msg) from None
    x = np.asarray(mm.to_numpy(dtype=float))
    if x.shape[0] != len(sheet):
        x = np.broadcast_to(x, (len(sheet), x.shape[1])).copy()
    r_cols = [_r_name(str(c), alias, alias_levels) for c in mm.columns]
    des_cols = _deseq_names(r_cols, levels)
    main_only = all(":" not in c for c in r_cols)
    intercept = "(Intercept)" in r_cols
    if check_rank:
        _check_rank(x, formula, des_cols)
    return Design(
        formula=formula,
        matrix=x,
        columns=tuple(des_cols),
        levels=levels,
        contrast_column=-1,
        r_columns=tuple(r_cols),
        numeric=tuple(numeric),
        variables=tuple(names),
        contrast=np.zeros(x.shape[1]),
        intercept=intercept,
        main_effects_only=main_only and intercept and not numeric and len(alias) == len(levels),
    )


def _n_rows(n: int) -> pd.DataFrame:
    return pd.DataFrame(index=range(n))


_PART = re.compile(r"^(v\d+)(?:\[(?:T\.)?(l\d+)\])?$")


def _r_name(col: str, alias: dict[str, str], alias_levels: dict[str, tuple[str, ...]]) -> str:
    if col == "Intercept":
        return "(Intercept)"
    parts: list[tuple[int, str]] = []
    for part in col.split(":"):
        m = _PART.match(part)
        if m is None:  # pragma: no cover - formulaic naming changed
            msg = f"unexpected model matrix column {col!r}"
            raise DesignError(msg)
        a, code = m.group(1), m.group(2)
        label = alias[a] + ("" if code is None else alias_levels[a][int(code[1:])])
        parts.append((int(a[1:]), label))
    # R orders the variables of an interaction by their first appearance in the formula
    return ":".join(label for _, label in sorted(parts))


def _deseq_names(r_cols: list[str], levels: dict[str, tuple[str, ...]]) -> list[str]:
    """``resultsNames``: ``make.names`` and ``renameModelMatrixColumns`` of DESeq2 1.38."""
    names = ["Intercept" if c == "(Intercept)" else make_names(c) for c in r_cols]
    rename = {
        make_names(f"{v}{lvl}"): make_names(f"{v}_{lvl}_vs_{lv[0]}")
        for v, lv in levels.items()
        for lvl in lv[1:]
    }
    return [rename.get(n, n) for n in names]


def _check_rank(x: NDArray[np.float64], formula: str, names: Sequence[str]) -> None:
    rank = np.linalg.matrix_rank(x)
    if rank < x.shape[1]:
        msg = (
            f"design {formula!r} is not of full rank ({rank} of {x.shape[1]} coefficients "
            f"estimable): some terms are confounded (e.g. each donor in only one condition, or "
            f"a covariate that is a function of a factor) or a combination of levels is empty; "
            f"columns: {', '.join(names)}"
        )
        raise DesignError(msg)
    if x.shape[0] <= x.shape[1]:
        msg = (
            f"design {formula!r} has {x.shape[1]} coefficients for {x.shape[0]} samples; "
            "DESeq2 needs more samples than coefficients (replicates)"
        )
        raise DesignError(msg)


def parse_contrast(
    text: str | tuple[str, str, str] | Sequence[float] | AnyContrast,
) -> AnyContrast:
    """A contrast from ``"dex,trt,untrt"`` (factor, tested level, reference level), a
    3-tuple of names, a numeric vector, or a contrast object.

    Examples
    --------
    >>> from exodisc.omics.de import parse_contrast
    >>> parse_contrast("cond, t, c")
    Contrast(factor='cond', test='t', reference='c')
    >>> parse_contrast([0, 1, -1])
    VectorContrast(weights=(0.0, 1.0, -1.0))
    """
    if isinstance(text, Contrast | CoefContrast | VectorContrast | ListContrast):
        return text
    if isinstance(text, np.ndarray) or (
        not isinstance(text, str) and all(isinstance(v, int | float) for v in text)
    ):
        return VectorContrast(tuple(float(v) for v in text))
    parts = [p.strip() for p in text.split(",")] if isinstance(text, str) else list(text)
    if len(parts) != 3 or not all(parts):
        msg = f"contrast {text!r} must be 'factor,test_level,reference_level', e.g. 'dex,trt,untrt'"
        raise DesignError(msg)
    if parts[1] == parts[2]:
        msg = f"contrast {text!r} compares level {parts[1]!r} with itself"
        raise DesignError(msg)
    return Contrast(str(parts[0]), str(parts[1]), str(parts[2]))


def _coef_index(des: Design, name: str) -> int:
    for names in (des.columns, des.r_columns):
        if name in names:
            return names.index(name)
    msg = (
        f"coefficient {name!r} is not in the design {des.formula!r}; its coefficients are "
        f"{', '.join(des.columns)}"
    )
    raise DesignError(msg)


def contrast_vector(des: Design, contrast: AnyContrast) -> NDArray[np.float64]:
    """Weights over the design's coefficients that R's ``results()`` uses for ``contrast``.

    A factor contrast ``(factor, a, b)`` is ``a_vs_ref - b_vs_ref`` on the fit with the
    factor's own reference level (no refit with a re-levelled factor), ``+a_vs_ref`` when b is
    the reference and ``-b_vs_ref`` when a is.
    """
    p = des.n_coef
    c = np.zeros(p)
    if isinstance(contrast, Contrast):
        f = contrast.factor
        if f not in des.levels:
            kind = "a numeric covariate of" if f in des.numeric else "not a term of"
            msg = f"contrast factor {f!r} is {kind} the design {des.formula!r}" + (
                "; test it by name (coef)" if f in des.numeric else ""
            )
            raise DesignError(msg)
        lv = des.levels[f]
        for lvl in (contrast.test, contrast.reference):
            if lvl not in lv:
                msg = (
                    f"contrast level {lvl!r} does not occur in column {f!r}; "
                    f"its levels are {', '.join(lv)}"
                )
                raise DesignError(msg)

        def col(level: str) -> int:
            main = make_names(f"{f}_{level}_vs_{lv[0]}")
            if main in des.columns:
                return des.columns.index(main)
            dummy = make_names(f"{f}{level}")
            if dummy in des.columns:  # '~ 0 + factor': one column per level
                return des.columns.index(dummy)
            msg = (
                f"contrast {contrast.label()!r}: the design {des.formula!r} has no main-effect "
                f"coefficient for {f} = {level}; give a coefficient name or a numeric contrast "
                f"over {', '.join(des.columns)}"
            )
            raise DesignError(msg)

        full_dummy = make_names(f"{f}{lv[0]}") in des.columns
        if full_dummy or contrast.reference != lv[0]:
            c[col(contrast.reference)] -= 1.0
        if full_dummy or contrast.test != lv[0]:
            c[col(contrast.test)] += 1.0
    elif isinstance(contrast, CoefContrast):
        c[_coef_index(des, contrast.name)] = 1.0
    elif isinstance(contrast, ListContrast):
        if not contrast.numerator and not contrast.denominator:
            msg = "list contrast names no coefficient"
            raise DesignError(msg)
        for n in contrast.numerator:
            c[_coef_index(des, n)] += 1.0
        for n in contrast.denominator:
            c[_coef_index(des, n)] -= 1.0
    else:
        if len(contrast.weights) != p:
            msg = (
                f"numeric contrast has {len(contrast.weights)} weight(s) but the design "
                f"{des.formula!r} has {p} coefficients ({', '.join(des.columns)})"
            )
            raise DesignError(msg)
        c = np.asarray(contrast.weights, dtype=float)
        if not np.isfinite(c).all() or not c.any():
            msg = "numeric contrast must be finite and not all zero"
            raise DesignError(msg)
    return c


def build_design(
    sheet: pd.DataFrame,
    formula: str,
    contrast: AnyContrast | None = None,
    *,
    reference: Mapping[str, str] | None = None,
) -> Design:
    """Model matrix of ``formula`` on ``sheet`` with the contrast vector of ``contrast``.

    Examples
    --------
    >>> import pandas as pd
    >>> from exodisc.omics.de import build_design, parse_contrast
    >>> sheet = pd.DataFrame({"donor": ["A", "A", "B", "B"], "cond": ["c", "t", "c", "t"]},
    ...                      index=["s1", "s2", "s3", "s4"])
    >>> design = build_design(sheet, "~ donor + cond", parse_contrast("cond,t,c"))
    >>> design.columns
    ('Intercept', 'donor_B_vs_A', 'cond_t_vs_c')
    >>> design.contrast.tolist()
    [0.0, 0.0, 1.0]
    """
    des = model_matrix(sheet, formula, reference=reference)
    if contrast is None:
        return des
    c = contrast_vector(des, contrast)
    nz = np.flatnonzero(c)
    k = int(nz[0]) if len(nz) == 1 and c[nz[0]] == 1.0 else -1
    from dataclasses import replace as dc_replace

    return dc_replace(des, contrast=c, contrast_column=k)


def build_reduced(sheet: pd.DataFrame, formula: str, full: Design) -> NDArray[np.float64]:
    """Model matrix of the reduced formula of a likelihood-ratio test (``"~ donor"``, ``"~ 1"``).

    Any formula whose columns span a subspace of the full design's (same reference levels);
    it must drop at least one degree of freedom.
    """
    ref = {f: lv[0] for f, lv in full.levels.items()}
    _, names = _tokens(formula)
    extra = [n for n in names if n not in full.variables]
    if extra:
        msg = (
            f"reduced design {formula!r} has term(s) {', '.join(map(repr, extra))} that the full "
            f"design {full.formula!r} lacks; the reduced model must be nested in the full one "
            "(as DESeq2's checkLRT requires)"
        )
        raise DesignError(msg)
    red = model_matrix(
        sheet, formula, reference={k: v for k, v in ref.items() if k in names}, check_rank=False
    )
    x, xr = full.matrix, red.matrix
    rank_full = np.linalg.matrix_rank(x)
    if np.linalg.matrix_rank(xr) < xr.shape[1]:
        msg = f"reduced design {formula!r} is not of full rank"
        raise DesignError(msg)
    if np.linalg.matrix_rank(np.column_stack([x, xr])) > rank_full:
        msg = (
            f"reduced design {formula!r} is not nested in the full design {full.formula!r} "
            f"(its columns {', '.join(red.columns)} are not combinations of the full design's)"
        )
        raise DesignError(msg)
    if xr.shape[1] >= x.shape[1]:
        msg = (
            f"reduced design {formula!r} drops no term of the full design {full.formula!r}; "
            "the likelihood-ratio test needs at least one degree of freedom"
        )
        raise DesignError(msg)
    return xr
