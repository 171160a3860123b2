"""Load gene sets from a file or a cached resource, returning what provenance must record."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from exodisc.errors import ResourceError
from exodisc.omics.resources._genesets import GeneSets
from exodisc.omics.resources._manager import ResourceRecord, locate, sha256sum
from exodisc.omics.resources._readers import (
    go_gene_sets,
    read_gaf,
    read_gmt,
    read_go_table,
    read_obo,
    read_two_column,
)

__all__ = ["file_record", "load_gene_sets"]


def file_record(path: str | Path, *, kind: str) -> ResourceRecord:
    """A provenance record for a plain file used directly (not from the cache)."""
    p = Path(path).resolve()
    return ResourceRecord(
        p.name,
        "file",
        kind,
        sha256sum(p),
        str(p),
        "unknown",
        "file",
        str(p),
    )


def _kind_of(path: Path) -> str:
    n = path.name.lower().removesuffix(".gz")
    if n.endswith(".gmt"):
        return "gmt"
    if n.endswith(".gaf"):
        return "gaf"
    return "table"


def _from_bioc(aspect: str) -> tuple[GeneSets, tuple[ResourceRecord, ...]]:
    from exodisc.omics.resources._biocdb import (
        bioc_version,
        find_bioc_sqlite,
        read_go_db,
        read_org_db,
    )
    from exodisc.omics.resources._readers import WITH_REGULATES

    ann = read_org_db()
    graph = read_go_db(relations=WITH_REGULATES)
    records = []
    for pkg in ("org.Hs.eg.db", "GO.db"):
        f = find_bioc_sqlite(pkg)
        if f is None:  # read_* above raised already; keeps the type checker informed
            raise ResourceError(f"{pkg} is not installed")
        records.append(
            ResourceRecord(
                pkg,
                bioc_version(f),
                "sqlite",
                sha256sum(f),
                str(f),
                "Artistic-2.0 (package)",
                "file",
                str(f),
            )
        )
    src = f"org.Hs.eg.db {records[0].version} / GO.db {records[1].version}"
    code = {"BP": "P", "MF": "F", "CC": "C"}.get(aspect, aspect)
    gs = go_gene_sets(ann, aspect=code, graph=graph, source=src)  # type: ignore[arg-type]
    return gs, tuple(records)


@functools.lru_cache(maxsize=8)
def _read_gmt_once(path: str, sha256: str, source: str) -> GeneSets:
    """A GMT file read once per process while its content (``sha256``, part of the key) is
    unchanged: a study's enrichment and ceRNA assays use the same collections, and GeneSets
    is frozen (its membership matrices cached inside)."""
    return read_gmt(Path(path), source=source)


def load_gene_sets(
    spec: str | Path,
    *,
    aspect: Literal["BP", "MF", "CC"] = "BP",
    obo: str | Path | None = None,
    cache: str | Path | None = None,
) -> tuple[GeneSets, tuple[ResourceRecord, ...]]:
    """Gene sets from a file path or a cached resource name, with provenance records.

    Parameters
    ----------
    spec
        A GMT / GAF / GO table / two-column (term, gene) file, the name of a fetched or
        imported resource (``exodisc resources list``), or ``org.Hs.eg.db``: GO sets of
        human gene symbols from Debian's ``r-bioc-org.hs.eg.db`` and ``r-bioc-go.db``,
        propagated as Bioconductor's ``GOALL`` map (and ``clusterProfiler::enrichGO``) does.
    aspect
        GO aspect, for GAF files and GO annotation tables.
    obo
        A GO ontology (file or resource name) to propagate GO annotations to ancestors; without
        it GO sets hold direct annotations only.
    cache
        Resource cache folder (default: the per-user cache or ``$EXODISC_CACHE``).

    Returns
    -------
    tuple
        The gene sets and the records (sha256, version, source) of every file used.
    """
    if str(spec) in ("org.Hs.eg.db", "GO.db"):
        return _from_bioc(aspect)
    path = Path(spec)
    if path.is_file():
        rec = file_record(path, kind=_kind_of(path))
    elif isinstance(spec, str) and "/" not in spec and "\\" not in spec:
        rec = locate(spec, cache=cache)
    else:
        kind = "is a folder; expected a file" if path.is_dir() else "gene-set file not found"
        msg = f"{spec}: {kind} (and it is not a resource name)"
        raise ResourceError(msg)
    records = [rec]
    src = f"{rec.name} {rec.version} (sha256 {rec.sha256[:12]})"
    target = Path(rec.path)
    if rec.kind == "gmt":
        gs = _read_gmt_once(str(target.resolve()), rec.sha256, src)
    elif rec.kind in ("gaf", "go_table"):
        ann = read_gaf(target) if rec.kind == "gaf" else read_go_table(target)
        graph = None
        if obo is not None:
            obo_path = Path(obo)
            orec = (
                file_record(obo_path, kind="obo")
                if obo_path.is_file()
                else locate(str(obo), cache=cache)
            )
            records.append(orec)
            graph = read_obo(orec.path)
        gs = go_gene_sets(ann, aspect=aspect, graph=graph, source=src)
    elif rec.kind in ("table", "id_map"):
        df = read_two_column(target, names=("term", "gene"))
        sets: dict[str, list[str]] = {}
        for t, g in zip(df["term"], df["gene"], strict=True):
            sets.setdefault(t, []).append(g)
        gs = GeneSets.from_mapping(sets, source=src)
    else:
        msg = f"resource {rec.name!r} is a {rec.kind!r} file, not gene sets"
        raise ResourceError(msg)
    return gs, tuple(records)
