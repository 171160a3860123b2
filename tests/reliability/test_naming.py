"""naming_files(): the one boundary that makes an error name the input it is about."""

from __future__ import annotations

from pathlib import Path

import pytest

from exodisc.errors import DesignError, InputFormatError, SchemaError, naming_files


@pytest.mark.parametrize("kind", [DesignError, SchemaError, InputFormatError])
def test_an_error_naming_no_file_gets_the_files_and_keeps_its_type(kind, tmp_path: Path):
    a, b = tmp_path / "counts.tsv", tmp_path / "sheet.csv"
    with pytest.raises(kind) as info, naming_files(a, None, b, context="assay 'de'"):
        raise kind("samples do not match")
    assert str(info.value) == f"{a}, {b} (assay 'de'): samples do not match"
    assert info.value.exit_code == kind("x").exit_code


def test_an_error_that_names_a_file_is_left_as_it_is(tmp_path: Path):
    a, b = tmp_path / "run.csv", tmp_path / "layout.csv"
    with pytest.raises(DesignError, match=r"^no blank wells in layout\.csv$"), naming_files(a, b):
        raise DesignError("no blank wells in layout.csv")
    other = tmp_path / "other.csv"
    with pytest.raises(InputFormatError) as info, naming_files(a):
        raise InputFormatError("bad", path=other)
    assert str(info.value) == f"{other}: bad"


def test_many_files_are_listed_up_to_three(tmp_path: Path):
    files = [tmp_path / f"f{i}.fcs" for i in range(5)]
    with pytest.raises(DesignError) as info, naming_files(*files):
        raise DesignError("channel missing")
    assert str(info.value).startswith(f"{files[0]}, {files[1]}, {files[2]} (and 2 more files): ")
