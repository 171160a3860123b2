"""results.xlsx read back with openpyxl: index sheet, readable unique names, formatting, limits,
and byte-identical re-runs."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from exodisc.report import Report, write_output
from exodisc.report._xlsx import write_workbook

LONG = "enrichment_go_biological_process"


def _report() -> Report:
    report = Report("Workbook")
    sec = report.add_section("enrichment", "Enrichment")
    rng = np.random.default_rng(1)
    sec.add_table(
        LONG,
        pd.DataFrame({"term": ["GO:1", "GO:2"], "p_value": [0.01, np.nan], "n": [3, 4]}),
        caption="GO biological process: over-represented terms",
    )
    sec.add_table(
        f"{LONG}_unmatched",
        pd.DataFrame({"gene": ["X", "Y", "Z"]}),
        caption="Genes not found in any GO biological process set",
    )
    sec.add_table(
        "enrichment_wide",
        pd.DataFrame({"a_rather_long_column_name_here": rng.normal(size=3)}),
        caption="Wide",
    )
    return report


def _book(path: Path):
    return openpyxl.load_workbook(path)


def test_index_sheet_lists_every_table(tmp_path: Path) -> None:
    write_output(_report(), tmp_path / "o", provenance={}, versions={})
    wb = _book(tmp_path / "o" / "results.xlsx")
    assert wb.sheetnames[0] == "index"
    rows = list(wb["index"].iter_rows(values_only=True))
    assert rows[0] == ("sheet", "title", "source table", "rows", "columns", "note")
    by_source = {r[2]: r for r in rows[1:]}
    assert set(by_source) == {
        f"tables/{LONG}.tsv",
        f"tables/{LONG}_unmatched.tsv",
        "tables/enrichment_wide.tsv",
    }
    main, unmatched = by_source[f"tables/{LONG}.tsv"], by_source[f"tables/{LONG}_unmatched.tsv"]
    assert main[1] == "GO biological process: over-represented terms" and main[3:5] == (2, 3)
    # every indexed sheet exists; names are unique, at most 31 characters, and the list of
    # unmatched genes is not named like the results (the old truncation gave '…proces' to the
    # unmatched list and '…proc~1' to the results)
    for r in rows[1:]:
        assert r[0] in wb.sheetnames and len(r[0]) <= 31
    assert len(set(wb.sheetnames)) == len(wb.sheetnames)
    assert "unmatched" in unmatched[0] and "unmatched" not in main[0]
    assert "~" not in main[0] + unmatched[0]


def test_sheets_have_bold_frozen_filtered_headers_and_widths(tmp_path: Path) -> None:
    write_output(_report(), tmp_path / "o", provenance={}, versions={})
    wb = _book(tmp_path / "o" / "results.xlsx")
    names = {r[2]: r[0] for r in wb["index"].iter_rows(min_row=2, values_only=True)}
    ws = wb[names[f"tables/{LONG}.tsv"]]
    assert [c.value for c in ws[1]] == ["term", "p_value", "n"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:C3"
    assert ws["B2"].value == pytest.approx(0.01) and ws["B3"].value is None
    wide = wb[names["tables/enrichment_wide.tsv"]]
    assert wide.column_dimensions["A"].width >= len("a_rather_long_column_name_here")


def test_tables_too_long_for_a_sheet_are_tsv_only(tmp_path: Path) -> None:
    report = _report()
    path = tmp_path / "r.xlsx"
    write_workbook([i for s in report.sections for i in s.items], path, max_rows=2)
    wb = _book(path)
    rows = {r[2]: r for r in wb["index"].iter_rows(min_row=2, values_only=True)}
    skipped = rows[f"tables/{LONG}_unmatched.tsv"]
    assert skipped[0] in ("", None) and skipped[3] == 3
    assert "TSV only: 3 rows exceed the 3-row limit of a sheet" in skipped[5]
    assert wb.sheetnames == ["index", rows[f"tables/{LONG}.tsv"][0]]  # the 3-row ones: TSV


def test_workbook_is_byte_identical_across_runs(tmp_path: Path) -> None:
    a = write_output(_report(), tmp_path / "a", provenance={}, versions={}).parent
    time.sleep(2.1)  # the zip entries' times and the document dates must not follow the clock
    b = write_output(_report(), tmp_path / "b", provenance={}, versions={}).parent
    assert (a / "results.xlsx").read_bytes() == (b / "results.xlsx").read_bytes()
    props = _book(a / "results.xlsx").properties
    assert props.modified.year == 2000 and props.created.year == 2000


def test_a_report_without_tables_has_an_index_only(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_workbook([], path)
    wb = _book(path)
    assert wb.sheetnames == ["index"]
    assert [c.value for c in wb["index"][1]][:3] == ["sheet", "title", "source table"]
