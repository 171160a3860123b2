"""Size limits where input sizes enter: each checked before memory is spent, each raisable."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from exodisc.cli import app
from exodisc.config import get_limits
from tests.reliability._helpers import huge_png, huge_tiff, run_capped

runner = CliRunner()

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.mark.slow
def test_billion_laughs_is_refused_quickly_under_a_memory_cap(tmp_path: Path):
    study = tmp_path / "laughs.yaml"
    study.write_text(BILLION_LAUGHS)
    r = run_capped(["validate", str(study)], memory_mb=2000, timeout=120)
    assert r.returncode == 2, r.stderr
    assert str(study) in r.stderr
    assert "yaml_nodes" in r.stderr and "--limit yaml_nodes=" in r.stderr


def test_yaml_node_limit_can_be_raised(tmp_path: Path):
    study = tmp_path / "s.yaml"
    study.write_text("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [*a, *a, *a]\n")
    r = runner.invoke(app, ["--limit", "yaml_nodes=20", "validate", str(study)])
    assert r.exit_code == 2 and "yaml_nodes is 20" in r.output
    r = runner.invoke(app, ["--limit", "yaml_nodes=1000", "validate", str(study)])
    assert "yaml_nodes" not in r.output  # other problems (no groups …), but not the limit
    assert get_limits().yaml_nodes == 1_000_000  # restored after the command


def test_huge_study_file_is_refused(tmp_path: Path):
    study = tmp_path / "big.yaml"
    study.write_text("title: x\n" + "#" * 200 + "\n")
    r = runner.invoke(app, ["--limit", "study_file_bytes=100", "validate", str(study)])
    assert r.exit_code == 2
    assert "study_file_bytes is 100" in r.output and str(study) in r.output


@pytest.mark.slow
def test_a_billion_replicates_is_refused_under_a_memory_cap(tmp_path: Path):
    study = tmp_path / "reps.yaml"
    study.write_text(
        "title: t\ngroups:\n  - {id: a, label: A, role: control}\n"
        "  - {id: b, label: B, role: model}\nreplicates: 1000000000\nassays: []\n"
    )
    r = run_capped(["validate", str(study)], memory_mb=2000, timeout=120)
    assert r.returncode == 2, r.stderr
    assert "line 5: replicates: 1,000,000,000 replicates per group" in r.stderr
    assert "--limit replicates=" in r.stderr


def test_groups_times_replicates_over_the_sample_limit(tmp_path: Path):
    study = tmp_path / "reps.yaml"
    study.write_text(
        "title: t\ngroups:\n  - {id: a, label: A, role: control}\n"
        "  - {id: b, label: B, role: model}\nreplicates: 600\nassays: []\n"
    )
    r = runner.invoke(app, ["--limit", "samples=1000", "validate", str(study)])
    assert r.exit_code == 2
    assert "2 groups x 600 replicates = 1,200 samples" in r.output
    assert "--limit samples=" in r.output


def test_unknown_limit_name_is_a_usage_error(tmp_path: Path):
    r = runner.invoke(app, ["--limit", "pixels=3", "validate", str(tmp_path / "x.yaml")])
    assert r.exit_code == 2
    assert "unknown limit 'pixels'" in r.output


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["tif", "png"])
def test_huge_image_is_refused_from_its_header_under_a_memory_cap(tmp_path: Path, kind: str):
    img = (huge_tiff if kind == "tif" else huge_png)(tmp_path / f"blot.{kind}")
    assert img.stat().st_size < 10_000
    out = tmp_path / "bands.tsv"
    r = run_capped(["western", str(img), "--lanes", "4", "-o", str(out)], memory_mb=2500)
    assert r.returncode == 1, r.stderr
    assert str(img) in r.stderr
    assert "40,000 x 40,000" in r.stderr and "--limit image_pixels=" in r.stderr
    assert not out.exists()


def test_image_limit_applies_to_the_reader(tmp_path: Path):
    from exodisc.errors import InputFormatError
    from exodisc.io.western import read_blot_image

    img = huge_tiff(tmp_path / "b.tif", width=3000, height=3000)
    runner_limits = get_limits()
    from exodisc.config import set_limits
    from exodisc.config._limits import use_limits

    set_limits(image_pixels=1_000_000)
    try:
        with pytest.raises(InputFormatError, match=r"3,000 x 3,000 pixels.*image_pixels"):
            read_blot_image(img)
    finally:
        use_limits(runner_limits)
