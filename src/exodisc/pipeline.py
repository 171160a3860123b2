"""``exodisc run``: every assay of a study, then the output folder."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pandas as pd

from exodisc.config import Study, dump_study, load_study
from exodisc.core import heap_checkpoints, single_threaded_blas
from exodisc.errors import ExodiscError, naming_files
from exodisc.registry import AssayContext, get_assay
from exodisc.report import (
    RenderAhead,
    Report,
    figure_jobs,
    file_record,
    package_versions,
    render_folder,
    write_output,
)

__all__ = ["InputChangedError", "analyse", "plan", "run_study", "study_inputs"]


class InputChangedError(ExodiscError):
    """An input file changed while the analysis ran."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _option_files(value: Any, study: Study) -> list[Path]:
    """Files named anywhere in an assay's options (gene sets, id maps, layouts …)."""
    if isinstance(value, dict):
        return [p for v in value.values() for p in _option_files(v, study)]
    if isinstance(value, list | tuple):
        return [p for v in value for p in _option_files(v, study)]
    if isinstance(value, str) and ("/" in value or "." in value) and "\n" not in value:
        try:
            path = study.resolve(value)
            if path.is_file():
                return [path]
        except (OSError, ValueError):
            return []
    return []


def study_inputs(study: Study) -> list[Path]:
    """Every input file the study names, in order, unique.

    Assay files and layouts, and every string in an assay's options that names an existing
    file relative to the study file (gene-set files, identifier maps, control FCS files …).
    """
    paths = [p for a in study.assays for p in _assay_inputs(study, a)]
    return list(dict.fromkeys(paths))


def _assay_inputs(study: Study, assay: Any) -> list[Path]:
    """The input files one assay names: its files, its layout, files named in its options."""
    paths = [study.resolve(f) for f in assay.files]
    if isinstance(assay.layout, str | Path):
        paths.append(study.resolve(assay.layout))
    paths += _option_files(assay.options, study)
    return list(dict.fromkeys(paths))


def _overview(study: Study, report: Report) -> None:
    sec = report.add_section("study", "Study design")
    if study.description:
        sec.add_text(study.description)
    groups = pd.DataFrame(
        [
            {"group": g.id, "label": g.label, "role": g.role, "color": c}
            for g, c in zip(study.ordered_groups, study.group_colors().values(), strict=True)
        ]
    )
    samples = pd.DataFrame(
        [
            {"sample": s.id, "group": s.group, "replicate": s.replicate, "donor": s.donor or ""}
            for s in study.samples
        ],
        columns=["sample", "group", "replicate", "donor"],
    )
    comparisons = pd.DataFrame(
        [
            {
                "test": c.test,
                "reference": c.reference,
                "mark": c.mark,
                "meaning": f"{study.group_label(c.test)} vs {study.group_label(c.reference)}",
            }
            for c in study.comparisons
        ],
        columns=["test", "reference", "mark", "meaning"],
    )
    n_rep = samples.groupby("group").size() if len(samples) else pd.Series(dtype=int)
    sec.add_text(
        f"{len(study.groups)} groups, {len(study.samples)} biological samples"
        + (
            ""
            if not len(n_rep)
            else f" ({int(n_rep.min())} per group)"
            if n_rep.min() == n_rep.max()
            else f" ({int(n_rep.min())}–{int(n_rep.max())} per group)"
        )
        + (", paired by donor" if study.paired else "")
        + f"; {len(study.assays)} assays. Thresholds: alpha = {study.thresholds.alpha}, "
        f"|log2 FC| > {study.thresholds.log2_fc}, FDR < {study.thresholds.fdr}."
    )
    sec.add_table("study_groups", groups, caption="Groups")
    sec.add_table("study_samples", samples, caption="Samples")
    sec.add_table("study_comparisons", comparisons, caption="Declared comparisons and their marks")


