"""``exodisc run`` with broken SA-β-gal / CCK-8 inputs: one clear message, no traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from ruamel.yaml import YAML
from typer.testing import CliRunner

from exodisc.assays.senescence import simulate_sabgal_image
from exodisc.cli import app

from ..viability.conftest import design


def _run(tmp_path: Path, assay: dict[str, Any]) -> Any:
    study = tmp_path / "study.yaml"
    with study.open("w") as fh:
        YAML().dump({**design(), "assays": [assay]}, fh)
    return CliRunner().invoke(app, ["run", str(study), "-o", str(tmp_path / "out")])


def test_image_name_must_name_a_sample_and_field(tmp_path: Path) -> None:
    img, _, _ = simulate_sabgal_image(np.random.default_rng(0), n_cells=5, n_positive=1)
    Image.fromarray(img).save(tmp_path / "ctrl_1.png")
    res = _run(tmp_path, {"id": "sab", "kind": "sabgal", "files": ["ctrl_1.png"]})
    assert res.exit_code == 2  # refused by the study file's input checks, before any analysis
    assert "ctrl_1.png: image name 'ctrl_1' does not match options.name_pattern" in res.output
    assert "Traceback" not in res.output


def test_counts_and_images_cannot_mix(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("sample,field,positive,total\nctrl_1,f1,1,10\n")
    Image.fromarray(np.full((8, 8, 3), 200, np.uint8)).save(tmp_path / "ctrl_1__f1.png")
    res = _run(tmp_path, {"id": "sab", "kind": "sabgal", "files": ["c.csv", "ctrl_1__f1.png"]})
    assert res.exit_code == 2  # refused by the study file's input checks, before any analysis
    assert "give either counts tables or images, not both" in res.output


def test_cck8_layout_with_a_duplicated_well(tmp_path: Path) -> None:
    from exodisc.assays.viability._export import write_gen5

    write_gen5(tmp_path / "p.txt", {"450": np.full((8, 12), 0.5)})
    (tmp_path / "layout.csv").write_text("well,label\nA1,ctrl_1\nH1,blank\nA1,il1b_1\n")
    res = _run(
        tmp_path,
        {
            "id": "cck8",
            "kind": "cck8",
            "files": ["p.txt"],
            "layout": "layout.csv",
            "options": {"times_h": [24]},
        },
    )
    assert res.exit_code == 2  # the study-file cross-checks find it before the run
    assert "layout.csv: row 4: well A1 is given twice (first at row 2)" in res.output


def test_stained_area_measure(tmp_path: Path) -> None:
    import pandas as pd

    files = []
    for s, p in (("ctrl", 2), ("il1b", 20)):
        for r in (1, 2):
            img, _, _ = simulate_sabgal_image(
                np.random.default_rng(r), n_cells=25, n_positive=p + r
            )
            Image.fromarray(img).save(tmp_path / f"{s}_{r}__f1.png")
            files.append(f"{s}_{r}__f1.png")
    res = _run(
        tmp_path, {"id": "sab", "kind": "sabgal", "files": files, "options": {"measure": "area"}}
    )
    assert res.exit_code == 0, res.output
    rep = pd.read_csv(tmp_path / "out" / "tables" / "sab_replicates.tsv", sep="\t")
    per_image = pd.read_csv(tmp_path / "out" / "tables" / "sab_images.tsv", sep="\t")
    assert rep.set_index("sample")["stained_area_pct"].to_dict() == pytest.approx(
        per_image.set_index("sample")["stained_area_pct"].to_dict()
    )
    bars = pd.read_csv(tmp_path / "out" / "figures" / "sab_bars.tsv", sep="\t")
    assert "stained_area_pct" in bars.columns
    assert bars.groupby("group")["stained_area_pct"].mean()["il1b"] > 30


def test_area_measure_needs_images(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("sample,field,positive,total\nctrl_1,f1,1,10\n")
    res = _run(
        tmp_path,
        {"id": "sab", "kind": "sabgal", "files": ["c.csv"], "options": {"measure": "area"}},
    )
    assert res.exit_code == 2  # refused by the study file's input checks, before any analysis
    assert "measure 'area' needs images" in res.output
