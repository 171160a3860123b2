"""Gene identifiers: Ensembl (with or without version) <-> symbol <-> Entrez <-> biotype, and
classification of features into the paper's RNA classes (mRNA, lncRNA, miRNA, circRNA)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from exodisc.errors import InputFormatError, SchemaError
from exodisc.io import missing_file

__all__ = [
    "RNA_CLASSES",
    "IdMapping",
    "classify_rna",
    "detect_id_type",
    "map_ids",
    "read_gene_annotation",
    "strip_version",
]

IdType = Literal["ensembl", "symbol", "entrez"]
RNA_CLASSES = ("mRNA", "lncRNA", "miRNA", "circRNA", "other", "unknown")

_ENSEMBL = re.compile(r"^ENS[A-Z]*G\d{6,}(\.\d+)?(_PAR_Y)?$")
_VERSIONED = re.compile(r"^(ENS[A-Z]*G\d+)\.\d+")
_MIRNA = re.compile(r"^(?:[a-z]{3}-)?(?:miR|mir|let|MIR)-?[0-9a-zA-Z]+(?:[-.][0-9a-zA-Z]+)*$")
_MIMAT = re.compile(r"^MI(?:MAT)?\d{7}$")
_CIRCBASE = re.compile(r"^[a-z]{3}_circ_\d+$")
_CIRCBANK = re.compile(r"^[a-z]{3}_circ[A-Za-z0-9.-]+_\d+$")
_BACKSPLICE = re.compile(r"^(?:chr)?[0-9XYMT]{1,2}[:_]\d+[-|_]\d+(?:[:_][+-])?$")

# aliases of annotation columns -> our names (GDCRNATools, biomaRt, GENCODE exports)
_COLUMNS = {
    "ensembl": ("ensembl", "ensemblid", "ensembl_gene_id", "gene_id", "ensembl_id"),
    "symbol": (
        "symbol",
        "genesymbol",
        "gene_symbol",
        "hgnc_symbol",
        "gene_name",
        "external_gene_name",
    ),
    "entrez": ("entrez", "entrezgene", "entrezgene_id", "entrez_id", "gene_id_entrez"),
    "biotype": ("biotype", "gene_biotype", "gene_type"),
    "group": ("group", "biotype_group"),
}


def strip_version(ids: Iterable[str]) -> list[str]:
    """Ensembl ids without the ``.version`` suffix (``ENSG00000141510.16`` -> ``ENSG00000141510``);
    other identifiers unchanged."""
    out = []
    for i in map(str, ids):
        # only an id starting ENS with a dot can match: skip the regex for the others
        out.append(_VERSIONED.sub(r"\1", i) if i.startswith("ENS") and "." in i else i)
    return out


def detect_id_type(ids: Iterable[str]) -> IdType:
    """The identifier type most of ``ids`` have (Ensembl, Entrez = all digits, else symbol)."""
    sample = [str(i) for i in ids][:500]
    if not sample:
        return "symbol"
    ens = sum(bool(_ENSEMBL.match(s)) for s in sample)
    num = sum(s.isdigit() for s in sample)
    if ens >= 0.5 * len(sample):
        return "ensembl"
    if num >= 0.5 * len(sample):
        return "entrez"
    return "symbol"


def read_gene_annotation(path: str | Path) -> pd.DataFrame:
    """Read a gene annotation table (TSV/CSV, plain or gzip) into ``ensembl, symbol, entrez,
    biotype, group`` columns (strings; missing values are empty strings).

    Column names are matched case-insensitively against common spellings (GDCRNATools
    ``ensemblID, geneSymbol, entrezgene, biotype, group``; biomaRt ``ensembl_gene_id,
    hgnc_symbol, entrezgene_id, gene_biotype``). Ensembl version suffixes are removed.

    Notes
    -----
    R equivalent: ``biomaRt::getBM(c("ensembl_gene_id", "hgnc_symbol", "entrezgene_id",
    "gene_biotype"), mart = ...)`` or ``AnnotationDbi::select(org.Hs.eg.db, ...)``.
    """
    from exodisc.core import sha256_file

    path = Path(path)
    if not path.is_file():
        raise missing_file(path)
    # parsed once per content: a study's DE, ceRNA and enrichment assays map with one table
    return _read_gene_annotation_once(str(path.resolve()), sha256_file(path)).copy()


@functools.lru_cache(maxsize=4)
def _read_gene_annotation_once(name: str, sha256: str) -> pd.DataFrame:
    """:func:`read_gene_annotation` of ``name`` while its content (``sha256``, part of the key)
    is unchanged; callers get a copy."""
    path = Path(name)
    sep = "," if path.name.lower().removesuffix(".gz").endswith(".csv") else "\t"
    try:
        raw = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)
    except Exception as exc:
        raise InputFormatError(f"cannot be parsed as a table ({exc})", path=path) from None
    lower = {c.lower(): c for c in raw.columns}
    out = pd.DataFrame(index=raw.index)
    for ours, names in _COLUMNS.items():
        col = next((lower[n] for n in names if n in lower), None)
        out[ours] = raw[col].astype(str).str.strip() if col is not None else ""
    if (out["ensembl"] == "").all() and (out["symbol"] == "").all():
        msg = (
            f"no Ensembl or symbol column found; expected one of "
            f"{list(_COLUMNS['ensembl'] + _COLUMNS['symbol'])}, found {list(raw.columns)}"
        )
        raise InputFormatError(msg, path=path, where="header")
    out["ensembl"] = strip_version(out["ensembl"])
    out["entrez"] = out["entrez"].str.replace(r"\.0$", "", regex=True)
    return out


@dataclass(frozen=True)
class IdMapping:
    """Result of :func:`map_ids`.

    Attributes
    ----------
    table
        ``input``, ``mapped`` (empty where unmapped) and ``n_targets`` (how many targets the
        input had; the first, sorted, is used where there are several).
    unmapped
        Inputs without a target, in input order.
    from_type, to_type
        Identifier types.
    rate
        Fraction of inputs mapped.
    """

    table: pd.DataFrame
    unmapped: tuple[str, ...]
    from_type: str
    to_type: str
    rate: float
    ambiguous: tuple[str, ...] = field(default=())

    @property
    def mapping(self) -> dict[str, str]:
        t = self.table[self.table["mapped"] != ""]
        return dict(zip(t["input"], t["mapped"], strict=True))


def map_ids(
    ids: Iterable[str],
    annotation: pd.DataFrame,
    *,
    to: IdType = "symbol",
    from_type: Literal["auto", "ensembl", "symbol", "entrez"] = "auto",
    min_rate: float = 0.5,
) -> IdMapping:
    """Map gene identifiers between Ensembl, symbol and Entrez through an annotation table.

    Parameters
    ----------
    ids
        Identifiers to map (Ensembl with or without version suffix, symbols, Entrez IDs).
    annotation
        :func:`read_gene_annotation` output.
    to
        Target identifier type.
    from_type
        Source type; ``auto`` detects it (:func:`detect_id_type`).
    min_rate
        Fewer mapped than this fraction is an error naming the expected identifier type.

    Returns
    -------
    IdMapping
        Unmapped identifiers are counted and listed, never dropped silently.

    Notes
    -----
    R equivalent: ``clusterProfiler::bitr(ids, fromType = "ENSEMBL", toType = "SYMBOL",
    OrgDb = org.Hs.eg.db)``.
    """
    ids = [str(i) for i in ids]
    src = detect_id_type(ids) if from_type == "auto" else from_type
    if from_type == "auto" and src == to:
        # the identifiers do not look like another type (e.g. simulated or custom ids):
        # take the annotation column, other than the target, that holds most of them
        kinds: tuple[IdType, ...] = ("ensembl", "symbol", "entrez")
        others = [c for c in kinds if c != to and c in annotation]
        hits = {c: len(set(ids) & set(annotation[c])) for c in others}
        best = max(others, key=lambda c: hits[c]) if others else to
        if hits.get(best, 0) == 0:
            msg = (
                f"the identifiers look like {to} identifiers already (e.g. {ids[:3]}), and no "
                f"other column of the annotation holds them; expected ids of type "
                f"{', '.join(others)}"
            )
            raise SchemaError(msg)
        src = best
    keys = strip_version(ids) if src == "ensembl" else ids
    ann = annotation.loc[(annotation[src] != "") & (annotation[to] != ""), [src, to]]
    ann = ann.drop_duplicates().sort_values([src, to], kind="mergesort")
    # dict() keeps the last value per key: feed it reversed so the first (sorted) target wins
    first = dict(zip(ann[src].iloc[::-1], ann[to].iloc[::-1], strict=True))
    count = ann[src].value_counts().to_dict()
    mapped = [first.get(k, "") for k in keys]
    n_targets = [int(count.get(k, 0)) for k in keys]
    table = pd.DataFrame({"input": ids, "mapped": mapped, "n_targets": n_targets})
    unmapped = tuple(i for i, m in zip(ids, mapped, strict=True) if not m)
    ambiguous = tuple(i for i, n in zip(ids, n_targets, strict=True) if n > 1)
    rate = 1 - len(unmapped) / max(len(ids), 1)
    if ids and rate < min_rate:
        example = {"ensembl": "ENSG00000141510", "symbol": "TP53", "entrez": "7157"}[src]
        msg = (
            f"only {rate:.1%} of {len(ids)} identifiers mapped from {src} to {to} (minimum "
            f"{min_rate:.0%}); expected {src} identifiers such as {example!r}, got e.g. "
            f"{list(unmapped[:3])} — check the identifier type or the annotation"
        )
        raise SchemaError(msg)
    return IdMapping(table, unmapped, src, to, rate, ambiguous)


def classify_rna(ids: Iterable[str], annotation: pd.DataFrame | None = None) -> pd.DataFrame:
    """Classify features into the paper's RNA classes.

    Rules, in order: circRNA by circBase id (``hsa_circ_0000001``), circBank id
    (``hsa_circA1BG_001``) or back-splice coordinates (``chr1:1000-2000``); miRNA by miRBase
    name (``hsa-miR-21-5p``, ``hsa-let-7a``) or accession (``MIMAT0000076``); otherwise the
    annotation's biotype: ``protein_coding`` -> mRNA, ``lncRNA`` / ``lincRNA`` / long
    non-coding group -> lncRNA, ``miRNA`` -> miRNA, anything else -> other; ids not in the
    annotation -> unknown (listed, never dropped).

    Returns
    -------
    pandas.DataFrame
        ``feature_id``, ``rna_class`` (one of :data:`RNA_CLASSES`), ``rule``, ``biotype``.
    """
    ids = [str(i) for i in ids]
    by_ens: dict[str, tuple[str, str]] = {}
    by_sym: dict[str, tuple[str, str]] = {}
    if annotation is not None:
        for e, s, b, g in zip(
            annotation["ensembl"],
            annotation["symbol"],
            annotation["biotype"],
            annotation["group"],
            strict=True,
        ):
            if e:
                by_ens.setdefault(e, (b, g))
            if s:
                by_sym.setdefault(s, (b, g))
    classes, rules, biotypes = [], [], []
    for raw, key in zip(ids, strip_version(ids), strict=True):
        if _CIRCBASE.match(raw) or _CIRCBANK.match(raw):
            c, r, b = "circRNA", "circBase/circBank id", ""
        elif _BACKSPLICE.match(raw):
            c, r, b = "circRNA", "back-splice coordinates", ""
        elif _MIMAT.match(raw) or (_MIRNA.match(raw) and "-" in raw and raw not in by_sym):
            c, r, b = "miRNA", "miRBase name", ""
        else:
            hit = by_ens.get(key) or by_sym.get(raw)
            if hit is None:
                c, r, b = "unknown", "not in the annotation", ""
            else:
                b, g = hit
                r = "biotype"
                if b == "protein_coding":
                    c = "mRNA"
                elif b in ("lncRNA", "lincRNA", "antisense", "sense_intronic") or g in (
                    "long_non_coding",
                    "lncRNA",
                ):
                    c = "lncRNA"
                elif b == "miRNA":
                    c = "miRNA"
                else:
                    c = "other"
        classes.append(c)
        rules.append(r)
        biotypes.append(b)
    return pd.DataFrame(
        {
            "feature_id": ids,
            "rna_class": pd.Categorical(classes, categories=list(RNA_CLASSES)),
            "rule": rules,
            "biotype": np.asarray(biotypes, dtype=object),
        }
    )
