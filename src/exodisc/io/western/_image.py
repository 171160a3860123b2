"""Blot images: 8- and 16-bit TIFF (also multi-page and gzipped) and PNG, read as they are."""

from __future__ import annotations

import configparser
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from exodisc.errors import InputFormatError
from exodisc.io._guard import check_image_pixels, decompress_gzip, png_size
from exodisc.io._registry import Format, register_format

__all__ = ["BlotImage", "read_blot_image", "read_exposure"]

_TIFF = (".tif", ".tiff")
_PNG = (".png",)


@dataclass(frozen=True)
class BlotImage:
    """One greyscale blot image exactly as the imager wrote it.

    Attributes
    ----------
    pixels
        2-D array of the raw values (read-only), rows top to bottom.
    path
        The file.
    sha256
        Checksum of the file's bytes (for provenance).
    bit_depth
        8 or 16 (bits per sample of the stored image).
    saturation
        The largest value the format can hold (255 or 65535): a pixel there is saturated.
    page
        Page of a multi-page TIFF that was read (0 for single images).
    n_pages
        Number of pages in the file.
    """

    pixels: np.ndarray
    path: Path
    sha256: str
    bit_depth: int
    saturation: float
    page: int = 0
    n_pages: int = 1


def _suffix(path: Path) -> tuple[str, bool]:
    name = path.name.lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    return Path(name).suffix, gz


def read_blot_image(path: str | Path, *, page: int = 0) -> BlotImage:
    """Read a blot image (TIFF, multi-page TIFF or PNG; ``.gz`` compressed too).

    Parameters
    ----------
    path
        ``.tif``/``.tiff``/``.png``, optionally gzipped (``.tif.gz``).
    page
        Page of a multi-page TIFF (0-based).

    Returns
    -------
    BlotImage
        The raw pixels (never rescaled) with their bit depth and saturation value.

    Notes
    -----
    ImageJ equivalent: *File > Open* (16-bit images keep their raw values). Colour images
    whose channels are equal (a greyscale image saved as RGB) are read as one channel; true
    colour images are refused, since densitometry needs one intensity per pixel.
    """
    p = Path(path)
    if not p.is_file():
        msg = "blot image not found; check the path in the study file or command line"
        raise InputFormatError(msg, path=p)
    raw = p.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    suffix, gz = _suffix(p)
    if gz:
        raw = decompress_gzip(raw, p)
    if suffix in _TIFF:
        arr, n_pages = _read_tiff(raw, p, page)
    elif suffix in _PNG:
        if page != 0:
            raise InputFormatError(f"page {page} requested but a PNG has one page", path=p)
        arr, n_pages = _read_png(raw, p), 1
    else:
        msg = f"unsupported image type {suffix!r}; expected .tif, .tiff or .png (or .gz of them)"
        raise InputFormatError(msg, path=p)
    arr = _to_grey(arr, p)
    if arr.dtype == np.uint8:
        bits = 8
    elif arr.dtype == np.uint16:
        bits = 16
    else:
        msg = f"pixel type {arr.dtype} is not supported; expected 8- or 16-bit unsigned integers"
        raise InputFormatError(msg, path=p)
    if min(arr.shape) < 8:
        raise InputFormatError(f"image of {arr.shape} pixels is too small for a blot", path=p)
    arr = np.array(arr, copy=True)
    arr.setflags(write=False)
    return BlotImage(arr, p, digest, bits, float(np.iinfo(arr.dtype).max), page, n_pages)


def _read_tiff(raw: bytes, path: Path, page: int) -> tuple[np.ndarray, int]:
    import tifffile

    try:
        with tifffile.TiffFile(io.BytesIO(raw)) as tif:
            n = len(tif.pages)
            if n == 0:
                raise InputFormatError("not a readable TIFF (no image page found)", path=path)
            if not 0 <= page < n:
                msg = f"page {page} requested but the TIFF has {n} page(s) (0-based)"
                raise InputFormatError(msg, path=path)
            check_image_pixels(tuple(tif.pages[page].shape), path)
            arr = tif.pages[page].asarray()
    except InputFormatError:
        raise
    except Exception as exc:  # tifffile raises several types on corrupt files
        raise InputFormatError(f"not a readable TIFF ({exc})", path=path) from None
    return np.asarray(arr), n


def _read_png(raw: bytes, path: Path) -> np.ndarray:
    from skimage import io as skio

    size = png_size(raw)
    if size is None:
        raise InputFormatError("not a readable PNG (no PNG header)", path=path)
    check_image_pixels(size, path)
    try:
        arr = skio.imread(io.BytesIO(raw))
    except Exception as exc:  # imageio raises several types on corrupt files
        raise InputFormatError(f"not a readable PNG ({exc})", path=path) from None
    return np.asarray(arr)


def _to_grey(arr: np.ndarray, path: Path) -> np.ndarray:
    if arr.ndim == 2:
        return arr
    if arr.ndim == 3 and arr.shape[-1] in (3, 4):
        rgb = arr[..., :3]
        if np.array_equal(rgb[..., 0], rgb[..., 1]) and np.array_equal(rgb[..., 0], rgb[..., 2]):
            return rgb[..., 0]
        msg = (
            "colour image with different R, G and B values; save the blot as a greyscale "
            "8- or 16-bit image (the imager's raw export) for densitometry"
        )
        raise InputFormatError(msg, path=path)
    raise InputFormatError(f"expected a 2-D greyscale image, got shape {arr.shape}", path=path)


def read_exposure(path: str | Path) -> float | None:
    """Exposure time recorded by the imager beside ``path``, in the imager's units, or None.

    Looks for an INI-style sidecar with the image's stem and ``.stp`` suffix (UVP/Alpha
    Innotech imagers) holding ``[CameraConfiguration] ExposeTime``.
    """
    p = Path(path)
    stem = p.name
    for ext in (".gz", ".tiff", ".tif", ".png"):
        if stem.lower().endswith(ext):
            stem = stem[: -len(ext)]
    side = p.with_name(stem + ".stp")
    if not side.is_file():
        return None
    parser = configparser.ConfigParser(strict=False)
    try:
        parser.read_string(side.read_text(errors="replace"))
        value = parser.get("CameraConfiguration", "ExposeTime", fallback=None)
    except configparser.Error as exc:
        raise InputFormatError(f"unreadable imager sidecar ({exc})", path=side) from None
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        msg = f"ExposeTime {value!r} is not a number"
        raise InputFormatError(msg, path=side, where="[CameraConfiguration]") from None


def _has_suffix(suffixes: tuple[str, ...]) -> Callable[[Path], bool]:
    return lambda path: _suffix(Path(path))[0].lower() in suffixes


register_format(
    Format("tiff", "TIFF blot image (multi-page, .gz too)", _has_suffix(_TIFF), read_blot_image,
           kind="western_image")
)  # fmt: skip
register_format(
    Format("png", "PNG blot image (.gz too)", _has_suffix(_PNG), read_blot_image,
           kind="western_image")
)  # fmt: skip
