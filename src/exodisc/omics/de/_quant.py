"""Readers of transcript quantifications, circRNA back-splice counts and miRNA counts.

* salmon (``quant.sf``) and kallisto (``abundance.tsv``) quantifications summarised to genes
  as R tximport 1.26 does (``txOut = FALSE``), with ``countsFromAbundance`` ``"no"``,
  ``"scaledTPM"`` or ``"lengthScaledTPM"``;
* CIRIquant GTF output (``bsj`` counts in the attributes) and CIRCexplorer2
  ``circularRNA_known.txt`` (``readNumber``), one file per sample, merged to one matrix;
* miRge3 ``miR.Counts.csv`` and mirtop count tables (``mirtop counts``) or mirtop GFF3
  (``Expression`` attribute with the ``## COLDATA`` sample list), isomiRs summed per miRNA.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from exodisc.errors import InputFormatError

__all__ = [
    "TxImport",
    "read_circexplorer2",
    "read_ciriquant",
    "read_mirge3",
    "read_mirtop",
    "read_tx2gene",
    "tximport",
]

CountsFromAbundance = Literal["no", "scaledTPM", "lengthScaledTPM"]
QuantType = Literal["auto", "salmon", "kallisto"]

# tximport's column choices: (name, length, abundance, counts)
_QUANT_COLS = {
    "salmon": ("Name", "EffectiveLength", "TPM", "NumReads"),
    "kallisto": ("target_id", "eff_length", "tpm", "est_counts"),
}
_CIRCEXPLORER2_COLS = 18
_MIRTOP_ANNOT = {
    "UID",
    "Read",
    "miRNA",
    "Variant",
    "Sequence",
    "Arm",
    "Precursor",
    "Chr",
    "Start",
    "End",
    "Strand",
    "Filter",
    "Hits",
}


@dataclass(frozen=True)
class TxImport:
    """Gene-level summaries of transcript quantifications (genes x samples).

    Attributes
    ----------
    counts
        Estimated counts (``txi$counts``), scaled when ``counts_from_abundance`` is not "no".
    abundance
        TPM summed over each gene's transcripts (``txi$abundance``).
    length
        Abundance-weighted mean effective length (``txi$length``).
    counts_from_abundance
        The ``countsFromAbundance`` setting used.
    """

    counts: pd.DataFrame
    abundance: pd.DataFrame
    length: pd.DataFrame
    counts_from_abundance: CountsFromAbundance


def _sample_name(path: Path, generic: Sequence[str]) -> str:
    """The sample a per-sample output belongs to: its folder when the file has the tool's
    generic name (``S1/quant.sf``), else the file name without extension."""
    if path.name in generic and path.parent.name not in ("", "."):
        return path.parent.name
    return path.name.split(".")[0]


def _names(
    paths: Sequence[Path], samples: Sequence[str] | None, generic: Sequence[str]
) -> list[str]:
    if samples is not None:
        if len(samples) != len(paths):
            msg = f"{len(samples)} sample name(s) for {len(paths)} file(s)"
            raise InputFormatError(msg, path=paths[0])
        names = [str(s) for s in samples]
    else:
        names = [_sample_name(p, generic) for p in paths]
    seen: dict[str, Path] = {}
    for n, p in zip(names, paths, strict=True):
        if n in seen:
            msg = f"sample name {n!r} also given by {seen[n]}; name the samples explicitly"
            raise InputFormatError(msg, path=p)
        seen[n] = p
    return names


def _numeric(frame: pd.DataFrame, cols: Sequence[str], path: Path, first_row: int) -> pd.DataFrame:
    """Columns ``cols`` of ``frame`` as finite non-negative floats; say where they are not."""
    out = {}
    for col in cols:
        v = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        bad = np.flatnonzero(~np.isfinite(v))
        if bad.size:
            raise InputFormatError(
                f"{frame[col].iloc[bad[0]]!r} is not a number",
                path=path,
                where=f"row {first_row + int(bad[0])}, column {col!r}",
            )
        neg = np.flatnonzero(v < 0)
        if neg.size:
            raise InputFormatError(
                f"negative value {v[neg[0]]:g}",
                path=path,
                where=f"row {first_row + int(neg[0])}, column {col!r}",
            )
        out[col] = v
    return pd.DataFrame(out, index=frame.index)


def _sniff_quant(path: Path) -> Literal["salmon", "kallisto"]:
    try:
        with path.open(encoding="utf-8") as fh:
            head = fh.readline().rstrip("\n").split("\t")
    except FileNotFoundError:
        raise InputFormatError("file not found", path=path) from None
    for kind, cols in _QUANT_COLS.items():
        if all(c in head for c in cols):
            return kind  # type: ignore[return-value]
    msg = (
        "not a salmon quant.sf (Name, Length, EffectiveLength, TPM, NumReads) or kallisto "
        f"abundance.tsv (target_id, length, eff_length, est_counts, tpm) header: {head}"
    )
    raise InputFormatError(msg, path=path, where="line 1")


def read_tx2gene(path: str | Path) -> pd.Series:
    """A transcript-to-gene table (two columns: transcript ID, gene ID; CSV or TSV).

    A header line is recognised (and skipped) when its first field is not a transcript of the
    table's body, e.g. ``TXNAME,GENEID`` as written by ``AnnotationDbi::select``.

    Returns
    -------
    pandas.Series
        Gene ID indexed by transcript ID.

    Notes
    -----
    R equivalent: ``tx2gene <- read.csv(path)``, the ``tx2gene`` argument of ``tximport``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> from exodisc.omics.de import read_tx2gene
    >>> path = Path(tmp.name) / "tx2gene.tsv"
    >>> _ = path.write_text("ENST01\\tENSG01\\nENST02\\tENSG01\\nENST03\\tENSG02\\n")
    >>> read_tx2gene(path).to_dict()
    {'ENST01': 'ENSG01', 'ENST02': 'ENSG01', 'ENST03': 'ENSG02'}
    >>> tmp.cleanup()
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputFormatError("file not found", path=path) from None
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise InputFormatError("empty transcript-to-gene table", path=path)
    sep = "\t" if lines[0].count("\t") >= lines[0].count(",") else ","
    rows = [ln.split(sep) for ln in lines]
    for i, r in enumerate(rows, start=1):
        if len(r) < 2 or not r[0].strip() or not r[1].strip():
            raise InputFormatError(
                "expected two columns: transcript ID, gene ID", path=path, where=f"line {i}"
            )
    first = (
        1
        if rows[0][0].lower()
        in {"txname", "tx", "transcript", "transcript_id", "target_id", "tx_id", "name", "enst"}
        else 0
    )
    tx = [r[0].strip() for r in rows[first:]]
    gene = [r[1].strip() for r in rows[first:]]
    s = pd.Series(gene, index=pd.Index(tx, name="transcript_id"), name="gene_id")
    dup = s.index[s.index.duplicated()]
    if len(dup):
        line = first + 1 + int(np.flatnonzero(s.index.duplicated())[0])
        raise InputFormatError(
            f"transcript {dup[0]!r} is listed twice", path=path, where=f"line {line}"
        )
    return s


