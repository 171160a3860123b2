"""SA-β-gal senescence from counts: positive and total cells per field -> % positive."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from exodisc.errors import InputFormatError, SchemaError

if TYPE_CHECKING:
    from exodisc.config import Study
from exodisc.io import missing_file

__all__ = ["SenescenceResult", "percent_positive", "read_counts"]

_COLUMNS = ("sample", "field", "positive", "total")


@dataclass(frozen=True)
class SenescenceResult:
    """Result of :func:`percent_positive`.

    Attributes
    ----------
    fields
        One row per field: ``sample, group, replicate, field, positive, total, pct_positive``.
    replicates
        One row per biological replicate: ``group, replicate, sample, n_fields, positive,
        total, pct_positive`` — the table the statistics use.
    params
        What was done (``aggregate``).
    """

    fields: pd.DataFrame
    replicates: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)


def read_counts(path: Path) -> pd.DataFrame:
    """Read a counts table (CSV/TSV/XLSX) with columns ``sample, field, positive, total``.

    ``sample`` may be any name the study maps to a sample (id or alias). Counts must be
    non-negative integers with ``positive <= total``; every problem names its row.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> from exodisc.assays.senescence import read_counts
    >>> path = Path(tmp.name) / "sabgal_counts.csv"
    >>> _ = path.write_text("sample,field,positive,total\\nctrl_1,1,5,100\\nil1b_1,1,30,100\\n")
    >>> read_counts(path)
       sample field  positive  total
    0  ctrl_1     1         5    100
    1  il1b_1     1        30    100
    >>> tmp.cleanup()
    """
    from exodisc.io.plate import is_xlsx

    if not path.is_file():
        raise missing_file(path, "counts file")
    if is_xlsx(path):
        df = pd.read_excel(path, dtype=object)
    else:
        sep = "\t" if path.suffix.lower() in {".tsv", ".txt"} else ","
        df = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)
    df.columns = [str(c).strip().lower() for c in df.columns]
    missing = [c for c in _COLUMNS if c not in df.columns]
    if missing:
        msg = f"missing column(s) {missing}; expected {list(_COLUMNS)}, found {list(df.columns)}"
        raise InputFormatError(msg, path=path, where="header")
    out = df[list(_COLUMNS)].copy()
    problems = []
    for col in ("positive", "total"):
        vals = []
        for i, v in enumerate(out[col], start=2):
            s = str(v).strip()
            try:
                f = float(s)
            except ValueError:
                f = np.nan
            if not np.isfinite(f) or f < 0 or f != int(f):
                problems.append(f"row {i}, column {col!r}: expected a count >= 0, found {s!r}")
                vals.append(0)
            else:
                vals.append(int(f))
        out[col] = np.asarray(vals, dtype="int64")
    for i, (p, t) in enumerate(zip(out["positive"], out["total"], strict=True), start=2):
        if p > t:
            problems.append(f"row {i}: positive ({p}) exceeds total ({t})")
        elif t == 0:
            problems.append(f"row {i}: total is 0 (a field without cells cannot give a %)")
    out["sample"] = out["sample"].astype(str).str.strip()
    out["field"] = out["field"].astype(str).str.strip()
    dup = out[out.duplicated(["sample", "field"], keep=False)]
    if not dup.empty:
        first = dup.iloc[0]
        problems.append(f"sample {first['sample']!r} field {first['field']!r} is given twice")
    if problems:
        raise InputFormatError("; ".join(problems), path=path)
    return out


def unknown_sample_message(unknown: list[str], study: Study) -> str:
    """Sample names (of a counts table or image names) that are no sample of the study."""
    known = ", ".join(x.id for x in study.samples[:6])
    return (
        f"sample name(s) the study lacks: {sorted(set(unknown))}; expected sample ids or "
        f"aliases such as {known}"
    )


def percent_positive(
    counts: pd.DataFrame,
    study: Study,
    *,
    aggregate: Literal["pooled", "mean"] = "pooled",
    source: Path | None = None,
) -> SenescenceResult:
    """% SA-β-gal-positive cells per biological replicate.

    Parameters
    ----------
    counts
        ``sample, field, positive, total`` (:func:`read_counts`).
    study
        Maps sample names (ids or aliases) to groups and replicates.
    aggregate
        ``"pooled"``: 100 × Σ positive / Σ total over a replicate's fields; ``"mean"``: the
        mean of the fields' percentages.

    Notes
    -----
    ImageJ / manual counting equivalent: Cell Counter plug-in counts per field, summed in
    Excel; R: ``with(aggregate(cbind(positive, total) ~ sample, d, sum), 100 * positive /
    total)`` (pooled) or ``aggregate(100 * positive / total ~ sample, d, mean)``.

    Examples
    --------
    >>> import pandas as pd
    >>> from pathlib import Path
    >>> from exodisc.config import parse_study
    >>> raw = {"title": "SA-β-gal", "replicates": 2,
    ...        "groups": [{"id": "ctrl", "label": "Control"}, {"id": "il1b", "label": "IL-1β"}]}
    >>> study = parse_study(raw, path=Path("study.yaml"))
    >>> from exodisc.assays.senescence import percent_positive
    >>> counts = pd.DataFrame({"sample": ["ctrl_1", "ctrl_1", "ctrl_2", "il1b_1", "il1b_2"],
    ...                        "field": [1, 2, 1, 1, 1], "positive": [5, 7, 4, 30, 26],
    ...                        "total": [100, 100, 80, 100, 90]})
    >>> res = percent_positive(counts, study)
    >>> res.replicates.round(2)
      group  replicate  sample  n_fields  positive  total  pct_positive
    0  ctrl          1  ctrl_1         2        12    200          6.00
    1  ctrl          2  ctrl_2         1         4     80          5.00
    2  il1b          1  il1b_1         1        30    100         30.00
    3  il1b          2  il1b_2         1        26     90         28.89
    """
    rows = []
    unknown = []
    for rec in counts.to_dict("records"):
        s = study.sample_for(str(rec["sample"]))
        if s is None:
            unknown.append(str(rec["sample"]))
            continue
        rows.append({**rec, "sample": s.id, "group": s.group, "replicate": s.replicate})
    if unknown:
        msg = unknown_sample_message(unknown, study)
        if source is not None:
            raise InputFormatError(msg, path=source, where="column 'sample'")
        raise SchemaError(msg)
    f = pd.DataFrame(rows)
    f["pct_positive"] = 100 * f["positive"] / f["total"]
    order = {g: i for i, g in enumerate(study.group_ids)}
    f = f.assign(_g=f["group"].map(order)).sort_values(["_g", "replicate", "field"])
    f = f[["sample", "group", "replicate", "field", "positive", "total", "pct_positive"]]
    rep = (
        f.groupby(["group", "replicate", "sample"], sort=False)
        .agg(
            n_fields=("field", "size"),
            positive=("positive", "sum"),
            total=("total", "sum"),
            mean_field_pct=("pct_positive", "mean"),
        )
        .reset_index()
    )
    if aggregate == "pooled":
        rep["pct_positive"] = 100 * rep["positive"] / rep["total"]
    else:
        rep["pct_positive"] = rep["mean_field_pct"]
    rep = rep.drop(columns="mean_field_pct")
    return SenescenceResult(f.reset_index(drop=True), rep, {"aggregate": aggregate})
