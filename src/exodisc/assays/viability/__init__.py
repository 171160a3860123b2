"""Cell viability assays on plate-reader data (CCK-8 / WST-8 time courses)."""

from exodisc.assays.viability._cck8 import Cck8Result, analyse_cck8, robust_z
from exodisc.assays.viability._run import Cck8Options, analyse_study_cck8

__all__ = ["Cck8Options", "Cck8Result", "analyse_cck8", "analyse_study_cck8", "robust_z"]
