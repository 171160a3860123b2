"""Real 16-bit chemiluminescence blots against the lab's workbook of hand-measured densities.

Data: ``../shared/data/western_blot/B1AR_ZL_vs_ZDF`` (see its PROVENANCE.md): six TIFFs
(B1AR target and GAPDH loading control, three dates, two membrane strips of 9 lanes each,
10 on July 4) and ``B1AR_10week.xls`` with the integrated density (IDV) of every quantified
band, measured by hand with rectangles in the imager's software (BACK = 0: no background
subtraction), and the B1AR/GAPDH ratios. Lane numbers in the workbook run 1–9 (July 4:
1–10) on the top strip and on from there on the bottom strip, except on the May 30 B1AR
sheet ("10w", top strip by the file name), whose lanes are labelled 10n–18n although their
recorded mean densities (AVG 3,426–5,335) match the top strip (3,200–4,800 in our boxes)
and not the bottom one (7,000–12,000): there the labels are mapped to the top strip. The
crop boxes below are what a user declares: one per strip, around the band row, read off
the image. Re-checked on contrast-stretched views of all six images: 9 bands per strip
(10 on both July 4 membranes), lane 1 on the left (the reversed order correlates worse on
every blot), and on May 30 the top-strip mapping gives IDVs of the workbook's size where
the bottom strip would give twice as much (asserted below).

What the workbook measured: IDV = AREA x AVG of a hand-drawn box (1,210-3,150 px), with
the background inside it (BACK = 0). About 40 % of every IDV is that background, so each
IDV also carries the box's size; the loading-control IDVs follow the box area more than
the band. That, not lane mapping or saturation (none), is what keeps the correlation with
our measurements near 0.9 instead of 0.95.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from exodisc.assays.western import quantify_blot
from exodisc.assays.western._normalize import normalize_bands
from exodisc.config import parse_study
from exodisc.errors import DesignError, InputFormatError
from exodisc.io.western import read_blot_image, read_exposure
from exodisc.pipeline import analyse
from tests._shared import skip_module_unless_shared

# the images and workbooks come from a repository without a licence: not shipped in tests/data
skip_module_unless_shared("western_blot/B1AR_ZL_vs_ZDF/")

FOLDER = "western_blot/B1AR_ZL_vs_ZDF"
# (top strip box, bottom strip box) per image: x0, y0, x1, y1 in pixels
BOXES = {
    "May30.2013_B1AR_10wtop_16wbottom": [(225, 150, 740, 225), (185, 395, 712, 470)],
    "May30.2013_B1AR_10wtop_16wbottom_GAPDH": [(262, 140, 785, 215), (220, 405, 765, 470)],
    "July4_B1AR_10wtop_16wbottom": [(240, 105, 795, 200), (205, 390, 730, 445)],
    "July4_B1AR_10wtop_16wbottom_GAPDH": [(210, 85, 770, 185), (235, 455, 770, 525)],
    "July23.2013_B1AR_10wtop_10wbottom": [(380, 125, 860, 175), (395, 460, 900, 515)],
    "July23.2013_B1AR_10wtop_10wbottom_GAPDH": [(300, 100, 790, 165), (280, 355, 810, 410)],
}
# lanes per strip: 9, except the July 4 membranes, which carry 10 (counted on the images)
LANES = {"July4_B1AR_10wtop_16wbottom": 10, "July4_B1AR_10wtop_16wbottom_GAPDH": 10}
# July 23 GAPDH bands run together into one streak per strip: lanes are declared instead,
# nine equal lanes across the streak (x from, x to), as one would in ImageJ.
STREAKS = {"July23.2013_B1AR_10wtop_10wbottom_GAPDH": [(305, 780), (285, 800)]}
SHEETS = {
    "May 30": "May30.2013_B1AR_10wtop_16wbottom",
    "July 4": "July4_B1AR_10wtop_16wbottom",
    "July 23 top": "July23.2013_B1AR_10wtop_10wbottom",
    "July 23 bottom": "July23.2013_B1AR_10wtop_10wbottom",
}


@pytest.fixture(scope="module")
def folder(shared_data):
    return shared_data / FOLDER


@pytest.fixture(scope="module")
def workbook(folder):
    pytest.importorskip("xlrd", reason="reading the .xls workbook needs xlrd")
    rows = []
    for sheet, stem in SHEETS.items():
        x = pd.read_excel(folder / "B1AR_10week.xls", sheet_name=sheet, header=None)
        lab = x[x[0].isin(["ZL", "ZDF"])]
        target, gapdh = lab.iloc[:6], lab.iloc[6:12]
        for (_, t), (_, g) in zip(target.iterrows(), gapdh.iterrows(), strict=True):
            rows.append(
                {
                    "sheet": sheet,
                    "image": stem,
                    "group": t[0],
                    "lane_target": int(str(t[1]).rstrip("n")) - (9 if sheet == "May 30" else 0),
                    "lane_gapdh": int(str(g[1]).rstrip("n")),
                    "idv_target": float(t[2]),
                    "idv_gapdh": float(g[2]),
                    "area_target": float(t[4]),
                    "area_gapdh": float(g[4]),
                    "avg_target": float(t[5]),
                    "avg_gapdh": float(g[5]),
                    "back": float(t[6]) + float(g[6]),
                    "ratio": float(t[7]),
                }
            )
    wb = pd.DataFrame(rows)
    wb["sample"] = wb["sheet"] + "/" + wb["lane_target"].astype(str)
    return wb


def _measure(folder, background):
    out = []
    for stem, boxes in BOXES.items():
        img = read_blot_image(folder / f"{stem}.tif.gz")
        assert img.bit_depth == 16
        n = LANES.get(stem, 9)
        for strip, box in enumerate(boxes):
            centres = None
            if stem in STREAKS:
                a, b = STREAKS[stem][strip]
                centres = list(a + (b - a) / 9 * (np.arange(9) + 0.5))
            res = quantify_blot(img, n, box=box, bands=["B1AR"], background=background,
                                lane_centres=centres)  # fmt: skip
            assert not res.inverted  # light bands on a dark background
            t = res.table.assign(image=stem, lane=res.table["lane"] + n * strip)
            out.append(t)
    m = pd.concat(out, ignore_index=True)
    area = (m["x_right"] - m["x_left"] + 1) * (m["y_bottom"] - m["y_top"] + 1)
    return m.assign(bg_per_px=m["background"] / area)


@pytest.fixture(scope="module")
def measured(folder):
    """ImageJ-style: fixed rectangle per lane and band, raw integrated density (no background)."""
    return _measure(folder, "none")


@pytest.fixture(scope="module")
def measured_bg(folder):
    """The default, principled measurement: volume above a rolling-ball background."""
    return _measure(folder, "rolling-ball:50")


def _ours(wb, measured, column="volume"):
    vol = measured.set_index(["image", "lane"])[column]
    t = [vol[(im, ln)] for im, ln in zip(wb["image"], wb["lane_target"], strict=True)]
    g = [vol[(im + "_GAPDH", ln)] for im, ln in zip(wb["image"], wb["lane_gapdh"], strict=True)]
    return np.asarray(t), np.asarray(g)


def _within_blot_r(wb, a, b):
    """Pearson r of log values after removing each blot's mean: the lane-to-lane agreement
    that "% of ZL" depends on, free of the between-blot level differences."""
    la = pd.Series(np.log(np.asarray(a, dtype=float)), index=wb.index)
    lb = pd.Series(np.log(np.asarray(b, dtype=float)), index=wb.index)
    la = la - la.groupby(wb["sheet"]).transform("mean")
    lb = lb - lb.groupby(wb["sheet"]).transform("mean")
    return float(np.corrcoef(la, lb)[0, 1])


def _zdf_over_zl(wb, column):
    """Per blot (sheet): mean ZDF ratio / mean ZL ratio."""
    by_sheet = wb.groupby(["sheet", "group"])[column].mean().unstack("group")
    return by_sheet["ZDF"] / by_sheet["ZL"]


def test_workbook_arithmetic_is_reproduced(workbook):
    """normalize_bands on the workbook's own IDVs gives Excel's B1AR/GAPDH column exactly."""
    for sheet, d in workbook.groupby("sheet"):
        bands = pd.concat(
            [
                d.assign(band="B1AR", volume=d["idv_target"]),
                d.assign(band="GAPDH", volume=d["idv_gapdh"]),
            ]
        )[["sample", "group", "band", "volume"]]
        ratios, dropped = normalize_bands(bands, loading_control="GAPDH", control_group="ZL")
        assert dropped.empty
        got = ratios.set_index("sample")["ratio"].loc[d["sample"]].to_numpy()
        np.testing.assert_allclose(got, d["ratio"].to_numpy(), rtol=1e-6, err_msg=sheet)


def test_no_saturation_in_the_real_blots(measured):
    assert measured["saturated_px"].eq(0).all()


def test_ratios_correlate_with_hand_measured_workbook(workbook, measured):
    """ImageJ-style raw rectangles (``background="none"``) against the workbook's raw IDVs."""
    t, g = _ours(workbook, measured)
    ours = t / g
    r_ratio = np.corrcoef(ours, workbook["ratio"])[0, 1]
    r_target = np.corrcoef(t, workbook["idv_target"])[0, 1]
    r_gapdh = np.corrcoef(g, workbook["idv_gapdh"])[0, 1]
    # measured: r = 0.915 for the ratios (issue target 0.95, not reached), 0.889 for the
    # B1AR IDVs, 0.724 for the GAPDH IDVs. Other ImageJ-like rectangles were tried (lane
    # width 0.6-1.0 of the pitch; fixed 40-60 x 20-50 px rectangles centred on each band):
    # 0.92-0.94, none >= 0.95, so no mode was tuned to the workbook. Why: see the two
    # tests below (the workbook's IDVs are ~40 % background, in hand-drawn areas).
    assert r_ratio == pytest.approx(0.915, abs=0.01)
    assert r_target == pytest.approx(0.889, abs=0.01)
    assert r_gapdh == pytest.approx(0.724, abs=0.02)
    # most of that r is the blots' different levels (July 4 ratios ~1.5, the others ~3);
    # within blots the raw rectangles agree less (0.58) than the default method (0.70)
    assert _within_blot_r(workbook, ours, workbook["ratio"]) == pytest.approx(0.581, abs=0.02)
    # the lane mapping, checked by magnitude: same kind of measurement, similar box areas,
    # so our raw IDVs are 0.86-0.99 x the workbook's on the mapped lanes (median per blot);
    # May 30 on the bottom strip (its labels 10n-18n taken literally) would be ~2x
    q = pd.Series(t / workbook["idv_target"]).groupby(workbook["sheet"]).median()
    assert q.between(0.84, 1.01).all(), q
    may = workbook[workbook["sheet"] == "May 30"]
    vol = measured.set_index(["image", "lane"])["volume"]
    bottom = [vol[(im, ln + 9)] for im, ln in zip(may["image"], may["lane_target"], strict=True)]
    assert np.median(np.asarray(bottom) / may["idv_target"]) > 1.6
    # group ordering: over the four blots ZDF is below ZL, as in the workbook's compiled sheet
    wb = workbook.assign(ours=ours)
    pct = pd.DataFrame({c: _zdf_over_zl(wb, c) for c in ("ours", "ratio")})
    assert pct["ratio"].mean() == pytest.approx(0.9759, abs=1e-3)  # "Compiled": 97.59 %
    assert pct["ours"].mean() == pytest.approx(0.851, abs=0.01)
    # per blot the raw workbook has ZDF above ZL on July 23 top (103.7 %), we do not
    assert pct.loc["July 23 top", "ratio"] == pytest.approx(1.0374, abs=1e-3)
    assert (pct["ours"] < 1).all()


