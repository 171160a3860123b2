"""Reading declared DE result tables (limma topTable, DESeq2 results) for the cross-link."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from exodisc.errors import InputFormatError
from exodisc.io import missing_file

__all__ = ["read_result_table"]

_LFC = ("logFC", "log2FoldChange", "log2_fc", "log2fc", "lfc")
_P = ("adj.P.Val", "padj", "FDR", "p_adj")


def read_result_table(path: str | Path, *, contrast: str = "") -> pd.DataFrame:
    """Read a differential-expression result table written by R or exodisc.

    Parameters
    ----------
    path
        Tab- or comma-separated file; the feature names are the first column (row names as R
        writes them) or a ``gene`` / ``feature`` / ``symbol`` column.
    contrast
        ``"test vs reference"`` recorded in a ``contrast`` column when the file has none.

    Returns
    -------
    pandas.DataFrame
        Columns ``feature``, ``log2_fc``, ``p_adj`` (NaN where the file has no adjusted P) and
        ``contrast``.

    Raises
    ------
    InputFormatError
        No log2 fold-change column (``logFC``, ``log2FoldChange``, ``log2_fc``) or no features.

    Notes
    -----
    R: ``write.table(topTable(fit, n=Inf), sep="\\t", quote=FALSE)`` (limma) or
    ``write.csv(as.data.frame(results(dds)))`` (DESeq2) give files this reads.
    """
    path = Path(path)
    if not path.is_file():
        raise missing_file(path)
    sep = "," if path.suffix.lower() == ".csv" else "\t"
    frame = pd.read_csv(path, sep=sep)
    cols = list(frame.columns)
    feature = next((c for c in cols if str(c).lower() in ("gene", "feature", "symbol")), None)
    if feature is None:
        feature = cols[0]
    lfc = next((c for c in cols if c in _LFC), None)
    if lfc is None:
        msg = f"no log2 fold-change column; expected one of {list(_LFC)}, found {cols}"
        raise InputFormatError(msg, path=path, where="header")
    pcol = next((c for c in cols if c in _P), None)
    out = pd.DataFrame(
        {
            "feature": frame[feature].astype(str),
            "log2_fc": pd.to_numeric(frame[lfc], errors="coerce"),
            "p_adj": pd.to_numeric(frame[pcol], errors="coerce") if pcol else float("nan"),
        }
    )
    bad = out.index[out["log2_fc"].isna()].tolist()
    if bad:
        msg = f"column {lfc!r} is not numeric in {len(bad)} row(s), first at data row {bad[0] + 1}"
        raise InputFormatError(msg, path=path, where=f"column {lfc!r}")
    if out.empty:
        raise InputFormatError("no rows", path=path)
    out["contrast"] = frame["contrast"].astype(str) if "contrast" in cols else contrast
    return out
