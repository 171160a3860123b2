"""Readers for count matrices and sample sheets, and their union into AnnData.

Formats: plain tables (TSV/CSV; first column the feature ID, one column per sample),
featureCounts output (``# Program:featureCounts`` header, six annotation columns), HTSeq-count
output (one two-column file per sample, ``__no_feature`` summary rows dropped).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from exodisc.errors import DesignError, InputFormatError
from exodisc.io import as_input_error, reading

if TYPE_CHECKING:
    from anndata import AnnData

__all__ = [
    "counts_to_anndata",
    "load_counts",
    "read_counts",
    "read_htseq",
    "read_sample_sheet",
    "sniff_counts",
]

CountFormat = Literal["auto", "table", "featurecounts", "htseq"]
InputFormat = Literal[
    "auto",
    "table",
    "featurecounts",
    "htseq",
    "salmon",
    "kallisto",
    "ciriquant",
    "circexplorer2",
    "mirge3",
    "mirtop",
]
_FC_ANNOT = ("Geneid", "Chr", "Start", "End", "Strand", "Length")


def _first_lines(path: Path, k: int = 3) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig") as fh:
            return [fh.readline() for _ in range(k)]
    except FileNotFoundError:
        raise InputFormatError("file not found", path=path) from None
    except (UnicodeDecodeError, IsADirectoryError, PermissionError) as exc:
        raise as_input_error(exc, path) from None  # type: ignore[misc]


def sniff_counts(path: str | Path) -> str:
    """Which count format ``path`` holds (one of :data:`InputFormat` except "auto")."""
    path = Path(path)
    lines = _first_lines(path, 3)
    head = lines[0].rstrip("\n").split("\t")
    if lines[0].startswith("# Program:featureCounts") or lines[0].startswith("Geneid\tChr"):
        return "featurecounts"
    if {"Name", "EffectiveLength", "TPM", "NumReads"} <= set(head):
        return "salmon"
    if {"target_id", "eff_length", "est_counts", "tpm"} <= set(head):
        return "kallisto"
    text = "".join(lines)
    if lines[0].startswith("##Sample:") or ("circ_id" in text and "bsj" in text):
        return "ciriquant"
    mirtop_gff = lines[0].startswith(("##gff-version", "## mirGFF3"))  # mirtop >= 0.4: mirGFF3
    if mirtop_gff or {"UID", "Read", "miRNA"} <= set(head):
        return "mirtop"
    if lines[0].startswith("miRNA,"):
        return "mirge3"
    if len(head) == 18 and "/" in head[3]:
        return "circexplorer2"
    fields = [ln.rstrip("\n").split("\t") for ln in lines if ln.strip()]
    if fields and all(len(f) == 2 for f in fields):
        try:
            int(fields[0][1])
        except ValueError:
            return "table"
        return "htseq"
    return "table"


#: Largest count accepted (2^53: beyond it floats stop holding integers; no library is that deep).
_MAX_COUNT = float(2**53)


def _check_header(head: str, sep: str, path: Path) -> None:
    """An empty file, or a header naming a column twice (pandas would rename it ``x.1``)."""
    if not head.strip():
        raise InputFormatError("the file is empty (expected a header line and rows)", path=path)
    names = [c.strip().strip('"') for c in head.rstrip("\r\n").split(sep)]
    dup = [n for n in dict.fromkeys(names) if n and names.count(n) > 1]
    if dup:
        msg = f"column(s) {', '.join(map(repr, dup))} appear twice in the header"
        raise InputFormatError(msg, path=path, where="line 1")


def _to_counts(frame: pd.DataFrame, path: Path, first_row: int) -> pd.DataFrame:
    """Check a features x samples frame holds finite, non-negative integers; say where not."""
    problems = []
    if frame.index.has_duplicates:
        dup = frame.index[frame.index.duplicated()].unique()
        problems.append(f"duplicated feature ID(s) {', '.join(map(repr, dup[:5].tolist()))}")
    if frame.columns.has_duplicates:
        dup = frame.columns[frame.columns.duplicated()].unique()
        problems.append(f"duplicated sample column(s) {', '.join(map(repr, dup.tolist()))}")
    if frame.shape[0] == 0:
        problems.append("no features: the table has a header but no rows")
    numeric = frame.apply(pd.to_numeric, errors="coerce")
    text = numeric.isna() & frame.notna()
    for col in frame.columns:
        bad = frame.index[text[col].to_numpy()]
        if len(bad):
            row = first_row + int(np.flatnonzero(text[col].to_numpy())[0])
            problems.append(
                f"row {row}, column {col!r}: {frame.loc[bad[0], col]!r} is not a number"
            )
        nan = frame.index[frame[col].isna().to_numpy()]
        if len(nan):
            row = first_row + int(np.flatnonzero(frame[col].isna().to_numpy())[0])
            problems.append(f"row {row}, column {col!r}: missing count (feature {nan[0]!r})")
        v = numeric[col].to_numpy(dtype=float, na_value=np.nan)
        huge = np.flatnonzero(np.isinf(v) | (np.abs(v) > _MAX_COUNT))
        if huge.size:
            problems.append(
                f"row {first_row + int(huge[0])}, column {col!r}: count {v[huge[0]]:g} is not "
                f"a finite count below {_MAX_COUNT:.0e}"
            )
            v = np.where(np.isinf(v) | (np.abs(v) > _MAX_COUNT), np.nan, v)
        neg = np.flatnonzero(v < 0)
        if neg.size:
            problems.append(
                f"row {first_row + int(neg[0])}, column {col!r}: negative count {v[neg[0]]:g}"
            )
        frac = np.flatnonzero(np.isfinite(v) & (v != np.round(v)))
        if frac.size:
            problems.append(
                f"row {first_row + int(frac[0])}, column {col!r}: non-integer count "
                f"{v[frac[0]]:g} ({frac.size} in this column); DESeq2 needs raw integer counts"
            )
    if problems:
        raise InputFormatError("; ".join(problems), path=path)
    return numeric.astype(np.int64)


def read_counts(path: str | Path, *, format: CountFormat = "auto") -> pd.DataFrame:
    """Read a count matrix as features x samples (integer), index named ``feature_id``.

    Parameters
    ----------
    path
        A plain table (TSV or CSV; first column the feature ID) or featureCounts output.
    format
        ``"auto"`` sniffs.

    Returns
    -------
    pandas.DataFrame
        Integer counts; the input file is never modified.

    Notes
    -----
    R equivalent: ``as.matrix(read.delim(path, row.names = 1))``;
    featureCounts: ``read.delim(path, comment.char = "#")[, -(2:6)]``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> from exodisc.omics.de import read_counts
    >>> path = Path(tmp.name) / "counts.tsv"
    >>> _ = path.write_text("gene\\ts1\\ts2\\nSOX9\\t10\\t25\\nACAN\\t0\\t7\\n")
    >>> read_counts(path)
                s1  s2
    feature_id
    SOX9        10  25
    ACAN         0   7
    >>> tmp.cleanup()
    """
    path = Path(path)
    fmt = sniff_counts(path) if format == "auto" else format
    if fmt not in ("table", "featurecounts", "htseq"):
        return load_counts([path], format=fmt)  # type: ignore[arg-type]
    if fmt == "htseq":
        return read_htseq([path])
    if fmt == "featurecounts":
        lines = _first_lines(path, 1)
        skip = 1 if lines[0].startswith("#") else 0
        with reading(path):
            raw = pd.read_csv(path, sep="\t", skiprows=skip, dtype=str)
        missing = [c for c in _FC_ANNOT if c not in raw.columns]
        if missing:
            raise InputFormatError(
                f"featureCounts header lacks column(s) {', '.join(missing)}", path=path
            )
        raw = raw.set_index("Geneid").drop(columns=list(_FC_ANNOT[1:]))
        raw.columns = [Path(c).name.removesuffix(".bam") for c in raw.columns]
        raw.index.name = "feature_id"
        return _to_counts(raw, path, first_row=skip + 2)
    head = _first_lines(path, 1)[0]
    sep = "\t" if head.count("\t") >= head.count(",") else ","
    _check_header(head, sep, path)
    with reading(path):
        raw = pd.read_csv(
            path, sep=sep, dtype=str, keep_default_na=False, na_values=["", "NA", "NaN"]
        )
    if raw.shape[1] < 2:
        raise InputFormatError(
            "expected a feature ID column and at least one sample column", path=path, where="line 1"
        )
    raw = raw.set_index(raw.columns[0])
    raw.index = raw.index.astype(str)
    raw.index.name = "feature_id"
    return _to_counts(raw, path, first_row=2)


def load_counts(
    paths: Sequence[str | Path],
    *,
    format: InputFormat = "auto",
    tx2gene: str | Path | None = None,
    counts_from_abundance: Literal["no", "scaledTPM", "lengthScaledTPM"] = "lengthScaledTPM",
    samples: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Integer count matrix (features x samples) from one or several input files.

    Parameters
    ----------
    paths
        One matrix (plain table, featureCounts, miRge3 ``miR.Counts.csv``, mirtop counts or
        GFF) or one file per sample (HTSeq-count, salmon ``quant.sf``, kallisto
        ``abundance.tsv``, CIRIquant GTF, CIRCexplorer2 ``circularRNA_known.txt``).
    format
        ``"auto"`` sniffs the first file.
    tx2gene
        Transcript-to-gene table; required for salmon / kallisto.
    counts_from_abundance
        tximport's ``countsFromAbundance`` for salmon / kallisto; the resulting counts are
        rounded to integers, as ``DESeqDataSetFromTximport`` does.
    samples
        Sample names of per-sample files (default from the folder / file / header).

    Notes
    -----
    R equivalent: ``DESeqDataSetFromTximport(tximport(files, type, tx2gene,
    countsFromAbundance = "lengthScaledTPM"), ...)``; for the other formats see the readers.

    Examples
    --------
    >>> from exodisc.omics.de import load_counts
    >>> counts = load_counts(["featureCounts.txt"])  # doctest: +SKIP
    >>> counts = load_counts(  # doctest: +SKIP
    ...     ["s1/quant.sf", "s2/quant.sf"], tx2gene="tx2gene.tsv", samples=["s1", "s2"]
    ... )
    """
    from exodisc.omics.de import _quant

    pths = [Path(p) for p in paths]
    if not pths:
        raise InputFormatError("no count file given")
    fmt = sniff_counts(pths[0]) if format == "auto" else format
    single = ("table", "featurecounts", "mirge3", "mirtop")
    if fmt in single and len(pths) != 1:
        msg = f"a {fmt} file holds every sample; give one file, found {len(pths)}"
        raise InputFormatError(msg, path=pths[1])
    if fmt in ("table", "featurecounts"):
        return read_counts(pths[0], format=fmt)  # type: ignore[arg-type]
    if fmt == "mirge3":
        return _quant.read_mirge3(pths[0])
    if fmt == "mirtop":
        return _quant.read_mirtop(pths[0])
    if fmt == "htseq":
        return read_htseq(pths, samples=samples)
    if fmt == "ciriquant":
        return _quant.read_ciriquant(pths, samples=samples)
    if fmt == "circexplorer2":
        return _quant.read_circexplorer2(pths, samples=samples)
    if tx2gene is None:
        msg = f"{fmt} quantifications need a transcript-to-gene table (tx2gene)"
        raise InputFormatError(msg, path=pths[0])
    txi = _quant.tximport(
        pths,
        tx2gene,
        type=fmt,  # type: ignore[arg-type]
        samples=samples,
        counts_from_abundance=counts_from_abundance,
    )
    return txi.counts.round().astype(np.int64)


