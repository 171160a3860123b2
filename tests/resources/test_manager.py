"""The resource manager: fetch (pooch, sha256) from a local server, import, offline use."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from exodisc.errors import InputFormatError, ResourceError
from exodisc.omics.resources import (
    CATALOGUE,
    Resource,
    cache_dir,
    fetch,
    import_file,
    list_resources,
    load_gene_sets,
    locate,
    sha256sum,
)

GMT = "SET_A\tdesc a\tG1\tG2\tG3\nSET_B\tdesc b\tG3\tG4\n"


def _resource(url: str, sha: str, name: str = "tiny_sets") -> Resource:
    return Resource(name, "1.0", url, sha, "CC0", "gmt", "tiny.gmt", "test sets", "symbol")


def test_cache_dir_env_override(cache: Path) -> None:
    assert cache_dir() == cache


def test_fetch_checks_hash_and_then_works_offline(server, http_root: Path, cache: Path) -> None:  # type: ignore[no-untyped-def]
    (http_root / "tiny.gmt").write_text(GMT)
    sha = sha256sum(http_root / "tiny.gmt")
    res = _resource(f"{server.url}/tiny.gmt", sha)
    rec = fetch(res)
    assert rec.sha256 == sha
    assert rec.origin == "fetched"
    assert Path(rec.path).read_text() == GMT
    assert Path(rec.path).is_relative_to(cache)
    record = json.loads((cache / "tiny_sets" / "record.json").read_text())
    assert record["source"] == f"{server.url}/tiny.gmt"
    server.stop()  # offline from here on
    again = fetch(res)
    assert again.path == rec.path
    gs, recs = load_gene_sets("tiny_sets")
    assert gs.sets["SET_A"] == ("G1", "G2", "G3")
    assert recs[0].sha256 == sha


def test_fetch_wrong_hash_is_refused(server, http_root: Path, cache: Path) -> None:  # type: ignore[no-untyped-def]
    (http_root / "tiny.gmt").write_text(GMT)
    res = _resource(f"{server.url}/tiny.gmt", "0" * 64)
    with pytest.raises(ResourceError, match="failed its checksum"):
        fetch(res)
    with pytest.raises(ResourceError, match="is not in the cache"):
        locate("tiny_sets")


def test_fetch_unreachable_says_how_to_work_offline(server, cache: Path) -> None:  # type: ignore[no-untyped-def]
    res = _resource(f"{server.url}/missing.gmt", "0" * 64)
    with pytest.raises(ResourceError, match="resources import FILE --as tiny_sets"):
        fetch(res)


def test_fetch_unknown_name(cache: Path) -> None:
    with pytest.raises(ResourceError, match="unknown resource 'nope'; the catalogue has: msigdb"):
        fetch("nope")


def test_catalogue_entry_from_local_mirror(
    server, http_root: Path, cache: Path, shared_data: Path
) -> None:  # type: ignore[no-untyped-def]
    entry = next(r for r in CATALOGUE if r.name == "msigdb_hallmark")
    src = shared_data / "gene_sets" / "h.all.v7.0.symbols.gmt.gz"
    (http_root / entry.filename).write_bytes(gzip.decompress(src.read_bytes()))
    rec = fetch("msigdb_hallmark", mirror=server.url)
    assert rec.sha256 == entry.sha256
    gs, recs = load_gene_sets("msigdb_hallmark")
    assert len(gs) == 50
    assert recs[0].version == "7.0"
    table = list_resources()
    row = table.set_index("name").loc["msigdb_hallmark"]
    assert bool(row["installed"]) and row["origin"] == "fetched"


def test_tampered_cache_is_detected(server, http_root: Path, cache: Path) -> None:  # type: ignore[no-untyped-def]
    (http_root / "tiny.gmt").write_text(GMT)
    rec = fetch(_resource(f"{server.url}/tiny.gmt", sha256sum(http_root / "tiny.gmt")))
    Path(rec.path).write_text(GMT + "SET_C\t\tG9\n")
    with pytest.raises(ResourceError, match="was changed after download"):
        locate("tiny_sets")


def test_import_offline_and_list(tmp_path: Path, cache: Path) -> None:
    f = tmp_path / "my_sets.gmt"
    f.write_text(GMT)
    before = f.read_bytes()
    rec = import_file(f, name="lab_sets", version="2024-06", licence="internal")
    assert f.read_bytes() == before  # input untouched
    assert rec.kind == "gmt" and rec.origin == "imported" and rec.sha256 == sha256sum(f)
    table = list_resources().set_index("name")
    assert table.loc["lab_sets", "version"] == "2024-06"
    assert bool(table.loc["lab_sets", "installed"])
    gs, _ = load_gene_sets("lab_sets")
    assert gs.terms == ["SET_A", "SET_B"]


def test_import_refuses_broken_file(tmp_path: Path, cache: Path) -> None:
    f = tmp_path / "broken.gmt"
    f.write_text("SET_A\tdesc\tG1\nSET_B only-two-fields\n")
    with pytest.raises(InputFormatError, match=r"broken.gmt: line 2: found 1 tab-separated"):
        import_file(f, name="broken")
    with pytest.raises(ResourceError, match="must be letters"):
        import_file(tmp_path / "broken.gmt", name="bad name")


def test_missing_resource_message(cache: Path) -> None:
    with pytest.raises(ResourceError, match=r"run 'exodisc resources fetch enrichr_kegg'"):
        load_gene_sets("enrichr_kegg")
    with pytest.raises(ResourceError, match="resources import FILE --as my_go"):
        load_gene_sets("my_go")


def test_cli_fetch_from_mirror_then_offline(  # type: ignore[no-untyped-def]
    server, http_root: Path, cache: Path, shared_data: Path
) -> None:
    from typer.testing import CliRunner

    from exodisc.cli import app

    src = shared_data / "gene_sets" / "enrichr.GO_Biological_Process_2021.gmt.gz"
    name = "enrichr.GO_Biological_Process_2021.gmt"
    (http_root / name).write_bytes(gzip.decompress(src.read_bytes()))
    runner = CliRunner()
    r = runner.invoke(app, ["resources", "fetch", "enrichr_go_bp", "--mirror", server.url])
    assert r.exit_code == 0, r.output
    assert "enrichr_go_bp 2021 (cached)" in r.output
    server.stop()
    r = runner.invoke(app, ["resources", "fetch", "enrichr_go_bp"])  # cached: no network
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["resources", "list"])
    line = next(x for x in r.output.splitlines() if x.startswith("enrichr_go_bp"))
    assert line.split()[1:3] == ["yes", "fetched"]


def test_gene_sets_read_once_and_again_when_the_file_changes(tmp_path: Path) -> None:
    gmt = tmp_path / "sets.gmt"
    gmt.write_text(GMT)
    first, _ = load_gene_sets(gmt)
    assert load_gene_sets(gmt)[0] is first  # same content: the collection read before
    gmt.write_text(GMT.replace("G4", "G5"))
    changed, recs = load_gene_sets(gmt)
    assert changed.sets["SET_B"] == ("G3", "G5")
    assert recs[0].sha256 == sha256sum(gmt)
