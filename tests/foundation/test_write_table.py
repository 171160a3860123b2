"""``write_table``'s own formatting writes the bytes ``DataFrame.to_csv`` writes (the reference)."""

from __future__ import annotations

import math
from pathlib import Path
from unittest.mock import patch

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exodisc.report import _writer
from exodisc.report._writer import write_table

_FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from([0.0, -0.0, 1e16, 1e-5, 1e-310, 0.1, 1 / 3, 123456789012345678.0, math.nan]),
)
_TEXT = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6),
    st.sampled_from(["SOX9", "a\tb", 'say "x"', "two\nlines", "", "é µ"]),
    st.floats(allow_nan=True, width=64),
    st.integers(-(10**20), 10**20),
)


@st.composite
def _frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(0, 12))
    kinds = draw(st.lists(st.sampled_from(["f8", "i8", "u1", "b", "O", "f4", "cat"]), max_size=6))
    data: dict[str, object] = {}
    for j, kind in enumerate(kinds):
        if kind == "f8":
            col: object = np.array(draw(st.lists(_FLOATS, min_size=n, max_size=n)), dtype=float)
        elif kind == "f4":
            col = np.array(draw(st.lists(st.floats(width=32), min_size=n, max_size=n)), "f4")
        elif kind == "i8":
            col = np.array(draw(st.lists(st.integers(-(2**62), 2**62), min_size=n, max_size=n)))
        elif kind == "u1":
            col = np.array(draw(st.lists(st.integers(0, 255), min_size=n, max_size=n)), "u1")
        elif kind == "b":
            col = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
        elif kind == "cat":
            col = pd.Categorical(
                draw(st.lists(st.sampled_from(["a", "b"]), min_size=n, max_size=n))
            )
        else:
            col = np.array(draw(st.lists(_TEXT, min_size=n, max_size=n)), dtype=object)
        name = draw(st.sampled_from([f"c{j}", f"log2 FC {j}", f"x{j}\t", f"norm_{j}"]))
        data[name] = col
    return pd.DataFrame(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=_frames())
def test_same_bytes_as_pandas(frame: pd.DataFrame, tmp_path_factory) -> None:
    folder: Path = tmp_path_factory.mktemp("tsv")
    with patch.object(_writer, "_BLOCK", 5):  # several blocks of rows, as a large table has
        write_table(frame, folder / "ours.tsv")
    frame.to_csv(folder / "pandas.tsv", sep="\t", index=False, na_rep="", lineterminator="\n")
    assert (folder / "ours.tsv").read_bytes() == (folder / "pandas.tsv").read_bytes()


def test_a_de_table_takes_the_fast_path(tmp_path: Path, monkeypatch) -> None:
    """The DE table's columns (float64, bool, text ids) never reach ``to_csv``."""
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "feature_id": [f"ENSG{i:011d}" for i in range(50)],
            "base_mean": rng.lognormal(3, 2, 50),
            "padj": np.where(rng.random(50) < 0.2, np.nan, rng.random(50)),
            "filtered": rng.random(50) < 0.5,
        }
    )
    expected = frame.to_csv(sep="\t", index=False, na_rep="", lineterminator="\n")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("to_csv called")

    monkeypatch.setattr(pd.DataFrame, "to_csv", refuse)
    write_table(frame, tmp_path / "de.tsv")
    assert (tmp_path / "de.tsv").read_text(encoding="utf-8") == expected
