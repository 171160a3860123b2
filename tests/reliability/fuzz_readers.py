"""Property-based fuzzing of every reader: mutated real-format files give our errors or data.

Each reader gets a valid file in its format, then Hypothesis truncates it, deletes, inserts,
replaces and duplicates bytes and lines. Any exception other than an ``ExodiscError`` (a
traceback a user would see as "an unexpected error") fails the test, and so does a
``MemoryError``: ``test_fuzz.py`` runs this module in a subprocess whose address space is
capped with ``resource.setrlimit``, so no mutated input may make a reader exhaust memory.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exodisc.errors import ExodiscError

#: Examples per reader: 100 keeps the whole module near a minute on two idle cores; raise it
#: with EXODISC_FUZZ_EXAMPLES=2000 for a deeper search.
FUZZ = settings(
    max_examples=int(os.environ.get("EXODISC_FUZZ_EXAMPLES", "100")),
    deadline=None,
    derandomize=True,  # the same examples every run: CI never flakes
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_OPS = ["truncate", "delete", "insert", "replace", "dup_line", "drop_line", "letter"]
mutations = st.lists(
    st.tuples(st.sampled_from(_OPS), st.integers(0, 1 << 30), st.binary(min_size=1, max_size=6)),
    min_size=1,
    max_size=4,
)


def mutate(data: bytes, ops: list[tuple[str, int, bytes]]) -> bytes:
    for op, pos, blob in ops:
        n = len(data)
        i = pos % (n + 1)
        if op == "truncate":
            data = data[:i]
        elif op == "delete":
            data = data[:i] + data[i + len(blob) :]
        elif op == "insert":
            data = data[:i] + blob + data[i:]
        elif op == "replace":
            data = data[:i] + blob + data[i + len(blob) :]
        elif op in ("dup_line", "drop_line"):
            lines = data.split(b"\n")
            k = pos % len(lines)
            lines[k : k + 1] = [lines[k], lines[k]] if op == "dup_line" else []
            data = b"\n".join(lines)
        elif op == "letter":
            digits = [k for k, b in enumerate(data) if 48 <= b <= 57]
            if digits:
                k = digits[pos % len(digits)]
                data = data[:k] + b"x" + data[k + 1 :]
    return data


# ---------------------------------------------------------------- valid files, one per reader
def _gen5(folder: Path) -> Path:
    from exodisc.assays.viability._export import write_gen5

    g = np.round(np.random.default_rng(0).uniform(0.1, 2.0, (8, 12)), 3)
    return write_gen5(folder / "p.txt", {"450": g, "650": g / 2})


def _softmax(folder: Path) -> Path:
    from exodisc.assays.viability._export import write_softmax

    g = np.round(np.random.default_rng(0).uniform(0.1, 2.0, (8, 12)), 3)
    return write_softmax(folder / "s.txt", {"P1": {"450": g}})


def _grid(folder: Path) -> Path:
    path = folder / "plate.csv"
    rows = [",".join(["", *map(str, range(1, 13))])]
    rows += [chr(65 + r) + "," + ",".join(f"{r + c / 10:.1f}" for c in range(12)) for r in range(8)]
    path.write_text("\n".join(rows) + "\n")
    return path


def _layout(folder: Path) -> Path:
    path = folder / "layout.csv"
    rows = [",".join(["", *map(str, range(1, 13))])]
    rows += [chr(65 + r) + "," + ",".join(f"ctrl_{c % 3 + 1}" for c in range(12)) for r in range(8)]
    path.write_text("\n".join(rows) + "\n")
    return path


def _qpcr(folder: Path) -> Path:
    path = folder / "qpcr.csv"
    rows = ["well,sample,target,ct"]
    for k in range(12):
        rows.append(f"A{k + 1},s{k // 6},{'GAPDH' if k % 2 else 'SOX9'},{20 + k / 7:.2f}")
    path.write_text("\n".join(rows) + "\n")
    return path


def _nta(folder: Path) -> Path:
    from exodisc.assays.vesicles._demo import write_nanosight_summary

    rng = np.random.default_rng(0)
    video = np.histogram(rng.lognormal(4.7, 0.3, 3000), np.arange(1001))[0] * 1e4
    path = folder / "s-ExperimentSummary.csv"
    write_nanosight_summary(path, name="s", per_video=np.vstack([video, video * 1.1]))
    return path


def _fcs(folder: Path) -> Path:
    src = Path(__file__).resolve().parents[1] / "reference" / "flow_quadrants"
    path = folder / "s.fcs"
    path.write_bytes((src / "apoptosis_sample.fcs").read_bytes())
    return path


def _tiff(folder: Path) -> Path:
    import tifffile

    path = folder / "blot.tif"
    img = (np.random.default_rng(0).uniform(0, 60000, (24, 40))).astype(np.uint16)
    tifffile.imwrite(path, img)
    return path


def _counts(folder: Path) -> Path:
    path = folder / "counts.tsv"
    lines = ["gene\ta1\ta2\tb1\tb2"] + [
        f"g{i}\t{i}\t{i + 3}\t{2 * i}\t{2 * i + 1}" for i in range(15)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def _sheet(folder: Path) -> Path:
    path = folder / "sheet.csv"
    path.write_text("sample,group\na1,a\na2,a\nb1,b\nb2,b\n")
    return path


def _expression(folder: Path) -> Path:
    path = folder / "expr.tsv"
    lines = ["gene\ts1\ts2\ts3"] + [f"g{i}\t{i / 3:.3f}\t{i / 2:.3f}\t{i:.3f}" for i in range(10)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _targets(folder: Path) -> Path:
    path = folder / "targets.tsv"
    lines = ["mirna\ttarget"] + [f"hsa-miR-{i}-5p\tGENE{i % 4}" for i in range(12)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _study(folder: Path) -> Path:
    (folder / "values.csv").write_text("sample,value\na_1,1\n")
    path = folder / "study.yaml"
    path.write_text(
        "title: t\nseed: 1\ngroups:\n  - {id: a, label: A, role: control}\n"
        "  - {id: b, label: B, role: model}\nreplicates: 3\n"
        "comparisons:\n  - {test: b, reference: a, mark: '*'}\n"
        "thresholds: {alpha: 0.05, log2_fc: 1, fdr: 0.05}\n"
        # a kind whose validation does not read its files (CCK-8's cross-checks read the
        # plates): the fuzzing is of the study file itself
        "assays:\n  - id: nta\n    kind: nta\n    files: [values.csv]\n"
    )
    return path


def _read(kind: str) -> Callable[[Path], object]:
    if kind in ("gen5", "softmax", "grid"):
        from exodisc.io.plate import read_plate

        return read_plate
    if kind == "layout":
        from exodisc.io.plate import read_layout

        return read_layout
    if kind == "qpcr":
        from exodisc.io.qpcr import read_qpcr

        return read_qpcr
    if kind == "nta":
        from exodisc.io.nta import read_nta

        return read_nta
    if kind == "fcs":
        from exodisc.io.fcs import read_fcs

        return read_fcs
    if kind == "tiff":
        from exodisc.io.western import read_blot_image

        return read_blot_image
    if kind == "counts":
        from exodisc.omics.de._io import read_counts

        return read_counts
    if kind == "sheet":
        from exodisc.omics.de._io import read_sample_sheet

        return read_sample_sheet
    if kind == "expression":
        from exodisc.omics.cerna import read_expression

        return read_expression
    if kind == "targets":
        from exodisc.omics.cerna import read_targets

        return read_targets
    from exodisc.config import load_study

    return load_study


READERS: dict[str, Callable[[Path], Path]] = {
    "gen5": _gen5,
    "softmax": _softmax,
    "grid": _grid,
    "layout": _layout,
    "qpcr": _qpcr,
    "nta": _nta,
    "fcs": _fcs,
    "tiff": _tiff,
    "counts": _counts,
    "sheet": _sheet,
    "expression": _expression,
    "targets": _targets,
    "study": _study,
}


@pytest.mark.parametrize("kind", list(READERS))
def test_reader_gives_data_or_our_error_on_mutated_files(kind: str):
    import warnings

    folder = Path(tempfile.mkdtemp(prefix=f"fuzz-{kind}-"))
    seed_path = READERS[kind](folder)
    original = seed_path.read_bytes()
    read = _read(kind)
    read(seed_path)  # the unmutated file is valid

    @FUZZ
    @given(ops=mutations)
    def fuzz(ops: list[tuple[str, int, bytes]]) -> None:
        seed_path.write_bytes(mutate(original, ops))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # readers may warn; only exceptions matter here
            with contextlib.suppress(ExodiscError):
                read(seed_path)

    fuzz()
