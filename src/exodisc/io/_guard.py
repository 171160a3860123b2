"""Checks shared by readers: sizes read from headers before any memory is spent."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from exodisc.config import get_limits, limit_hint
from exodisc.errors import InputFormatError

__all__ = [
    "as_input_error",
    "check_image_pixels",
    "decompress_gzip",
    "image_header_pixels",
    "png_size",
    "reading",
]


def png_size(raw: bytes) -> tuple[int, int] | None:
    r"""(height, width) from a PNG's IHDR chunk, or None when ``raw`` is not a PNG.

    Examples
    --------
    >>> import struct
    >>> ihdr = struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", 640, 480)
    >>> png_size(b"\x89PNG\r\n\x1a\n" + ihdr + b"\x08\x00\x00\x00\x00")
    (480, 640)
    >>> png_size(b"GIF89a") is None
    True
    """
    import struct

    if len(raw) < 24 or raw[:8] != b"\x89PNG\r\n\x1a\n" or raw[12:16] != b"IHDR":
        return None
    w, h = struct.unpack(">II", raw[16:24])
    return int(h), int(w)


def check_image_pixels(shape: tuple[int, ...], path: Path) -> None:
    """Refuse an image larger than the ``image_pixels`` limit (from its header's shape).

    Examples
    --------
    >>> from pathlib import Path
    >>> check_image_pixels((2048, 2048), Path("blot.tif"))  # within the limit: no error
    >>> check_image_pixels((40000, 40000), Path("blot.tif"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    exodisc.errors.InputFormatError: blot.tif: the image is 40,000 x 40,000 pixels ...
    """
    dims = [int(d) for d in shape if int(d) > 4] or [int(d) for d in shape]
    n = math.prod(dims)
    limit = get_limits().image_pixels
    if n > limit:
        size = " x ".join(f"{d:,}" for d in shape)
        hint = limit_hint("image_pixels")
        msg = f"the image is {size} pixels ({n:,}), larger than expected; {hint}"
        raise InputFormatError(msg, path=path)


def image_header_pixels(path: Path) -> None:
    """Read the width and height of a PNG/JPEG/TIFF from its header and check the limit.

    Examples
    --------
    >>> from pathlib import Path
    >>> image_header_pixels(Path("blot.tif"))  # doctest: +SKIP
    """
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
    r"""Decompress gzip data, refusing output beyond ``max_bytes`` (a "zip bomb").

    Examples
    --------
    >>> import gzip
    >>> from pathlib import Path
    >>> decompress_gzip(gzip.compress(b"Ct\n20.1\n"), Path("wells.csv.gz"))
    b'Ct\n20.1\n'
    """
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
        raise InputFormatError(
            "the gzip file is truncated (it ends before the end of its data)", path=path
        )
    return out


def _parser_error(exc: Exception, path: Path) -> InputFormatError:
    import re

    text = str(exc)
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if m:
        msg = (
            f"line {m[2]} has {m[3]} fields, expected {m[1]} like the lines before it "
            "(a ragged table: a missing or extra separator)"
        )
        return InputFormatError(msg, path=path, where=f"line {m[2]}")
    if "field larger than field limit" in text:
        msg = "a line is longer than the CSV field limit (a damaged file or a missing line break)"
        return InputFormatError(msg, path=path)
    return InputFormatError(f"not a readable table ({text.strip()})", path=path)


def as_input_error(exc: BaseException, path: Path) -> InputFormatError | None:
    r"""The clean error for a low-level failure while reading ``path`` (None if not one).

    Examples
    --------
    >>> from pathlib import Path
    >>> exc = UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")
    >>> print(as_input_error(exc, Path("plate.csv")))  # doctest: +ELLIPSIS
    plate.csv: not UTF-8 text (byte 0xff at offset 0, ...
    >>> as_input_error(ValueError("a bug"), Path("plate.csv")) is None
    True
    """
    import csv
    import gzip
    import zlib

    import pandas as pd

    if isinstance(exc, InputFormatError):
        return exc
    if isinstance(exc, IsADirectoryError):
        return InputFormatError("is a folder; expected a file", path=path)
    if isinstance(exc, FileNotFoundError):
        return InputFormatError("file not found", path=path)
    if isinstance(exc, PermissionError):
        return InputFormatError("no permission to read the file", path=path)
    if isinstance(exc, pd.errors.EmptyDataError):
        return InputFormatError("the file is empty (expected a header line and rows)", path=path)
    if isinstance(exc, pd.errors.ParserError | csv.Error):
        return _parser_error(exc, path)
    if isinstance(exc, UnicodeDecodeError):
        byte = exc.object[exc.start : exc.start + 1].hex()
        msg = (
            f"not UTF-8 text (byte 0x{byte} at offset {exc.start}, e.g. a Latin-1 / Windows "
            "export); save the file as UTF-8 (Excel: 'CSV UTF-8')"
        )
        return InputFormatError(msg, path=path)
    if isinstance(exc, EOFError | zlib.error | gzip.BadGzipFile):
        return InputFormatError(f"the compressed file is truncated or corrupt ({exc})", path=path)
    return None


@contextmanager
def reading(path: str | Path) -> Iterator[None]:
    """Turn low-level read failures inside the block into an InputFormatError naming ``path``.

    Examples
    --------
    >>> with reading("plate.csv"):  # doctest: +ELLIPSIS
    ...     raise FileNotFoundError("plate.csv")
    Traceback (most recent call last):
    ...
    exodisc.errors.InputFormatError: plate.csv: file not found
    """
    try:
        yield
    except Exception as exc:
        err = as_input_error(exc, Path(path))
        if err is None or err is exc:
            raise
        raise err from None
