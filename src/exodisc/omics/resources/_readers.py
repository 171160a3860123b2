"""Readers of annotation resources: GMT, GO OBO, GAF 2.x, GO annotation tables, two-column tables.

Readers only parse; every problem names the file and the line.
"""

from __future__ import annotations

import gzip
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from exodisc.errors import InputFormatError
from exodisc.io import missing_file
from exodisc.omics.resources._genesets import GeneSets

__all__ = [
    "GAF_COLUMNS",
    "TRUE_PATH",
    "WITH_REGULATES",
    "GOGraph",
    "GOTerm",
    "go_gene_sets",
    "guess_id_type",
    "read_gaf",
    "read_gene_list",
    "read_gmt",
    "read_go_table",
    "read_obo",
    "read_two_column",
]

_ASPECTS = {"P": "biological_process", "F": "molecular_function", "C": "cellular_component"}
_ASPECT_ALIASES = {"P": "P", "BP": "P", "F": "F", "MF": "F", "C": "C", "CC": "C"}


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """Lines of a plain or gzip-compressed text file, numbered from 1, without newlines."""
    path = Path(path)
    if not path.is_file():
        raise missing_file(path, "file")
    with path.open("rb") as fh:
        magic = fh.read(2)
    opener = gzip.open if magic == b"\x1f\x8b" else open
    try:
        with opener(path, "rb") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            for n, line in enumerate(text, start=1):
                yield n, line.rstrip("\r\n")
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        raise InputFormatError(msg, path=path) from None
    except (OSError, EOFError) as exc:
        msg = f"cannot be read ({exc})"
        raise InputFormatError(msg, path=path) from None


def guess_id_type(genes: Iterable[str]) -> Literal["entrez", "ensembl", "symbol", "unknown"]:
    """Guess the identifier type of a gene list from its first 200 members."""
    sample = [g for _, g in zip(range(200), genes, strict=False)]
    if not sample:
        return "unknown"
    if all(g.isdigit() for g in sample):
        return "entrez"
    if sum(bool(re.match(r"^ENS[A-Z]*G\d{6,}", g)) for g in sample) > 0.9 * len(sample):
        return "ensembl"
    return "symbol"


# ----------------------------------------------------------------------------------- GMT
def read_gmt(path: str | Path, *, source: str | None = None) -> GeneSets:
    """Read a GMT gene-set file (MSigDB, Enrichr, Reactome, WikiPathways; plain or gzip).

    Parameters
    ----------
    path
        One set per line: name, description (may be empty), then member genes, tab-separated.
    source
        Label recorded in the result (default: the path).

    Returns
    -------
    GeneSets
        Members in file order, duplicates within a set removed; ``id_type`` guessed
        (Entrez when every member is a number).

    Notes
    -----
    R equivalent: ``clusterProfiler::read.gmt(path)`` / ``GSEABase::getGmt(path)``;
    Python: ``gseapy.read_gmt``. Format: Broad GSEA documentation, "GMT: Gene Matrix Transposed".
    """
    path = Path(path)
    sets: dict[str, tuple[str, ...]] = {}
    desc: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for n, line in _lines(path):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3:
            msg = (
                f"found {len(fields)} tab-separated field(s); a GMT line needs a name, a "
                "description and at least one gene, separated by tabs"
            )
            raise InputFormatError(msg, path=path, where=f"line {n}")
        name = fields[0].strip()
        if not name:
            raise InputFormatError("empty gene-set name", path=path, where=f"line {n}")
        # stripped, empty fields dropped, first occurrence kept (map/filter: C speed)
        genes = tuple(dict.fromkeys(filter(None, map(str.strip, fields[2:]))))
        if not genes:
            msg = f"gene set {name!r} has no genes"
            raise InputFormatError(msg, path=path, where=f"line {n}")
        if name in sets:
            msg = f"gene set {name!r} appears twice (first on line {first_line[name]})"
            raise InputFormatError(msg, path=path, where=f"line {n}")
        sets[name] = genes
        desc[name] = fields[1].strip()
        first_line[name] = n
    if not sets:
        raise InputFormatError("no gene sets found; expected GMT lines", path=path)
    all_genes = (g for v in sets.values() for g in v)
    return GeneSets(sets, desc, source or str(path), guess_id_type(all_genes))


# ----------------------------------------------------------------------------------- OBO
@dataclass(frozen=True)
class GOTerm:
    """One term of an OBO ontology."""

    id: str
    name: str
    namespace: str
    parents: tuple[str, ...] = ()  # is_a and part_of targets (the GO true-path relations)
    obsolete: bool = False