def _strip_tx_version(ids: pd.Index) -> pd.Index:
    return pd.Index([re.sub(r"\.\d+$", "", str(i)) for i in ids])


def tximport(
    paths: Sequence[str | Path],
    tx2gene: pd.Series | str | Path,
    *,
    type: QuantType = "auto",
    samples: Sequence[str] | None = None,
    counts_from_abundance: CountsFromAbundance = "no",
    ignore_tx_version: bool = False,
) -> TxImport:
    """Summarise salmon / kallisto transcript quantifications to genes, as R tximport.

    Parameters
    ----------
    paths
        One ``quant.sf`` (salmon) or ``abundance.tsv`` (kallisto) per sample.
    tx2gene
        Transcript -> gene: a Series (see :func:`read_tx2gene`) or a path to such a table.
    type
        ``"auto"`` recognises each file's header.
    samples
        Sample names; default the file's folder (``S1/quant.sf`` -> ``S1``).
    counts_from_abundance
        ``"no"``: summed estimated counts; ``"scaledTPM"``: TPM scaled up to each sample's
        library size; ``"lengthScaledTPM"``: TPM times the gene's mean length over samples,
        scaled up to library size (counts without length bias; round them for DESeq2).
    ignore_tx_version
        Drop ``.N`` version suffixes of transcript IDs before matching (as tximport).

    Returns
    -------
    TxImport
        Gene-level ``counts``, ``abundance`` and ``length`` (genes x samples).

    Raises
    ------
    InputFormatError
        Unreadable header, non-numeric / negative / missing values (file, row, column named),
        duplicated transcripts, files with different transcripts, or transcripts missing from
        ``tx2gene`` (named; tximport drops those with a message, we refuse).

    Notes
    -----
    R equivalent: ``tximport(files, type = "salmon", tx2gene = tx2gene,
    countsFromAbundance = "lengthScaledTPM")`` (tximport 1.26). Gene length is the
    TPM-weighted mean of transcript effective lengths; where a gene has zero TPM in a sample,
    the mean over its transcripts of their across-sample mean length is used, as tximport
    does. With ``"no"``, DESeq2 in R uses the lengths as offsets
    (``DESeqDataSetFromTximport``); the exodisc DE assays round the counts instead, which is
    what the tximport vignette recommends for the scaled variants.

    Examples
    --------
    >>> from exodisc.omics.de import tximport
    >>> txi = tximport(  # doctest: +SKIP
    ...     ["s1/quant.sf", "s2/quant.sf"], "tx2gene.tsv", samples=["s1", "s2"]
    ... )
    >>> txi.counts.head(2)  # doctest: +SKIP
    """
    pths = [Path(p) for p in paths]
    if not pths:
        raise InputFormatError("no quantification files given")
    t2g = read_tx2gene(tx2gene) if isinstance(tx2gene, (str, Path)) else tx2gene
    if ignore_tx_version:
        t2g = t2g.set_axis(_strip_tx_version(t2g.index))
    names = _names(pths, samples, ("quant.sf", "abundance.tsv", "abundance.h5"))
    counts, abund, length = {}, {}, {}
    tx_ids: pd.Index | None = None
    for name, path in zip(names, pths, strict=True):
        kind = _sniff_quant(path) if type == "auto" else type
        id_col, len_col, ab_col, cnt_col = _QUANT_COLS[kind]
        raw = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
        lacking = [c for c in (id_col, len_col, ab_col, cnt_col) if c not in raw.columns]
        if lacking:
            raise InputFormatError(
                f"{kind} output lacks column(s) {', '.join(lacking)}", path=path, where="line 1"
            )
        ids = pd.Index(raw[id_col].astype(str))
        if ignore_tx_version:
            ids = _strip_tx_version(ids)
        if ids.has_duplicates:
            row = 2 + int(np.flatnonzero(ids.duplicated())[0])
            raise InputFormatError(
                f"transcript {ids[ids.duplicated()][0]!r} is listed twice",
                path=path,
                where=f"row {row}",
            )
        vals = _numeric(raw, (len_col, ab_col, cnt_col), path, first_row=2).set_axis(ids)
        if tx_ids is None:
            tx_ids = ids
            absent = ids[~ids.isin(t2g.index)]
            if len(absent) == len(ids):
                raise InputFormatError(
                    "none of the transcripts are in the transcript-to-gene table (first "
                    f"transcripts {', '.join(ids[:3])}; versions? try ignore_tx_version)",
                    path=path,
                )
            if len(absent):
                raise InputFormatError(
                    f"{len(absent)} transcript(s) missing from the transcript-to-gene table: "
                    f"{', '.join(absent[:5])}",
                    path=path,
                )
        elif not ids.equals(tx_ids):
            if set(ids) != set(tx_ids):
                raise InputFormatError(
                    f"lists other transcripts than {pths[0]}; were both quantified against "
                    "one index?",
                    path=path,
                )
            vals = vals.loc[tx_ids]
        counts[name] = vals[cnt_col]
        abund[name] = vals[ab_col]
        length[name] = vals[len_col]
    tx_c = pd.DataFrame(counts)
    tx_a = pd.DataFrame(abund)
    tx_l = pd.DataFrame(length)
    assert tx_ids is not None
    gene = pd.Series(t2g.loc[tx_ids].to_numpy(), index=tx_ids)
    order = pd.Index(pd.unique(gene.sort_values(kind="stable").to_numpy()), name="feature_id")
    g_a = tx_a.groupby(gene.to_numpy()).sum().reindex(order)
    g_c = tx_c.groupby(gene.to_numpy()).sum().reindex(order)
    weighted = (tx_a * tx_l).groupby(gene.to_numpy()).sum().reindex(order)
    with np.errstate(invalid="ignore", divide="ignore"):
        g_l = weighted / g_a.where(g_a > 0)
    # tximport's replaceMissingLength: a gene with zero TPM in some samples gets the
    # geometric mean of its lengths in the others; in all samples, the mean over its
    # transcripts of their across-sample mean length
    ave_gene = tx_l.mean(axis=1).groupby(gene.to_numpy()).mean().reindex(order)
    zero = ~(g_a > 0).to_numpy()
    if zero.any():
        lv = g_l.to_numpy(dtype=float, copy=True)
        for i in np.flatnonzero(zero.any(axis=1)):
            row = zero[i]
            lv[i, row] = ave_gene.iloc[i] if row.all() else np.exp(np.mean(np.log(lv[i, ~row])))
        g_l = pd.DataFrame(lv, index=g_l.index, columns=g_l.columns)
    if counts_from_abundance != "no":
        new = g_a if counts_from_abundance == "scaledTPM" else g_a.mul(g_l.mean(axis=1), axis=0)
        g_c = new * (g_c.sum(axis=0) / new.sum(axis=0))
    for f in (g_a, g_c, g_l):
        f.index.name = "feature_id"
    return TxImport(g_c, g_a, g_l, counts_from_abundance)


