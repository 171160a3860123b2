"""Mapping identifiers that look like no known type (custom or simulated ids)."""

from __future__ import annotations

import pandas as pd
import pytest

from exodisc.errors import SchemaError
from exodisc.omics.resources._genes import map_ids


def test_map_ids_finds_the_column_of_custom_ids() -> None:
    """Ids of no recognisable type are looked up in the annotation column that holds them."""
    ann = pd.DataFrame(
        {
            "ensembl": ["ENSGSIM01", "ENSGSIM02", "ENSGSIM03"],
            "symbol": ["IL1B", "SOX9", "ACAN"],
            "entrez": ["3553", "6662", "176"],
        }
    )
    m = map_ids(["ENSGSIM02", "ENSGSIM09", "ENSGSIM01"], ann, to="symbol", min_rate=0.5)
    assert m.table["mapped"].tolist() == ["SOX9", "", "IL1B"]
    assert m.unmapped == ("ENSGSIM09",)
    with pytest.raises(SchemaError, match="look like symbol identifiers already"):
        map_ids(["FOO1", "FOO2"], ann, to="symbol")
