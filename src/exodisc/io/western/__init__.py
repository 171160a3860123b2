"""Western blot readers: blot images and band tables (ImageJ, Image Lab, plain)."""

from exodisc.io.western._image import BlotImage, read_blot_image, read_exposure

__all__ = ["BlotImage", "read_blot_image", "read_exposure"]