@dataclass(frozen=True)
class GOGraph:
    """The GO DAG read from an OBO file, for propagating annotations to ancestors.

    Attributes
    ----------
    terms
        Term id -> :class:`GOTerm` (obsolete terms included, flagged).
    alt_ids
        Secondary id -> primary id.
    version
        ``data-version`` of the header (``""`` if absent).
    """

    terms: Mapping[str, GOTerm]
    alt_ids: Mapping[str, str] = field(default_factory=dict)
    version: str = ""
    _cache: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    def primary(self, term: str) -> str:
        return self.alt_ids.get(term, term)

    def ancestors(self, term: str) -> frozenset[str]:
        """``term`` and all its ancestors along ``is_a`` and ``part_of``."""
        term = self.primary(term)
        hit = self._cache.get(term)
        if hit is not None:
            return hit
        out = {term}
        stack = [term]
        while stack:
            t = stack.pop()
            node = self.terms.get(t)
            if node is None:
                continue
            for p in node.parents:
                if p not in out:
                    out.add(p)
                    stack.append(p)
        result = frozenset(out)
        self._cache[term] = result
        return result

    def children(self) -> dict[str, set[str]]:
        """Term id -> its direct children."""
        kids: dict[str, set[str]] = {t: set() for t in self.terms}
        for t in self.terms.values():
            for p in t.parents:
                kids.setdefault(p, set()).add(t.id)
        return kids


TRUE_PATH = ("is_a", "part_of")
WITH_REGULATES = (
    "is_a",
    "part_of",
    "regulates",
    "positively_regulates",
    "negatively_regulates",
)


def read_obo(path: str | Path, *, relations: Iterable[str] = TRUE_PATH) -> GOGraph:
    """Read an OBO 1.2/1.4 ontology (``go-basic.obo``) into a :class:`GOGraph`.

    Parameters
    ----------
    path
        The ontology file (plain or gzip).
    relations
        Relations along which annotations propagate: ``is_a`` always, plus any of
        ``part_of`` (default), ``regulates``, ``positively_regulates``,
        ``negatively_regulates`` (:data:`WITH_REGULATES` reproduces GO.db's ancestor maps,
        which clusterProfiler's ``enrichGO`` uses).

    Notes
    -----
    The default is GO's true-path rule over ``is_a`` and ``part_of`` (as topGO and
    goatools do; ``go-basic.obo`` guarantees these are acyclic).
    R equivalent: ``GO.db::GOBPANCESTOR`` (or ``ontologyIndex::get_ontology(path)``);
    Python: ``goatools.obo_parser.GODag``.
    """
    rels = set(relations)
    path = Path(path)
    terms: dict[str, GOTerm] = {}
    alt: dict[str, str] = {}
    version = ""
    stanza: str | None = None
    cur: dict[str, list[str]] = {}
    start = 0

    def flush() -> None:
        if stanza != "Term" or not cur:
            return
        ids = cur.get("id", [])
        if len(ids) != 1:
            msg = f"a [Term] stanza needs exactly one 'id:' line, found {len(ids)}"
            raise InputFormatError(msg, path=path, where=f"stanza starting on line {start}")
        tid = ids[0]
        parents = [v.split("!")[0].strip() for v in cur.get("is_a", [])]
        for rel in cur.get("relationship", []):
            parts = rel.split()
            if len(parts) >= 2 and parts[0] in rels:
                parents.append(parts[1])
        terms[tid] = GOTerm(
            tid,
            (cur.get("name") or [""])[0],
            (cur.get("namespace") or [""])[0],
            tuple(dict.fromkeys(parents)),
            (cur.get("is_obsolete") or ["false"])[0] == "true",
        )
        for a in cur.get("alt_id", []):
            alt[a] = tid

    for n, line in _lines(path):
        s = line.strip()
        if not s or s.startswith("!"):
            continue
        if s.startswith("[") and s.endswith("]"):
            flush()
            stanza = s[1:-1]
            cur = {}
            start = n
            continue
        key, sep, value = s.partition(":")
        if not sep:
            msg = f"expected 'tag: value', found {s[:60]!r}"
            raise InputFormatError(msg, path=path, where=f"line {n}")
        value = value.strip()
        if stanza is None:
            if key == "data-version":
                version = value
            continue
        cur.setdefault(key, []).append(value)
    flush()
    if not terms:
        raise InputFormatError("no [Term] stanzas found; expected an OBO ontology", path=path)
    return GOGraph(terms, alt, version)


# ----------------------------------------------------------------------------------- GAF
GAF_COLUMNS = [
    "db",
    "db_object_id",
    "symbol",
    "qualifier",
    "go_id",
    "reference",
    "evidence_code",
    "with_from",
    "aspect",
    "db_object_name",
    "synonym",
    "db_object_type",
    "taxon",
    "date",
    "assigned_by",
    "annotation_extension",
    "gene_product_form_id",
]


