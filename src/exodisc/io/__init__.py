"""Readers only: file -> tidy DataFrame; one module per instrument export.

The input guards every reader shares (limits checked before decoding, errors that name the
file) are exported here.
"""

from exodisc.io._guard import (
    as_input_error,
    check_image_pixels,
    decompress_gzip,
    image_header_pixels,
    missing_file,
    png_size,
    reading,
)

__all__ = [
    "as_input_error",
    "check_image_pixels",
    "decompress_gzip",
    "image_header_pixels",
    "missing_file",
    "png_size",
    "reading",
]
