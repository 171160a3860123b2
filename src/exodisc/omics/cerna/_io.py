"""Readers for ceRNA inputs: expression matrices, miRNA–target tables, miRNA names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from exodisc.errors import InputFormatError

if TYPE_CHECKING:
    import pandas as pd
from exodisc.io import missing_file

__all__ = [
    "Harmonized",
    "MirnaNames",
    "TargetFormat",
    "check_same_samples",
    "harmonize_mirnas",
    "normalize_mirnas",
    "read_expression",
    "read_mirbase_names",
    "read_targets",
]

TargetFormat = Literal[
    "auto", "pairs", "gdcrnatools", "pycircdb", "encori", "mirtarbase", "targetscan"
]

# column names that identify each format (first match wins, case-insensitive)
_FORMATS: dict[str, tuple[str, str]] = {
    "gdcrnatools": ("ensembl_gene_id", "mirna"),
    "pycircdb": ("circrna", "mirna"),
    "encori": ("geneid", "mirnaname"),
    "mirtarbase": ("target gene", "mirna"),
    "targetscan": ("gene id", "mirna"),
}


def _read_table(path: Path, *, sep: str = "\t") -> pd.DataFrame:
    import pandas as pd

    if not path.is_file():
        raise missing_file(path, "file")
    from exodisc.io import as_input_error

    try:
        return pd.read_csv(path, sep=sep, comment=None, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, EOFError, OSError) as exc:
        msg = f"cannot be read as a tab-separated table ({exc})"
        raise InputFormatError(msg, path=path) from None
    except pd.errors.EmptyDataError as exc:
        raise as_input_error(exc, path) from None  # type: ignore[misc]


def read_expression(path: str | Path) -> pd.DataFrame:
    """Read an expression matrix: features in rows, samples in columns, numbers in cells.

    Parameters
    ----------
    path
        Tab-separated file; the first column holds feature IDs, the header names the samples.
        ``.gz`` files are read transparently.

    Returns
    -------
    pandas.DataFrame
        Float values, index = feature IDs (unique), columns = sample names.

    Notes
    -----
    R equivalent: ``as.matrix(read.delim(path, row.names = 1))``. Values are used as given
    (e.g. log2 normalised counts, as GDCRNATools expects); nothing is transformed here.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> from exodisc.omics.cerna import read_expression
    >>> path = Path(tmp.name) / "lncrna_tpm.tsv"
    >>> _ = path.write_text("feature\\ts1\\ts2\\nMALAT1\\t120.5\\t98.0\\nH19\\t3.2\\t7.9\\n")
    >>> read_expression(path)
                   s1    s2
    feature_id
    MALAT1      120.5  98.0
    H19           3.2   7.9
    >>> tmp.cleanup()
    """
    import numpy as np
    import pandas as pd

    path = Path(path)
    raw = _read_table(path)
    if raw.shape[1] < 3:
        msg = (
            f"expected a feature-ID column and at least 2 sample columns, found "
            f"{raw.shape[1]} column(s): {', '.join(map(str, raw.columns))}"
        )
        raise InputFormatError(msg, path=path, where="header")
    ids = raw.iloc[:, 0].str.strip()
    dup = ids[ids.duplicated()]
    if len(dup):
        msg = f"feature ID {dup.iloc[0]!r} occurs more than once (IDs must be unique)"
        raise InputFormatError(msg, path=path, where=f"row {int(dup.index[0]) + 2}")
    values = raw.iloc[:, 1:].apply(lambda s: pd.to_numeric(s.str.strip(), errors="coerce"))
    bad = values.isna().to_numpy()
    if bad.any():
        r, c = np.argwhere(bad)[0]
        msg = (
            f"non-numeric or missing value {raw.iloc[r, c + 1]!r} "
            f"({int(bad.sum())} such cell(s) in all); expression values must be numbers"
        )
        raise InputFormatError(
            msg, path=path, where=f"row {r + 2}, column {str(raw.columns[c + 1])!r}"
        )
    out = values.astype(float)
    out.index = pd.Index(ids, name="feature_id")
    out.columns = [str(c).strip() for c in out.columns]
    return out


def _sniff(columns: Iterable[str]) -> str:
    low = [c.strip().lower() for c in columns]
    for fmt, (feat, mir) in _FORMATS.items():
        if feat in low and mir in low:
            return fmt
    return "pairs"


def read_targets(path: str | Path, *, format: TargetFormat = "auto") -> pd.DataFrame:
    """Read a miRNA–target interaction table into two columns ``feature_id``, ``mirna``.

    Parameters
    ----------
    path
        Tab-separated file (``.gz`` allowed).
    format
        ``"pairs"``: two columns, feature ID then miRNA (header line required);
        ``"gdcrnatools"``: ``database, ensembl_gene_id, mirna`` (GDCRNATools' bundled tables);
        ``"pycircdb"``: ``circRNA, miRNA, …`` (TargetScan/miRanda site hits);
        ``"encori"``: ENCORI/starBase download (``miRNAname``, ``geneID``);
        ``"mirtarbase"``: miRTarBase ``hsa_MTI`` (``miRNA``, ``Target Gene``);
        ``"targetscan"``: TargetScan ``Predicted_Targets_Info`` (``miR Family``/``miRNA``,
        ``Gene ID``); ``"auto"`` recognises them by their header.

    Returns
    -------
    pandas.DataFrame
        Unique (``feature_id``, ``mirna``) rows, sorted; names are stripped but not otherwise
        changed (see :func:`normalize_mirnas`).

    Notes
    -----
    R equivalent: the ``lnc.targets`` / ``pc.targets`` lists of GDCRNATools'
    ``gdcCEAnalysis`` (Li et al. 2018), flattened to long form.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> from exodisc.omics.cerna import read_targets
    >>> path = Path(tmp.name) / "targets.tsv"
    >>> _ = path.write_text("gene\\tmirna\\nSOX9\\thsa-miR-21-5p\\nACAN\\thsa-miR-140-5p\\n")
    >>> read_targets(path, format="pairs")
      feature_id           mirna
    0       ACAN  hsa-miR-140-5p
    1       SOX9   hsa-miR-21-5p
    >>> tmp.cleanup()
    """
    path = Path(path)
    raw = _read_table(path)
    fmt = _sniff(raw.columns) if format == "auto" else format
    if fmt == "pairs":
        if raw.shape[1] < 2:
            msg = (
                "expected two tab-separated columns (feature ID, miRNA) with a header line, "
                f"found {raw.shape[1]} column(s)"
            )
            raise InputFormatError(msg, path=path, where="header")
        feat, mir = raw.columns[0], raw.columns[1]
    else:
        want_f, want_m = _FORMATS[fmt]
        lookup = {c.strip().lower(): c for c in raw.columns}
        missing = [w for w in (want_f, want_m) if w not in lookup]
        if missing:
            msg = (
                f"format {fmt!r} needs column(s) {', '.join(repr(m) for m in missing)}; "
                f"found {', '.join(repr(c) for c in raw.columns)}"
            )
            raise InputFormatError(msg, path=path, where="header")
        feat, mir = lookup[want_f], lookup[want_m]
    df = raw[[feat, mir]].copy()
    df.columns = ["feature_id", "mirna"]
    df["feature_id"] = df["feature_id"].str.strip()
    df["mirna"] = df["mirna"].str.strip()
    empty = (df["feature_id"] == "") | (df["mirna"] == "")
    if empty.any():
        row = int(empty.to_numpy().argmax()) + 2
        msg = f"empty feature ID or miRNA name ({int(empty.sum())} such row(s) in all)"
        raise InputFormatError(msg, path=path, where=f"row {row}")
    if df.empty:
        msg = "the table has a header but no interactions"
        raise InputFormatError(msg, path=path)
    return df.drop_duplicates().sort_values(["feature_id", "mirna"]).reset_index(drop=True)


def read_mirbase_names(path: str | Path) -> frozenset[str]:
    """Read mature miRNA names from a miRBase table (a ``mature_name``-like column) or FASTA.

    Parameters
    ----------
    path
        A TSV with a column whose name contains ``name`` (e.g. GDCRNATools'
        ``mature_name_mirbase_v21``) or a miRBase ``mature.fa`` (``.gz`` allowed).

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> from exodisc.omics.cerna import read_mirbase_names
    >>> path = Path(tmp.name) / "mature.fa"
    >>> _ = path.write_text(">hsa-miR-21-5p MIMAT0000076\\nUAGCUUAUCAGACUGAUGUUGA\\n"
    ...                     ">hsa-miR-140-5p MIMAT0000431\\nCAGUGGUUUUACCCUAUGGUAG\\n")
    >>> sorted(read_mirbase_names(path))
    ['hsa-miR-140-5p', 'hsa-miR-21-5p']
    >>> tmp.cleanup()
    """
    import gzip

    path = Path(path)
    if not path.is_file():
        raise missing_file(path, "miRBase names file")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        first = fh.readline()
        if first.startswith(">"):
            names = {first[1:].split()[0]}
            names.update(line[1:].split()[0] for line in fh if line.startswith(">"))
            return frozenset(names)
    raw = _read_table(path)
    cols = [c for c in raw.columns if "name" in c.lower()]
    if not cols:
        msg = f"expected a column with 'name' in its header, found {', '.join(raw.columns)}"
        raise InputFormatError(msg, path=path, where="header")
    return frozenset(raw[cols[0]].str.strip())


@dataclass(frozen=True)
class MirnaNames:
    """Result of :func:`normalize_mirnas`.

    Attributes
    ----------
    mapping
        Input name → normalised name, for every input name.
    unmatched
        Input names absent from the reference list (kept in their normalised spelling).
    """

    mapping: dict[str, str]
    unmatched: tuple[str, ...]

    @property
    def n_unmatched(self) -> int:
        return len(self.unmatched)


_SPECIES = re.compile(r"^[a-z]{3,4}-(?:mi[rR]|let|lin)-")
_HAIRPIN = re.compile(r"^([a-z]{3}-)?mir-", re.IGNORECASE)


def _canonical(name: str, species: str) -> str:
    n = name.strip()
    if not _SPECIES.match(n):
        n = f"{species}-{n}"
    # "mir-21" (hairpin spelling) and "MIR21"-like casing → mature "miR-"
    n = _HAIRPIN.sub(lambda m: f"{m.group(1) or ''}miR-", n)
    return n


def normalize_mirnas(
    names: Iterable[str], *, reference: Iterable[str] | None = None, species: str = "hsa"
) -> MirnaNames:
    """Normalise miRNA names across miRBase versions and sources.

    Parameters
    ----------
    names
        Names as found in target tables or expression matrices.
    reference
        Mature names of the target release (e.g. miRBase v21); None keeps the spelling
        normalisation only and counts nothing as unmatched.
    species
        Prefix added to names without one (``miR-21-5p`` → ``hsa-miR-21-5p``).

    Returns
    -------
    MirnaNames
        The mapping and the names that match no reference entry.

    Notes
    -----
    Rules, in order: strip; add the species prefix; ``mir-`` → ``miR-``; if the name is not in
    ``reference``, an arm-less name (``hsa-miR-21``, miRBase ≤ 17) maps to its single
    ``-5p``/``-3p`` arm when exactly one exists; star-strand names (``miR-21*``) and names
    whose both arms exist stay unmatched, as the arm cannot be told.
    R equivalent: ``miRBaseVersions.db`` /
    ``miRNAmeConverter::translateMiRNAName`` (Haunsberger et al. 2017).

    Examples
    --------
    >>> from exodisc.omics.cerna import normalize_mirnas
    >>> names = ["hsa-mir-21", "miR-21-5p", "miR-155-5p"]
    >>> res = normalize_mirnas(names, reference=["hsa-miR-21-5p"])
    >>> res.mapping  # doctest: +NORMALIZE_WHITESPACE
    {'hsa-mir-21': 'hsa-miR-21-5p', 'miR-21-5p': 'hsa-miR-21-5p',
     'miR-155-5p': 'hsa-miR-155-5p'}
    >>> res.unmatched
    ('miR-155-5p',)
    """
    ref = frozenset(reference) if reference is not None else None
    mapping: dict[str, str] = {}
    unmatched: list[str] = []
    for raw in dict.fromkeys(names):
        n = _canonical(raw, species)
        if ref is not None and n not in ref:
            arms = [a for a in (f"{n}-5p", f"{n}-3p") if a in ref]
            if len(arms) == 1:
                n = arms[0]
            if n not in ref:
                unmatched.append(raw)
        mapping[raw] = n
    return MirnaNames(mapping, tuple(unmatched))


@dataclass(frozen=True)
class Harmonized:
    """Target tables and miRNA matrix with one miRNA spelling (see :func:`harmonize_mirnas`)."""

    targets_cerna: pd.DataFrame
    targets_mrna: pd.DataFrame
    expr_mirna: pd.DataFrame | None
    unmatched: dict[str, tuple[str, ...]]


def harmonize_mirnas(
    targets_cerna: pd.DataFrame,
    targets_mrna: pd.DataFrame,
    expr_mirna: pd.DataFrame | None = None,
    *,
    reference: Iterable[str] | None = None,
    species: str = "hsa",
) -> Harmonized:
    """Rename the miRNAs of both target tables (and the miRNA matrix) with :func:`normalize_mirnas`.

    Returns new tables (inputs are not modified) and, per source, the names that matched no
    ``reference`` entry (kept, and counted in the report). Rows of the miRNA matrix that map to
    the same name are summed.

    Examples
    --------
    >>> import pandas as pd
    >>> from exodisc.omics.cerna import harmonize_mirnas
    >>> tc = pd.DataFrame({"feature_id": ["L1"], "mirna": ["miR-21-5p"]})
    >>> tm = pd.DataFrame({"feature_id": ["G1"], "mirna": ["hsa-miR-21-5p"]})
    >>> h = harmonize_mirnas(tc, tm)
    >>> h.targets_cerna["mirna"].tolist(), h.targets_mrna["mirna"].tolist()
    (['hsa-miR-21-5p'], ['hsa-miR-21-5p'])
    """
    ref = frozenset(reference) if reference is not None else None
    unmatched: dict[str, tuple[str, ...]] = {}
    out = []
    for key, t in (("targets_cerna", targets_cerna), ("targets_mrna", targets_mrna)):
        names = normalize_mirnas(t["mirna"].unique(), reference=ref, species=species)
        t2 = t.assign(mirna=t["mirna"].map(names.mapping)).drop_duplicates()
        out.append(t2.sort_values(["feature_id", "mirna"]).reset_index(drop=True))
        unmatched[key] = names.unmatched
    em = None
    if expr_mirna is not None:
        names = normalize_mirnas(map(str, expr_mirna.index), reference=ref, species=species)
        em = expr_mirna.rename(index=names.mapping)
        if em.index.has_duplicates:
            em = em.groupby(level=0, sort=True).sum()
        unmatched["expr_mirna"] = names.unmatched
    return Harmonized(out[0], out[1], em, unmatched)


def check_same_samples(tables: dict[Path, pd.DataFrame]) -> None:
    """Expression tables of one study must name the same samples (columns), in any order.

    Raises
    ------
    InputFormatError
        Naming the file and the samples it lacks or adds compared with the first table.
    """
    items = list(tables.items())
    if not items:
        return
    first_path, first = items[0]
    ref = [str(c) for c in first.columns]
    for path, frame in items[1:]:
        cols = [str(c) for c in frame.columns]
        missing = [c for c in ref if c not in cols]
        extra = [c for c in cols if c not in ref]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"lacks sample(s) {missing[:10]} of {first_path.name}")
            if extra:
                parts.append(f"has sample(s) {extra[:10]} that {first_path.name} lacks")
            msg = (
                f"the expression tables must name the same samples: this one {'; '.join(parts)}"
                "; use the same sample columns in every table"
            )
            raise InputFormatError(msg, path=path, where="line 1")