def _gtf_attrs(text: str) -> dict[str, str]:
    out = {}
    for part in text.strip().rstrip(";").split(";"):
        part = part.strip()
        if not part:
            continue
        key, _, val = part.partition(" ")
        out[key] = val.strip().strip('"')
    return out


def _merge(cols: dict[str, pd.Series]) -> pd.DataFrame:
    frame = pd.concat(cols, axis=1).fillna(0.0)
    frame.index.name = "feature_id"
    return frame.sort_index()


def _check_integer(frame: pd.DataFrame, path: Path, col: str, rows: np.ndarray) -> None:
    v = frame[col].to_numpy(dtype=float)
    frac = np.flatnonzero(v != np.round(v))
    if frac.size:
        raise InputFormatError(
            f"non-integer count {v[frac[0]]:g}; back-splice / read counts are integers",
            path=path,
            where=f"line {int(rows[frac[0]])}, {col}",
        )


def read_ciriquant(
    paths: Sequence[str | Path], *, samples: Sequence[str] | None = None
) -> pd.DataFrame:
    """Merge CIRIquant GTF outputs (one per sample) into circRNAs x samples BSJ counts.

    Each line is a circRNA (feature ``circRNA``) whose attributes hold ``circ_id``
    (``chr1:10000|20000``) and ``bsj`` (back-splice junction reads, written ``12.000``).
    A circRNA absent from a sample's file has 0 reads there.

    Parameters
    ----------
    paths
        CIRIquant ``<sample>.gtf`` files.
    samples
        Sample names; default the ``##Sample:`` header, else the file name.

    Notes
    -----
    Equivalent: CIRIquant's ``prep_CIRIquant`` script, which writes the same circRNAs x
    samples BSJ matrix (``circRNA_bsj.csv``, 0 where a circRNA is absent); in R,
    ``rtracklayer::import(gtf)$bsj`` per sample merged by ``circ_id``.

    Examples
    --------
    >>> from exodisc.omics.de import read_ciriquant
    >>> circ = read_ciriquant(["s1.gtf", "s2.gtf"], samples=["s1", "s2"])  # doctest: +SKIP
    """
    pths = [Path(p) for p in paths]
    cols: dict[str, pd.Series] = {}
    header_names = []
    for path in pths:
        found = None
        ids, bsj, rows = [], [], []
        try:
            fh = path.open(encoding="utf-8")
        except FileNotFoundError:
            raise InputFormatError("file not found", path=path) from None
        with fh:
            for i, line in enumerate(fh, start=1):
                if line.startswith("#"):
                    m = re.match(r"##Sample:\s*(\S+)", line)
                    if m:
                        found = m.group(1)
                    continue
                if not line.strip():
                    continue
                f = line.rstrip("\n").split("\t")
                if len(f) != 9:
                    raise InputFormatError(
                        f"a GTF line has 9 tab-separated fields, found {len(f)}",
                        path=path,
                        where=f"line {i}",
                    )
                a = _gtf_attrs(f[8])
                if "circ_id" not in a or "bsj" not in a:
                    raise InputFormatError(
                        "CIRIquant attributes need circ_id and bsj", path=path, where=f"line {i}"
                    )
                ids.append(a["circ_id"])
                bsj.append(a["bsj"])
                rows.append(i)
        header_names.append(found)
        frame = pd.DataFrame({"bsj": bsj}, index=pd.Index(ids))
        line_no = np.asarray(rows)
        if frame.index.has_duplicates:
            k = int(np.flatnonzero(frame.index.duplicated())[0])
            raise InputFormatError(
                f"circRNA {ids[k]!r} is listed twice", path=path, where=f"line {line_no[k]}"
            )
        values = pd.to_numeric(frame["bsj"], errors="coerce").to_numpy(dtype=float)
        bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
        if bad.size:
            k = int(bad[0])
            raise InputFormatError(
                f"{bsj[k]!r} is not a non-negative number",
                path=path,
                where=f"line {line_no[k]}, bsj",
            )
        num = pd.DataFrame({"bsj": values}, index=frame.index)
        _check_integer(num, path, "bsj", line_no)
        cols[str(len(cols))] = num["bsj"]
    if samples is None and all(header_names):
        samples = [str(n) for n in header_names]
    names = _names(pths, samples, ())
    merged = _merge(dict(zip(names, cols.values(), strict=True)))
    return merged.astype(np.int64)


