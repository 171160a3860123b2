"""FCS files and imported gating (FlowIO / FlowKit underneath)."""

from exodisc.io.fcs._gating import (
    apply_gatingml,
    apply_workspace,
    read_facsdiva_xml,
    read_workspace_populations,
)
from exodisc.io.fcs._read import (
    FcsData,
    parse_spillover,
    read_fcs,
    read_fcs_keywords,
    read_spill_matrix,
    sniff_fcs,
)

__all__ = [
    "FcsData",
    "apply_gatingml",
    "apply_workspace",
    "parse_spillover",
    "read_facsdiva_xml",
    "read_fcs",
    "read_fcs_keywords",
    "read_spill_matrix",
    "read_workspace_populations",
    "sniff_fcs",
]
