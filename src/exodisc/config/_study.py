"""Pydantic models of the study file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "AssayConfig",
    "Comparison",
    "Group",
    "Sample",
    "StatisticsConfig",
    "Study",
    "Thresholds",
]

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


class _Strict(BaseModel):
    """Every model forbids unknown keys: a typo must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _check_id(value: str) -> str:
    if not _ID.match(value):
        msg = (
            f"{value!r} is not a valid identifier: use letters, digits, '_', '.' or '-', "
            "starting with a letter"
        )
        raise ValueError(msg)
    return value


class Group(_Strict):
    """One experimental group (e.g. Control, IL-1β, IL-1β + USC-exosomes)."""

    id: str = Field(description="Short identifier used in files and tables.")
    label: str = Field(description="Label shown in figures and the report.")
    role: Literal["control", "model", "treatment", "inhibitor", "other"] = Field(
        default="other",
        description="What the group is in the design; the control group is the default reference.",
    )
    order: int | None = Field(default=None, description="Display order (default: file order).")
    color: str | None = Field(default=None, description="Hex colour, e.g. '#1f77b4'.")
    description: str | None = Field(default=None, description="Free text shown in the report.")

    _id = field_validator("id")(_check_id)

    @field_validator("color")
    @classmethod
    def _colour(cls, value: str | None) -> str | None:
        if value is not None and not _COLOUR.match(value):
            msg = f"{value!r} is not a hex colour; expected '#rrggbb' or '#rgb'"
            raise ValueError(msg)
        return value


class Sample(_Strict):
    """One biological replicate: a group, a replicate number and (for paired designs) a donor."""

    id: str = Field(description="Sample id used in tables (letters, digits, '_', '.', '-').")
    group: str = Field(description="Id of the group the sample belongs to.")
    replicate: int = Field(ge=1, description="Replicate number within the group (1, 2, ...).")
    donor: str | None = Field(default=None, description="Donor / batch for paired designs.")
    aliases: list[str] = Field(
        default_factory=list, description="Other names of this sample in instrument files."
    )

    _id = field_validator("id")(_check_id)


class Comparison(_Strict):
    """One comparison to test: ``test`` against ``reference``, marked with ``mark``."""

    test: str = Field(description="Group id tested.")
    reference: str = Field(description="Group id it is compared with.")
    mark: str = Field(default="*", description="Mark family, e.g. '*' vs Control, '#' vs model.")

    @field_validator("mark")
    @classmethod
    def _mark(cls, value: str) -> str:
        if len(value) != 1 or value.isalnum() or value.isspace():
            msg = f"mark must be one non-alphanumeric character such as '*' or '#', got {value!r}"
            raise ValueError(msg)
        return value


class Thresholds(_Strict):
    """Significance and effect-size thresholds shared by every analysis."""

    alpha: float = Field(default=0.05, gt=0, lt=1, description="Significance level of group tests.")
    log2_fc: float = Field(default=1.0, ge=0, description="|log2 FC| cut-off (1 = 2-fold).")
    fdr: float = Field(
        default=0.05, gt=0, lt=1, description="False-discovery-rate cut-off (BH-adjusted P)."
    )


class StatisticsConfig(_Strict):
    """The group-comparison test declared for the study (an assay may override it)."""

    test: Literal["anova", "welch_anova", "kruskal", "rm_anova"] = "anova"
    posthoc: Literal[
        "bonferroni",
        "bonferroni_t",
        "tukey",
        "dunnett",
        "sidak",
        "holm",
        "games_howell",
        "dunn",
    ] = "bonferroni"
    error_bars: Literal["sd", "sem", "ci95"] = "sd"

    @field_validator("test", "posthoc", "error_bars", mode="before")
    @classmethod
    def _one_spelling(cls, value: Any) -> Any:
        """Accept the command line's spelling too: ``games-howell`` is ``games_howell``."""
        return value.strip().lower().replace("-", "_") if isinstance(value, str) else value


class AssayConfig(_Strict):
    """One assay: its kind, input files, layout and kind-specific options.

    ``options`` is validated against the options model the assay kind registers
    (see :func:`exodisc.registry.register_assay`), so unknown option keys are errors too.
    """

    id: str = Field(description="Assay id; prefixes its tables and figures.")
    kind: str = Field(description="Which analysis runs (see Assay kinds below).")
    title: str | None = Field(default=None, description="Section title (default: the kind's).")
    files: list[Path] = Field(default_factory=list, description="Raw input files.")
    layout: Path | dict[str, Any] | list[Any] | None = Field(
        default=None, description="Plate layout / sample map: a CSV file or inline mapping."
    )
    options: dict[str, Any] = Field(
        default_factory=dict, description="Options of this kind (checked by the kind's model)."
    )
    statistics: StatisticsConfig | None = Field(
        default=None, description="Overrides the study's statistics for this assay."
    )

    _id = field_validator("id")(_check_id)


