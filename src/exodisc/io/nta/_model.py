"""The tidy result of reading one nanoparticle-tracking export."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = ["VIDEO_COLUMNS", "NtaMeasurement"]

VIDEO_COLUMNS = [
    "video",
    "concentration_per_ml",
    "mean_nm",
    "mode_nm",
    "sd_nm",
    "d10_nm",
    "d50_nm",
    "d90_nm",
    "valid_tracks",
]


@dataclass(frozen=True)
class NtaMeasurement:
    """One NTA export as parsed (no computation beyond parsing).

    Attributes
    ----------
    path
        The file read.
    instrument
        ``"NanoSight"`` or ``"ZetaView"``.
    software
        Software name and version as written in the file.
    sample
        Sample name from the file (NanoSight experiment name without its time stamp;
        ZetaView ``Sample:``).
    recorded_dilution
        Dilution factor the software recorded (None where "Not recorded"). NanoSight
        concentrations are already multiplied by it; ZetaView's ``Conc. (p./mL)`` is not.
    videos
        One row per video (NanoSight) or camera position (ZetaView), columns
        :data:`VIDEO_COLUMNS`; the software's own values, NaN where the software gives none.
    software_summary
        The software's own averages (NanoSight ``Average`` / ``Standard Error`` columns;
        ZetaView ``Median Number (D50)`` and the 11-position mean), keyed by quantity.
    distribution
        Binned number-weighted size distribution: ``bin_nm`` (bin centre), ``bin_width_nm``
        and one column per video ``v1``, ``v2`` … (particles/mL, as measured).
    warnings
        Quality warnings: the software's own (not "OK") and failed acquisitions.
    failed
        True when no particle was tracked at all (nothing can be summarised).
    """

    path: Path
    instrument: str
    software: str
    sample: str
    recorded_dilution: float | None
    videos: pd.DataFrame
    software_summary: dict[str, float]
    distribution: pd.DataFrame
    warnings: tuple[str, ...] = ()
    failed: bool = False
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def video_columns(self) -> list[str]:
        """Names of the per-video distribution columns."""
        return [c for c in self.distribution.columns if c.startswith("v")]