def test_workbook_idvs_carry_background_times_hand_drawn_area(workbook, measured_bg):
    """What the workbook measured: IDV = AREA x AVG of a hand-drawn box, background included.

    The loading-control IDVs follow the box size more than the band: within a blot the
    variance of log IDV is about the variance of log AREA, and on May 30 IDV and AREA
    correlate at r = 0.99. Our local background (rolling ball, per pixel under each band)
    times the workbook's AREA is ~40 % of the workbook's IDVs for both proteins.
    """
    wb = workbook
    # IDV is AREA x AVG (the mean pixel value in the box), with BACK = 0 throughout
    for kind in ("target", "gapdh"):
        prod = wb[f"area_{kind}"] * wb[f"avg_{kind}"]
        np.testing.assert_allclose(wb[f"idv_{kind}"], prod, rtol=1e-3)
    assert wb["back"].eq(0).all()
    log = np.log(wb[["idv_gapdh", "area_gapdh"]])
    within = log - log.groupby(wb["sheet"]).transform("mean")
    var_idv, var_area = within.var()
    assert var_area / var_idv == pytest.approx(0.88, abs=0.05)  # measured 0.0113 / 0.0128
    may = wb[wb["sheet"] == "May 30"]
    assert np.corrcoef(may["idv_gapdh"], may["area_gapdh"])[0, 1] > 0.98
    bt, bg = _ours(wb, measured_bg, "bg_per_px")
    frac_t = float(np.mean(wb["area_target"] * bt / wb["idv_target"]))
    frac_g = float(np.mean(wb["area_gapdh"] * bg / wb["idv_gapdh"]))
    assert frac_t == pytest.approx(0.42, abs=0.02)
    assert frac_g == pytest.approx(0.39, abs=0.02)