def read_htseq(
    paths: Sequence[str | Path], *, samples: Sequence[str] | None = None
) -> pd.DataFrame:
    """Read HTSeq-count outputs (one per sample) into features x samples.

    Notes
    -----
    R equivalent: ``DESeqDataSetFromHTSeqCount``. Rows starting with ``__`` (``__no_feature``,
    ``__ambiguous`` …) are summaries, not features, and are dropped.

    Examples
    --------
    >>> from exodisc.omics.de import read_htseq
    >>> paths = ["s1.htseq.txt", "s2.htseq.txt"]
    >>> counts = read_htseq(paths, samples=["s1", "s2"])  # doctest: +SKIP
    """
    cols = {}
    names = list(samples) if samples is not None else [Path(p).name.split(".")[0] for p in paths]
    for name, p in zip(names, paths, strict=True):
        path = Path(p)
        with reading(path):
            raw = pd.read_csv(path, sep="\t", header=None, dtype=str, keep_default_na=False)
        if raw.shape[1] != 2:
            raise InputFormatError(
                f"HTSeq-count output has 2 tab-separated columns, found {raw.shape[1]}", path=path
            )
        raw = raw[~raw[0].str.startswith("__")].set_index(0)
        raw.index.name = "feature_id"
        cols[name] = _to_counts(raw.rename(columns={1: name}), path, first_row=1)[name]
    frame = pd.concat(cols, axis=1)
    if frame.isna().any().any():
        msg = "HTSeq-count files list different features; were they counted on one annotation?"
        raise InputFormatError(msg, path=Path(paths[0]))
    return frame


