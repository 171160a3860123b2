"""Every reader is behind one io format registry; the command line and study file follow it."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from exodisc.errors import InputFormatError
from exodisc.io import format_kinds, formats, read_input, sniff_format

DATA = Path(__file__).resolve().parents[1] / "data"


def test_every_kind_has_formats_with_a_sniff_and_a_read() -> None:
    assert set(format_kinds()) == {
        "plate", "qpcr", "nta", "fcs", "western_image", "western_table",
    }  # fmt: skip
    for kind in format_kinds():
        found = formats(kind)
        assert found, kind
        for name, fmt in found.items():
            assert fmt.name == name and fmt.kind == kind and fmt.description
            assert callable(fmt.sniff) and callable(fmt.read)


def test_study_file_format_choices_are_the_registry_s() -> None:
    from exodisc.assays.qpcr._run import QpcrOptions
    from exodisc.assays.viability._run import Cck8Options

    plate = typing.get_args(typing.get_args(Cck8Options.model_fields["format"].annotation)[0])
    assert set(plate) == set(formats("plate"))
    qpcr = typing.get_args(QpcrOptions.model_fields["format"].annotation)
    assert set(qpcr) == {"auto", *formats("qpcr")}


def test_command_line_lists_the_registry_s_formats(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from exodisc.cli import app

    f = tmp_path / "x.txt"
    f.write_text("x\n")
    r = CliRunner().invoke(app, ["qpcr", str(f), "--reference", "G", "--calibrator", "c",
                                 "--format", "nope", "-o", str(tmp_path / "o.tsv")])  # fmt: skip
    assert r.exit_code != 0
    for name in formats("qpcr"):
        assert name in r.output
    r = CliRunner().invoke(app, ["plate", "read", "--help"], env={"COLUMNS": "300"})
    for name in formats("plate"):
        assert name in r.output


def test_sniff_and_read_through_the_registry(tmp_path: Path) -> None:
    table = tmp_path / "wells.csv"
    table.write_text("well,sample,target,ct\nA1,s1,GAPDH,20.1\nA2,s1,SOX9,25.3\n")
    assert sniff_format("qpcr", table) == "long_table"
    run = read_input("qpcr", table)
    assert list(run.wells["ct"]) == [20.1, 25.3]
    with pytest.raises(InputFormatError, match="a folder, where a file was expected"):
        sniff_format("plate", tmp_path)
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01")
    with pytest.raises(InputFormatError, match="not an NTA export this version can read"):
        sniff_format("nta", junk)
    with pytest.raises(ValueError, match="unknown input kind"):
        formats("elisa")


def test_io_and_demo_docstring_examples_run() -> None:
    """The Examples of the io readers' shared helpers, the registry and the demo are true."""
    import doctest
    import importlib

    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    for name in (
        "exodisc.io._guard",
        "exodisc.io._registry",
        "exodisc.io.plate._registry",
        "exodisc.io.qpcr._vendor",
        "exodisc.demo._build",
        "exodisc.demo._genes",
    ):
        result = doctest.testmod(importlib.import_module(name), optionflags=flags)
        assert result.failed == 0, name
        assert result.attempted > 0, name
