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

__all__ = ["check_rna_counts", "count_columns", "unknown_columns_message"]


def unknown_columns_message(path: Path | str, unknown: list[str]) -> str:
    """The run's words for count-matrix columns that are no sample of the study."""
    return (
        f"{path}: column(s) {', '.join(unknown)} match no sample of the study "
        "(add them as samples or aliases)"
    )


def count_columns(files: list[Path], opts: Any) -> list[str]:
    """The sample columns of the count input, as :func:`exodisc.omics.de.load_counts` names
    them: read from the header alone for a plain table or featureCounts output (a large
    matrix is not parsed), else by the reader."""
    from exodisc.omics.de import load_counts
    from exodisc.omics.de._io import _FC_ANNOT, _first_lines, sniff_counts

    fmt = sniff_counts(files[0]) if opts.format == "auto" else opts.format
    if len(files) == 1 and fmt in ("table", "featurecounts"):
        lines = _first_lines(files[0], 2)
        if fmt == "featurecounts":
            head = lines[1] if lines[0].startswith("#") and len(lines) > 1 else lines[0]
            names = [c.strip().strip('"') for c in head.rstrip("\r\n").split("\t")]
            if names[: len(_FC_ANNOT)] == list(_FC_ANNOT):
                return [Path(c).name.removesuffix(".bam") for c in names[len(_FC_ANNOT) :]]
        else:
            head = lines[0]
            sep = "\t" if head.count("\t") >= head.count(",") else ","
            names = [c.strip().strip('"') for c in head.rstrip("\r\n").split(sep)]
            if len(names) >= 2:
                return names[1:]
    counts = (
        load_counts(  # other formats, or a header the reader will name the problem of
            files,
            format=opts.format,
            tx2gene=None,
            counts_from_abundance=opts.counts_from_abundance,
        )
        if fmt not in ("salmon", "kallisto")
        else None
    )
    if counts is None:
        return []  # tximport needs the whole quantification: left to the run
    return [str(c) for c in counts.columns]


def check_rna_counts(study: Study, assay: Any, opts: Any) -> list[tuple[str, str]]:
    """Count columns vs samples, option files, covariates rows, something to test."""
    from exodisc.errors import ExodiscError
    from exodisc.omics.de import read_sample_sheet
    from exodisc.registry import option_file_problems

    out = option_file_problems(study, opts, ("tx2gene", "annotation", "covariates"))
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
        columns = count_columns(files, opts)
    except ExodiscError as exc:
        return [("files", str(exc))]
    samples = []
    unknown = []
    for col in columns:
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