def read_circexplorer2(
    paths: Sequence[str | Path], *, samples: Sequence[str] | None = None
) -> pd.DataFrame:
    """Merge CIRCexplorer2 ``annotate`` outputs (``circularRNA_known.txt``) into a matrix.

    The file has no header and 18 tab-separated columns (BED12 of the circRNA, then
    ``readNumber``, ``circType``, ``geneName``, ``isoformName``, ``index``,
    ``flankIntron``); the count is ``readNumber`` (column 13). The feature ID is
    ``chrom:start|end`` with a 1-based start (BED start + 1), the convention of CIRI /
    CIRIquant, so matrices from both tools share IDs.

    Parameters
    ----------
    paths
        One file per sample.
    samples
        Sample names; default the folder of ``circularRNA_known.txt``, else the file name.

    Notes
    -----
    R equivalent: ``read.delim(f, header = FALSE)[, c(1:3, 13)]`` per sample, then merged
    by coordinates with 0 for absent circRNAs.

    Examples
    --------
    >>> from exodisc.omics.de import read_circexplorer2
    >>> paths = ["s1/circularRNA_known.txt", "s2/circularRNA_known.txt"]
    >>> circ = read_circexplorer2(paths, samples=["s1", "s2"])  # doctest: +SKIP
    """
    pths = [Path(p) for p in paths]
    names = _names(pths, samples, ("circularRNA_known.txt", "circularRNA_full.txt"))
    cols = {}
    for name, path in zip(names, pths, strict=True):
        try:
            raw = pd.read_csv(path, sep="\t", header=None, dtype=str, keep_default_na=False)
        except FileNotFoundError:
            raise InputFormatError("file not found", path=path) from None
        except pd.errors.EmptyDataError:
            cols[name] = pd.Series(dtype=float)
            continue
        if raw.shape[1] != _CIRCEXPLORER2_COLS:
            raise InputFormatError(
                f"CIRCexplorer2 output has {_CIRCEXPLORER2_COLS} tab-separated columns, "
                f"found {raw.shape[1]}",
                path=path,
            )
        start = pd.to_numeric(raw[1], errors="coerce")
        if start.isna().any():
            k = int(np.flatnonzero(start.isna().to_numpy())[0])
            raise InputFormatError(
                f"start {raw[1].iloc[k]!r} is not a number", path=path, where=f"line {k + 1}"
            )
        ids = pd.Index(
            [f"{c}:{int(s) + 1}|{e}" for c, s, e in zip(raw[0], start, raw[2], strict=True)]
        )
        frame = raw[[12]].set_axis(ids).rename(columns={12: "readNumber"})
        if ids.has_duplicates:
            k = int(np.flatnonzero(ids.duplicated())[0])
            raise InputFormatError(
                f"circRNA {ids[k]!r} is listed twice", path=path, where=f"line {k + 1}"
            )
        num = _numeric(frame, ["readNumber"], path, first_row=1)
        _check_integer(num, path, "readNumber", np.arange(1, len(num) + 1))
        cols[name] = num["readNumber"]
    return _merge(cols).astype(np.int64)