def plan(study: Study) -> list[tuple[Any, Any, Any]]:
    """The assays in run order, each with its kind's spec and validated options.

    An assay runs after every assay producing an artefact it consumes (``produces`` /
    ``consumes`` of :func:`exodisc.registry.register_assay`); otherwise the study file's
    order is kept.

    Raises
    ------
    StudyFileError
        An assay requires an artefact no assay of the study produces (the error names the
        assay and the kinds that would produce it), or the dependencies form a cycle.
    """
    from exodisc.errors import Problem, StudyFileError
    from exodisc.registry import ARTEFACTS, assay_kinds

    entries = []
    for assay in study.assays:
        spec = get_assay(assay.kind)
        entries.append((assay, spec, spec.options_model.model_validate(assay.options)))
    producers: dict[str, list[int]] = {}
    for i, (_, spec, _) in enumerate(entries):
        for art in spec.produces:
            producers.setdefault(art, []).append(i)
    problems = []
    for i, (assay, spec, opts) in enumerate(entries):
        for art in spec.required(opts):
            if not [j for j in producers.get(art, []) if j != i]:
                kinds = sorted(k for k, s in assay_kinds().items() if art in s.produces)
                problems.append(
                    Problem(
                        f"assays[{i}]",
                        f"assay {assay.id!r} (kind {assay.kind}) needs {ARTEFACTS[art]}, but no "
                        f"assay of the study produces one; add an assay of kind "
                        f"{' or '.join(kinds) or '(none registered)'}",
                    )
                )
    if problems:
        raise StudyFileError(study.base_dir / "study file", problems)
    after = {
        i: {j for art in spec.consumes for j in producers.get(art, []) if j != i}
        for i, (_, spec, _) in enumerate(entries)
    }
    order: list[int] = []
    while len(order) < len(entries):
        ready = [i for i in range(len(entries)) if i not in order and after[i] <= set(order)]
        if not ready:
            cycle = [entries[i][0].id for i in range(len(entries)) if i not in order]
            msg = f"assays {cycle} consume each other's results (a cycle); split them"
            raise StudyFileError(study.base_dir / "study file", [Problem("assays", msg)])
        order.append(ready[0])
    return [entries[i] for i in order]


def _done(progress: Any, task: Any, what: str, seconds: float) -> None:
    """Mark a step done: ✓ first, so a narrow terminal that cuts the line keeps it; where the
    output is not a terminal (a log file, CI), print the line now rather than at the end."""
    line = f"✓ {what} ({seconds:.1f} s)"
    total = next((t.total for t in progress.tasks if t.id == task), None)
    progress.update(task, completed=total if total is not None else 1, description=line)
    progress.refresh()
    console = getattr(progress, "console", None)
    if console is not None and not console.is_terminal and not getattr(progress, "disable", False):
        console.print(line, soft_wrap=True, highlight=False)


def _display(console: Any, columns: tuple[Any, ...], *, show: bool) -> Any:
    """A rich progress display on ``console`` with these columns.

    Refreshed by hand at each step: no refresh thread, so figures can be written in forked
    processes while it shows. Where stderr is not a terminal (a log), it leaves nothing
    behind: each ✓ line is printed when it happens (:func:`_done`).
    """
    from rich.progress import Progress

    return Progress(
        *columns,
        console=console,
        disable=not show,
        auto_refresh=False,
        transient=not console.is_terminal,
    )


def analyse(
    study: Study,
    *,
    progress: Any = None,
    on_assay: Callable[[Report], None] | None = None,
) -> tuple[Report, dict[str, Any]]:
    """Run every assay of ``study`` into a new Report; returns the report and the results.

    Assays run in the order of :func:`plan` (producers before consumers); ``on_assay`` is
    called with the report after each (``exodisc run`` starts writing its figures then).
    """
    report = Report(study.title, simulated=study.simulated)
    _overview(study, report)
    results: dict[str, Any] = {}
    for assay, spec, options in plan(study):
        task = None
        if progress is not None:
            task = progress.add_task(f"{assay.id}: {spec.title}", total=1)
            progress.refresh()
        ctx = AssayContext(
            study=study,
            assay=assay,
            options=options,
            report=report,
            results=dict(results),
            progress=progress,
        )
        started = time.perf_counter()
        with naming_files(*_assay_inputs(study, assay), context=f"assay {assay.id!r}"):
            results[assay.id] = spec.run(ctx)
        if progress is not None and task is not None:
            _done(progress, task, f"{assay.id}: {spec.title}", time.perf_counter() - started)
        if on_assay is not None:
            on_assay(report)
    # cross-assay steps: after all assays, so the study file's order does not matter
    from exodisc.assays.qpcr import add_qpcr_rnaseq_agreement

    agreement = add_qpcr_rnaseq_agreement(study, report, results)
    if agreement is not None:
        results["qpcr_rnaseq_agreement"] = agreement
    return report, results


