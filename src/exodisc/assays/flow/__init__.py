"""Flow cytometry: annexin V/PI apoptosis, surface-marker panels and the ISCT identity check."""

from exodisc.assays.flow._apoptosis import (
    APOPTOSIS_COLUMNS,
    ApoptosisResult,
    analyse_apoptosis,
    control_thresholds,
    quadrant_percentages,
)
from exodisc.assays.flow._isct import ISCT_MARKERS, IsctResult, isct_check
from exodisc.assays.flow._markers import (
    MARKER_COLUMNS,
    MarkerResult,
    analyse_markers,
    marker_name,
    overton_positive,
)
from exodisc.assays.flow._prepare import (
    DebrisGate,
    GateResult,
    Pregate,
    SingletGate,
    WorkspaceGate,
    apply_gates,
    compensate,
    display_transform,
    prepare_events,
    spill_from_controls,
    spill_from_files,
)

__all__ = [
    "APOPTOSIS_COLUMNS",
    "ISCT_MARKERS",
    "MARKER_COLUMNS",
    "ApoptosisResult",
    "DebrisGate",
    "GateResult",
    "IsctResult",
    "MarkerResult",
    "Pregate",
    "SingletGate",
    "WorkspaceGate",
    "analyse_apoptosis",
    "analyse_markers",
    "apply_gates",
    "compensate",
    "control_thresholds",
    "display_transform",
    "isct_check",
    "marker_name",
    "overton_positive",
    "prepare_events",
    "quadrant_percentages",
    "spill_from_controls",
    "spill_from_files",
]