def read_sample_sheet(path: str | Path) -> pd.DataFrame:
    """A CSV/TSV sample sheet with a ``sample`` column, indexed by sample.

    Columns whose every value is a number become numeric (continuous in a design formula,
    as R's ``read.csv`` reads them); wrap them in ``factor()`` in the formula to use them as
    factors. Other columns stay text (factors).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> from exodisc.omics.de import read_sample_sheet
    >>> path = Path(tmp.name) / "samples.csv"
    >>> _ = path.write_text("sample,cond,donor\\ns1,ctrl,A\\ns2,il1b,A\\n")
    >>> read_sample_sheet(path)
            cond donor
    sample
    s1      ctrl     A
    s2      il1b     A
    >>> tmp.cleanup()
    """
    path = Path(path)
    head = _first_lines(path, 1)[0]
    sep = "\t" if head.count("\t") > head.count(",") else ","
    _check_header(head, sep, path)
    with reading(path):
        sheet = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, na_values=["", "NA"])
    if "sample" not in sheet.columns:
        raise InputFormatError(
            f"sample sheet needs a 'sample' column; found {', '.join(map(str, sheet.columns))}",
            path=path,
            where="line 1",
        )
    dup = sheet["sample"][sheet["sample"].duplicated()]
    if len(dup):
        raise InputFormatError(
            f"sample {dup.iloc[0]!r} is listed twice",
            path=path,
            where=f"line {int(np.flatnonzero(sheet['sample'].duplicated())[0]) + 2}",
        )
    for col in sheet.columns:
        if col == "sample":
            continue
        vals = sheet[col]
        num = pd.to_numeric(vals, errors="coerce")
        if vals.notna().any() and num[vals.notna()].notna().all():
            sheet[col] = num.astype(float)
    return sheet.set_index("sample")