def _strip_fastq(name: str) -> str:
    return re.sub(r"(\.trimmed)?\.(fastq|fq)(\.gz)?$|\.gz$", "", name)


def read_mirge3(path: str | Path) -> pd.DataFrame:
    """Read miRge3 ``miR.Counts.csv`` (miRNAs x samples).

    Layout: comma-separated, first column ``miRNA``, one column per sample (named after its
    FASTQ file; ``.fastq``/``.fq``/``.gz`` suffixes are dropped); the ``miRNAtotal`` summary
    row, when present, is dropped.

    Notes
    -----
    R equivalent: ``read.csv("miR.Counts.csv", row.names = 1)``.

    Examples
    --------
    >>> from exodisc.omics.de import read_mirge3
    >>> mirna = read_mirge3("miRge3_output/miR.Counts.csv")  # doctest: +SKIP
    """
    from exodisc.omics.de._io import _to_counts

    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=["", "NA", "NaN"])
    except FileNotFoundError:
        raise InputFormatError("file not found", path=path) from None
    if raw.columns[0] != "miRNA" or raw.shape[1] < 2:
        raise InputFormatError(
            f"miRge3 miR.Counts.csv starts with a 'miRNA' column and sample columns; header "
            f"{list(raw.columns)}",
            path=path,
            where="line 1",
        )
    keep = ~raw["miRNA"].isin(["miRNAtotal", "all"]).to_numpy()
    first = 2 + int(np.argmax(keep)) if not keep.all() else 2
    raw = raw[keep].set_index("miRNA")
    raw.index.name = "feature_id"
    raw.columns = [_strip_fastq(str(c)) for c in raw.columns]
    return _to_counts(raw, path, first_row=first)


