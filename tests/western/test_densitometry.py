"""Band volumes on synthetic blots with known volumes (Gaussian bands, sloped background, noise)."""

from __future__ import annotations

import numpy as np
import pytest
import tifffile

from exodisc.assays.western import parse_background, quantify_blot
from exodisc.assays.western._simulate import simulate_blot
from exodisc.errors import InputFormatError
from exodisc.io.western import read_blot_image

NAMES = ["SOX-9", "Collagen II", "Aggrecan"]


def _volumes(result, names=NAMES):
    wide = result.table.pivot(index="lane", columns="band", values="volume")
    return wide[list(names)].to_numpy()


def _blot(tmp_path, seed=1, n_lanes=8, *, suffix=".tif", scale=1.0, **kw):
    rng = np.random.default_rng(seed)
    vol = rng.uniform(2e5, 1e6, size=(n_lanes, 3)) * scale
    sim = simulate_blot(vol, rng=rng, **kw)
    path = tmp_path / f"blot{suffix}"
    if suffix == ".png":
        from skimage import io as skio

        skio.imsave(path, sim.pixels, check_contrast=False)
    else:
        tifffile.imwrite(path, sim.pixels)
    return path, sim


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_lane_min_recovers_known_volumes_on_steep_slope(tmp_path, seed):
    path, sim = _blot(tmp_path, seed, slope=(2.0, 1.0), noise_sd=15.0, smile=2.0)
    res = quantify_blot(read_blot_image(path), 8, bands=NAMES, background="lane-min")
    err = _volumes(res) / sim.volumes - 1
    assert np.abs(err).max() < 0.02
    assert res.params["background"] == "lane-min"
    assert not res.inverted


@pytest.mark.parametrize(("seed", "slope"), [(1, (0.5, 0.3)), (2, (0.5, 0.3)), (3, (2.0, 1.0))])
def test_rolling_ball_recovers_known_volumes(tmp_path, seed, slope):
    path, sim = _blot(tmp_path, seed, slope=slope, noise_sd=15.0)
    res = quantify_blot(read_blot_image(path), 8, bands=NAMES, background="rolling-ball:30")
    err = _volumes(res) / sim.volumes - 1
    assert np.abs(err).max() < 0.02
    # the background under each band is the sloped plane integrated over the band box
    t = res.table
    yc = (t["y_top"] + t["y_bottom"]) / 2
    xc = (t["x_left"] + t["x_right"]) / 2
    area = (t["y_bottom"] - t["y_top"] + 1) * (t["x_right"] - t["x_left"] + 1)
    plane = (1500.0 + slope[0] * xc + slope[1] * yc) * area
    assert np.allclose(t["background"], plane, rtol=0.01)


def test_lanes_are_found_where_they_were_drawn(tmp_path):
    path, sim = _blot(tmp_path, 4, smile=0.0)
    res = quantify_blot(read_blot_image(path), 8, background="lane-min")
    assert np.abs(res.lanes["x_center"].to_numpy() - sim.lane_centres).max() < 1.5
    # without names, every band is found and named from the top
    assert list(res.table["band"].unique()) == ["band_1", "band_2", "band_3"]
    peaks = res.table.groupby("band")[["y_top", "y_bottom"]].mean().mean(axis=1)
    assert np.abs(peaks.to_numpy() - sim.band_rows).max() < 3


def test_blank_lane_keeps_the_grid(tmp_path):
    rng = np.random.default_rng(5)
    vol = rng.uniform(3e5, 8e5, size=(6, 2))
    vol[2] = 0.0  # an empty lane in the middle
    sim = simulate_blot(vol, rng=rng, slope=(0.5, 0.3))
    path = tmp_path / "b.tif"
    tifffile.imwrite(path, sim.pixels)
    res = quantify_blot(read_blot_image(path), 6, bands=["a", "b"], background="lane-min")
    assert np.abs(res.lanes["x_center"].to_numpy() - sim.lane_centres).max() < 1.5
    v = res.table.pivot(index="lane", columns="band", values="volume")[["a", "b"]].to_numpy()
    assert np.abs(v[2]).max() < 0.01 * vol.max()
    ok = np.arange(6) != 2
    assert np.abs(v[ok] / sim.volumes[ok] - 1).max() < 0.02


def test_dark_bands_8bit_png_are_inverted_automatically(tmp_path):
    film = {"bit_depth": 8, "base": 30.0, "slope": (0.05, 0.05), "noise_sd": 1.0}
    path, sim = _blot(tmp_path, 6, suffix=".png", scale=0.04, dark_bands=True, **film)
    img = read_blot_image(path)
    assert img.bit_depth == 8 and img.saturation == 255
    res = quantify_blot(img, 8, bands=NAMES, background="lane-min")
    assert res.inverted
    assert res.table["saturated_px"].eq(0).all()
    assert np.abs(_volumes(res) / sim.volumes - 1).max() < 0.02
    forced = quantify_blot(img, 8, bands=NAMES, background="lane-min", invert="yes")
    assert np.array_equal(forced.table["volume"], res.table["volume"])


