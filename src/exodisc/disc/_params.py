"""Parameters of the disc microenvironment model, each with its source.

Units throughout: mm, s, kPa (pO2), mM (= nmol/mm³) for lactate and glucose, cells/mm³.
Sources, as tags used in :data:`SOURCES`:

``[A]``
    bmmbUPF/abaqusIVD (Muñoz-Moya et al. 2024, Front Bioeng Biotechnol 12:1384599), read for
    equations and values (no code copied): ``src/IVD/transport/components/{NP,AF,CEP}_PROPS.inp``,
    ``GENERIC_Transport.inp``, ``src/IVD/transport/functions/UEL_C3D20_Functions.f``.
``[B]``
    bioexcel/biobb_morph transport templates (the older parameter set of the same group).
``[Bibby2005]``
    Bibby SRS, Jones DA, Ripley RM, Urban JPG. Spine 2005;30:487-496 (rate laws).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from exodisc.errors import ExodiscError

__all__ = [
    "GRADES",
    "GRADE_PRESETS",
    "SOURCES",
    "DiscParameterError",
    "DiscParams",
    "Grade",
    "params_for",
]


class DiscParameterError(ExodiscError):
    """A disc-model parameter is physically impossible (the message names the key)."""


def describe_validation(exc: ValidationError, prefix: str = "") -> str:
    """One line per problem: ``key: message (got value)``."""
    lines = []
    for err in exc.errors():
        key = ".".join(str(x) for x in (*((prefix,) if prefix else ()), *err["loc"])) or prefix
        got = (
            f" (got {err['input']!r})"
            if "input" in err and not isinstance(err["input"], dict)
            else ""
        )
        lines.append(f"{key or 'parameters'}: {err['msg']}{got}")
    return "; ".join(lines)


Grade = Literal["I", "II", "III", "IV", "V"]
GRADES: tuple[Grade, ...] = ("I", "II", "III", "IV", "V")

#: where every default value comes from (shown in the report and the README)
SOURCES: dict[str, str] = {
    "radius_mm": "axisymmetric idealisation of [A]'s generic L4-L5 disc (50.1 x 38.5 mm outer; "
    "equal-area radius 22 mm), rounded to 20 mm as in Soukane et al. 2007",
    "np_radius_mm": "[A] generic disc NP ~35 x 22 mm (equal-area radius ~14 mm); 12 mm used",
    "height_mm": "10 mm between the cartilage endplates (adult lumbar disc; [A] ~14.4 mm with "
    "both CEPs at the centre)",
    "cep_thickness_mm": "0.6 mm (human lumbar CEP; Roberts et al. 1989 Spine 14:166 [recalled])",
    "cep_radius_mm": "CEP covers NP and inner AF (Soukane et al. 2007 [abs])",
    "water_np": "[A] NF0h NP = 0.80",
    "water_af": "[A] NF0h AF = 0.75",
    "water_cep": "[A] NF0h CEP = 0.66",
    "d_water_o2": "[A] 3.0e-3 mm2/s; tissue D = D_water (n/(2-n))^2, Mackie-Meares (Zerihun 2024)",
    "d_water_lactate": "[A] 1.39e-3 mm2/s",
    "d_water_glucose": "[A] 9.16667e-4 mm2/s",
    "density_np": "[A] CELL_rho_0 NP = 3.6e-3 x 1e6 /mm3; same in [B]",
    "density_af": "[A] CELL_rho_0 AF = 5.55e-3 x 1e6 /mm3",
    "density_cep": "[A] CELL_rho_0 CEP = 1.35e-2 x 1e6 /mm3",
    "boundary": "[A] GENERIC_Transport.inp: CEP surface 5.1 kPa / 0.8 mM / 4.0 mM; AF surface "
    "5.8 kPa / 0.9 mM / 5.0 mM (pO2 / lactate / glucose)",
    "glucose_threshold_mm": "0.5 mM ([B]; [A] diffusion chamber); [A] NP/AF/CEP use 0.511",
    "ph_threshold": "6.78 ([A], [B])",
    "glucose_death_k_mm": "0.2 mM ([B]; [A] diffusion chamber)",
    "glucose_death_rate_per_day": "alpha0 = 1/day ([A] ALPHA_GTF = 1/86400 s^-1); "
    "Zhu et al. 2012 form",
    "ph_death_rate_per_day": "0.326/day = 3.77e-6 s^-1 ([A], after Malandrino et al. 2015); "
    "half-loss 2.1 d. Baumgartner et al. 2021 report 50 % loss by 7 d (0.099/day), see notes",
    "ph_law": "pH = 7.4 - L/11.11 ([A], after Bibby 2005, Soukane 2005/2007, Magnier 2009)",
    "kinetics": "Bibby et al. 2005 O2 and lactate rate laws as written in [A]; glucose = -1/2 "
    "lactate",
    "glucose_limiter_k_mm": "0.01 mM: G/(K+G) limiter on glycolysis (deviation: the Bibby law has "
    "no glucose dependence; without it steady glucose can go negative)",
    "o2_solubility": "[A] 0.010268 nmol/(mm3 kPa)",
}


class DiscParams(BaseModel):
    """Every input of the disc model (defaults: the healthy adult disc of the parameter table).

    Impossible values are rejected with the key named (pydantic validation), e.g. a negative
    diffusivity, ``np_radius_mm >= radius_mm`` or a pH threshold outside 6.0-7.4.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    # geometry
    radius_mm: float = Field(20.0, gt=0, le=60)
    np_radius_mm: float = Field(12.0, gt=0)
    height_mm: float = Field(10.0, gt=0, le=30)
    cep_thickness_mm: float = Field(0.6, gt=0, le=5)
    cep_radius_mm: float = Field(16.0, gt=0)
    # tissue
    water_np: float = Field(0.80, gt=0, lt=1)
    water_af: float = Field(0.75, gt=0, lt=1)
    water_cep: float = Field(0.66, gt=0, lt=1)
    d_water_o2: float = Field(3.0e-3, gt=0, le=1e-2)
    d_water_lactate: float = Field(1.39e-3, gt=0, le=1e-2)
    d_water_glucose: float = Field(9.16667e-4, gt=0, le=1e-2)
    density_np: float = Field(3600.0, ge=0, le=1e6)
    density_af: float = Field(5550.0, ge=0, le=1e6)
    density_cep: float = Field(13500.0, ge=0, le=1e6)
    # endplate
    endplate_area: float = Field(1.0, gt=0, le=1)
    endplate_diffusivity: float = Field(1.0, gt=0, le=10)
    # boundary values (CEP surface / outer AF surface)
    cep_o2_kpa: float = Field(5.1, ge=0, le=25)
    cep_lactate_mm: float = Field(0.8, ge=0, le=30)
    cep_glucose_mm: float = Field(4.0, ge=0, le=30)
    af_o2_kpa: float = Field(5.8, ge=0, le=25)
    af_lactate_mm: float = Field(0.9, ge=0, le=30)
    af_glucose_mm: float = Field(5.0, ge=0, le=30)
    # kinetics and viability
    glucose_limiter_k_mm: float = Field(0.01, gt=0, le=1)
    o2_solubility: float = Field(0.010268, gt=0)
    ph_intercept: float = Field(7.4, ge=6.5, le=8.0)
    ph_lactate_slope_mm: float = Field(11.11, gt=0)
    glucose_threshold_mm: float = Field(0.5, gt=0, le=5)
    ph_threshold: float = Field(6.78, ge=6.0, le=7.4)
    glucose_death_k_mm: float = Field(0.2, gt=0, le=5)
    glucose_death_rate_per_day: float = Field(1.0, ge=0, le=100)
    ph_death_rate_per_day: float = Field(0.326, ge=0, le=100)
    injected_rate_factor: float = Field(1.0, ge=0, le=20)

    @model_validator(mode="after")
    def _geometry(self) -> DiscParams:
        if self.np_radius_mm >= self.radius_mm:
            msg = (
                f"np_radius_mm ({self.np_radius_mm}) must be smaller than radius_mm "
                f"({self.radius_mm})"
            )
            raise ValueError(msg)
        if not self.np_radius_mm <= self.cep_radius_mm <= self.radius_mm:
            msg = (
                f"cep_radius_mm ({self.cep_radius_mm}) must lie between np_radius_mm "
                f"({self.np_radius_mm}) and radius_mm ({self.radius_mm})"
            )
            raise ValueError(msg)
        return self

    def tissue_diffusivity(self, species: int, region: int) -> float:
        """Tissue diffusivity (mm²/s) of species 0 O2, 1 lactate, 2 glucose in region 0 NP, 1 AF,
        2 CEP, by Mackie-Meares from the water content (CEP scaled by ``endplate_diffusivity``)."""
        dw = (self.d_water_o2, self.d_water_lactate, self.d_water_glucose)[species]
        n = (self.water_np, self.water_af, self.water_cep)[region]
        d = dw * (n / (2.0 - n)) ** 2
        return d * self.endplate_diffusivity if region == 2 else d


