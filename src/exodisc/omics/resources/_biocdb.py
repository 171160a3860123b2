"""Offline GO from Bioconductor's annotation packages as Debian installs them.

``r-bioc-go.db`` ships ``GO.db/extdata/GO.sqlite`` (the GO DAG) and ``r-bioc-org.hs.eg.db``
ships ``org.Hs.eg.db/extdata/org.Hs.eg.sqlite`` (human Entrez genes, symbols and their GO
annotations). Both are plain SQLite files read here with the standard library.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from exodisc.errors import InputFormatError, ResourceError
from exodisc.omics.resources._readers import TRUE_PATH, GOGraph, GOTerm

__all__ = ["bioc_version", "find_bioc_sqlite", "read_go_db", "read_org_db"]

_FILES = {"GO.db": "GO.sqlite", "org.Hs.eg.db": "org.Hs.eg.sqlite"}
_REL = {
    "isa": "is_a",
    "is_a": "is_a",
    "part of": "part_of",
    "part_of": "part_of",
    "regulates": "regulates",
    "positively regulates": "positively_regulates",
    "negatively regulates": "negatively_regulates",
}
_ONT = {"BP": "biological_process", "MF": "molecular_function", "CC": "cellular_component"}


def _library_dirs() -> list[Path]:
    dirs = []
    for var in ("R_LIBS", "R_LIBS_USER", "R_LIBS_SITE"):
        dirs += [Path(p) for p in os.environ.get(var, "").split(os.pathsep) if p]
    dirs += [
        Path("/usr/local/lib/R/site-library"),
        Path("/usr/lib/R/site-library"),
        Path("/usr/lib/R/library"),
    ]
    return dirs


def find_bioc_sqlite(package: str) -> Path | None:
    """The SQLite file of an installed Bioconductor annotation package (``GO.db``,
    ``org.Hs.eg.db``), or None where it is not installed."""
    name = _FILES.get(package)
    if name is None:
        msg = f"package must be one of {', '.join(_FILES)}, got {package!r}"
        raise ValueError(msg)
    for d in _library_dirs():
        f = d / package / "extdata" / name
        if f.is_file():
            return f
    return None


def bioc_version(path: str | Path) -> str:
    """Package version and source dates of a Bioconductor SQLite file, for provenance."""
    path = Path(path)
    desc = path.parent.parent / "DESCRIPTION"
    version = ""
    if desc.is_file():
        for line in desc.read_text(errors="replace").splitlines():
            if line.startswith("Version:"):
                version = line.split(":", 1)[1].strip()
    meta = dict(_query(path, "SELECT name, value FROM metadata"))
    dates = [f"{k}={v}" for k, v in sorted(meta.items()) if k.endswith("SOURCEDATE")]
    return ";".join([version, *dates]) if version else ";".join(dates)


def _query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()
    except sqlite3.Error as exc:
        msg = f"cannot read it as a Bioconductor annotation SQLite file ({exc})"
        raise InputFormatError(msg, path=path) from None


def _resolve(path: str | Path | None, package: str) -> Path:
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise InputFormatError("file not found", path=p)
        return p
    found = find_bioc_sqlite(package)
    if found is None:
        deb = {"GO.db": "r-bioc-go.db", "org.Hs.eg.db": "r-bioc-org.hs.eg.db"}[package]
        msg = (
            f"{package} is not installed (looked in {', '.join(map(str, _library_dirs()))}); "
            f"install Debian's {deb} or pass the path of its {_FILES[package]}"
        )
        raise ResourceError(msg)
    return found


def read_go_db(path: str | Path | None = None, *, relations: Iterable[str] = TRUE_PATH) -> GOGraph:
    """The GO DAG from ``GO.db``'s SQLite file (default: the installed package).

    Parameters
    ----------
    path
        ``GO.sqlite``; None finds the installed ``GO.db``.
    relations
        Relations to propagate along (see :func:`exodisc.omics.resources.read_obo`); GO.db's
        own ``GOBPANCESTOR`` uses all of ``WITH_REGULATES``.

    Notes
    -----
    R equivalent: ``as.list(GO.db::GOBPPARENTS)``. GO.db's artificial ``all`` root is left out.
    """
    p = _resolve(path, "GO.db")
    rels = set(relations)
    rows = _query(p, "SELECT _id, go_id, term, ontology FROM go_term")
    by_id = {i: (g, t, o) for i, g, t, o in rows}
    parents: dict[str, list[str]] = {}
    for ont in ("bp", "mf", "cc"):
        sql = f"SELECT _id, _parent_id, relationship_type FROM go_{ont}_parents"
        for child, parent, rel in _query(p, sql):
            if _REL.get(rel) not in rels:
                continue
            c, par = by_id[child][0], by_id[parent][0]
            if par == "all":
                continue
            parents.setdefault(c, []).append(par)
    terms = {
        g: GOTerm(g, t, _ONT.get(o, o), tuple(dict.fromkeys(parents.get(g, ()))))
        for g, t, o in by_id.values()
        if g != "all"
    }
    alt = dict(
        (s, g)
        for s, g in _query(
            p,
            "SELECT s.secondary, t.go_id FROM go_synonym s JOIN go_term t USING (_id) "
            "WHERE s.secondary IS NOT NULL",
        )
    )
    return GOGraph(terms, alt, bioc_version(p))


def read_org_db(path: str | Path | None = None) -> pd.DataFrame:
    """Direct GO annotations of human genes from ``org.Hs.eg.db`` (default: installed).

    Returns
    -------
    pandas.DataFrame
        ``entrez``, ``symbol``, ``go_id``, ``evidence_code``, ``aspect`` (P/F/C) — the input
        :func:`exodisc.omics.resources.go_gene_sets` takes (``gene_column="symbol"`` or
        ``"entrez"``).

    Notes
    -----
    R equivalent: ``AnnotationDbi::select(org.Hs.eg.db, keys(org.Hs.eg.db), c("SYMBOL",
    "GO"))``; the propagated ``GOALL`` map is ``go_*_all`` in the same file.
    """
    p = _resolve(path, "org.Hs.eg.db")
    frames = []
    for ont, aspect in (("bp", "P"), ("mf", "F"), ("cc", "C")):
        rows = _query(
            p,
            f"SELECT g.gene_id, i.symbol, a.go_id, a.evidence FROM go_{ont} a "
            "JOIN genes g USING (_id) LEFT JOIN gene_info i USING (_id)",
        )
        df = pd.DataFrame(rows, columns=["entrez", "symbol", "go_id", "evidence_code"])
        df["aspect"] = aspect
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    out["symbol"] = out["symbol"].fillna("")
    return out
