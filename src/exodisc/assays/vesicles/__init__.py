"""Exosome / EV and stem-cell characterisation: NTA summaries, MISEV checklist, USC identity."""

from exodisc.assays.vesicles._nta import (
    CLI_COLUMNS,
    NtaSummary,
    binned_size_statistics,
    summarise_nta,
)

__all__ = ["CLI_COLUMNS", "NtaSummary", "binned_size_statistics", "summarise_nta"]
