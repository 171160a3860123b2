"""CCK-8 edge cases: QC flags, missing pieces of the design, bad layouts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from exodisc.assays.viability import analyse_cck8, robust_z
from exodisc.assays.viability._cck8 import _null_factor
from exodisc.assays.viability._zconst import Z_CONSTANTS
from exodisc.config import parse_study
from exodisc.errors import DesignError, SchemaError

from .conftest import design


@pytest.fixture(scope="module")
def study():
    from pathlib import Path

    return parse_study(design(), path=Path("study.yaml"))


def _plate(values: dict[str, float], plate: str = "P1", read: str = "450") -> pd.DataFrame:
    return pd.DataFrame(
        [{"plate": plate, "read": read, "well": w, "value": v} for w, v in values.items()]
    )


LAYOUT = pd.DataFrame(
    {
        "well": ["A1", "A2", "A3", "B1", "B2", "B3", "H1", "H2"],
        "label": ["ctrl_1"] * 3 + ["il1b_1"] * 3 + ["blank", "BLANK"],
    }
)
VALUES = {"A1": 1.1, "A2": 1.2, "A3": 1.0, "B1": 0.6, "B2": 0.62, "B3": 0.58, "H1": 0.1, "H2": 0.1}


def test_hand_computed_viability(study) -> None:
    res = analyse_cck8(_plate(VALUES), LAYOUT, study, times_h={"P1": 24})
    rep = res.replicates.set_index("sample")
    assert rep.loc["ctrl_1", "od_corrected"] == pytest.approx(1.0)
    assert rep.loc["il1b_1", "od_corrected"] == pytest.approx(0.5)
    assert rep.loc["il1b_1", "viability_pct"] == pytest.approx(50.0)
    assert rep.loc["ctrl_1", "cv_pct"] == pytest.approx(10.0)  # SD 0.1 / mean 1.0
    assert rep.loc["ctrl_1", "n_wells"] == 3
    assert not res.wells["saturated"].any() and not res.wells["below_blank"].any()
    assert res.auc["auc_od"].isna().sum() == 0 and (res.auc["n_times"] == 1).all()


def test_saturation_and_below_blank_flags(study) -> None:
    v = {**VALUES, "A1": 3.4, "B3": 0.05}
    res = analyse_cck8(_plate(v), LAYOUT, study, times_h={"P1": 24}, linear_max=3.0)
    w = res.wells.set_index("well")
    assert w.loc["A1", "saturated"] and not w.loc["A2", "saturated"]
    assert w.loc["B3", "below_blank"] and not w.loc["B2", "below_blank"]


def test_outlier_flag_and_exclusion(study) -> None:
    rng = np.random.default_rng(0)
    layout = pd.DataFrame(
        {
            "well": [f"{r}{c}" for r in "ABCD" for c in (1, 2, 3)] + ["H1", "H2"],
            "label": [s for s in ("ctrl_1", "ctrl_2", "il1b_1", "il1b_2") for _ in range(3)]
            + ["blank", "blank"],
        }
    )
    vals = dict(zip(layout["well"], 1 + rng.normal(0, 0.02, len(layout)), strict=True))
    vals.update(H1=0.1, H2=0.1, C2=2.5)
    kept = analyse_cck8(_plate(vals), layout, study, times_h={"P1": 0})
    assert kept.wells.set_index("well").loc["C2", "outlier"]
    assert kept.wells["outlier"].sum() == 1 and kept.dropped.empty
    assert kept.replicates.set_index("sample").loc["il1b_1", "n_wells"] == 3
    ex = analyse_cck8(_plate(vals), layout, study, times_h={"P1": 0}, exclude_outliers=True)
    assert ex.dropped["well"].tolist() == ["C2"]
    assert ex.replicates.set_index("sample").loc["il1b_1", "n_wells"] == 2


def test_robust_z_plain_and_pooled() -> None:
    x = np.array([1.0, 2.0, 3.0, 4.0, 100.0])
    # R: 0.6745 * (x - median(x)) / mad(x, constant = 1)  -> MAD = 1
    np.testing.assert_allclose(robust_z(x), 0.6745 * (x - 3.0))
    assert np.all(robust_z(np.ones(4)) == 0)
    g = np.array(["a", "a", "a", "b", "b", "b"])
    z = robust_z(np.array([1.0, 1.1, 0.9, 2.0, 2.2, 1.8]), g, relative=True)
    # every non-median relative deviation is 0.1: s = 0.1 / scale_3, z = f 0.1 / (tail_3 s)
    scale3, tail3 = Z_CONSTANTS[3]
    f = _null_factor((3, 3), 3.5)
    np.testing.assert_allclose(np.abs(z), [0, 1, 1, 0, 1, 1] * np.array(f * scale3 / tail3))


def test_layout_names_an_unknown_sample(study) -> None:
    layout = pd.concat([LAYOUT, pd.DataFrame({"well": ["C1"], "label": ["ctrl_7"]})])
    with pytest.raises(SchemaError, match=r"C1: 'ctrl_7'"):
        analyse_cck8(_plate({**VALUES, "C1": 1.0}), layout, study, times_h={"P1": 0})


def test_missing_design_pieces(study) -> None:
    with pytest.raises(DesignError, match=r"no time point given for plate\(s\) \['P1'\]"):
        analyse_cck8(_plate(VALUES), LAYOUT, study, times_h={})
    no_blank = LAYOUT[LAYOUT["label"].str.lower() != "blank"]
    with pytest.raises(DesignError, match=r"plate\(s\) \['P1'\] have no blank wells"):
        analyse_cck8(_plate(VALUES), no_blank, study, times_h={"P1": 0})
    with pytest.raises(
        SchemaError, match=r"read '650' is not in the plate data; reads present: \['450'\]"
    ):
        analyse_cck8(_plate(VALUES), LAYOUT, study, times_h={"P1": 0}, reference_wavelength="650")
    no_ctrl = LAYOUT[~LAYOUT["label"].str.startswith("ctrl")]
    with pytest.raises(DesignError, match="control group 'ctrl' has no wells at time"):
        analyse_cck8(_plate(VALUES), no_ctrl, study, times_h={"P1": 0})
    missing = {k: v for k, v in VALUES.items() if k != "B2"}
    with pytest.raises(SchemaError, match=r"layout wells without a value in read '450': P1 B2"):
        analyse_cck8(_plate(missing), LAYOUT, study, times_h={"P1": 0})


def test_kinetic_reads_are_refused(study) -> None:
    reads = pd.concat(
        [_plate(VALUES).assign(time_s=0.0), _plate(VALUES).assign(time_s=600.0)],
        ignore_index=True,
    )
    with pytest.raises(DesignError, match=r"plate\(s\) \['P1'\] are kinetic reads \(2 time"):
        analyse_cck8(reads, LAYOUT, study, times_h={"P1": 0})


def test_times_in_the_layout(study) -> None:
    # staggered seeding: one plate read once, each well's time in the layout
    layout = pd.DataFrame(
        {
            "well": ["A1", "A2", "A3", "B1", "B2", "B3", "H1", "H2"],
            "label": [
                *("ctrl_1@0h", "ctrl_1@24h", "ctrl_1@48"),
                *("il1b_1@0h", "il1b_1@24h", "il1b_1@48h"),
                *("blank", "blank"),
            ],
        }
    )
    v = {"A1": 0.5, "A2": 1.0, "A3": 1.5, "B1": 0.5, "B2": 0.7, "B3": 0.9, "H1": 0.1, "H2": 0.1}
    res = analyse_cck8(_plate(v), layout, study, times_h={})
    rep = res.replicates.set_index(["sample", "time_h"])
    assert rep.loc[("il1b_1", 48.0), "viability_pct"] == pytest.approx(0.8 / 1.4 * 100)
    assert rep.loc[("ctrl_1", 0.0), "n_wells"] == 1
    assert res.auc.set_index("sample").loc["ctrl_1", "auc_od"] == pytest.approx(
        (0.4 + 0.9) / 2 * 24 + (0.9 + 1.4) / 2 * 24
    )
    bad = layout.assign(label=layout["label"].replace("ctrl_1@24h", "ctrl_1@noon"))
    with pytest.raises(SchemaError, match=r"A2: 'ctrl_1@noon' \(time after '@' must be hours"):
        analyse_cck8(_plate(v), bad, study, times_h={})
    half = layout.assign(label=layout["label"].replace("ctrl_1@24h", "ctrl_1"))
    with pytest.raises(DesignError, match=r"no time point given for plate\(s\) \['P1'\]"):
        analyse_cck8(_plate(v), half, study, times_h={})


def test_no_control_group_names_the_keys_to_set() -> None:
    from pathlib import Path

    d = design()
    d["groups"] = [{k: v for k, v in g.items() if k != "role"} for g in d["groups"]]
    no_roles = parse_study(d, path=Path("study.yaml"))
    with pytest.raises(DesignError, match=r"no control group: set options.control \(a group id"):
        analyse_cck8(_plate(VALUES), LAYOUT, no_roles, times_h={"P1": 0})
    with pytest.raises(DesignError, match=r"control group 'ctl' \(options.control\) is not"):
        analyse_cck8(_plate(VALUES), LAYOUT, no_roles, times_h={"P1": 0}, control="ctl")


def test_plate_times_with_wrong_names_show_what_was_given(cck8_study) -> None:
    from exodisc.assays.viability._run import Cck8Options, load_cck8_reads

    files = [cck8_study.parent / "raw" / "cck8" / "cck8_0h_gen5.txt"]
    opts = Cck8Options.model_validate({"plate_times_h": {"Plate 0": 0}})
    with pytest.raises(
        DesignError,
        match=r"plate_times_h gives \{'Plate 0': 0.0\}, but plate\(s\) \['Plate 0'\] are not in "
        r"the files; the files hold plate\(s\) \['Plate 0h'\] \(did you mean 'Plate 0' -> "
        r"'Plate 0h'\?\)",
    ):
        load_cck8_reads(files, opts)