def test_explicit_rows_box_and_median_box(tmp_path):
    path, sim = _blot(tmp_path, 7, slope=(0.0, 0.0), noise_sd=10.0)
    img = read_blot_image(path)
    rows = {name: (int(r - 12), int(r + 12)) for name, r in zip(NAMES, sim.band_rows, strict=True)}
    res = quantify_blot(
        img, 8, bands=rows, background="median-box:0,0,25,25", box=(0, 0, img.pixels.shape[1], 170)
    )
    tops = res.table.groupby("band")["y_top"].agg(["min", "max"])
    assert tops["min"].to_dict() == tops["max"].to_dict() == {k: v[0] for k, v in rows.items()}
    assert np.abs(_volumes(res) / sim.volumes - 1).max() < 0.02


def test_saturated_pixels_are_counted_and_flagged(tmp_path):
    rng = np.random.default_rng(8)
    vol = np.full((4, 1), 4e5)
    vol[1, 0] = 3e7  # far above the 16-bit range at its peak
    sim = simulate_blot(vol, rng=rng)
    path = tmp_path / "s.tif"
    tifffile.imwrite(path, sim.pixels)
    res = quantify_blot(read_blot_image(path), 4, bands=["GAPDH"], background="lane-min")
    sat = res.table.set_index("lane")["saturated_px"]
    assert sat[2] == int(np.count_nonzero(sim.pixels == 65535))
    assert sat[2] > 0 and sat.drop(2).eq(0).all()
    assert any("lane 2" in w and "saturated" in w for w in res.warnings)


def test_multipage_tiff_reads_the_requested_page(tmp_path):
    rng = np.random.default_rng(9)
    a = simulate_blot(np.full((3, 1), 3e5), rng=rng).pixels
    b = simulate_blot(np.full((3, 1), 6e5), rng=rng).pixels
    path = tmp_path / "stack.tif"
    tifffile.imwrite(path, np.stack([a, b]))
    img = read_blot_image(path, page=1)
    assert img.n_pages == 2 and np.array_equal(img.pixels, b)
    with pytest.raises(InputFormatError, match=r"page 2 requested but the TIFF has 2 page"):
        read_blot_image(path, page=2)


def test_gzipped_tiff_and_inputs_untouched(tmp_path):
    import gzip

    path, _ = _blot(tmp_path, 10)
    gz = tmp_path / "blot.tif.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    before = gz.read_bytes()
    img = read_blot_image(gz)
    assert np.array_equal(img.pixels, read_blot_image(path).pixels)
    assert not img.pixels.flags.writeable
    quantify_blot(img, 8, bands=NAMES)
    assert gz.read_bytes() == before


def test_parse_background():
    assert parse_background("rolling-ball:25").radius == 25
    assert parse_background("lane-min").method == "lane-min"
    assert parse_background("median-box:1,2,3,4").box == (1, 2, 3, 4)
    with pytest.raises(ValueError, match=r"background 'ball:3' not understood"):
        parse_background("ball:3")
    with pytest.raises(ValueError, match=r"rolling-ball radius must be > 0"):
        parse_background("rolling-ball:0")
    with pytest.raises(ValueError, match=r"box '1,2' must be four integers"):
        parse_background("median-box:1,2")


def test_bad_inputs_name_file_and_place(tmp_path):
    path, _ = _blot(tmp_path, 11)
    img = read_blot_image(path)
    with pytest.raises(InputFormatError, match=r"blot\.tif: box: box \(x0=0, y0=0, x1=9999"):
        quantify_blot(img, 8, box=(0, 0, 9999, 50))
    with pytest.raises(InputFormatError, match=r"2 band\(s\) found but 3 named"):
        quantify_blot(img, 8, bands=["a", "b", "c"], box=(0, 0, img.pixels.shape[1], 110))
    with pytest.raises(InputFormatError, match=r"band 'x' rows \(5, 999\) are outside"):
        quantify_blot(img, 8, bands={"x": (5, 999)})
    with pytest.raises(InputFormatError, match=r"background: background 'fuzzy' not understood"):
        quantify_blot(img, 8, background="fuzzy")
    bad = tmp_path / "blot.bmp"
    bad.write_bytes(b"BM")
    with pytest.raises(InputFormatError, match=r"blot\.bmp: unsupported image type '\.bmp'"):
        read_blot_image(bad)
    broken = tmp_path / "broken.tif"
    broken.write_bytes(b"II*\x00garbage")
    with pytest.raises(InputFormatError, match=r"broken\.tif: not a readable TIFF"):
        read_blot_image(broken)
    with pytest.raises(InputFormatError, match=r"missing\.tif: blot image not found"):
        read_blot_image(tmp_path / "missing.tif")


