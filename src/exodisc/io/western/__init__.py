"""Western blot readers: blot images and band tables (ImageJ, Image Lab, plain)."""

from exodisc.io.western._image import BlotImage, read_blot_image, read_exposure
from exodisc.io.western._tables import TABLE_SUFFIXES, BandTable, read_band_table

__all__ = [
    "TABLE_SUFFIXES",
    "BandTable",
    "BlotImage",
    "read_band_table",
    "read_blot_image",
    "read_exposure",
]
