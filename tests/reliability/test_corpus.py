"""The bad-input corpus: every case ends as a clean exit-1/2 error naming the file and place."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from exodisc.cli import app

CORPUS = Path(__file__).parent / "corpus"
CASES: list[dict[str, Any]] = YAML(typ="safe").load((CORPUS / "cases.yaml").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_input_gives_a_clean_error(case: dict[str, Any], tmp_path: Path):
    names: dict[str, str] = {}
    for name in case["files"]:
        shutil.copy(CORPUS / name, tmp_path / name)
        names[name] = str(tmp_path / name)
    out = tmp_path / "out"
    if case.get("mkdir_out"):
        out.mkdir()
    names["out"] = str(out)

    def fill(text: str) -> str:
        for key, value in names.items():
            text = text.replace("{" + key + "}", value)
        return text

    result = CliRunner().invoke(app, [fill(a) for a in case["command"]])
    message = result.output
    assert result.exit_code == case["exit"], message
    assert "Traceback" not in message and "unexpected error" not in message
    for word in case["words"]:
        assert fill(word) in message, f"{fill(word)!r} not in {message!r}"
    assert not [p for p in out.rglob("*")] if out.exists() else True
