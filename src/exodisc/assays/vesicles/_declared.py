"""What the study file declares about its EV and stem-cell characterisation (pydantic models)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CentrifugationStep",
    "EvDeclaration",
    "FunctionDecl",
    "IsolationDecl",
    "MarkerResult",
    "ProteinDecl",
    "SourceDecl",
    "StainResult",
    "SurfaceMarker",
    "TemDecl",
    "UscIdentityDecl",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceDecl(_Strict):
    """The EV source: producing cells and conditioned medium."""

    cell_type: str | None = None
    passage: str | None = None
    culture_medium: str | None = Field(default=None, description="incl. EV-depleted serum")
    cells: float | None = Field(default=None, gt=0, description="cells at harvest")
    volume_ml: float | None = Field(default=None, gt=0, description="conditioned medium, mL")
    viability_percent: float | None = Field(default=None, ge=0, le=100)


class CentrifugationStep(_Strict):
    g: float = Field(gt=0)
    minutes: float = Field(gt=0)
    temperature_c: float | None = None
    keep: Literal["supernatant", "pellet"] = "supernatant"


class IsolationDecl(_Strict):
    method: str | None = None
    steps: list[CentrifugationStep] = Field(default_factory=list)
    rotor: str | None = None
    k_factor: float | None = Field(default=None, gt=0)


class ProteinDecl(_Strict):
    method: str | None = Field(default=None, description="e.g. BCA")
    ug_per_ml: dict[str, float] = Field(
        default_factory=dict, description="preparation / NTA sample name -> µg/mL"
    )


class TemDecl(_Strict):
    """TEM: done or not, image files to show, measured diameters (inline or a table file)."""

    done: bool = False
    images: list[str] = Field(default_factory=list)
    diameters_nm: list[float] = Field(default_factory=list)
    diameters_file: str | None = Field(
        default=None, description="CSV/TSV with a 'diameter_nm' column (e.g. ImageJ export)"
    )


class MarkerResult(_Strict):
    name: str
    result: Literal["positive", "negative", "not_done"]
    method: str = "western blot"


class FunctionDecl(_Strict):
    controls: list[str] = Field(default_factory=list)
    dose: str | None = None


class EvDeclaration(_Strict):
    """Options of ``kind: ev_characterisation`` — the characterisation the study did."""

    source: SourceDecl = Field(default_factory=SourceDecl)
    isolation: IsolationDecl = Field(default_factory=IsolationDecl)
    protein: ProteinDecl = Field(default_factory=ProteinDecl)
    tem: TemDecl = Field(default_factory=TemDecl)
    markers: list[MarkerResult] = Field(default_factory=list)
    function: FunctionDecl = Field(default_factory=FunctionDecl)
    ev_track: str | None = None
    other_single_particle_methods: list[str] = Field(
        default_factory=list, description="e.g. TRPS, flow; NTA is taken from the nta assay"
    )


class StainResult(_Strict):
    stain: Literal["alizarin_red_s", "alcian_blue", "oil_red_o", "von_kossa", "safranin_o"]
    result: Literal["positive", "negative", "not_done"]
    image: str | None = None


class SurfaceMarker(_Strict):
    marker: str
    expected: Literal["positive", "negative"]
    result: Literal["positive", "negative", "not_done"] | None = None
    percent_positive: float | None = Field(default=None, ge=0, le=100)


class UscIdentityDecl(_Strict):
    """Options of ``kind: usc_identity`` — trilineage staining and surface markers."""

    cells: str = "urine-derived stem cells"
    trilineage: list[StainResult] = Field(default_factory=list)
    markers: list[SurfaceMarker] = Field(default_factory=list)
