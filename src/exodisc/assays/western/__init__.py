"""Western blot densitometry: band volumes from images or band tables, normalisation, QC."""

from exodisc.assays.western._densitometry import (
    BackgroundSpec,
    BlotResult,
    parse_background,
    quantify_blot,
)

__all__ = ["BackgroundSpec", "BlotResult", "parse_background", "quantify_blot"]