def test_background_subtracted_ratios_match_background_corrected_workbook(workbook, measured_bg):
    """The default method against the workbook with its background taken out.

    Workbook IDV - AREA x (our background per pixel under that band) removes the part of
    the hand measurement that depends on the box size. Against that, our default
    (rolling-ball) ratios correlate at r = 0.90 (GAPDH volumes r = 0.91, up from 0.72),
    and ZDF is below ZL on every blot in both, July 23 top included.
    """
    wb = workbook
    t, g = _ours(wb, measured_bg)
    bt, bg = _ours(wb, measured_bg, "bg_per_px")
    corr_t = wb["idv_target"] - wb["area_target"] * bt
    corr_g = wb["idv_gapdh"] - wb["area_gapdh"] * bg
    r_ratio = np.corrcoef(t / g, corr_t / corr_g)[0, 1]
    r_gapdh = np.corrcoef(g, corr_g)[0, 1]
    r_raw = np.corrcoef(t / g, wb["ratio"])[0, 1]
    assert r_ratio == pytest.approx(0.900, abs=0.01)
    assert r_gapdh == pytest.approx(0.909, abs=0.01)
    assert r_raw == pytest.approx(0.749, abs=0.01)  # against the raw workbook ratios
    # within blots (each blot's mean removed): 0.88 against the corrected workbook, 0.70
    # against the raw one, where the raw rectangles reach only 0.58
    assert _within_blot_r(wb, t / g, corr_t / corr_g) == pytest.approx(0.880, abs=0.02)
    assert _within_blot_r(wb, t / g, wb["ratio"]) == pytest.approx(0.703, abs=0.02)
    both = wb.assign(ours=t / g, corrected=corr_t / corr_g)
    pct = pd.DataFrame({c: _zdf_over_zl(both, c) for c in ("ours", "corrected")})
    assert (pct < 1).all().all(), pct