def read_mirtop(path: str | Path) -> pd.DataFrame:
    """Read mirtop counts, summed over isomiRs per miRNA (miRNAs x samples).

    Two layouts: the ``mirtop counts`` table (tab-separated; ``UID``, ``Read``, ``miRNA``,
    ``Variant`` and ``iso_*`` columns, then one column per sample) and mirtop GFF3 (the
    ``## COLDATA:`` header lists the samples; each line's ``Expression=`` attribute holds the
    counts in that order; ``Name=`` is the miRNA; lines whose ``Filter`` is not ``Pass`` are
    skipped, as ``mirtop counts`` does).

    Notes
    -----
    R equivalent: ``isomiRs::IsomirDataSeqFromMirtop`` then ``isoCounts(ids)`` summed per
    miRNA, or ``rowsum(counts, mirtop$miRNA)``.

    Examples
    --------
    >>> from exodisc.omics.de import read_mirtop
    >>> mirna = read_mirtop("mirtop/expression_counts.tsv")  # doctest: +SKIP
    """
    from exodisc.omics.de._io import _to_counts

    path = Path(path)
    try:
        with path.open(encoding="utf-8") as fh:
            head = fh.readline()
    except FileNotFoundError:
        raise InputFormatError("file not found", path=path) from None
    # mirtop >= 0.4 opens its GFF with "## mirGFF3. VERSION x" rather than "##gff-version 3"
    if head.startswith(("##gff-version", "## mirGFF3")):
        return _read_mirtop_gff(path)
    raw = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, na_values=["", "NA"])
    if "miRNA" not in raw.columns:
        raise InputFormatError(
            f"mirtop count table needs a 'miRNA' column; header {list(raw.columns)}",
            path=path,
            where="line 1",
        )
    sample_cols = [c for c in raw.columns if c not in _MIRTOP_ANNOT and not c.startswith("iso_")]
    if not sample_cols:
        raise InputFormatError("no sample columns after the annotation", path=path, where="line 1")
    per_row = _to_counts(raw[sample_cols].set_axis(pd.RangeIndex(len(raw))), path, first_row=2)
    summed = per_row.groupby(raw["miRNA"].to_numpy()).sum()
    summed.index.name = "feature_id"
    return summed


