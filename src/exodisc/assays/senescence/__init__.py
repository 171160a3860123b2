"""SA-β-gal senescence: % positive cells from counts or from bright-field images."""

from exodisc.assays.senescence._counts import SenescenceResult, percent_positive, read_counts
from exodisc.assays.senescence._images import ImageCount, count_sabgal, overlay, read_image
from exodisc.assays.senescence._simulate import simulate_sabgal_image

__all__ = [
    "ImageCount",
    "SenescenceResult",
    "count_sabgal",
    "overlay",
    "percent_positive",
    "read_counts",
    "read_image",
    "simulate_sabgal_image",
]