#: Pfirrmann-grade presets (overrides of the healthy adult defaults, grade II = defaults).
#: Heights follow Pfirrmann et al. 2001 (Spine 26:1873) grade definitions (I-II normal height,
#: III normal to slightly decreased, IV normal to moderately decreased, V collapsed), quantified
#: here as 10 / 10 / 9 / 7.5 / 5 mm; the mild and moderate decreases match the 2-10 % height loss
#: of Zhu et al. (PMC5097704). NP water falls from ~0.80-0.83 to ~0.65-0.70 with degeneration
#: (Antoniou et al. 1996 J Clin Invest 98:996 [recalled]). Endplate diffusivity factors are an
#: assumption (CEP composition worsens with degeneration, Bonnheim et al. 2022, PMC9252939; but
#: bony endplate porosity rises, Rodriguez et al. 2011, PMC3209496): override them per scenario.
#: Cell density is kept at [A]'s value (no significant change in adults, Liebscher et al. 2011).
GRADE_PRESETS: dict[str, dict[str, float]] = {
    "I": {"height_mm": 10.0, "water_np": 0.83, "water_af": 0.76, "endplate_diffusivity": 1.0},
    "II": {},
    "III": {"height_mm": 9.0, "water_np": 0.76, "water_af": 0.73, "endplate_diffusivity": 0.8},
    "IV": {"height_mm": 7.5, "water_np": 0.70, "water_af": 0.70, "endplate_diffusivity": 0.6},
    "V": {"height_mm": 5.0, "water_np": 0.65, "water_af": 0.67, "endplate_diffusivity": 0.4},
}


def params_for(grade: str | None = None, **overrides: float | str | None) -> DiscParams:
    """Parameters of a Pfirrmann grade (``None``: healthy adult defaults) with overrides.

    Overrides given as ``None`` are ignored. Raises :class:`DiscParameterError` naming the key
    for impossible values or an unknown grade.
    """
    values: dict[str, float | str | None] = {}
    if grade is not None:
        if grade not in GRADE_PRESETS:
            msg = f"grade: unknown Pfirrmann grade {grade!r}; expected one of {', '.join(GRADES)}"
            raise DiscParameterError(msg)
        values.update(GRADE_PRESETS[grade])
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return DiscParams.model_validate(values)
    except ValidationError as exc:
        raise DiscParameterError(f"invalid disc parameters: {describe_validation(exc)}") from None
