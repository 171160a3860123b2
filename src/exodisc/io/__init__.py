"""Readers only: file -> tidy DataFrame; one module per instrument export.

Every reader registers its formats in one registry (:func:`formats`, :func:`sniff_format`,
:func:`read_input`, by kind: plate, qpcr, nta, fcs, western_image, western_table).

The input guards every reader shares (limits checked before decoding, errors that name the
file) are exported here.
"""

from exodisc.io._guard import (
    as_input_error,
    check_image_pixels,
    decompress_gzip,
    image_header_pixels,
    png_size,
    reading,
)
from exodisc.io._registry import (
    Format,
    format_kinds,
    formats,
    read_input,
    register_format,
    sniff_format,
)

__all__ = [
    "Format",
    "as_input_error",
    "check_image_pixels",
    "decompress_gzip",
    "format_kinds",
    "formats",
    "image_header_pixels",
    "png_size",
    "read_input",
    "reading",
    "register_format",
    "sniff_format",
]