def test_exposures_are_read_from_the_imager_sidecar(folder):
    assert read_exposure(folder / "May30.2013_B1AR_10wtop_16wbottom.tif.gz") == 240000.0
    assert read_exposure(folder / "July4_B1AR_10wtop_16wbottom_GAPDH.tif.gz") == 30000.0
    assert read_exposure(folder / "July23.2013_B1AR_10wtop_10wbottom_GAPDH.tif.gz") is None


def test_no_background_mode_is_imagej_raw_integrated_density(folder, measured):
    """``background="none"``: each volume is the plain pixel sum of the band's rectangle,
    as ImageJ's *Measure* reports it (RawIntDen), the mode to compare with old raw
    measurements such as this workbook's."""
    assert measured["background"].eq(0).all()
    for stem, rows in measured.groupby("image"):
        px = read_blot_image(folder / f"{stem}.tif.gz").pixels.astype(np.float64)
        for r in rows.itertuples():
            raw = px[r.y_top : r.y_bottom + 1, r.x_left : r.x_right + 1].sum()
            assert r.volume == pytest.approx(raw, rel=1e-9), (stem, r.lane)


# ---------------------------------------------------------------- inside a study
def _study(tmp_path, files, blots, **opts):
    raw = {
        "title": "tables",
        "groups": [{"id": "zl", "label": "ZL", "role": "control"}, {"id": "zdf", "label": "ZDF"}],
        "replicates": 3,
        "assays": [
            {
                "id": "western",
                "kind": "western",
                "files": [str(f) for f in files],
                "options": {"blots": blots, **opts},
            }
        ],
    }
    return parse_study(raw, path=tmp_path / "study.yaml")