class Study(_Strict):
    """A whole study: groups, samples, comparisons, thresholds and assays."""

    title: str = Field(description="Study title (report heading).")
    description: str | None = Field(default=None, description="Free text shown in the report.")
    simulated: bool = Field(
        default=False, description="True for simulated data; the report says so plainly."
    )
    seed: int = Field(default=0, description="Seed for every random step (permutations, jitter).")
    groups: list[Group] = Field(min_length=1, description="Experimental groups, in display order.")
    replicates: int | None = Field(
        default=None, ge=1, description="Biological replicates per group when samples are implicit."
    )
    samples: list[Sample] = Field(
        default_factory=list, description="Explicit samples (instead of `replicates`)."
    )
    paired: bool = Field(default=False, description="Samples share donors across groups.")
    comparisons: list[Comparison] = Field(
        default_factory=list, description="Comparisons to test (default: every pair, marked '*')."
    )
    thresholds: Thresholds = Field(default_factory=Thresholds, description="Cut-offs.")
    statistics: StatisticsConfig = Field(
        default_factory=StatisticsConfig, description="Group-comparison test for every assay."
    )
    assays: list[AssayConfig] = Field(default_factory=list, description="The assays to analyse.")
    base_dir: Path = Field(default=Path("."), exclude=True, description="Folder of the study file.")

    @model_validator(mode="before")
    @classmethod
    def _implicit_samples(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("samples") or not data.get("replicates"):
            return data
        groups = data.get("groups")
        if not isinstance(groups, list):
            return data
        n = data["replicates"]
        if not isinstance(n, int) or isinstance(n, bool):
            return data
        samples = []
        for g in groups:
            if isinstance(g, dict) and isinstance(g.get("id"), str):
                for r in range(1, n + 1):
                    samples.append({"id": f"{g['id']}_{r}", "group": g["id"], "replicate": r})
        return {**data, "samples": samples}

    # ---- convenience (read-only) -------------------------------------------------------
    @property
    def ordered_groups(self) -> list[Group]:
        """Groups in display order."""
        indexed = list(enumerate(self.groups))
        indexed.sort(key=lambda t: (t[1].order if t[1].order is not None else t[0], t[0]))
        return [g for _, g in indexed]

    @property
    def group_ids(self) -> list[str]:
        return [g.id for g in self.ordered_groups]

    def group(self, group_id: str) -> Group:
        for g in self.groups:
            if g.id == group_id:
                return g
        msg = f"unknown group {group_id!r}; the study declares {', '.join(self.group_ids)}"
        raise KeyError(msg)

    def group_label(self, group_id: str) -> str:
        return self.group(group_id).label

    def group_colors(self) -> dict[str, str]:
        """Colour per group id: declared ones, the rest from a colour-blind-safe palette."""
        palette = ["#4D4D4D", "#D55E00", "#0072B2", "#CC79A7", "#009E73", "#E69F00", "#56B4E9"]
        out: dict[str, str] = {}
        for i, g in enumerate(self.ordered_groups):
            out[g.id] = g.color or palette[i % len(palette)]
        return out

    def sample_for(self, name: str) -> Sample | None:
        """The sample whose id or alias is ``name`` (case-sensitive), else None."""
        for s in self.samples:
            if name == s.id or name in s.aliases:
                return s
        return None

    def resolve(self, path: Path | str) -> Path:
        """A path from the study file, resolved against the study file's folder."""
        p = Path(path)
        return p if p.is_absolute() else (self.base_dir / p)

    def comparisons_or_all_pairs(self, groups: list[str] | None = None) -> list[Comparison]:
        """Declared comparisons among ``groups`` (default all), else every pair marked '*'."""
        keep = set(groups if groups is not None else self.group_ids)
        declared = [c for c in self.comparisons if c.test in keep and c.reference in keep]
        if declared or self.comparisons:
            return declared
        ordered = [g for g in self.group_ids if g in keep]
        return [
            Comparison(test=b, reference=a, mark="*")
            for i, a in enumerate(ordered)
            for b in ordered[i + 1 :]
        ]

    def mark_legend(self) -> dict[str, str]:
        """Mark → reference group label, e.g. {'*': 'Control', '#': 'IL-1β'}."""
        out: dict[str, str] = {}
        for c in self.comparisons:
            out.setdefault(c.mark, self.group_label(c.reference))
        return out
