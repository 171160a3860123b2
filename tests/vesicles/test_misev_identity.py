"""MISEV2018 scorer and the USC identity record."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from exodisc.assays.vesicles._declared import EvDeclaration, UscIdentityDecl
from exodisc.assays.vesicles._identity import usc_identity
from exodisc.assays.vesicles._misev import classify_marker, misev_checklist, score_misev

# the seed paper's characterisation, as its Methods describe it
SEED = {
    "source": {
        "cell_type": "human urine-derived stem cells",
        "culture_medium": "USC complete medium, 10% exosome-free FBS",
    },
    "isolation": {
        "method": "differential ultracentrifugation",
        "steps": [
            {"g": 300, "minutes": 10},
            {"g": 2000, "minutes": 10},
            {"g": 10000, "minutes": 30},
            {"g": 100000, "minutes": 70, "keep": "pellet"},
        ],
    },
    "protein": {"method": "BCA"},
    "tem": {"done": True},
    "markers": [
        {"name": "CD9", "result": "positive"},
        {"name": "CD63", "result": "positive"},
        {"name": "TSG101", "result": "positive"},
    ],
    "function": {"controls": ["GW4869"]},
}
NTA = pd.DataFrame({"sample": ["prep1"], "concentration_per_ml": [5e10]})


def test_checklist_is_versioned_data_with_its_citation():
    c = misev_checklist()
    assert c["version"] == "2018.1"
    assert "1535750" in c["citation"]
    ids = [i["id"] for i in c["items"]]
    assert len(ids) == len(set(ids)) == 16
    assert sum(i["level"] == "mandatory" for i in c["items"]) == 11


def test_seed_paper_gaps_are_what_a_reviewer_would_ask():
    res = score_misev(EvDeclaration.model_validate(SEED), nta=NTA)
    st = res.items.set_index("id")["status"]
    for gap in ("source_quantity", "particle_protein_ratio", "marker_negative"):
        assert st[gap] == "missing", gap
    for ok in ("isolation_method", "marker_transmembrane", "marker_cytosolic",
               "single_vesicle_two_methods", "quantification_particles"):  # fmt: skip
        assert st[ok] == "satisfied", ok
    assert res.score == {
        "mandatory_satisfied": 8,
        "mandatory_total": 11,
        "encouraged_satisfied": 1,
        "encouraged_total": 5,
    }
    asks = " ".join(res.reviewer_asks)
    assert "negative marker" in asks and "particle-to-protein ratio" in asks
    assert "number of cells and the volume of conditioned medium" in asks
    # mandatory asks come first
    assert res.reviewer_asks[0].startswith("Report the number of cells")


def test_complete_declaration_satisfies_every_item():
    full = {
        **SEED,
        "source": {**SEED["source"], "cells": 2e7, "volume_ml": 200, "viability_percent": 96},
        "isolation": {**SEED["isolation"], "rotor": "SW32 Ti", "k_factor": 204},
        "protein": {"method": "BCA", "ug_per_ml": {"prep1": 500}},
        "markers": [*SEED["markers"], {"name": "calnexin", "result": "negative"}],
        "ev_track": "EV240001",
    }
    res = score_misev(EvDeclaration.model_validate(full), nta=NTA)
    assert (res.items["status"] == "satisfied").all()
    assert res.reviewer_asks == ()
    assert res.markers.set_index("marker").loc["calnexin", "category"] == "intracellular"


def test_without_nta_particles_and_second_single_vesicle_method_are_missing():
    st = score_misev(EvDeclaration.model_validate(SEED)).items.set_index("id")["status"]
    assert st["quantification_particles"] == "missing"
    assert st["single_vesicle_two_methods"] == "missing"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ALIX", ("cytosolic", "PDCD6IP")),
        ("cd63", ("transmembrane", "CD63")),
        ("GM130", ("intracellular", "GOLGA2")),
        ("Tamm-Horsfall protein", ("contaminant", "UMOD")),
        ("GAPDH", None),
    ],
)
def test_marker_categories(name, expected):
    assert classify_marker(name) == expected


def test_tem_sizes_and_unknown_marker():
    decl = EvDeclaration.model_validate(
        {"tem": {"done": True, "diameters_nm": [80, 100, 120]},
         "markers": [{"name": "GAPDH", "result": "positive"}]}
    )  # fmt: skip
    res = score_misev(decl)
    assert res.tem_sizes.iloc[0][["n", "mean_nm", "sd_nm", "median_nm"]].tolist() == [
        3,
        100,
        20,
        100,
    ]
    assert res.markers.iloc[0]["category"] == "not a MISEV2018 Table 3 marker"


def test_declaration_errors_name_the_key():
    with pytest.raises(ValidationError, match=r"markers\.0\.result"):
        EvDeclaration.model_validate({"markers": [{"name": "CD9", "result": "maybe"}]})
    with pytest.raises(ValidationError, match=r"source\.cels"):
        EvDeclaration.model_validate({"source": {"cels": 5}})
    with pytest.raises(ValidationError, match=r"isolation\.steps\.0\.g"):
        EvDeclaration.model_validate({"isolation": {"steps": [{"g": -1, "minutes": 5}]}})


def test_identity_combines_stains_markers_and_flow():
    decl = UscIdentityDecl.model_validate(
        {
            "trilineage": [
                {"stain": "alizarin_red_s", "result": "positive"},
                {"stain": "alcian_blue", "result": "positive"},
                {"stain": "oil_red_o", "result": "positive"},
            ],
            "markers": [
                {"marker": "CD73", "expected": "positive", "result": "positive"},
                {"marker": "CD90", "expected": "positive"},
                {"marker": "CD45", "expected": "negative", "result": "negative"},
            ],
        }
    )
    flow = pd.DataFrame({"marker": ["CD90", "CD45"], "percent_positive": [97.5, 3.1]})
    res = usc_identity(decl, flow_tables={"flow.table": flow})
    assert res.lineages_shown == ("adipogenic", "chondrogenic", "osteogenic")
    m = res.markers.set_index("marker")
    assert m.loc["CD90", "meets_isct"] == "yes" and m.loc["CD90", "source"] == "flow.table"
    assert m.loc["CD45", "meets_isct"] == "no"  # 3.1 % > 2 %
    assert m.loc["CD73", "meets_isct"] == "no percentage"
    assert res.summary.startswith("urine-derived stem cells: trilineage differentiation shown")
    assert "1 meeting the ISCT thresholds" in res.summary


def test_identity_incomplete_trilineage_is_said():
    decl = UscIdentityDecl.model_validate(
        {"trilineage": [{"stain": "oil_red_o", "result": "positive"},
                        {"stain": "alcian_blue", "result": "negative"}]}
    )  # fmt: skip
    res = usc_identity(decl)
    assert "lineages shown: adipogenic (of osteogenic, chondrogenic, adipogenic)" in res.summary
    with pytest.raises(ValidationError, match="stain"):
        UscIdentityDecl.model_validate({"trilineage": [{"stain": "giemsa", "result": "positive"}]})


def test_tem_diameters_file(tmp_path):
    from exodisc.assays.vesicles._misev import read_diameters
    from exodisc.errors import InputFormatError

    good = tmp_path / "d.csv"
    good.write_text("image,diameter_nm\na,80\nb,120\n")
    assert read_diameters(good) == [80.0, 120.0]
    bad = tmp_path / "bad.tsv"
    bad.write_text("image\tdiameter_nm\na\t80\nb\t-3\n")
    with pytest.raises(
        InputFormatError, match=r"bad.tsv: line 3: 'diameter_nm' must be a positive"
    ):
        read_diameters(bad)
    nocol = tmp_path / "n.csv"
    nocol.write_text("image,size\na,80\n")
    with pytest.raises(InputFormatError, match=r"n.csv: header: no 'diameter_nm' column"):
        read_diameters(nocol)
