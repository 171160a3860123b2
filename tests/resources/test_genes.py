"""Identifier mapping and RNA classes, on the real GDCRNATools / miRBase tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exodisc.errors import InputFormatError, SchemaError
from exodisc.omics.resources import (
    classify_rna,
    detect_id_type,
    map_ids,
    read_gene_annotation,
    strip_version,
)


@pytest.fixture(scope="module")
def annotation(shared_data: Path) -> pd.DataFrame:
    return read_gene_annotation(
        shared_data / "gene_annotation" / "gdcrnatools_gencode_biotype.tsv.gz"
    )


def test_real_annotation_loads(annotation: pd.DataFrame) -> None:
    # counts from ../shared/data/gene_annotation/PROVENANCE.md
    assert len(annotation) == 60_616
    counts = annotation["biotype"].value_counts()
    assert counts["protein_coding"] == 19_944
    assert counts["lncRNA"] == 16_889
    assert counts["miRNA"] == 1_879
    row = annotation.set_index("ensembl").loc["ENSG00000141510"]
    assert (row["symbol"], row["entrez"]) == ("TP53", "7157")


def test_map_ensembl_with_versions_to_symbol(annotation: pd.DataFrame) -> None:
    ids = ["ENSG00000141510.16", "ENSG00000000003", "ENSG99999999999.1", "ENSG00000284190"]
    m = map_ids(ids, annotation, to="symbol")
    assert m.from_type == "ensembl"
    assert m.table["mapped"].tolist() == ["TP53", "TSPAN6", "", "MIR21"]
    assert m.unmapped == ("ENSG99999999999.1",)
    assert m.rate == pytest.approx(0.75)
    e = map_ids(["TP53", "TSPAN6"], annotation, to="entrez")
    assert e.mapping == {"TP53": "7157", "TSPAN6": "7105"}
    back = map_ids(["7157"], annotation, to="ensembl")
    assert back.mapping == {"7157": "ENSG00000141510"}


def test_low_mapping_rate_names_the_expected_type(annotation: pd.DataFrame) -> None:
    with pytest.raises(SchemaError, match=r"only 0\.0% of 2 identifiers mapped from symbol"):
        map_ids(["NOT_A_GENE", "ALSO_NOT"], annotation, to="entrez")
    with pytest.raises(SchemaError, match="expected ensembl identifiers such as 'ENSG00000141510'"):
        map_ids(["ENSG00000000000", "ENSG00000000001"], annotation, from_type="ensembl")


def test_classify_rna(annotation: pd.DataFrame, shared_data: Path) -> None:
    ids = [
        "ENSG00000141510.16",  # TP53 protein coding
        "MALAT1",  # lncRNA by symbol
        "hsa-miR-21-5p",
        "MIMAT0000076",
        "hsa_circ_0000284",  # circBase
        "hsa_circHIPK3_001",  # circBank style
        "chr10:102000-103500",  # back-splice coordinates
        "ENSG00000284190",  # MIR21 locus, biotype miRNA
        "ENSG00000228253",  # MT-ATP8, protein coding
        "NOPE1",
    ]
    out = classify_rna(ids, annotation)
    assert out["rna_class"].tolist() == [
        "mRNA",
        "lncRNA",
        "miRNA",
        "miRNA",
        "circRNA",
        "circRNA",
        "circRNA",
        "miRNA",
        "mRNA",
        "unknown",
    ]
    mirbase = pd.read_csv(
        shared_data / "gene_annotation" / "gdcrnatools_mirbase_v21_hsa_mature.tsv", sep="\t"
    )
    names = classify_rna(mirbase["mature_name_mirbase_v21"])
    assert (names["rna_class"] == "miRNA").all()


def test_helpers_and_bad_table(tmp_path: Path) -> None:
    assert strip_version(["ENSG00000141510.16", "TP53"]) == ["ENSG00000141510", "TP53"]
    assert detect_id_type(["7157", "7105"]) == "entrez"
    assert detect_id_type(["ENSG00000141510.1"]) == "ensembl"
    bad = tmp_path / "ann.tsv"
    bad.write_text("a\tb\n1\t2\n")
    with pytest.raises(InputFormatError, match="header: no Ensembl or symbol column found"):
        read_gene_annotation(bad)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.from_regex(r"ENS[A-Z]{0,3}G\d{1,12}(\.\d{1,3})?(_PAR_Y)?", fullmatch=True),
            st.text(alphabet="ENSGT.0123456789_ ab", max_size=20),
        ),
        max_size=20,
    )
)
def test_strip_version_is_the_regex_substitution(ids: list[str]) -> None:
    """The fast path (no regex for ids that cannot match) gives re.sub's result exactly."""
    import re

    expected = [re.sub(r"^(ENS[A-Z]*G\d+)\.\d+", r"\1", i) for i in ids]
    assert strip_version(ids) == expected