def read_gaf(path: str | Path) -> pd.DataFrame:
    """Read a GO annotation file (GAF 2.0–2.2, plain or gzip) into a tidy table.

    Returns
    -------
    pandas.DataFrame
        The 17 GAF columns (:data:`GAF_COLUMNS`) as strings, plus ``negated`` (True where the
        qualifier contains ``NOT``; such rows must not be used for enrichment).

    Notes
    -----
    R equivalent: ``read.delim(path, comment.char = "!", header = FALSE)``; specification:
    https://geneontology.org/docs/go-annotation-file-gaf-format-2.2/.
    """
    path = Path(path)
    rows: list[list[str]] = []
    version = None
    for n, line in _lines(path):
        if line.startswith("!"):
            m = re.match(r"!\s*gaf-version:\s*(\S+)", line)
            if m:
                version = m.group(1)
            continue
        if not line.strip():
            continue
        if version is None:
            msg = "no '!gaf-version: 2.x' header before the first annotation"
            raise InputFormatError(msg, path=path, where=f"line {n}")
        fields = line.split("\t")
        if len(fields) == 15:
            fields += ["", ""]
        if len(fields) != 17:
            msg = f"found {len(fields)} tab-separated columns; GAF 2.x has 17 (or 15)"
            raise InputFormatError(msg, path=path, where=f"line {n}")
        if not fields[4].startswith("GO:"):
            msg = f"column 5 (GO ID) is {fields[4]!r}; expected 'GO:nnnnnnn'"
            raise InputFormatError(msg, path=path, where=f"line {n}")
        if fields[8] not in _ASPECTS:
            msg = f"column 9 (aspect) is {fields[8]!r}; expected P, F or C"
            raise InputFormatError(msg, path=path, where=f"line {n}")
        rows.append(fields)
    if version is None or not version.startswith("2."):
        msg = f"gaf-version is {version!r}; expected a '!gaf-version: 2.x' header"
        raise InputFormatError(msg, path=path)
    df = pd.DataFrame(rows, columns=GAF_COLUMNS)
    df["negated"] = df["qualifier"].str.contains("NOT", regex=False)
    return df


def read_go_table(path: str | Path) -> pd.DataFrame:
    """Read a tab-separated GO annotation table with ``go_id, aspect, gene_symbol`` columns.

    Extra columns (``go_term``, ``evidence_code``) are kept. This is the shape of the NoRCE GOA
    export and of ``AnnotationDbi::select(org.Hs.eg.db, keys, c("SYMBOL", "GO"))`` output with
    its columns renamed.
    """
    path = Path(path)
    if not path.is_file():
        raise missing_file(path)
    try:
        df = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    except Exception as exc:
        raise InputFormatError(f"cannot be parsed as TSV ({exc})", path=path) from None
    need = ["go_id", "aspect", "gene_symbol"]
    missing = [c for c in need if c not in df.columns]
    if missing:
        msg = f"missing column(s) {missing}; expected {need}, found {list(df.columns)}"
        raise InputFormatError(msg, path=path, where="header")
    bad = ~df["aspect"].isin(list(_ASPECTS))
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        msg = f"aspect is {df['aspect'].iloc[i]!r}; expected P, F or C"
        raise InputFormatError(msg, path=path, where=f"line {i + 2}, column 'aspect'")
    return df.rename(columns={"gene_symbol": "symbol"})


def read_two_column(
    path: str | Path, *, names: tuple[str, str] = ("key", "value"), header: bool | None = None
) -> pd.DataFrame:
    """Read a two-column table (TSV or CSV, plain or gzip): term–gene, ID–ID, miRNA–target.

    Parameters
    ----------
    path
        The file; the delimiter (tab or comma) is taken from the first line.
    names
        Names given to the two columns.
    header
        Whether the first line is a header; ``None`` guesses: a header when one of its two
        values is a column word such as ``term``, ``gene``, ``symbol`` or ``target``.

    Notes
    -----
    R equivalent: ``clusterProfiler::enricher(TERM2GENE = read.delim(path))``.
    """
    path = Path(path)
    rows: list[tuple[str, str]] = []
    delim = None
    first = True
    for n, line in _lines(path):
        if not line.strip() or line.startswith("#"):
            continue
        if delim is None:
            delim = "\t" if "\t" in line else ","
        fields = [f.strip().strip('"') for f in line.split(delim)]
        if len(fields) < 2 or not fields[0] or not fields[1]:
            msg = f"expected two non-empty columns separated by {delim!r}, found {line[:60]!r}"
            raise InputFormatError(msg, path=path, where=f"line {n}")
        if first:
            first = False
            is_header = header
            if is_header is None:
                is_header = fields[0].lower() in _HEADER_WORDS or fields[1].lower() in _HEADER_WORDS
            if is_header:
                continue
        rows.append((fields[0], fields[1]))
    if not rows:
        raise InputFormatError("no rows found; expected two columns", path=path)
    return pd.DataFrame(rows, columns=list(names))


