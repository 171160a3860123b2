"""NTA readers and summaries on NanoSight exports written from known particle sizes.

The exports are written by the demo's writer (``write_nanosight_summary``, the NTA 3.3
ExperimentSummary layout of the real exports) from particles drawn here, so the truth is
known: per-video concentrations, and the sizes' percentiles, mean and SD (numpy on the raw
particles, not the binned statistics under test). These run on a bare clone; the parity
with the instruments' own values on real exports is tests/vesicles/test_nta_real.py.
"""

from __future__ import annotations

import gzip
import math
from pathlib import Path

import numpy as np
import pytest

from exodisc.assays.vesicles import binned_size_statistics, summarise_nta
from exodisc.assays.vesicles._demo import write_nanosight_summary
from exodisc.errors import InputFormatError
from exodisc.io.nta import read_nanosight, read_nta

EDGES = np.arange(1001, dtype=float)
CONC = np.array([2.1e8, 1.9e8, 2.0e8, 2.2e8, 1.8e8])  # particles/mL in the cuvette, per video


def _particles(seed: int, mode_nm: float = 95.0, n: int = 40_000) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.lognormal(np.log(mode_nm) + 0.09, 0.3, n) for _ in CONC]


def _export(folder: Path, name: str, sizes: list[np.ndarray], *, gz: bool = False) -> Path:
    """An ExperimentSummary whose video k holds ``sizes[k]`` scaled to ``CONC[k]``."""
    per_video = np.array(
        [np.histogram(s, EDGES)[0] * c / len(s) for s, c in zip(sizes, CONC, strict=True)]
    )
    path = folder / f"{name}-ExperimentSummary.csv"
    write_nanosight_summary(path, name=name, per_video=per_video)
    if gz:
        gzipped = path.with_name(path.name + ".gz")
        gzipped.write_bytes(gzip.compress(path.read_bytes()))
        path.unlink()
        return gzipped
    return path


def test_written_export_reads_back_the_known_particles(tmp_path: Path):
    sizes = _particles(7)
    p = _export(tmp_path, "prep A d200", sizes, gz=True)
    m = read_nta(p)
    assert m.instrument == "NanoSight"
    assert m.software == "NTA 3.3 - Sample Assistant Dev Build 3.3.203"
    assert m.recorded_dilution is None
    # the export prints concentrations with 3 significant digits
    np.testing.assert_allclose(m.videos["concentration_per_ml"], CONC, rtol=5e-3)
    s = summarise_nta(m, dilution=200)
    v = s.videos  # one row per video, in file order
    assert len(v) == len(CONC)
    assert int(s.row["n_videos_used"]) == len(CONC)
    for k, x in enumerate(sizes):
        # 1-nm bins: percentiles within a bin of the raw particles' own
        for q, key in ((10, "d10_nm"), (50, "d50_nm"), (90, "d90_nm")):
            assert v[f"{key}_recomputed"].iloc[k] == pytest.approx(np.percentile(x, q), abs=0.5)
        assert v["mean_nm_recomputed"].iloc[k] == pytest.approx(x.mean(), abs=0.5)
        assert v["sd_nm_recomputed"].iloc[k] == pytest.approx(x.std(), rel=5e-3)
    assert s.row["concentration_per_ml"] == pytest.approx(CONC.mean() * 200, rel=5e-3)
    assert s.row["d50_nm"] == pytest.approx(np.mean([np.percentile(x, 50) for x in sizes]), abs=0.5)
    assert s.row["dilution_source"] == "declared"


