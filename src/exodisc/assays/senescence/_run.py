"""The ``sabgal`` assay kind inside ``exodisc run``: counts tables or bright-field images."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from exodisc.registry import AssayContext, register_assay

if TYPE_CHECKING:
    import pandas as pd

    from exodisc.assays.senescence._counts import SenescenceResult
    from exodisc.config import Study

_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}


class SabgalOptions(BaseModel):
    """Options of a ``sabgal`` assay (unknown keys are errors)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    aggregate: Literal["pooled", "mean"] = Field(
        default="pooled",
        description="Fields of a replicate: pooled counts, or the mean of field percentages.",
    )
    name_pattern: str = Field(
        default=r"^(?P<sample>.+)__(?P<field>[^_]+)$",
        description="Regex on image file names (no suffix) with groups 'sample' and 'field'.",
    )
    blue_threshold: float = Field(default=0.08, gt=0, lt=1)
    min_blue_fraction: float = Field(default=0.15, gt=0, le=1)
    min_area: int = Field(default=40, ge=1)
    split_touching: bool = Field(
        default=False, description="Split touching cells by watershed (check the overlays)."
    )
    min_distance: int = Field(default=6, ge=1, description="Watershed seed spacing, pixels.")
    measure: Literal["cells", "area"] = Field(
        default="cells",
        description=(
            "Images: compare % positive cells, or % stained area (when cells touch and "
            "cannot be separated)."
        ),
    )


def image_counts(
    files: list[Path], options: SabgalOptions
) -> tuple[pd.DataFrame, dict[str, tuple[object, object]]]:
    """Count every image; return ``sample, field, positive, total, stained_area_pct`` rows and
    the images with their counts (for the QC overlays), keyed by file name."""
    import pandas as pd

    from exodisc.assays.senescence._images import count_sabgal, read_image
    from exodisc.errors import InputFormatError

    pattern = re.compile(options.name_pattern)
    rows = []
    kept: dict[str, tuple[object, object]] = {}
    for f in files:
        m = pattern.match(f.stem)
        if m is None:
            msg = (
                f"image name {f.stem!r} does not match options.name_pattern "
                f"{options.name_pattern!r} (default: '<sample>__<field>', e.g. 'ctrl_1__f1')"
            )
            raise InputFormatError(msg, path=f)
        img = read_image(f)
        c = count_sabgal(
            img,
            blue_threshold=options.blue_threshold,
            min_blue_fraction=options.min_blue_fraction,
            min_area=options.min_area,
            split_touching=options.split_touching,
            min_distance=options.min_distance,
        )
        if c.n_cells == 0:
            msg = "no cells found (empty field, wrong exposure or not a bright-field image)"
            raise InputFormatError(msg, path=f)
        rows.append(
            {
                "sample": m.group("sample"),
                "field": m.group("field"),
                "positive": c.n_positive,
                "total": c.n_cells,
                "stained_area_pct": 100 * c.stained_area_fraction,
                "file": f.name,
            }
        )
        kept[f.name] = (img, c)
    return pd.DataFrame(rows), kept


@register_assay(
    "sabgal", title="Senescence (SA-β-gal)", options=SabgalOptions, produces=("group_comparisons",)
)
def run(ctx: AssayContext) -> SenescenceResult:
    """SA-β-gal: % positive cells per replicate from counts or images, statistics, bars."""
    import pandas as pd

    from exodisc.assays.senescence._counts import percent_positive, read_counts
    from exodisc.assays.senescence._report import report_sabgal
    from exodisc.errors import DesignError

    files = ctx.files
    if not files:
        msg = f"assay {ctx.assay.id!r}: a sabgal assay needs files (a counts table or images)"
        raise DesignError(msg)
    images = [f for f in files if f.suffix.lower() in _IMAGE_SUFFIXES]
    tables = [f for f in files if f not in images]
    if images and tables:
        msg = f"assay {ctx.assay.id!r}: give either counts tables or images, not both"
        raise DesignError(msg)
    opts: SabgalOptions = ctx.options
    kept: dict[str, tuple[object, object]] = {}
    per_image = None
    if images:
        ctx.step("SA-β-gal: counting cells in images")
        per_image, kept = image_counts(images, opts)
        counts = per_image[["sample", "field", "positive", "total"]]
        source = None
    else:
        ctx.step("SA-β-gal: reading counts")
        counts = pd.concat([read_counts(f) for f in tables], ignore_index=True)
        source = tables[0] if len(tables) == 1 else None
    if opts.measure == "area" and per_image is None:
        msg = f"assay {ctx.assay.id!r}: measure 'area' needs images, not counts tables"
        raise DesignError(msg)
    result = percent_positive(counts, ctx.study, aggregate=opts.aggregate, source=source)
    if per_image is not None:
        result = with_stained_area(result, per_image, ctx.study)
    report_sabgal(ctx, result, per_image=per_image, images=kept)
    return result


def with_stained_area(
    result: SenescenceResult, per_image: pd.DataFrame, study: Study
) -> SenescenceResult:
    """Add ``stained_area_pct`` (fields) and its mean over fields (replicates)."""
    from dataclasses import replace

    ids = {}
    for name in per_image["sample"].unique():
        sample = study.sample_for(str(name))
        ids[name] = sample.id if sample is not None else str(name)
    area = per_image.assign(sample=per_image["sample"].map(ids))[
        ["sample", "field", "stained_area_pct"]
    ]
    fields = result.fields.merge(area, on=["sample", "field"], how="left")
    mean = area.groupby("sample")["stained_area_pct"].mean()
    reps = result.replicates.assign(stained_area_pct=result.replicates["sample"].map(mean))
    return replace(result, fields=fields, replicates=reps)
