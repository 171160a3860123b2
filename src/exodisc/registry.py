"""Plug-in registries: assay kinds, demo simulators, methods and command-line groups.

Every analysis area plugs into ``exodisc run``, ``exodisc demo`` and the command line without
touching shared files, by convention of module names, discovered at first use:

``_run.py``
    calls :func:`register_assay` for each assay kind it analyses inside a study.
``_demo.py``
    calls :func:`register_demo` with a simulator that writes raw files in real instrument
    formats into the example study folder and returns the study-file ``assays`` entries.
``_cli.py``
    defines ``register(app: typer.Typer) -> None`` adding its commands to the command line.
``_methods.py`` (or any of the above)
    calls :func:`register_method` for every method whose paragraph the report prints.
``_checks.py`` (or ``_run.py``)
    calls :func:`register_check` with the kind's cheap cross-checks of the study file against
    its inputs' headers and layouts: what ``exodisc run`` would refuse, found by
    ``exodisc validate`` (and by ``exodisc run`` before any analysis starts).

These modules keep heavy imports (FlowKit, scikit-image, AnnData …) inside functions, so that
``exodisc --version`` stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    import numpy as np
    from rich.progress import Progress

    from exodisc.config import AssayConfig, Study
    from exodisc.report import Report

__all__ = [
    "ARTEFACTS",
    "AssayContext",
    "AssaySpec",
    "DemoContext",
    "DemoSpec",
    "MethodMeta",
    "NoOptions",
    "assay_checks",
    "assay_kinds",
    "cli_modules",
    "demo_simulators",
    "discover",
    "get_assay",
    "get_method",
    "register_assay",
    "register_check",
    "register_demo",
    "register_method",
]


class NoOptions(BaseModel):
    """Options model of an assay kind that takes none (unknown keys are errors)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------------- methods
@dataclass(frozen=True)
class MethodMeta:
    """A self-describing method: the report's methods paragraph is generated from it.

    Parameters
    ----------
    key
        Unique key, e.g. ``"stats.anova_bonferroni"``.
    name
        Human name, e.g. ``"One-way ANOVA with Bonferroni post-hoc test"``.
    template
        Methods-paragraph sentence; ``{placeholders}`` are filled with the parameters the
        analysis used (see :meth:`exodisc.report.Section.add_method`).
    citation
        Reference(s) for the method.
    r_equivalent
        The R (or SPSS / Prism / ImageJ) call that gives the same numbers.
    software
        Distribution names whose installed versions the paragraph states.
    """

    key: str
    name: str
    template: str
    citation: str = ""
    r_equivalent: str = ""
    software: tuple[str, ...] = ()


_METHODS: dict[str, MethodMeta] = {}


def register_method(meta: MethodMeta) -> MethodMeta:
    """Register a method (idempotent for an identical definition)."""
    old = _METHODS.get(meta.key)
    if old is not None and old != meta:
        msg = f"method {meta.key!r} is registered twice with different definitions"
        raise ValueError(msg)
    _METHODS[meta.key] = meta
    return meta


def get_method(key: str) -> MethodMeta:
    discover()
    try:
        return _METHODS[key]
    except KeyError:
        msg = f"unknown method {key!r}; registered: {', '.join(sorted(_METHODS))}"
        raise KeyError(msg) from None


# --------------------------------------------------------------------------------- assays
@dataclass
class AssayContext:
    """What an assay's run function receives.

    Attributes
    ----------
    study
        The validated study.
    assay
        This assay's entry of the study file.
    options
        ``assay.options`` validated against the kind's options model.
    report
        The report to add sections to.
    results
        Results of the assays run before this one, by assay id (read-only use).
    progress
        A rich progress display, or None; use :meth:`step` rather than touching it.
    """

    study: Study
    assay: AssayConfig
    options: Any
    report: Report
    results: Mapping[str, Any] = field(default_factory=dict)
    progress: Progress | None = None

    @property
    def files(self) -> list[Path]:
        """The assay's input files, resolved against the study file's folder."""
        return [self.study.resolve(f) for f in self.assay.files]

    @property
    def layout_path(self) -> Path | None:
        layout = self.assay.layout
        if isinstance(layout, str | Path):
            return self.study.resolve(layout)
        return None

    @property
    def statistics(self) -> Any:
        """The assay's statistics settings, else the study's."""
        return self.assay.statistics or self.study.statistics

    def rng(self, salt: str = "") -> np.random.Generator:
        """A generator seeded from the study seed, this assay's id and ``salt``."""
        import numpy as np

        return np.random.default_rng(
            [self.study.seed, zlib.crc32(f"{self.assay.id}/{salt}".encode())]
        )

    def step(self, description: str) -> None:
        """Show what the assay is doing now on the progress display."""
        if self.progress is not None and self.progress.tasks:
            self.progress.update(self.progress.tasks[-1].id, description=description)
            self.progress.refresh()


