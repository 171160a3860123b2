"""Checks shared by readers: sizes read from headers before any memory is spent."""

from __future__ import annotations

import math
from pathlib import Path

from exodisc.config._limits import get_limits, limit_hint
from exodisc.errors import InputFormatError

__all__ = ["check_image_pixels", "decompress_gzip", "image_header_pixels", "png_size"]


def png_size(raw: bytes) -> tuple[int, int] | None:
    """(height, width) from a PNG's IHDR chunk, or None when ``raw`` is not a PNG."""
    import struct

    if len(raw) < 24 or raw[:8] != b"\x89PNG\r\n\x1a\n" or raw[12:16] != b"IHDR":
        return None
    w, h = struct.unpack(">II", raw[16:24])
    return int(h), int(w)


def check_image_pixels(shape: tuple[int, ...], path: Path) -> None:
    """Refuse an image larger than the ``image_pixels`` limit (from its header's shape)."""
    dims = [int(d) for d in shape if int(d) > 4] or [int(d) for d in shape]
    n = math.prod(dims)
    limit = get_limits().image_pixels
    if n > limit:
        size = " x ".join(f"{d:,}" for d in shape)
        hint = limit_hint("image_pixels")
        msg = f"the image is {size} pixels ({n:,}), larger than expected; {hint}"
        raise InputFormatError(msg, path=path)


def image_header_pixels(path: Path) -> None:
    """Read the width and height of a PNG/JPEG/TIFF from its header and check the limit."""
    if path.suffix.lower() in {".tif", ".tiff"}:
        import tifffile

        try:
            with tifffile.TiffFile(path) as tif:
                shapes = [tuple(p.shape) for p in tif.pages]
        except Exception:
            return
        for s in shapes:
            check_image_pixels(s, path)
        return
    from PIL import Image

    try:
        with Image.open(path) as im:
            w, h = im.size
    except Image.DecompressionBombError:
        w, h = 10**9, 1
    except Exception:
        return
    check_image_pixels((h, w), path)


def decompress_gzip(raw: bytes, path: Path, *, max_bytes: int | None = None) -> bytes:
    """Decompress gzip data, refusing output beyond ``max_bytes`` (a "zip bomb")."""
    import zlib

    if max_bytes is None:
        max_bytes = get_limits().image_pixels * 8
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(raw, max_bytes + 1)
    except zlib.error as exc:
        raise InputFormatError(f"not a valid gzip file ({exc})", path=path) from None
    if len(out) > max_bytes:
        msg = (
            f"the gzip file expands to more than {max_bytes:,} bytes; "
            f"{limit_hint('image_pixels')} (8 bytes per pixel)"
        )
        raise InputFormatError(msg, path=path)
    if not d.eof:
        raise InputFormatError("not a valid gzip file (it ends too early)", path=path)
    return out