def run_study(
    study_path: str | Path,
    out: str | Path,
    *,
    force: bool = False,
    show_progress: bool = True,
    parameters: dict[str, Any] | None = None,
) -> Path:
    """Analyse a study file and write the output folder (atomically).

    Parameters
    ----------
    study_path
        The study file.
    out
        Output folder (refused if it exists unless ``force``).
    force
        Replace an existing output folder.
    show_progress
        Show a rich progress display on stderr.
    parameters
        Command-line parameters to record in the provenance.

    Returns
    -------
    Path
        The path of ``report.html``.
    """
    from rich.console import Console
    from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

    started = _now()
    study_path = Path(study_path)
    study = load_study(study_path)
    out = Path(out)
    from exodisc.report import check_output_path, check_writable_parent

    inputs = [study_path, *study_inputs(study)]
    check_output_path(out, study_dir=study.base_dir, inputs=inputs)
    if out.exists() and not force:
        from exodisc.report import OutputExistsError

        msg = f"{out} exists already; choose another folder or pass --force to replace it"
        raise OutputExistsError(msg)
    check_writable_parent(out)
    before = [file_record(p) for p in inputs]
    console = Console(stderr=True)
    jobs = figure_jobs()
    with ExitStack() as stack:
        ahead = None
        if jobs > 1:
            # figures and tables of finished assays are written while later assays run
            ahead = RenderAhead(stack.enter_context(render_folder(out)), jobs=jobs)
            stack.callback(ahead.stop)
            # the analysis shares the cores with the figure writers: spinning BLAS threads
            # would take their CPU (10-15 s of the example study's ~60 s)
            stack.enter_context(single_threaded_blas())
        # each assay's results stay until written: keep the collector from walking them again
        checkpoint = stack.enter_context(heap_checkpoints())

        def after_assay(report: Report) -> None:
            checkpoint()
            if ahead is not None:
                ahead.submit(report)

        columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
        with _display(console, columns, show=show_progress) as progress:
            report, _ = analyse(study, progress=progress, on_assay=after_assay)
        return _finish(
            report,
            out,
            study=study,
            study_path=study_path,
            before=before,
            started=started,
            parameters=parameters,
            force=force,
            show_progress=show_progress,
            ahead=ahead,
        )


def _finish(
    report: Report,
    out: Path,
    *,
    study: Study,
    study_path: Path,
    before: list[dict[str, Any]],
    started: str,
    parameters: dict[str, Any] | None,
    force: bool,
    show_progress: bool,
    ahead: RenderAhead | None,
) -> Path:
    """Check the inputs did not change, then write the output folder with its provenance."""
    after = [file_record(p) for p in [study_path, *study_inputs(study)]]
    changed = [b["path"] for b, a in zip(before, after, strict=True) if b["sha256"] != a["sha256"]]
    if changed:
        msg = f"input file(s) changed while the analysis ran: {', '.join(changed)}; run again"
        raise InputChangedError(msg)
    versions = package_versions()
    from exodisc.report import platform_record

    provenance = {
        "exodisc_version": versions.get("exodisc"),
        "study_file": before[0],
        "study_dir": str(study.base_dir),
        "inputs": before[1:],
        "study": dump_study(study),
        "parameters": parameters or {},
        "seed": study.seed,
        "versions": versions,
        "platform": platform_record(),
        "records": report.records,
        "started": started,
        "finished": _now(),
    }
    return _write_with_progress(
        report,
        out,
        force=force,
        provenance=provenance,
        versions=versions,
        show=show_progress,
        ahead=ahead,
    )


def _write_with_progress(
    report: Report,
    out: Path,
    *,
    force: bool,
    provenance: dict[str, Any],
    versions: dict[str, str],
    show: bool,
    ahead: RenderAhead | None = None,
) -> Path:
    """Write the output folder, showing how many figures are done.

    The display is refreshed by hand (no refresh thread), so the figures can be rendered in
    forked processes.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn

    from exodisc.report import FigureItem

    n_figures = sum(isinstance(i, FigureItem) for s in report.sections for i in s.items)
    console = Console(stderr=True)
    started = time.perf_counter()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with _display(console, columns, show=show) as progress:
        task = progress.add_task("writing figures (SVG, PNG) and tables", total=n_figures)

        def advance(_name: str) -> None:
            progress.advance(task)
            progress.refresh()

        html = write_output(
            report,
            out,
            force=force,
            provenance=provenance,
            versions=versions,
            on_figure=advance,
            ahead=ahead,
        )
        _done(
            progress,
            task,
            f"wrote {n_figures} figures and the report",
            time.perf_counter() - started,
        )
        progress.refresh()
    return html
