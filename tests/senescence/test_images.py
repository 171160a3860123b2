"""The image route, validated on generated images with known counts (no annotated real
X-gal images were available; see exodisc.assays.senescence._simulate)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from exodisc.assays.senescence import count_sabgal, overlay, read_image, simulate_sabgal_image
from exodisc.errors import InputFormatError


@pytest.mark.parametrize("seed", range(8))
def test_counts_equal_the_generated_truth(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 60))
    p = int(rng.integers(0, n + 1))
    img, n_true, p_true = simulate_sabgal_image(rng, n_cells=n, n_positive=p)
    c = count_sabgal(img / 255)
    assert (c.n_cells, c.n_positive) == (n_true, p_true)
    if p_true == 0:
        assert c.stained_area_fraction == 0
    assert c.pct_positive == pytest.approx(100 * p_true / n_true)


def test_stained_area_grows_with_positive_cells() -> None:
    fr = []
    for p in (0, 10, 20, 30):
        img, _, _ = simulate_sabgal_image(np.random.default_rng(1), n_cells=30, n_positive=p)
        fr.append(count_sabgal(img / 255).stained_area_fraction)
    assert fr == sorted(fr)
    assert fr[0] == 0 and fr[-1] > 0.4


def test_empty_field_and_overlay() -> None:
    c = count_sabgal(np.full((64, 64, 3), 0.9))
    assert (c.n_cells, c.n_positive) == (0, 0)
    assert np.isnan(c.pct_positive)
    img, _, _ = simulate_sabgal_image(np.random.default_rng(2), n_cells=5, n_positive=2)
    c = count_sabgal(img / 255)
    ov = overlay(img / 255, c)
    assert ov.shape == img.shape
    red = (ov[..., 0] > 0.85) & (ov[..., 1] < 0.05) & (ov[..., 2] < 0.05)
    assert red.any()  # positive cells are outlined in red
    with pytest.raises(ValueError, match=r"expected an RGB image \(H x W x 3\)"):
        count_sabgal(np.zeros((10, 10)))


def test_read_image_round_trip_and_errors(tmp_path: Path) -> None:
    from PIL import Image

    img, _, _ = simulate_sabgal_image(np.random.default_rng(3), n_cells=8, n_positive=3)
    Image.fromarray(img).save(tmp_path / "a.png")
    np.testing.assert_allclose(read_image(tmp_path / "a.png"), img / 255)
    import tifffile

    tifffile.imwrite(tmp_path / "a.tif", img)
    np.testing.assert_allclose(read_image(tmp_path / "a.tif"), img / 255)
    (tmp_path / "b.png").write_text("not an image")
    with pytest.raises(InputFormatError, match=r"b\.png: cannot read the image"):
        read_image(tmp_path / "b.png")
    Image.fromarray(img[..., 0]).save(tmp_path / "gray.tif")
    with pytest.raises(InputFormatError, match=r"gray\.tif: expected an RGB bright-field image"):
        read_image(tmp_path / "gray.tif")


@pytest.mark.parametrize("seed", range(4))
def test_touching_cells_are_split_by_watershed(seed: int) -> None:
    img, n, p = simulate_sabgal_image(
        np.random.default_rng(seed), n_cells=24, n_positive=8, touching=True
    )
    assert count_sabgal(img / 255).n_cells == n // 2  # pairs merge without splitting
    split = count_sabgal(img / 255, split_touching=True)
    assert abs(split.n_cells - n) <= 1
    assert split.n_positive == p


def test_watershed_leaves_separate_cells_alone() -> None:
    for seed in range(3):
        img, n, p = simulate_sabgal_image(
            np.random.default_rng(100 + seed), n_cells=40, n_positive=10
        )
        c = count_sabgal(img / 255, split_touching=True)
        assert (c.n_cells, c.n_positive) == (n, p)