def test_colour_image_is_refused(tmp_path):
    from skimage import io as skio

    rgb = np.zeros((40, 40, 3), dtype=np.uint8)
    rgb[..., 0] = 200
    path = tmp_path / "colour.png"
    skio.imsave(path, rgb, check_contrast=False)
    with pytest.raises(InputFormatError, match=r"colour image with different R, G and B"):
        read_blot_image(path)
    grey_rgb = np.repeat(np.arange(1600, dtype=np.uint8).reshape(40, 40)[..., None], 3, axis=2)
    p2 = tmp_path / "grey.png"
    skio.imsave(p2, grey_rgb, check_contrast=False)
    assert read_blot_image(p2).pixels.ndim == 2


def test_lane_cut_by_the_box_edge_is_flagged(tmp_path):
    path, sim = _blot(tmp_path, 12)
    img = read_blot_image(path)
    x_cut = int(sim.lane_centres[0] - 5)  # the box starts inside lane 1
    res = quantify_blot(img, 8, box=(x_cut, 0, img.pixels.shape[1], img.pixels.shape[0]))
    assert any(w.startswith("lane 1 is cut by the box edge") for w in res.warnings)
    whole = quantify_blot(img, 8)
    assert not any("cut by the box edge" in w for w in whole.warnings)


@pytest.mark.parametrize("background", ["lane-min", "rolling-ball:30"])
def test_tilted_blot_is_followed_lane_by_lane(tmp_path, background):
    path, sim = _blot(tmp_path, 13, slope=(0.5, 0.3), tilt=3.0, band_rows=[50, 100, 150])
    res = quantify_blot(read_blot_image(path), 8, bands=NAMES, background=background)
    assert np.abs(_volumes(res) / sim.volumes - 1).max() < 0.02
    tops = res.table.pivot(index="lane", columns="band", values="y_top")["SOX-9"].to_numpy()
    assert np.allclose(np.diff(tops), 3.0, atol=1.01)  # windows move 3 px per lane
    assert res.params["tilt_deg"] == pytest.approx(np.degrees(np.arctan(3.0 / 48.0)), abs=0.3)
    flat = quantify_blot(read_blot_image(path), 8, bands=NAMES, background=background, track=False)
    # without tracking one window must span the whole tilt: taller, more background inside
    height = (res.table["y_bottom"] - res.table["y_top"]).mean()
    assert (flat.table["y_bottom"] - flat.table["y_top"]).mean() > height + 10


def test_declared_lane_centres(tmp_path):
    path, sim = _blot(tmp_path, 14)
    img = read_blot_image(path)
    res = quantify_blot(img, 8, bands=NAMES, lane_centres=list(sim.lane_centres), lane_width=0.7)
    assert np.array_equal(res.lanes["x_center"], sim.lane_centres)
    assert (res.table["x_right"] - res.table["x_left"] + 1).eq(34).all()  # 0.7 x 48 px
    assert np.abs(_volumes(res) / sim.volumes - 1).max() < 0.02
    with pytest.raises(InputFormatError, match=r"lane_centres: 2 lane centres given for 8 lanes"):
        quantify_blot(img, 8, lane_centres=[10.0, 20.0])


def test_noise_sd_and_lane_min_background_against_the_truth(tmp_path):
    """Lane-profile noise SD is sigma x sqrt(lane width); the baseline integrates the plane."""
    rng = np.random.default_rng(15)
    vol = rng.uniform(3e5, 8e5, size=(8, 3))
    sim = simulate_blot(vol, rng=rng, slope=(1.0, 0.6), noise_sd=20.0)
    path = tmp_path / "n.tif"
    tifffile.imwrite(path, sim.pixels)
    res = quantify_blot(read_blot_image(path), 8, bands=NAMES, background="lane-min")
    t = res.table
    width = t["x_right"] - t["x_left"] + 1
    expected = 20.0 * np.sqrt(width)
    assert np.allclose(t["noise_sd"], expected, rtol=0.25)
    assert abs(np.median(t["noise_sd"] / expected) - 1) < 0.1
    rows = t["y_bottom"] - t["y_top"] + 1
    yc = (t["y_top"] + t["y_bottom"]) / 2
    xc = (t["x_left"] + t["x_right"]) / 2
    plane = (1500.0 + 1.0 * xc + 0.6 * yc) * rows * width
    assert np.allclose(t["background"], plane, rtol=0.005)