def test_workbook_idvs_as_a_plain_table_give_excels_ratios(shared_data, tmp_path):
    """The lab's hand-measured IDVs, run as a band table, reproduce the workbook's ratios."""
    pytest.importorskip("xlrd", reason="reading the .xls workbook needs xlrd")
    x = pd.read_excel(
        shared_data / "western_blot/B1AR_ZL_vs_ZDF/B1AR_10week.xls",
        sheet_name="July 4",
        header=None,
    )
    lab = x[x[0].isin(["ZL", "ZDF"])]
    target, gapdh = lab.iloc[:6], lab.iloc[6:12]
    samples = [f"{g.lower()}_{i % 3 + 1}" for i, g in enumerate(target[0])]
    table = pd.concat(
        [
            pd.DataFrame({"sample": samples, "target": "B1AR", "volume": target[2].astype(float)}),
            pd.DataFrame({"sample": samples, "target": "GAPDH", "volume": gapdh[2].astype(float)}),
        ]
    )
    path = tmp_path / "july4.csv"
    table.to_csv(path, index=False)
    _, results = analyse(_study(tmp_path, [path], [{"file": "july4.csv"}]))
    res = results["western"]
    got = res.ratios.set_index("sample").loc[samples, "ratio"].to_numpy()
    assert got == pytest.approx(target[7].astype(float).to_numpy(), rel=1e-6)
    zdf = res.ratios.loc[res.ratios["group"] == "zdf", "relative"].mean() * 100
    assert zdf == pytest.approx(float(target.iloc[5, 10]), rel=1e-6)  # Excel: 90.862278 %


def _real_study(folder, tmp_path, **over):
    lanes = ["zl_1", "zl_2", "zl_3", "-", "-", "-", "zdf_1", "zdf_2", "zdf_3", "-"]
    files = [
        str(folder / "July4_B1AR_10wtop_16wbottom.tif.gz"),
        str(folder / "July4_B1AR_10wtop_16wbottom_GAPDH.tif.gz"),
    ]
    options = {
        "blots": [
            {
                "file": "July4_B1AR_10wtop_16wbottom.tif.gz",
                "lanes": lanes,
                "box": [240, 105, 795, 200],
                "bands": ["B1AR"],
            },
            {
                "file": "July4_B1AR_10wtop_16wbottom_GAPDH.tif.gz",
                "lanes": lanes,
                "box": [210, 85, 770, 185],
                "bands": ["GAPDH"],
            },
        ],
        "background": "none",
        **over,
    }
    raw = {
        "title": "B1AR",
        "groups": [{"id": "zl", "label": "ZL", "role": "control"}, {"id": "zdf", "label": "ZDF"}],
        "replicates": 3,
        "assays": [{"id": "western", "kind": "western", "files": files, "options": options}],
    }
    return parse_study(raw, path=tmp_path / "study.yaml")


def test_real_blots_warn_about_different_exposures(shared_data, tmp_path):
    folder = shared_data / "western_blot" / "B1AR_ZL_vs_ZDF"
    _, results = analyse(_real_study(folder, tmp_path))
    res = results["western"]
    assert len(res.ratios) == 6
    assert any("B1AR" in w and "(120000 vs 30000)" in w for w in res.qc)
    _, results = analyse(_real_study(folder, tmp_path, exposure_corrected=True))
    assert not any("exposure" in w for w in results["western"].qc)


def test_run_errors_name_the_place(shared_data, tmp_path):
    folder = shared_data / "western_blot" / "B1AR_ZL_vs_ZDF"
    study = _real_study(folder, tmp_path)
    bad = study.model_copy(deep=True)
    opts = bad.assays[0].options
    opts["blots"][0]["lanes"][3] = "nobody"
    with pytest.raises(InputFormatError, match=r"options\.blots\[0\]\.lanes\[3\]: lane 4 names"):
        analyse(bad)
    one = _real_study(folder, tmp_path).model_copy(deep=True)
    del one.assays[0].options["blots"][1]
    with pytest.raises(
        DesignError, match=r"\['July4_B1AR_10wtop_16wbottom_GAPDH\.tif\.gz'\] are listed"
    ):
        analyse(one)
    study2 = _real_study(folder, tmp_path, loading_control="ACTB")
    with pytest.raises(DesignError, match=r"loading control 'ACTB' is not among the bands"):
        analyse(study2)
