"""qPCR readers: every real export parses (or is rejected with a reason); Cts agree with
independent parsers (allotropy for Thermo/Bio-Rad exports, rdmlpython for RDML)."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pytest

from exodisc.errors import InputFormatError
from exodisc.io.qpcr import COLUMNS, read_qpcr, sniff_qpcr

QS = "qpcr/allotropy_quantstudio/"
EXPECTED = {
    # file: (format, rows, targets, undetermined)
    QS + "appbio_quantstudio_example04.txt": ("quantstudio_text", 95, {"RNase P"}, 4),
    QS + "appbio_quantstudio_example05.txt": ("quantstudio_text", 16, {"TGF-B", "GAPDH"}, 6),
    QS + "appbio_quantstudio_example06.txt": ("quantstudio_text", 9, {"TGF-B", "GAPDH"}, 0),
    QS + "appbio_quantstudio_example07.txt": ("quantstudio_text", 16, {"RNaseP", "IPC"}, 3),
    QS + "appbio_quantstudio_example08.xlsx": ("quantstudio_xlsx", 36, None, 0),
    QS + "appbio_quantstudio_designandanalysis_QS1_Standard_Curve_example01.xlsx": (
        "quantstudio_da_xlsx",
        96,
        {"RNaseP"},
        4,
    ),
    QS + "appbio_quantstudio_designandanalysis_QS7Pro_Relative_Quantification_example11.xlsx": (
        "quantstudio_da_xlsx",
        72,
        {"RNaseP", "IPC"},
        6,
    ),
    "qpcr/allotropy_cfx/cfxmaestro_example01.csv": ("cfx_csv", 48, {"FAM", "VIC"}, 0),
    "qpcr/rdml_pkg/stepone_std.rdml": ("rdml", 24, {"RNase P"}, 0),
    "qpcr/rdml_pkg/lc96_bACTXY.rdml": ("rdml", 384, None, 0),
    "qpcr/rdml_pkg/BioRad_qPCR_melt.rdml": ("rdml", 60, None, 34),
    "qpcr/rdml_pkg/BioRad_384.rdml": ("rdml", 48, {"Brain", "Kidney", "Liver", "GAPDH"}, 0),
}
REJECTED = {
    "qpcr/rdml_pkg/7500_std.xls": r"no 'Results' sheet with Ct values; the workbook has sheets "
    r"\['Sample Setup', 'Multicomponent Data'\]",
    "qpcr/rdml_pkg/Standard_Curve_Example_7500.eds": r"run file \(\.eds.*export 'Results'",
}


def test_every_shared_file_is_covered(shared_data: Path) -> None:
    files = {
        str(p.relative_to(shared_data))
        for p in (shared_data / "qpcr").rglob("*")
        if p.is_file() and p.name != "PROVENANCE.md"
    }
    assert files == set(EXPECTED) | set(REJECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_exports_parse(shared_data: Path, name: str) -> None:
    fmt, n, targets, n_und = EXPECTED[name]
    run = read_qpcr(shared_data / name)
    assert run.format == fmt
    assert list(run.wells.columns) == list(COLUMNS)
    assert len(run.wells) == n
    if targets is not None:
        assert set(run.wells["target"]) == targets
    assert int(run.wells["undetermined"].sum()) == n_und
    # Undetermined ⇔ NaN Ct, never a silent NaN
    assert (run.wells["ct"].isna() == run.wells["undetermined"]).all()
    assert len(run.sha256) == 64


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_unsupported_files_are_rejected_with_reason(shared_data: Path, name: str) -> None:
    with pytest.raises(InputFormatError, match=REJECTED[name]):
        read_qpcr(shared_data / name)


def _allotropy_cts(path: Path, vendor: str) -> dict[tuple[str, str], float]:
    with warnings.catch_warnings():
        # allotropy's imports (dateutil.zoneinfo) and parsers warn; not ours to fix
        warnings.simplefilter("ignore")
        pytest.importorskip("allotropy")
        from allotropy.parser_factory import Vendor
        from allotropy.to_allotrope import allotrope_from_file

        asm = allotrope_from_file(str(path), getattr(Vendor, vendor))
    out = {}
    for doc in asm["qpcr aggregate document"]["qpcr document"]:
        for m in doc["measurement aggregate document"]["measurement document"]:
            well = m["sample document"]["well location identifier"]
            for p in m["processed data aggregate document"]["processed data document"]:
                ct = p.get("cycle threshold result (qPCR)", {}).get("value")
                if isinstance(ct, int | float) and math.isfinite(ct):
                    out[(well, m.get("target DNA description"))] = float(ct)
    return out


@pytest.mark.parametrize(
    ("name", "vendor", "by_target"),
    [
        (QS + "appbio_quantstudio_example04.txt", "APPBIO_QUANTSTUDIO", True),
        (QS + "appbio_quantstudio_example08.xlsx", "APPBIO_QUANTSTUDIO", True),
        (
            QS + "appbio_quantstudio_designandanalysis_QS7Pro_Relative_Quantification_"
            "example11.xlsx",
            "APPBIO_QUANTSTUDIO_DESIGNANDANALYSIS",
            True,
        ),
        ("qpcr/allotropy_cfx/cfxmaestro_example01.csv", "CFXMAESTRO", False),
    ],
)
def test_cts_match_allotropy(shared_data: Path, name: str, vendor: str, by_target: bool) -> None:
    ref = _allotropy_cts(shared_data / name, vendor)
    w = read_qpcr(shared_data / name).wells
    w = w[~w["undetermined"]]
    ours = {}
    for r in w.itertuples(index=False):
        # allotropy keeps the CFX well name 'A01'; ours is 'A1'
        key_well = r.well if by_target else f"{r.well[0]}{int(r.well[1:]):02d}"
        ours[(key_well, r.target if by_target else "N/A")] = r.ct
    assert len(ref) == len(ours) > 0
    for key, ct in ref.items():
        assert ours[key] == pytest.approx(ct, abs=1e-9)


@pytest.mark.parametrize("name", ["stepone_std.rdml", "lc96_bACTXY.rdml"])
def test_rdml_cqs_match_rdmlpython(shared_data: Path, name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rdml = pytest.importorskip("rdmlpython")
        path = shared_data / "qpcr" / "rdml_pkg" / name
        doc = rdml.Rdml(str(path))
    ref: dict[tuple[str, str], list[float]] = {}
    for exp in doc.experiments():
        for run in exp.runs():
            for react in run.getreactjson()["reacts"]:
                for d in react["datas"]:
                    if d.get("cq") not in (None, "", "-1", "-1.0"):
                        ref.setdefault((react["sample"], d["tar"]), []).append(float(d["cq"]))
    w = read_qpcr(path).wells
    w = w[~w["undetermined"]]
    ours = w.groupby(["sample", "target"])["ct"].apply(sorted).to_dict()
    assert set(ref) == set(ours)
    for key, values in ref.items():
        assert sorted(values) == pytest.approx(ours[key], abs=1e-9)


def test_rdml_with_nonstandard_zip_member(shared_data: Path) -> None:
    # rdmlpython 1.7.2 rejects this file and BioRad_384.rdml ("No rdml_data.xml"): Bio-Rad names the
    # XML member after the file. Ours reads it: 26 Cq values as PROVENANCE.md states.
    run = read_qpcr(shared_data / "qpcr/rdml_pkg/BioRad_qPCR_melt.rdml")
    assert int((~run.wells["undetermined"]).sum()) == 26


# --------------------------------------------------------------------- small bad / good fixtures
def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_long_table_and_sniffing(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        "plate.csv",
        "well,sample,target,ct\nA01,s1,GAPDH,18.2\nA2,s1,SOX9,Undetermined\nA3,s1,SOX9,25.5\n",
    )
    assert sniff_qpcr(p) == "long_table"
    w = read_qpcr(p).wells
    assert w["well"].tolist() == ["A1", "A2", "A3"]
    assert w["undetermined"].tolist() == [False, True, False]
    assert np.isnan(w["ct"].iloc[1])


def test_bad_ct_value_names_line_and_column(tmp_path: Path) -> None:
    p = _write(
        tmp_path, "plate.tsv", "well\tsample\ttarget\tct\nA1\ts1\tGAPDH\t18.2\nA2\ts1\tSOX9\tabc\n"
    )
    with pytest.raises(InputFormatError, match=r"plate.tsv: line 3, column 'ct': Ct value 'abc'"):
        read_qpcr(p)


def test_missing_ct_column_is_named(tmp_path: Path) -> None:
    p = _write(tmp_path, "plate.csv", "well,sample,target,value\nA1,s1,GAPDH,18\n")
    with pytest.raises(InputFormatError, match=r"lacks column\(s\) ct \(ct / cт / crt / cq"):
        read_qpcr(p)


def test_quantstudio_text_without_results(tmp_path: Path) -> None:
    p = _write(tmp_path, "run.txt", "* Experiment Name = x\n\n[Sample Setup]\nWell\tSample Name\n")
    with pytest.raises(InputFormatError, match=r"no \[Results\] section.*\[Sample Setup\]"):
        read_qpcr(p)


def test_unknown_extension(tmp_path: Path) -> None:
    p = _write(tmp_path, "run.pdf", "%PDF")
    with pytest.raises(InputFormatError, match=r"unknown qPCR export kind \(extension '.pdf'\)"):
        read_qpcr(p)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match=r"nope.txt: file not found"):
        read_qpcr(tmp_path / "nope.txt")


def test_bad_rdml(tmp_path: Path) -> None:
    p = _write(tmp_path, "x.rdml", "<notrdml/>")
    with pytest.raises(InputFormatError, match=r"root element is <notrdml>, expected <rdml>"):
        read_qpcr(p)


def test_reader_does_not_modify_input(shared_data: Path) -> None:
    path = shared_data / QS / "appbio_quantstudio_example05.txt"
    before = path.read_bytes()
    read_qpcr(path)
    assert path.read_bytes() == before