#: Typed artefacts assay kinds hand to each other through ``ctx.results``: what each is.
ARTEFACTS: dict[str, str] = {
    "read_counts": "count tables per RNA class from the reads workflow (FASTQ -> counts)",
    "de_table": "a differential-expression table (feature_id, log2_fold_change, padj)",
    "enrichment": "enrichment results (ORA / GSEA tables)",
    "cerna_network": "a ceRNA network (nodes, edges)",
    "marker_calls": "EV-marker calls of a western blot (marker, detected)",
    "nta_summary": "a nanoparticle-tracking size summary per sample",
    "flow_tables": "flow cytometry result tables (marker positivity, quadrants)",
    "group_comparisons": "group comparisons with their statistics (ComparisonResult)",
}


@dataclass(frozen=True)
class AssaySpec:
    """An assay kind that ``exodisc run`` knows how to analyse.

    ``produces`` and ``consumes`` name :data:`ARTEFACTS`; ``exodisc run`` runs an assay after
    every assay producing what it consumes, whatever their order in the study file.
    ``requires(options)`` gives the artefacts that must have a producer in the study (a
    study-file error naming this assay otherwise).
    """

    kind: str
    title: str
    run: Callable[[AssayContext], Any]
    options_model: type[BaseModel] = NoOptions
    description: str = ""
    produces: tuple[str, ...] = ()
    consumes: tuple[str, ...] = ()
    requires: Callable[[Any], tuple[str, ...]] | None = None

    def required(self, options: Any) -> tuple[str, ...]:
        """Artefacts this assay cannot run without, for these options."""
        return tuple(self.requires(options)) if self.requires is not None else ()


_ASSAYS: dict[str, AssaySpec] = {}


def register_assay(
    kind: str,
    *,
    title: str,
    options: type[BaseModel] = NoOptions,
    description: str = "",
    produces: tuple[str, ...] = (),
    consumes: tuple[str, ...] = (),
    requires: Callable[[Any], tuple[str, ...]] | None = None,
) -> Callable[[Callable[[AssayContext], Any]], Callable[[AssayContext], Any]]:
    """Decorator registering ``run(ctx) -> result`` as the analysis of assay ``kind``.

    The returned result is stored under the assay's id in ``ctx.results`` of later assays.
    ``options`` must forbid unknown keys (``model_config = ConfigDict(extra="forbid")``).
    ``produces`` / ``consumes`` name :data:`ARTEFACTS` (the run order follows them);
    ``requires(options)`` the artefacts without which the assay cannot run.
    """
    unknown = [a for a in (*produces, *consumes) if a not in ARTEFACTS]
    if unknown:
        msg = f"assay kind {kind!r}: unknown artefact(s) {unknown}; known: {sorted(ARTEFACTS)}"
        raise ValueError(msg)

    def deco(fn: Callable[[AssayContext], Any]) -> Callable[[AssayContext], Any]:
        if kind in _ASSAYS and _ASSAYS[kind].run is not fn:
            msg = f"assay kind {kind!r} is registered twice"
            raise ValueError(msg)
        _ASSAYS[kind] = AssaySpec(
            kind, title, fn, options, description or (fn.__doc__ or ""),
            tuple(produces), tuple(consumes), requires,
        )  # fmt: skip
        return fn

    return deco


#: ``check(study, assay, options) -> [(key path under the assay, message), ...]``: cheap
#: cross-checks of an assay's inputs that ``exodisc validate`` runs (reads headers, layouts).
AssayCheck = Callable[["Study", "AssayConfig", Any], list[tuple[str, str]]]
_CHECKS: dict[str, AssayCheck] = {}


def register_check(kind: str) -> Callable[[AssayCheck], AssayCheck]:
    """Decorator registering the cheap validation cross-checks of assay ``kind``."""

    def deco(fn: AssayCheck) -> AssayCheck:
        _CHECKS[kind] = fn
        return fn

    return deco


