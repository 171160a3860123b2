"""What ``exodisc run`` of a differential-expression assay would refuse, before any fit.

``exodisc validate`` (and ``exodisc run`` before any analysis) runs these: the count
matrix's sample columns against the study's samples, the option files (tx2gene, annotation,
covariates) and the covariates' rows, and that something is tested.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from exodisc.registry import register_check

if TYPE_CHECKING:
    from exodisc.config import Study

__all__ = ["check_rna_counts", "unknown_columns_message"]


def unknown_columns_message(path: Path | str, unknown: list[str]) -> str:
    """The run's words for count-matrix columns that are no sample of the study."""
    return (
        f"{path}: column(s) {', '.join(unknown)} match no sample of the study "
        "(add them as samples or aliases)"
    )


def check_rna_counts(study: Study, assay: Any, opts: Any) -> list[tuple[str, str]]:
    """Count columns vs samples, option files, covariates rows, something to test."""
    from exodisc.errors import ExodiscError
    from exodisc.omics.de import load_counts, read_sample_sheet

    out: list[tuple[str, str]] = []
    for key in ("tx2gene", "annotation", "covariates"):
        value = getattr(opts, key)
        if value and not study.resolve(value).is_file():
            out.append((f"options.{key}", f"file not found: {study.resolve(value)}"))
    files = [study.resolve(f) for f in assay.files]
    if not files:
        if not any(a.kind == "reads" for a in study.assays):
            msg = (
                f"assay {assay.id!r}: 'files' lists no count matrix / per-sample outputs "
                "(and no 'reads' assay ran before it)"
            )
            out.append(("files", msg))
        return out
    if out or not all(f.is_file() for f in files):
        return out  # a missing file is named already
    try:
        counts = load_counts(
            files,
            format=opts.format,
            tx2gene=study.resolve(opts.tx2gene) if opts.tx2gene else None,
            counts_from_abundance=opts.counts_from_abundance,
        )
    except ExodiscError as exc:
        return [("files", str(exc))]
    samples = []
    unknown = []
    for col in counts.columns:
        s = study.sample_for(str(col))
        if s is None:
            unknown.append(str(col))
        else:
            samples.append(s)
    if unknown:
        out.append(("files", unknown_columns_message(files[0], unknown)))
    if opts.covariates:
        path = study.resolve(opts.covariates)
        try:
            cov = read_sample_sheet(path)
        except ExodiscError as exc:
            out.append(("options.covariates", str(exc)))
        else:
            lacking = [s.id for s in samples if s.id not in cov.index]
            if lacking:
                out.append(
                    ("options.covariates", f"{path}: no row for sample(s) {', '.join(lacking)}")
                )
            clash = [c for c in cov.columns if c in ("group", "donor")]
            if clash:
                msg = f"{path}: column(s) {', '.join(clash)} clash with the study's own"
                out.append(("options.covariates", msg))
    groups_present = [g for g in study.group_ids if g in {s.group for s in samples}]
    uses_group = True
    if opts.design:
        from exodisc.omics.de._design import parse_formula

        try:
            uses_group = "group" in parse_formula(opts.design)
        except ExodiscError as exc:
            out.append(("options.design", str(exc)))
            return out
    if (
        samples
        and not opts.coefficients
        and (not uses_group or not study.comparisons_or_all_pairs(groups_present))
    ):
        msg = (
            f"assay {assay.id!r}: nothing to test (no comparison among groups "
            f"{', '.join(groups_present)} and no 'coefficients')"
        )
        out.append(("options", msg))
    return out


def _register() -> None:
    from exodisc.omics.de._run import RNA_CLASSES

    for kind in RNA_CLASSES:
        register_check(kind)(check_rna_counts)


_register()
