"""Design formulas (``~ donor + condition``) to model matrices, as R's ``model.matrix`` does."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from exodisc.errors import DesignError

__all__ = [
    "Contrast",
    "Design",
    "build_design",
    "build_reduced",
    "parse_contrast",
    "parse_formula",
]

_TERM = re.compile(r"^[A-Za-z_.][A-Za-z0-9_.]*$")


@dataclass(frozen=True)
class Contrast:
    """Two levels of one factor: ``test`` against ``reference``."""

    factor: str
    test: str
    reference: str

    def label(self) -> str:
        return f"{self.factor}: {self.test} vs {self.reference}"


@dataclass(frozen=True)
class Design:
    """A model matrix with its column names and the factor levels used."""

    formula: str
    matrix: NDArray[np.float64]
    columns: tuple[str, ...]
    levels: dict[str, tuple[str, ...]]
    contrast_column: int

    @property
    def n_coef(self) -> int:
        return self.matrix.shape[1]


def parse_formula(formula: str) -> list[str]:
    """Terms of an additive formula ``"~ a + b"``; anything else is a :class:`DesignError`."""
    text = formula.strip()
    if not text.startswith("~"):
        msg = f"design {formula!r} must start with '~', e.g. '~ donor + condition'"
        raise DesignError(msg)
    body = text[1:].strip()
    terms = [t.strip() for t in body.split("+")] if body else []
    bad = [t for t in terms if not _TERM.match(t)]
    if not terms or bad:
        msg = (
            f"design {formula!r}: only additive main effects of sheet columns are supported "
            f"(e.g. '~ donor + condition'); could not read {', '.join(map(repr, bad)) or 'a term'}"
        )
        raise DesignError(msg)
    if len(set(terms)) != len(terms):
        msg = f"design {formula!r} names a term twice"
        raise DesignError(msg)
    return terms


def parse_contrast(text: str | tuple[str, str, str] | Contrast) -> Contrast:
    """``"dex,trt,untrt"`` (factor, tested level, reference level) to a :class:`Contrast`."""
    if isinstance(text, Contrast):
        return text
    parts = [p.strip() for p in text.split(",")] if isinstance(text, str) else list(text)
    if len(parts) != 3 or not all(parts):
        msg = f"contrast {text!r} must be 'factor,test_level,reference_level', e.g. 'dex,trt,untrt'"
        raise DesignError(msg)
    if parts[1] == parts[2]:
        msg = f"contrast {text!r} compares level {parts[1]!r} with itself"
        raise DesignError(msg)
    return Contrast(parts[0], parts[1], parts[2])


def build_design(sheet: pd.DataFrame, formula: str, contrast: Contrast) -> Design:
    """Treatment-coded model matrix of ``formula`` on ``sheet`` (one row per sample).

    Levels are sorted as R's ``factor()`` sorts them; the contrast's reference level is moved
    first (R's ``relevel``), so the tested coefficient is ``test`` vs ``reference``.
    """
    terms = parse_formula(formula)
    missing = [t for t in terms if t not in sheet.columns]
    if missing:
        msg = (
            f"design {formula!r} uses column(s) {', '.join(map(repr, missing))} that the sample "
            f"sheet lacks; it has {', '.join(map(str, sheet.columns))}"
        )
        raise DesignError(msg)
    if contrast.factor not in terms:
        msg = f"contrast factor {contrast.factor!r} is not a term of the design {formula!r}"
        raise DesignError(msg)
    cols: list[NDArray[np.float64]] = [np.ones(len(sheet))]
    names = ["Intercept"]
    levels: dict[str, tuple[str, ...]] = {}
    contrast_col = -1
    for t in terms:
        values = sheet[t]
        if values.isna().any():
            rows = ", ".join(map(str, sheet.index[values.isna()]))
            msg = f"sample sheet column {t!r} is empty for sample(s) {rows}"
            raise DesignError(msg)
        vals = values.astype(str)
        lv = sorted(vals.unique())
        if t == contrast.factor:
            for lvl in (contrast.test, contrast.reference):
                if lvl not in lv:
                    msg = (
                        f"contrast level {lvl!r} does not occur in column {t!r}; "
                        f"its levels are {', '.join(lv)}"
                    )
                    raise DesignError(msg)
            lv.remove(contrast.reference)
            lv.insert(0, contrast.reference)
        if len(lv) < 2:
            msg = f"design term {t!r} has a single level ({lv[0]!r}); drop it from the design"
            raise DesignError(msg)
        levels[t] = tuple(lv)
        for lvl in lv[1:]:
            if t == contrast.factor and lvl == contrast.test:
                contrast_col = len(names)
            cols.append((vals.to_numpy() == lvl).astype(float))
            names.append(f"{t}_{lvl}_vs_{lv[0]}")
    x = np.column_stack(cols)
    rank = np.linalg.matrix_rank(x)
    if rank < x.shape[1]:
        msg = (
            f"design {formula!r} is not of full rank ({rank} of {x.shape[1]} coefficients "
            f"estimable): some terms are confounded (e.g. each donor in only one condition) or "
            f"a combination of levels is empty; columns: {', '.join(names)}"
        )
        raise DesignError(msg)
    if x.shape[0] <= x.shape[1]:
        msg = (
            f"design {formula!r} has {x.shape[1]} coefficients for {x.shape[0]} samples; "
            "DESeq2 needs more samples than coefficients (replicates)"
        )
        raise DesignError(msg)
    return Design(formula, x, tuple(names), levels, contrast_col)


def build_reduced(sheet: pd.DataFrame, formula: str, full: Design) -> NDArray[np.float64]:
    """Model matrix of the reduced formula of a likelihood-ratio test (``"~ donor"``, ``"~ 1"``).

    Its terms must be a subset of the full design's; levels are coded as in ``full`` (same
    reference levels), so the reduced model is nested in the full one.
    """
    text = formula.strip()
    terms = [] if text.replace(" ", "") == "~1" else parse_formula(formula)
    extra = [t for t in terms if t not in full.levels]
    if extra:
        msg = (
            f"reduced design {formula!r} has term(s) {', '.join(map(repr, extra))} that the full "
            f"design {full.formula!r} lacks; the reduced model must be nested in the full one"
        )
        raise DesignError(msg)
    if len(terms) >= len(full.levels):
        msg = (
            f"reduced design {formula!r} drops no term of the full design {full.formula!r}; "
            "the likelihood-ratio test needs at least one degree of freedom"
        )
        raise DesignError(msg)
    cols: list[NDArray[np.float64]] = [np.ones(len(sheet))]
    for t in terms:
        vals = sheet[t].astype(str).to_numpy()
        cols.extend((vals == lvl).astype(float) for lvl in full.levels[t][1:])
    return np.column_stack(cols)