def option_file_problems(study: Any, opts: Any, keys: tuple[str, ...]) -> list[tuple[str, str]]:
    """``(options.KEY, message)`` for each option in ``keys`` naming no readable file.

    For the cross-checks (:func:`register_check`): the message is
    :func:`exodisc.io.missing_file`'s, as the readers give it.
    """
    from exodisc.io import missing_file

    out: list[tuple[str, str]] = []
    for key in keys:
        value = getattr(opts, key)
        if value and not (path := study.resolve(value)).is_file():
            out.append((f"options.{key}", str(missing_file(path))))
    return out


def assay_checks() -> dict[str, AssayCheck]:
    discover()
    return dict(_CHECKS)


def assay_kinds() -> dict[str, AssaySpec]:
    discover()
    return dict(_ASSAYS)


def get_assay(kind: str) -> AssaySpec:
    kinds = assay_kinds()
    try:
        return kinds[kind]
    except KeyError:
        msg = f"unknown assay kind {kind!r}; expected one of {', '.join(sorted(kinds))}"
        raise KeyError(msg) from None


# --------------------------------------------------------------------------------- demo
@dataclass
class DemoContext:
    """What a demo simulator receives.

    Attributes
    ----------
    folder
        The example study folder; write raw files under ``folder / "raw" / <area>``.
    study
        The demo study's groups, samples and comparisons (already validated).
    seed
        The demo seed; use :meth:`rng` for a per-simulator generator.
    """

    folder: Path
    study: Study
    seed: int = 20240607

    def rng(self, name: str) -> np.random.Generator:
        """A generator for one simulator, independent of the order simulators run in."""
        import numpy as np

        return np.random.default_rng([self.seed, zlib.crc32(name.encode())])

    def rescue(self, group_id: str) -> float:
        """Health of a group on a 0 (IL-1β model) … 1 (control) scale, following the paper.

        Control 1; IL-1β 0; IL-1β + USC partial rescue 0.5; IL-1β + USC + GW4869 0.1 (the
        exosome-release inhibitor removes most of the USC rescue); IL-1β + USC-exosomes 0.75.
        Groups not in the seed design get 0.5.
        """
        return _DEMO_RESCUE.get(group_id, 0.5)

    def raw_dir(self, area: str) -> Path:
        d = self.folder / "raw" / area
        d.mkdir(parents=True, exist_ok=True)
        return d


_DEMO_RESCUE = {"ctrl": 1.0, "il1b": 0.0, "usc": 0.5, "usc_gw": 0.1, "exo": 0.75}


@dataclass(frozen=True)
class DemoSpec:
    name: str
    order: int
    simulate: Callable[[DemoContext], list[dict[str, Any]]]


_DEMOS: dict[str, DemoSpec] = {}


def register_demo(
    name: str, *, order: int = 100
) -> Callable[
    [Callable[[DemoContext], list[dict[str, Any]]]], Callable[[DemoContext], list[dict[str, Any]]]
]:
    """Decorator registering a simulator for the built-in example study.

    The simulator writes raw files (real instrument formats) into ``ctx.folder`` and returns
    the study-file ``assays`` entries (plain dicts, paths relative to ``ctx.folder``).
    Simulators run in ``order``; the assays appear in the study file in that order.
    """

    def deco(
        fn: Callable[[DemoContext], list[dict[str, Any]]],
    ) -> Callable[[DemoContext], list[dict[str, Any]]]:
        _DEMOS[name] = DemoSpec(name, order, fn)
        return fn

    return deco


def demo_simulators() -> list[DemoSpec]:
    discover()
    return sorted(_DEMOS.values(), key=lambda d: (d.order, d.name))


# --------------------------------------------------------------------------------- discovery
_PLUGIN_NAMES = ("_methods", "_run", "_demo", "_checks")
_discovered = False


def _walk() -> list[str]:
    import exodisc

    names = []
    for info in pkgutil.walk_packages(exodisc.__path__, prefix="exodisc."):
        if info.name.rsplit(".", 1)[-1] in (*_PLUGIN_NAMES, "_cli"):
            names.append(info.name)
    return sorted(names)


def discover() -> None:
    """Import every ``_methods``, ``_run``, ``_demo`` and ``_checks`` module (once)."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    for name in _walk():
        if name.rsplit(".", 1)[-1] in _PLUGIN_NAMES:
            importlib.import_module(name)


def cli_modules() -> list[str]:
    """Names of every ``_cli`` module (each defines ``register(app)``)."""
    return [n for n in _walk() if n.endswith("._cli")]