def _read_mirtop_gff(path: Path) -> pd.DataFrame:
    samples: list[str] | None = None
    names, expr = [], []
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh, start=1):
            if line.startswith("#"):
                m = re.match(r"##\s*COLDATA:\s*(.+)", line)
                if m:
                    samples = [s.strip() for s in m.group(1).split(",")]
                continue
            if not line.strip():
                continue
            f = line.rstrip("\n").split("\t")
            if len(f) != 9:
                raise InputFormatError(
                    f"a GFF line has 9 tab-separated fields, found {len(f)}",
                    path=path,
                    where=f"line {i}",
                )
            attrs = {}
            for part in f[8].split(";"):
                # "Name=x" (GFF3) or "Name x" (what mirtop 0.4.30 itself writes)
                kv = re.match(r"\s*([^=\s]+)\s*[=\s]\s*(.*)", part)
                if kv:
                    attrs[kv.group(1)] = kv.group(2).strip()
            if samples is None:
                raise InputFormatError(
                    "mirtop GFF needs a '## COLDATA:' header listing the samples", path=path
                )
            if attrs.get("Filter", "Pass") != "Pass":
                continue
            if "Name" not in attrs or "Expression" not in attrs:
                raise InputFormatError(
                    "mirtop attributes need Name and Expression", path=path, where=f"line {i}"
                )
            vals = attrs["Expression"].split(",")
            if len(vals) != len(samples):
                raise InputFormatError(
                    f"Expression has {len(vals)} value(s) for {len(samples)} COLDATA sample(s)",
                    path=path,
                    where=f"line {i}",
                )
            for sample, v in zip(samples, vals, strict=True):
                if not v.strip().isdigit():
                    raise InputFormatError(
                        f"count {v!r} of sample {sample!r} is not a non-negative integer",
                        path=path,
                        where=f"line {i}, Expression",
                    )
            names.append(attrs["Name"])
            expr.append(vals)
    if samples is None:
        raise InputFormatError(
            "mirtop GFF needs a '## COLDATA:' header listing the samples", path=path
        )
    from exodisc.omics.de._io import _to_counts

    frame = pd.DataFrame(expr, columns=samples, dtype=str)
    per_row = _to_counts(frame, path, first_row=1)
    summed = per_row.groupby(np.asarray(names)).sum()
    summed.index.name = "feature_id"
    return summed
