"""qPCR relative quantification: 2^-ΔΔCt, Pfaffl, standard curves, reference-gene stability."""

from exodisc.assays.qpcr._agreement import RnaseqAgreement, rnaseq_agreement
from exodisc.assays.qpcr._confidence import (
    VENDOR_DEFAULT_CONFIDENCE,
    ConfidenceChoice,
    recover_confidence,
    resolve_confidence,
)
from exodisc.assays.qpcr._crossrun import add_qpcr_rnaseq_agreement
from exodisc.assays.qpcr._groups import GroupFoldChanges, group_fold_changes
from exodisc.assays.qpcr._normfinder import NormFinderResult, normfinder
from exodisc.assays.qpcr._relquant import (
    RelQuantResult,
    relative_quantification,
    summarize_replicates,
)
from exodisc.assays.qpcr._stability import genorm
from exodisc.assays.qpcr._stdcurve import standard_curves

__all__ = [
    "VENDOR_DEFAULT_CONFIDENCE",
    "ConfidenceChoice",
    "GroupFoldChanges",
    "NormFinderResult",
    "RelQuantResult",
    "RnaseqAgreement",
    "add_qpcr_rnaseq_agreement",
    "genorm",
    "group_fold_changes",
    "normfinder",
    "recover_confidence",
    "relative_quantification",
    "resolve_confidence",
    "rnaseq_agreement",
    "standard_curves",
    "summarize_replicates",
]
