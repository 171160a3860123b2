"""What ``exodisc run`` of a qPCR assay would refuse, found from its exports' wells.

``exodisc validate`` (and ``exodisc run`` before any analysis) runs these: sample names, the
reference gene(s), the calibrator group, the efficiency targets and standard curves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from exodisc.registry import register_check

if TYPE_CHECKING:
    from exodisc.config import Study

__all__ = ["calibrator_message", "check_qpcr", "missing_reference_message"]


def missing_reference_message(missing: list[str], targets: list[str]) -> str:
    """The words of :func:`exodisc.assays.qpcr.relative_quantification` for absent references."""
    return f"reference gene(s) {missing} not found; the targets are {targets}"


def calibrator_message(study: Study, group: str, present: set[str]) -> str:
    """The run's words for a calibrator group without samples in the exports."""
    msg = f"the calibrator group {group!r} has no samples in the qPCR exports"
    if group not in study.group_ids:
        return f"{msg}: it is not a group of the study (groups: {list(study.group_ids)})"
    in_exports = sorted({s.group for s in study.samples if s.id in present})
    return f"{msg} (groups with samples there: {in_exports}); set options.calibrator_group"


@register_check("qpcr")
def check_qpcr(study: Study, assay: Any, opts: Any) -> list[tuple[str, str]]:
    """Exports readable, sample names known, references / calibrator / efficiencies present."""
    from exodisc.assays.qpcr._run import load_wells
    from exodisc.core import map_samples
    from exodisc.errors import ExodiscError

    files = [study.resolve(f) for f in assay.files]
    if not files or not all(f.is_file() for f in files):
        return []  # the study-file check names a missing file
    try:
        wells, _ = load_wells(files, format=opts.format)
    except ExodiscError as exc:
        return [("files", str(exc))]
    out: list[tuple[str, str]] = []
    where = ", ".join(str(f) for f in files)
    unk = wells[(wells["task"] == "UNKNOWN") & (wells["sample"].astype(str).str.strip() != "")]
    names = sorted(set(unk["sample"].astype(str)))
    mapping: dict[str, str] = {}
    try:
        mapping = map_samples(names, study, path=files, what="sample name")
    except ExodiscError as exc:
        out.append(("files", str(exc)))
        mapping = {n: s.id for n in names if (s := study.sample_for(n)) is not None}
    targets = sorted(unk["target"].astype(str).unique())
    missing = [r for r in dict.fromkeys(opts.reference) if r not in targets]
    if missing:
        out.append(("options.reference", f"{where}: {missing_reference_message(missing, targets)}"))
    cal = opts.calibrator_group or next(
        (g.id for g in study.ordered_groups if g.role == "control"), study.group_ids[0]
    )
    present = set(mapping.values())
    if not any(s.group == cal and s.id in present for s in study.samples):
        key = "options.calibrator_group" if opts.calibrator_group else "options"
        out.append((key, f"{where}: {calibrator_message(study, cal, present)}"))
    if opts.efficiency == "standard_curve":
        if not (wells["task"] == "STANDARD").any():
            msg = "efficiency: standard_curve, but the exports hold no STANDARD wells"
            out.append(("options.efficiency", f"{where}: {msg}"))
    elif isinstance(opts.efficiency, dict):
        unknown = sorted(set(opts.efficiency) - set(targets))
        if unknown:
            msg = f"efficiency given for target(s) {unknown} that are not in the data ({targets})"
            out.append(("options.efficiency", f"{where}: {msg}"))
    return out
