"""Broken files that used to give plausible but wrong numbers with exit 0 are now errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from exodisc.assays.viability._export import write_gen5
from exodisc.cli import app
from exodisc.errors import InputFormatError
from exodisc.io.plate import read_plate
from exodisc.io.qpcr import read_qpcr

runner = CliRunner()


def _gen5(tmp_path: Path) -> Path:
    g = np.round(np.random.default_rng(1).uniform(0.1, 2.0, (8, 12)), 4)
    return write_gen5(tmp_path / "p.txt", {"450": g, "650": g + 1})


def _edit(path: Path, prefix: str, edit) -> None:
    lines = path.read_text(encoding="cp1252").splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith(prefix))
    lines[i] = edit(lines[i])
    path.write_text("\r\n".join(lines), encoding="cp1252")


def test_gen5_row_with_a_missing_value_is_refused_naming_the_row(tmp_path: Path):
    path = _gen5(tmp_path)
    _edit(path, "B\t", lambda line: "\t".join(c for k, c in enumerate(line.split("\t")) if k != 5))
    with pytest.raises(
        InputFormatError, match=r"p\.txt: line \d+: row B has 12 cells after .* expected 12 values"
    ):
        read_plate(path)


def test_gen5_grid_wider_than_the_declared_plate_type(tmp_path: Path):
    path = _gen5(tmp_path)
    _edit(path, "Plate Type", lambda line: "Plate Type\t48 WELL PLATE")
    with pytest.raises(InputFormatError, match=r"p\.txt: .*well A9 lies outside the declared"):
        read_plate(path)


_GRID = "," + ",".join(str(c) for c in range(1, 13)) + "\n"


def _grid_rows(n: int = 8) -> list[str]:
    return [
        chr(65 + r) + "," + ",".join(f"{r + c / 100:.2f}" for c in range(1, 13)) for r in range(n)
    ]


def test_grid_row_given_twice_names_both_rows(tmp_path: Path):
    rows = _grid_rows()
    dup = "B," + ",".join("9.9" for _ in range(12))
    path = tmp_path / "plate.csv"
    path.write_text(_GRID + "\n".join([*rows, dup]) + "\n")
    with pytest.raises(
        InputFormatError, match=r"plate\.csv: row 10: row B is given twice \(rows 3 and 10\)"
    ):
        read_plate(path)


def test_grid_row_with_an_extra_value_is_refused(tmp_path: Path):
    rows = _grid_rows()
    rows[2] += ",0.77"
    path = tmp_path / "plate.csv"
    path.write_text(_GRID + "\n".join(rows) + "\n")
    with pytest.raises(InputFormatError, match=r"plate\.csv: row 4: row C has 13 values, expected"):
        read_plate(path)


def _qpcr(tmp_path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    path = tmp_path / "qpcr.csv"
    body = "\n".join(",".join(r) for r in rows)
    path.write_text("well,sample,target,ct\n" + body + "\n")
    return path


def _plate(ref_ct: str = "18.0") -> list[tuple[str, str, str, str]]:
    rows = []
    k = 1
    for sample, shift in (("ctrl_1", 0.0), ("il1b_1", 2.0)):
        for target, base in (("GAPDH", None), ("SOX9", 25.0)):
            for rep in range(3):
                ct = ref_ct if base is None else f"{base + shift + rep * 0.05:.2f}"
                rows.append((f"A{k}", sample, target, ct))
                k += 1
    return rows


def test_qpcr_duplicate_well_is_an_error_naming_both_lines(tmp_path: Path):
    rows = _plate()
    path = _qpcr(tmp_path, [*rows, rows[4]])
    with pytest.raises(
        InputFormatError,
        match=r"qpcr\.csv: line 14: well A5 with target 'SOX9' is given twice "
        r"\(line 6 and line 14\)",
    ):
        read_qpcr(path)


@pytest.mark.parametrize("bad", ["1e308", "inf", "-5", "250"])
def test_qpcr_impossible_ct_is_an_error(tmp_path: Path, bad: str):
    rows = _plate()
    rows[5] = (*rows[5][:3], bad)
    path = _qpcr(tmp_path, rows)
    with pytest.raises(InputFormatError, match=r"qpcr\.csv: line 7, column 'ct': Ct value"):
        read_qpcr(path)


def test_reference_gene_undetermined_everywhere_is_an_error(tmp_path: Path):
    path = _qpcr(tmp_path, _plate(ref_ct="Undetermined"))
    out = tmp_path / "rq.tsv"
    r = runner.invoke(
        app, ["qpcr", str(path), "--reference", "GAPDH", "--calibrator", "ctrl_1", "-o", str(out)]
    )
    assert r.exit_code == 1, r.output
    assert str(path) in r.output
    assert "['GAPDH'] are Undetermined in every well" in r.output
    assert not out.exists()


FCS = Path(__file__).resolve().parents[1] / "reference" / "flow_quadrants" / "apoptosis_sample.fcs"


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (b"/$TOT/2000/", b"/$TOT/9999/", r"\$TOT: \$TOT says 9,999 events"),
        (b"/$BYTEORD/1,2,3,4/", b"/$BYTEORD/9,9,9,9/", r"\$BYTEORD: \$BYTEORD is '9,9,9,9'"),
        (b"/$DATATYPE/F/", b"/$DATATYPE/X/", r"\$DATATYPE: \$DATATYPE is 'X'"),
        (b"/$P3B/32/", b"/$P3B/31/", r"\$P3B: \$P3B is '31'"),
        (b"/$PAR/5/", b"/$PAR/X/", r"\$PAR: \$PAR is 'X'"),
    ],
)
def test_fcs_keywords_that_decide_the_data_layout_are_checked(
    tmp_path: Path, old: bytes, new: bytes, words: str
):
    from exodisc.io.fcs import read_fcs

    raw = FCS.read_bytes()
    assert raw.count(old) == 1 and len(old) == len(new)
    path = tmp_path / "bad.fcs"
    path.write_bytes(raw.replace(old, new))
    with pytest.raises(InputFormatError, match=r"bad\.fcs: " + words):
        read_fcs(path)


def test_truncated_nanosight_export_is_refused(tmp_path: Path):
    from exodisc.assays.vesicles._demo import write_nanosight_summary
    from exodisc.io.nta import read_nta

    rng = np.random.default_rng(0)
    videos = np.vstack([np.histogram(rng.lognormal(4.7, 0.3, 5000), np.arange(1001))[0]] * 3)
    path = tmp_path / "s-ExperimentSummary.csv"
    write_nanosight_summary(path, name="s", per_video=videos * 1e4)
    assert read_nta(path).software_summary["concentration_per_ml"] > 0
    lines = path.read_bytes().decode("latin-1").splitlines()
    path.write_bytes("\n".join(lines[: len(lines) // 2]).encode("latin-1"))
    with pytest.raises(
        InputFormatError, match=r"s-ExperimentSummary\.csv: line \d+: the file ends"
    ):
        read_nta(path)


def test_truncated_gzip_nanosight_export_is_refused():
    from exodisc.io.nta import read_nta

    path = Path(__file__).parent / "corpus" / "nta_truncated.csv.gz"
    with pytest.raises(InputFormatError, match=r"nta_truncated\.csv\.gz: .*truncated"):
        read_nta(path)


def test_nta_infinite_dilution_is_refused(tmp_path: Path):
    path = Path(__file__).parent / "corpus" / "nta_truncated.csv.gz"
    out = tmp_path / "o.tsv"
    r = runner.invoke(app, ["nta", str(path), "--dilution", "inf", "-o", str(out)])
    assert r.exit_code == 2
    assert "--dilution must be a positive number, got inf" in r.output
    assert not out.exists()


def test_plate_times_nan_is_a_study_file_error(tmp_path: Path):
    from exodisc.config import load_study
    from exodisc.errors import StudyFileError

    (tmp_path / "p.txt").write_text("x")
    study = tmp_path / "study.yaml"
    study.write_text(
        "title: t\ngroups:\n  - {id: a, label: A, role: control}\n"
        "  - {id: b, label: B, role: model}\nreplicates: 3\nassays:\n"
        "  - id: cck8\n    kind: cck8\n    files: [p.txt]\n"
        "    options: {plate_times_h: {P0: .nan, P24: 24}}\n"
    )
    with pytest.raises(StudyFileError, match=r"plate_times_h\.P0: Input should be a finite number"):
        load_study(study)


def test_cerna_expression_tables_with_different_samples(tmp_path: Path):
    import pandas as pd

    from exodisc.omics.cerna._io import check_same_samples

    a = pd.DataFrame({"s1": [1.0], "s2": [2.0], "s3": [3.0]}, index=["x"])
    b = a[["s1", "s2"]].rename(columns={"s2": "S2"})
    with pytest.raises(
        InputFormatError,
        match=r"mrna\.tsv: line 1: .* lacks sample\(s\) \['s2', 's3'\] of lnc\.tsv; "
        r"has sample\(s\) \['S2'\]",
    ):
        check_same_samples({tmp_path / "lnc.tsv": a, tmp_path / "mrna.tsv": b})
    check_same_samples({tmp_path / "lnc.tsv": a, tmp_path / "mrna.tsv": a[["s3", "s1", "s2"]]})