def test_written_export_empty_video_is_left_out_with_a_warning(tmp_path: Path):
    sizes = _particles(8)
    path = _export(tmp_path, "prep B d200", sizes)
    text = path.read_text(encoding="latin-1").splitlines()
    # video 1 tracked nothing: its concentration and its whole distribution column are zero
    out = []
    for line in text:
        cells = line.split(",")
        if line.startswith("Concentration (Particles / ml)"):
            cells[1] = "0.00e+00"
        elif cells[0].replace(".", "", 1).isdigit() and len(cells) > 2:
            cells[1] = "0"
        out.append(",".join(cells))
    path.write_text("\n".join(out) + "\n", encoding="latin-1")
    s = summarise_nta(read_nanosight(path), dilution=200)
    assert s.row["n_videos_used"] == 4
    assert s.row["concentration_per_ml"] == pytest.approx(CONC[1:].mean() * 200, rel=5e-3)
    assert s.row["d50_nm"] == pytest.approx(
        np.mean([np.percentile(x, 50) for x in sizes[1:]]), abs=0.5
    )
    assert "video 1: no particles tracked (concentration 0); left out" in s.row["warnings"]


def test_binned_statistics_against_raw_particle_percentiles():
    rng = np.random.default_rng(1)
    sizes = rng.lognormal(np.log(90), 0.35, 200_000)
    edges = np.arange(0, 1001, 1.0)
    counts, _ = np.histogram(sizes, edges)
    s = binned_size_statistics(edges[:-1] + 0.5, np.ones(1000), counts)
    for q, k in ((10, "d10_nm"), (50, "d50_nm"), (90, "d90_nm")):
        assert s[k] == pytest.approx(np.percentile(sizes, q), abs=0.1)
    assert s["mean_nm"] == pytest.approx(sizes.mean(), abs=0.05)
    assert s["sd_nm"] == pytest.approx(sizes.std(), rel=2e-3)
    assert all(
        math.isnan(v) for v in binned_size_statistics(edges[:3], np.ones(3), np.zeros(3)).values()
    )


# ---------------------------------------------------------------- bad input
def test_truncated_nanosight_is_refused_naming_what_is_missing(tmp_path: Path):
    text = _export(tmp_path, "prep C", _particles(9, n=2000)).read_text(encoding="latin-1")
    bad = tmp_path / "cut-ExperimentSummary.csv"
    bad.write_text(text.split("[Size Data]")[0], encoding="latin-1")
    with pytest.raises(
        InputFormatError,
        match=r"cut-ExperimentSummary.csv: after line \d+: no '\[Size Data\]' line",
    ):
        read_nanosight(bad)


def test_non_numeric_concentration_names_the_line(tmp_path: Path):
    lines = _export(tmp_path, "prep D", _particles(10, n=2000)).read_text("latin-1").splitlines()
    i = next(i for i, t in enumerate(lines) if t.startswith("Concentration (Particles / ml),"))
    cells = lines[i].split(",")
    cells[2] = "lots"
    lines[i] = ",".join(cells)
    bad = tmp_path / "x.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="latin-1")
    with pytest.raises(
        InputFormatError, match=rf"x.csv: line {i + 1}: concentration: 'lots' is not a number"
    ):
        read_nanosight(bad)


def test_unknown_and_orphan_files(tmp_path: Path):
    other = tmp_path / "plate.csv"
    other.write_text("Well,OD\nA1,0.5\n")
    with pytest.raises(InputFormatError, match=r"plate\.csv: line 1: not a recognised NTA export"):
        read_nta(other)
    # a ZetaView per-position table (its header line) without the size export beside it
    orphan = tmp_path / "a_size_488_11pos.txt"
    orphan.write_text("Use\tPosition\tNumber of Traces\tConc. (p./cm^3)\n", encoding="latin-1")
    with pytest.raises(
        InputFormatError, match=r"per-position table only; the size export a_size_488\.txt"
    ):
        read_nta(orphan)
    p = _export(tmp_path, "prep E", _particles(11, n=2000))
    with pytest.raises(ValueError, match="dilution must be a positive number"):
        summarise_nta(read_nta(p), dilution=0)
    assert not math.isnan(summarise_nta(read_nta(p)).row["concentration_per_ml"])