def counts_to_anndata(
    counts: pd.DataFrame,
    sheet: pd.DataFrame,
    *,
    var: pd.DataFrame | None = None,
) -> AnnData:
    """Samples x features AnnData of ``counts`` (features x samples) with ``sheet`` as ``obs``.

    Samples must match exactly: any sample in the matrix but not the sheet (or the reverse)
    is a :class:`~exodisc.errors.DesignError` naming them.

    Examples
    --------
    >>> import pandas as pd
    >>> from exodisc.omics.de import counts_to_anndata
    >>> counts = pd.DataFrame({"s1": [10, 0], "s2": [12, 3]}, index=["GENE1", "GENE2"])
    >>> sheet = pd.DataFrame({"cond": ["c", "t"]}, index=["s1", "s2"])
    >>> adata = counts_to_anndata(counts, sheet)
    >>> adata.shape, list(adata.obs_names), list(adata.var_names)
    ((2, 2), ['s1', 's2'], ['GENE1', 'GENE2'])
    """
    import anndata as ad

    cols = [str(c) for c in counts.columns]
    rows = [str(s) for s in sheet.index]
    only_counts = [c for c in cols if c not in rows]
    only_sheet = [s for s in rows if s not in cols]
    if only_counts or only_sheet:
        parts = []
        if only_counts:
            parts.append(f"in the count matrix but not the sample sheet: {', '.join(only_counts)}")
        if only_sheet:
            parts.append(f"in the sample sheet but not the count matrix: {', '.join(only_sheet)}")
        raise DesignError("samples do not match; " + "; ".join(parts))
    obs = sheet.copy()
    obs.index = pd.Index(rows)
    obs = obs.loc[cols]
    adata = ad.AnnData(
        X=counts.to_numpy(dtype=float).T,
        obs=obs,
        var=var.loc[counts.index]
        if var is not None
        else pd.DataFrame(index=counts.index.astype(str)),
    )
    adata.obs_names = cols
    adata.var_names = [str(i) for i in counts.index]
    return adata