_HEADER_WORDS = {
    "term",
    "gene",
    "genes",
    "symbol",
    "gene_symbol",
    "go_id",
    "id",
    "entrez",
    "ensembl",
    "mirna",
    "target",
    "pathway",
    "set",
    "key",
    "value",
    "name",
}


def go_gene_sets(
    annotations: pd.DataFrame,
    *,
    aspect: Literal["P", "F", "C", "BP", "MF", "CC"] = "P",
    graph: GOGraph | None = None,
    gene_column: str = "symbol",
    exclude_evidence: Iterable[str] = (),
    source: str = "",
) -> GeneSets:
    """Gene sets of one GO aspect from an annotation table, propagated along the DAG.

    Parameters
    ----------
    annotations
        Output of :func:`read_gaf` or :func:`read_go_table`.
    aspect
        ``P``/``BP`` biological process, ``F``/``MF`` molecular function, ``C``/``CC``
        cellular component.
    graph
        The GO DAG (:func:`read_obo`). When given, each annotation also counts for every
        ancestor of its term (the true-path rule) and term names come from the ontology;
        when None, only direct annotations are used (say so in the report).
    gene_column
        Column holding the gene identifier.
    exclude_evidence
        Evidence codes to leave out (e.g. ``["IEA"]``).

    Notes
    -----
    R equivalent: ``clusterProfiler::enrichGO`` builds the same propagated sets from
    ``GO.db::GOBPANCESTOR`` and ``org.Hs.eg.db``. ``NOT`` annotations are never used.
    """
    code = _ASPECT_ALIASES.get(aspect)
    if code is None:
        msg = f"aspect must be one of P, F, C (or BP, MF, CC), got {aspect!r}"
        raise ValueError(msg)
    df = annotations.loc[annotations["aspect"] == code]
    if "negated" in df.columns:
        df = df.loc[~df["negated"]]
    excl = set(exclude_evidence)
    if excl and "evidence_code" in df.columns:
        df = df.loc[~df["evidence_code"].isin(excl)]
    names: dict[str, str] = {}
    if "go_term" in df.columns:
        names = dict(zip(df["go_id"], df["go_term"], strict=True))
    pairs = df[["go_id", gene_column]].drop_duplicates()
    sets: dict[str, set[str]] = {}
    if graph is None:
        for term, gene in zip(pairs["go_id"], pairs[gene_column], strict=True):
            sets.setdefault(term, set()).add(gene)
    else:
        ns = _ASPECTS[code]
        direct: dict[str, set[str]] = {}
        for term, gene in zip(pairs["go_id"], pairs[gene_column], strict=True):
            direct.setdefault(term, set()).add(gene)
        for term, genes in direct.items():
            for anc in graph.ancestors(term):
                node = graph.terms.get(anc)
                if node is not None and node.namespace and node.namespace != ns:
                    continue  # part_of may cross namespaces; keep each set in its aspect
                target = sets.get(anc)
                if target is None:
                    sets[anc] = set(genes)
                else:
                    target.update(genes)
        for t in sets:
            node = graph.terms.get(t)
            if node is not None:
                names[t] = node.name
    ordered = {t: tuple(sorted(sets[t])) for t in sorted(sets)}
    return GeneSets(ordered, {t: names.get(t, "") for t in ordered}, source, gene_column)


def read_gene_list(path: str | Path) -> list[str]:
    """Read a gene list: one identifier per line (a first line ``gene``/``symbol`` is a header).

    Blank lines and ``#`` comments are skipped; tabs or commas end the identifier (so the first
    column of a table works too); duplicates are kept once, in file order.

    Notes
    -----
    R equivalent: ``unique(readLines(path))`` (DAVID and clusterProfiler take such lists).
    """
    path = Path(path)
    genes: list[str] = []
    for n, line in _lines(path):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        g = re.split(r"[\t,]", s)[0].strip().strip('"')
        if not genes and g.lower() in _HEADER_WORDS:
            continue
        if " " in g:
            msg = f"found {g[:40]!r}; expected one gene identifier per line"
            raise InputFormatError(msg, path=path, where=f"line {n}")
        genes.append(g)
    if not genes:
        raise InputFormatError("no gene identifiers found; expected one per line", path=path)
    return list(dict.fromkeys(genes))
