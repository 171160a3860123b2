"""The resource manager: a catalogue of versioned, checksummed resources in a per-user cache.

Every resource has a name, version, source URL, sha256 and licence. ``fetch`` downloads with
pooch and checks the hash; ``import_file`` copies a local file in (for offline machines and
for resources whose files cannot be pinned, such as a dated ``go-basic.obo``). After either,
everything works offline, and each use returns a :class:`ResourceRecord` for provenance.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import pandas as pd

from exodisc.errors import ResourceError

__all__ = [
    "CATALOGUE",
    "Resource",
    "ResourceKind",
    "ResourceRecord",
    "ShippedResource",
    "cache_dir",
    "fetch",
    "import_file",
    "list_resources",
    "locate",
    "sha256sum",
    "shipped",
    "verify_resources",
]

ResourceKind = Literal["gmt", "obo", "gaf", "go_table", "table", "id_map"]
_KINDS = ("gmt", "obo", "gaf", "go_table", "table", "id_map")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Resource:
    """A catalogue entry: what to download and how to check it."""

    name: str
    version: str
    url: str
    sha256: str
    licence: str
    kind: ResourceKind
    filename: str
    description: str = ""
    id_type: str = ""


@dataclass(frozen=True)
class ResourceRecord:
    """A resource present in the cache (what provenance records)."""

    name: str
    version: str
    kind: str
    sha256: str
    path: str
    licence: str
    origin: Literal["fetched", "imported", "file", "shipped"]
    source: str
    added: str = ""
    id_type: str = ""

    def to_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items()}


#: Folder of the resources shipped inside the package (``MANIFEST.json`` lists them).
SHIPPED_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class ShippedResource:
    """A resource shipped inside the package: works offline, out of the box."""

    name: str
    version: str
    kind: str
    file: str
    id_type: str
    licence: str
    source: str
    description: str
    bytes: int
    sha256: str

    @property
    def path(self) -> Path:
        return SHIPPED_DIR / self.file

    def record(self) -> ResourceRecord:
        return ResourceRecord(
            self.name,
            self.version,
            self.kind,
            self.sha256,
            str(self.path),
            self.licence,
            "shipped",
            self.source,
            "",
            self.id_type,
        )


def shipped() -> tuple[ShippedResource, ...]:
    """The resources shipped inside the package (from ``data/MANIFEST.json``).

    Notes
    -----
    Built by ``tests/reference/resources/build_shipped.py`` from openly licensed sources; each
    entry records version, licence, source, size and sha256 (see ``exodisc resources list``).
    """
    manifest = SHIPPED_DIR / "MANIFEST.json"
    if not manifest.is_file():
        return ()
    data = json.loads(manifest.read_text(encoding="utf-8"))
    return tuple(
        ShippedResource(
            str(e["name"]),
            str(e["version"]),
            str(e["kind"]),
            str(e["file"]),
            str(e.get("id_type", "")),
            str(e["licence"]),
            str(e["source"]),
            str(e.get("description", "")),
            int(e["bytes"]),
            str(e["sha256"]),
        )
        for e in data["resources"]
    )


def _shipped_entry(name: str) -> ShippedResource | None:
    return next((s for s in shipped() if s.name == name), None)


_GSEAPY = "https://raw.githubusercontent.com/zqfang/GSEApy"
_CP = "https://raw.githubusercontent.com/YuLab-SMU/clusterProfiler"

#: Resources whose bytes could be pinned (sha256 of the exact file at a fixed commit).
CATALOGUE: tuple[Resource, ...] = (
    Resource(
        "msigdb_hallmark",
        "7.0",
        f"{_GSEAPY}/8611014ddbde0117dc0d1f0422c9846ac94a6a41/tests/extdata/h.all.v7.0.symbols.gmt",
        "4803c09aae50bbd96d53fc681bd5545a4c89278993c15145dd7b7c994f893516",
        "MSigDB terms of use (gene sets); file from GSEApy (BSD-3-Clause)",
        "gmt",
        "h.all.v7.0.symbols.gmt",
        "MSigDB Hallmark gene sets, 50 sets, gene symbols",
        "symbol",
    ),
    Resource(
        "msigdb_kegg",
        "7.5.1",
        f"{_GSEAPY}/476d0aabb275ffd9b764b5035b085d8a2897fbee/tests/data/c2.cp.kegg.v7.5.1.symbols.gmt",
        "b0aacb577ac7b4623c64627a2a3713ea2e8d935360ccff7aa7b6d8cb92183dfd",
        "KEGG licence forbids redistribution (download on request only); MSigDB terms; "
        "file from GSEApy (BSD-3-Clause)",
        "gmt",
        "c2.cp.kegg.v7.5.1.symbols.gmt",
        "MSigDB C2:CP:KEGG pathways, 186 sets, gene symbols",
        "symbol",
    ),
    Resource(
        "enrichr_go_bp",
        "2021",
        f"{_GSEAPY}/476d0aabb275ffd9b764b5035b085d8a2897fbee/tests/extdata/enrichr.GO_Biological_Process_2021.gmt",
        "5987ce789053fdd5533393cd65b9abdb5e08e4fade7b0625a1fe234a1207eea4",
        "GO: CC BY 4.0; Enrichr library via GSEApy (BSD-3-Clause)",
        "gmt",
        "enrichr.GO_Biological_Process_2021.gmt",
        "Enrichr GO Biological Process 2021, 6,036 terms, gene symbols",
        "symbol",
    ),
    Resource(
        "enrichr_kegg",
        "2016",
        f"{_GSEAPY}/476d0aabb275ffd9b764b5035b085d8a2897fbee/tests/extdata/enrichr.KEGG_2016.gmt",
        "f4344b643e92a53398a24852c41261f108825b3c819adf27ec5fa056773edd9d",
        "KEGG licence forbids redistribution (download on request only); Enrichr library "
        "via GSEApy (BSD-3-Clause)",
        "gmt",
        "enrichr.KEGG_2016.gmt",
        "Enrichr KEGG 2016 human pathways, 293 sets, gene symbols",
        "symbol",
    ),
    Resource(
        "msigdb_c5_cc",
        "5.0",
        f"{_CP}/3f985563dd6dc3a3d12285dc613b39a349cdec64/inst/extdata/c5.cc.v5.0.entrez.gmt",
        "adf538ee9f6d8273b234196e4d01c6c785a13b1fd347331d1e6072372ea49e4c",
        "MSigDB terms of use; file from clusterProfiler (Artistic-2.0)",
        "gmt",
        "c5.cc.v5.0.entrez.gmt",
        "MSigDB C5 GO cellular component, 233 sets, Entrez IDs",
        "entrez",
    ),
    Resource(
        "wikipathways",
        "20180810",
        f"{_CP}/ca9f281ef3946a76f43de97a2d0fef39d93ff079/inst/extdata/wikipathways-20180810-gmt-Homo_sapiens.gmt",
        "b51792d0b6eb62a06a6ccae18cb7e0e30f50667b0278998405f6ed6e2abfce07",
        "CC0 (WikiPathways); file from clusterProfiler (Artistic-2.0)",
        "gmt",
        "wikipathways-20180810-gmt-Homo_sapiens.gmt",
        "WikiPathways human, 462 pathways, Entrez IDs",
        "entrez",
    ),
    Resource(
        "reactome",
        "2021-10",
        "https://raw.githubusercontent.com/markziemann/vpa-senescence/a36fe56e72ca65276969b5ac47889ccb938ddbd0/ReactomePathways.gmt",
        "dad43596299f6416b971e913ea736442e498d493e49552fbf3ffc4c407288a74",
        "CC BY 4.0 (Reactome); file from markziemann/vpa-senescence (MIT)",
        "gmt",
        "ReactomePathways.gmt",
        "Reactome pathways (Oct 2021 snapshot), 2,504 pathways, gene symbols",
        "symbol",
    ),
    # miRNA-target databases whose terms do not grant redistribution: download on request.
    # Their files change in place upstream, so no sha256 can be pinned; the hash of the first
    # download is recorded and checked from then on.
    Resource(
        "mirtarbase",
        "9.0",
        "https://mirtarbase.cuhk.edu.cn/~miRTarBase/miRTarBase_2022/cache/download/9.0/hsa_MTI.xlsx",
        "",
        "miRTarBase licence (academic use; redistribution not granted): download only",
        "table",
        "hsa_MTI.xlsx",
        "miRTarBase 9.0 human validated miRNA-target interactions (read_targets format "
        "'mirtarbase' after saving as TSV)",
        "symbol",
    ),
    Resource(
        "targetscan",
        "8.0",
        "https://www.targetscan.org/vert_80/vert_80_data_download/Predicted_Targets_Info.default_predictions.txt.zip",
        "",
        "TargetScan terms (free use with citation; redistribution not granted): download only",
        "table",
        "Predicted_Targets_Info.default_predictions.txt.zip",
        "TargetScanHuman 8.0 conserved-site predictions",
        "symbol",
    ),
    Resource(
        "mirdb",
        "6.0",
        "https://mirdb.org/download/miRDB_v6.0_prediction_result.txt.gz",
        "",
        "miRDB terms (academic/non-profit use; redistribution not granted): download only",
        "table",
        "miRDB_v6.0_prediction_result.txt.gz",
        "miRDB 6.0 predicted targets (all species; filter hsa-)",
        "refseq",
    ),
)


def cache_dir() -> Path:
    """The resource cache: ``$EXODISC_CACHE`` if set, else the per-user cache folder.

    Notes
    -----
    The per-user folder is ``platformdirs.user_cache_dir("exodisc") / "resources"``
    (``~/.cache/exodisc/resources`` on Linux).
    """
    env = os.environ.get("EXODISC_CACHE")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("exodisc")) / "resources"


def sha256sum(path: str | Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _catalogue_entry(name: str) -> Resource | None:
    for r in CATALOGUE:
        if r.name == name:
            return r
    return None


def _record_path(cache: Path, name: str) -> Path:
    return cache / name / "record.json"


def _write_record(cache: Path, record: ResourceRecord) -> None:
    path = _record_path(cache, record.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record.to_dict(), indent=2, sort_keys=True) + "\n")
    tmp.replace(path)


def _read_record(cache: Path, name: str) -> ResourceRecord | None:
    path = _record_path(cache, name)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text())
        return ResourceRecord(**data)
    except (ValueError, TypeError) as exc:
        msg = f"{path}: the cache record of {name!r} is damaged ({exc}); fetch or import it again"
        raise ResourceError(msg) from None


def locate(name: str, *, cache: str | Path | None = None, verify: bool = True) -> ResourceRecord:
    """The cached copy of resource ``name`` (no network).

    Raises
    ------
    ResourceError
        When it is not in the cache (the message says how to fetch or import it), or when
        the cached file no longer matches its recorded sha256.
    """
    root = Path(cache) if cache is not None else cache_dir()
    rec = _read_record(root, name)
    if rec is None or not Path(rec.path).is_file():
        ship = _shipped_entry(name)
        if ship is not None:
            rec = ship.record()
            if verify and sha256sum(ship.path) != ship.sha256:
                msg = (
                    f"{ship.path}: shipped resource {name!r} does not match its sha256 "
                    f"{ship.sha256} (the installation was changed); reinstall exodisc"
                )
                raise ResourceError(msg)
            return rec
        known = ", ".join([*(s.name for s in shipped()), *(r.name for r in CATALOGUE)])
        how = (
            f"run 'exodisc resources fetch {name}'"
            if _catalogue_entry(name)
            else f"import a local file with 'exodisc resources import FILE --as {name}' "
            f"(shipped and catalogue names: {known})"
        )
        msg = f"resource {name!r} is not in the cache {root}; {how}"
        raise ResourceError(msg)
    if verify:
        digest = sha256sum(rec.path)
        if digest != rec.sha256:
            msg = (
                f"{rec.path}: cached resource {name!r} has sha256 {digest}, expected "
                f"{rec.sha256}; it was changed after download — fetch or import it again"
            )
            raise ResourceError(msg)
    return rec


def fetch(
    resource: str | Resource,
    *,
    cache: str | Path | None = None,
    mirror: str | None = None,
    force: bool = False,
) -> ResourceRecord:
    """Download a catalogue resource into the cache (once), checking its sha256.

    Parameters
    ----------
    resource
        A catalogue name (:data:`CATALOGUE`) or a :class:`Resource`.
    cache
        Cache folder (default :func:`cache_dir`).
    mirror
        Base URL to download ``<mirror>/<filename>`` from instead of the catalogue URL (a local
        mirror; the sha256 is still checked).
    force
        Download again even when a verified copy is cached.

    Notes
    -----
    Uses ``pooch.retrieve(url, known_hash="sha256:...")``; a cached copy with the right hash
    is used without touching the network.
    """
    res = _catalogue_entry(resource) if isinstance(resource, str) else resource
    if res is None and isinstance(resource, str):
        ship = _shipped_entry(resource)
        if ship is not None:  # nothing to download: it is installed with the package
            return locate(resource, cache=cache)
    if res is None:
        known = ", ".join(r.name for r in CATALOGUE)
        msg = (
            f"unknown resource {resource!r}; the catalogue has: {known}. "
            f"Import other files with 'exodisc resources import FILE --as NAME'"
        )
        raise ResourceError(msg)
    root = Path(cache) if cache is not None else cache_dir()
    if not force:
        rec = _read_record(root, res.name)
        if (
            rec is not None
            and rec.version == res.version
            and (rec.sha256 == res.sha256 or not res.sha256)
            and Path(rec.path).is_file()
            and sha256sum(rec.path) == rec.sha256
        ):
            return rec
    import pooch

    url = f"{mirror.rstrip('/')}/{res.filename}" if mirror else res.url
    folder = root / res.name / res.version
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / res.filename
    if force and target.exists():
        target.unlink()
    try:
        path = pooch.retrieve(
            url,
            known_hash=f"sha256:{res.sha256}" if res.sha256 else None,
            fname=res.filename,
            path=folder,
            progressbar=False,
        )
    except ValueError as exc:  # pooch: hash mismatch
        msg = f"download of {res.name!r} from {url} failed its checksum: {exc}"
        raise ResourceError(msg) from None
    except Exception as exc:  # network errors from requests / urllib
        msg = (
            f"could not download {res.name!r} from {url} ({type(exc).__name__}: {exc}); "
            f"offline, import a local copy with 'exodisc resources import FILE --as {res.name}'"
        )
        raise ResourceError(msg) from None
    rec = ResourceRecord(
        res.name,
        res.version,
        res.kind,
        res.sha256 or sha256sum(path),
        str(Path(path).resolve()),
        res.licence,
        "fetched",
        url,
        datetime.now(UTC).isoformat(timespec="seconds"),
        res.id_type,
    )
    _write_record(root, rec)
    return rec


def import_file(
    path: str | Path,
    *,
    name: str,
    version: str = "local",
    kind: ResourceKind | None = None,
    licence: str = "unknown",
    cache: str | Path | None = None,
) -> ResourceRecord:
    """Copy a local file into the cache as resource ``name`` (works fully offline).

    Parameters
    ----------
    path
        The file (GMT, OBO, GAF, GO table, two-column table; plain or gzip).
    name
        Resource name used later (``--gene-sets NAME``); letters, digits, ``_ . -``.
    version
        Version label recorded in provenance.
    kind
        Format; guessed from the file name when None.
    licence
        Licence / terms recorded with it.

    Notes
    -----
    The file is parsed once (a broken file is refused, naming the line), copied into
    ``<cache>/<name>/<version>/`` and its sha256 recorded; the original is never modified.
    R equivalent: ``BiocFileCache::bfcadd(bfc, name, fpath = path)``.
    """
    src = Path(path)
    if not src.is_file():
        raise ResourceError(f"{src}: file not found; cannot import it as {name!r}")
    if not _NAME.match(name):
        msg = f"resource name {name!r} must be letters, digits, '_', '.' or '-'"
        raise ResourceError(msg)
    kind = kind or _guess_kind(src)
    if kind not in _KINDS:
        msg = f"kind must be one of {', '.join(_KINDS)}, got {kind!r}"
        raise ResourceError(msg)
    _validate(src, kind)
    root = Path(cache) if cache is not None else cache_dir()
    folder = root / name / version
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / src.name
    tmp = dest.with_name(dest.name + ".part")
    shutil.copyfile(src, tmp)
    tmp.replace(dest)
    entry = _catalogue_entry(name)
    rec = ResourceRecord(
        name,
        version,
        kind,
        sha256sum(dest),
        str(dest.resolve()),
        licence if licence != "unknown" or entry is None else entry.licence,
        "imported",
        str(src.resolve()),
        datetime.now(UTC).isoformat(timespec="seconds"),
        entry.id_type if entry else "",
    )
    _write_record(root, rec)
    return rec


def _guess_kind(path: Path) -> ResourceKind:
    n = path.name.lower().removesuffix(".gz")
    if n.endswith(".gmt"):
        return "gmt"
    if n.endswith(".obo"):
        return "obo"
    if n.endswith((".gaf", ".gpa")):
        return "gaf"
    return "table"


def _validate(path: Path, kind: str) -> None:
    """Parse the file once so that a broken file is refused at import, naming the line."""
    from exodisc.omics.resources import _readers as rd

    if kind == "gmt":
        rd.read_gmt(path)
    elif kind == "obo":
        rd.read_obo(path)
    elif kind == "gaf":
        rd.read_gaf(path)
    elif kind == "go_table":
        rd.read_go_table(path)
    else:
        rd.read_two_column(path)


def _size(path: str | Path) -> int:
    p = Path(path)
    return p.stat().st_size if p.is_file() else 0


def list_resources(*, cache: str | Path | None = None) -> pd.DataFrame:
    """Shipped resources, the download catalogue and every cached resource, one row each.

    Notes
    -----
    Columns: ``name, version, kind, installed, origin, bytes, sha256, licence, source,
    description``. ``origin`` is ``shipped`` (inside the package, offline out of the box),
    ``fetched`` / ``imported`` (in the user cache) or empty (in the catalogue, downloadable
    with ``exodisc resources fetch NAME``). Installed Bioconductor SQLite packages (GO.db,
    org.Hs.eg.db) are listed too. R equivalent: ``BiocFileCache::bfcinfo()``.
    """
    root = Path(cache) if cache is not None else cache_dir()
    rows: list[dict[str, object]] = []
    seen: set[str] = set()

    def cached_row(rec: ResourceRecord, description: str) -> dict[str, object]:
        return {
            "name": rec.name,
            "version": rec.version,
            "kind": rec.kind,
            "installed": Path(rec.path).is_file(),
            "origin": rec.origin,
            "bytes": _size(rec.path),
            "sha256": rec.sha256,
            "licence": rec.licence,
            "source": rec.source,
            "description": description,
        }

    for sh in shipped():
        rec = _read_record(root, sh.name)
        if rec is not None and Path(rec.path).is_file():
            rows.append(cached_row(rec, sh.description))
        else:
            rows.append(cached_row(sh.record(), sh.description))
        seen.add(sh.name)
    for r in CATALOGUE:
        if r.name in seen:
            continue
        rec = _read_record(root, r.name)
        if rec is not None:
            rows.append(cached_row(rec, r.description))
        else:
            rows.append(
                {
                    "name": r.name,
                    "version": r.version,
                    "kind": r.kind,
                    "installed": False,
                    "origin": "",
                    "bytes": 0,
                    "sha256": r.sha256,
                    "licence": r.licence,
                    "source": r.url,
                    "description": r.description,
                }
            )
        seen.add(r.name)
    from exodisc.omics.resources._biocdb import bioc_version, find_bioc_sqlite

    for pkg in ("org.Hs.eg.db", "GO.db"):
        f = find_bioc_sqlite(pkg)
        rows.append(
            {
                "name": pkg,
                "version": bioc_version(f) if f else "",
                "kind": "sqlite",
                "installed": f is not None,
                "origin": "debian" if f else "",
                "bytes": _size(f) if f else 0,
                "sha256": "",
                "licence": "Artistic-2.0 (package); GO CC BY 4.0",
                "source": str(f) if f else f"Debian r-bioc-{pkg.lower()}",
                "description": "Bioconductor annotation package (offline GO); use "
                "--gene-sets org.Hs.eg.db",
            }
        )
    if root.is_dir():
        for rec_path in sorted(root.glob("*/record.json")):
            name = rec_path.parent.name
            if name in seen:
                continue
            rec = _read_record(root, name)
            if rec is not None:
                rows.append(cached_row(rec, ""))
    return pd.DataFrame(rows)


def verify_resources(*, cache: str | Path | None = None) -> pd.DataFrame:
    """Re-compute the sha256 of every shipped and cached resource file.

    Returns
    -------
    pandas.DataFrame
        ``name, origin, path, expected, found, ok`` (``found`` is empty for a missing file).
    """
    root = Path(cache) if cache is not None else cache_dir()
    rows: list[dict[str, object]] = []
    for sh in shipped():
        found = sha256sum(sh.path) if sh.path.is_file() else ""
        rows.append(
            {
                "name": sh.name,
                "origin": "shipped",
                "path": str(sh.path),
                "expected": sh.sha256,
                "found": found,
                "ok": found == sh.sha256,
            }
        )
    if root.is_dir():
        for rec_path in sorted(root.glob("*/record.json")):
            rec = _read_record(root, rec_path.parent.name)
            if rec is None:
                continue
            found = sha256sum(rec.path) if Path(rec.path).is_file() else ""
            rows.append(
                {
                    "name": rec.name,
                    "origin": rec.origin,
                    "path": rec.path,
                    "expected": rec.sha256,
                    "found": found,
                    "ok": found == rec.sha256,
                }
            )
    return pd.DataFrame(rows, columns=["name", "origin", "path", "expected", "found", "ok"])
