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

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from exodisc.errors import ExodiscError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "GRADES",
    "GRADE_PRESETS",
    "GRADE_PRESET_TABLE",
    "GRADE_SOURCES",
    "SOURCES",
    "DiscParameterError",
    "DiscParams",
    "Grade",
    "params_for",
    "preset_summary",
    "preset_table",
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
    "glucose_limiter_k_mm": "0.01 mM: G/(K+G) limiter on glycolysis (deviation and assumption, "
    "as in the disc-model note's prototype: the Bibby 2005 law has no glucose dependence; "
    "without it steady glucose can go negative)",
    "o2_solubility": "[A] 0.010268 nmol/(mm3 kPa)",
    "endplate_area": "1.0: the open endplate; calcification as a smaller exchange area is a "
    "scenario (Soukane et al. 2007; Shirazi-Adl et al. 2010 [abs])",
    "endplate_diffusivity": "1.0: endplate diffusivity from its water content alone "
    "(Mackie-Meares, [A]); a factor < 1 is the calcification scenario as reduced diffusivity "
    "(notes §3.5)",
    "injected_rate_factor": "1.0: injected cells consume like resident NP cells (assumption: MSC "
    "kinetics in the disc are unknown in this literature, notes §3.2)",
}

#: fields whose source is a group entry of :data:`SOURCES`
_SOURCE_GROUP: dict[str, str] = {
    "cep_o2_kpa": "boundary",
    "cep_lactate_mm": "boundary",
    "cep_glucose_mm": "boundary",
    "af_o2_kpa": "boundary",
    "af_lactate_mm": "boundary",
    "af_glucose_mm": "boundary",
    "ph_intercept": "ph_law",
    "ph_lactate_slope_mm": "ph_law",
}


def source_of(field: str) -> str:
    """The source of the default value of a :class:`DiscParams` field."""
    return SOURCES[_SOURCE_GROUP.get(field, field)]


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


def _porosity(void_ratio: float) -> float:
    """Water (fluid) fraction n of a tissue with void ratio e: n = e / (1 + e)."""
    return void_ratio / (1.0 + void_ratio)


#: abaqusIVD void ratios ([A] ``src/IVD/mechanic/components/``): healthy ``voidr.inp`` NP 4,
#: AF 3, CEP 1.94 (n = 0.80 / 0.75 / 0.66, the transport model's ``NF0h``); Pfirrmann grade III
#: ``voidr_gradeIII.inp`` NP 3.17, AF 2.33, CEP 1.5 (the grade-3 discs of Muñoz-Moya et al.,
#: Front Bioeng Biotechnol 2025, fbioe.2025.1651786; the AF pair 3.0 / 2.33 is also the
#: normal / degenerated AF of J Appl Math 2014:658719, Table 2).
_WATER_HEALTHY = {"water_np": 0.80, "water_af": 0.75, "water_cep": 0.66}
_WATER_III = {"water_np": _porosity(3.17), "water_af": _porosity(2.33), "water_cep": _porosity(1.5)}
#: grades IV and V: no source read gives their water contents; assumption: the grade II -> III
#: change of [A] continues linearly per grade (n_IV = n_III + (n_III - n_II), n_V = n_III +
#: 2 (n_III - n_II)). The NP values (0.72, 0.68) stay within the dehydration seen in
#: degenerate NP; AF and CEP fall by the same steps.
_WATER_STEP = {k: _WATER_III[k] - _WATER_HEALTHY[k] for k in _WATER_HEALTHY}

_SRC_WATER_HEALTHY = (
    "[A] healthy void ratio (voidr.inp: NP 4, AF 3, CEP 1.94 -> n = e/(1+e) = 0.80/0.75/0.66, "
    "the transport model's NF0h); Muñoz-Moya et al. 2025 use it for Pfirrmann grade 1"
)
_SRC_WATER_III = (
    "[A] grade III void ratio (voidr_gradeIII.inp: NP 3.17, AF 2.33, CEP 1.5 -> n = e/(1+e) "
    "= 0.760/0.700/0.600), the grade-3 discs of Muñoz-Moya et al. 2025 (fbioe.2025.1651786)"
)
_SRC_WATER_EXTRA = (
    "assumption (no grade {g} water content in the sources read): [A]'s grade II -> III "
    "change continued linearly, n = n_III + {k} (n_III - n_II)"
)
_SRC_HEIGHT_NORMAL = (
    "Pfirrmann et al. 2001 (Spine 26:1873): normal height at grades I-II; the model's "
    "default 10 mm (see SOURCES['height_mm'])"
)
_SRC_HEIGHT_III = (
    "Pfirrmann 2001: 'normal to slightly decreased'; quantified (assumption) as the 2.3 % "
    "height loss of the mildly degenerated disc of the Gu-lab FE model (PMC5097704 [abs]): "
    "10 x 0.977 mm"
)
_SRC_HEIGHT_IV = (
    "Pfirrmann 2001: 'normal to moderately decreased'; quantified (assumption) as the 9.3 % "
    "height loss of the moderately degenerated disc of PMC5097704 [abs]: 10 x 0.907 mm"
)
_SRC_HEIGHT_V = (
    "Pfirrmann 2001: 'collapsed disc space'; only grade V has a significantly lower height "
    "(Salamat et al. 2016, SpringerPlus 5:829 [abs]); no value read: assumption half the "
    "normal height (5 mm)"
)
_SRC_DENSITY = (
    "[A] CELL_rho_0 ({v:g}/mm3) at every grade: no grade-specific density in the sources read "
    "(assumption); adult density does not change significantly with age (Liebscher et al. "
    "2011 [abs]); override with np_density_per_mm3 / density_*"
)
_SRC_ENDPLATE = (
    "1.0 (no extra calcification): the endplate's diffusivity changes with its water content "
    "by Mackie-Meares (water_cep); measured degeneration lowers CEP hydraulic permeability "
    "50-60 % (PMC4779374 [abs]) but raises bony endplate porosity (Rodriguez et al. 2011, "
    "PMC3209496 [abs]), so calcification is a scenario (endplate_area, endplate_diffusivity), "
    "not a preset"
)


def _grade_preset(
    height: tuple[float, str], water: dict[str, float], water_src: str
) -> dict[str, tuple[float, str]]:
    out: dict[str, tuple[float, str]] = {"height_mm": height}
    out.update({k: (v, water_src) for k, v in water.items()})
    for key, field in (("density_np", 3600.0), ("density_af", 5550.0), ("density_cep", 13500.0)):
        out[key] = (field, _SRC_DENSITY.format(v=field))
    out["endplate_diffusivity"] = (1.0, _SRC_ENDPLATE)
    return out


#: Pfirrmann-grade presets: every value with its source, side by side. Height, water content
#: of NP, AF and CEP (-> diffusivities by Mackie-Meares, and so the endplate's permeability to
#: solutes), cell densities and an extra endplate factor. Grade II = the model's defaults.
GRADE_PRESET_TABLE: dict[str, dict[str, tuple[float, str]]] = {
    "I": _grade_preset(
        (10.0, _SRC_HEIGHT_NORMAL),
        _WATER_HEALTHY,
        _SRC_WATER_HEALTHY
        + ("; grades I and II are not distinguished by any source read (assumption: same values)"),
    ),
    "II": _grade_preset((10.0, _SRC_HEIGHT_NORMAL), _WATER_HEALTHY, _SRC_WATER_HEALTHY),
    "III": _grade_preset((10.0 * (1 - 0.023), _SRC_HEIGHT_III), _WATER_III, _SRC_WATER_III),
    "IV": _grade_preset(
        (10.0 * (1 - 0.093), _SRC_HEIGHT_IV),
        {k: _WATER_III[k] + _WATER_STEP[k] for k in _WATER_III},
        _SRC_WATER_EXTRA.format(g="IV", k=1),
    ),
    "V": _grade_preset(
        (5.0, _SRC_HEIGHT_V),
        {k: _WATER_III[k] + 2 * _WATER_STEP[k] for k in _WATER_III},
        _SRC_WATER_EXTRA.format(g="V", k=2),
    ),
}
#: the preset values (overrides of :class:`DiscParams`)
GRADE_PRESETS: dict[str, dict[str, float]] = {
    g: {k: v for k, (v, _) in t.items()} for g, t in GRADE_PRESET_TABLE.items()
}
#: the source of every preset value
GRADE_SOURCES: dict[str, dict[str, str]] = {
    g: {k: src for k, (_, src) in t.items()} for g, t in GRADE_PRESET_TABLE.items()
}


def preset_table(grades: tuple[str, ...] | None = None) -> pd.DataFrame:
    """One row per grade and preset parameter: value, what it implies and its source.

    The rows of the water contents give the tissue glucose diffusivity they imply
    (Mackie-Meares, column ``implies``), so the endplate's permeability per grade is visible.
    """
    import pandas as pd

    rows = []
    for g in grades or GRADES:
        p = params_for(g)
        for key, (value, src) in GRADE_PRESET_TABLE[g].items():
            region = {"water_np": 0, "water_af": 1, "water_cep": 2}.get(key)
            derived = (
                f"glucose D {p.tissue_diffusivity(2, region):.3e} mm2/s (Mackie-Meares)"
                if region is not None
                else ""
            )
            rows.append(
                {"grade": g, "parameter": key, "value": value, "implies": derived, "source": src}
            )
    return pd.DataFrame(rows)


#: short forms of the sources of the height and water contents (methods paragraph)
_SHORT: dict[str, tuple[str, str]] = {
    "I": ("normal, Pfirrmann et al. 2001", "abaqusIVD healthy void ratios; I = II: assumption"),
    "II": ("normal, Pfirrmann et al. 2001", "abaqusIVD healthy void ratios"),
    "III": (
        "'slightly decreased' (Pfirrmann 2001) as the 2.3 % loss of the mild case of "
        "PMC5097704: assumption",
        "abaqusIVD grade III void ratios, Muñoz-Moya et al. 2025",
    ),
    "IV": (
        "'moderately decreased' (Pfirrmann 2001) as the 9.3 % loss of the moderate case of "
        "PMC5097704: assumption",
        "abaqusIVD grade II to III change continued linearly: assumption",
    ),
    "V": (
        "'collapsed' (Pfirrmann 2001) as half the normal height: assumption",
        "abaqusIVD grade II to III change continued linearly: assumption",
    ),
}


def preset_summary(grade: str) -> str:
    """A short sentence of a grade's preset values and sources (for the methods paragraph)."""
    v = GRADE_PRESETS[grade]
    height_src, water_src = _SHORT[grade]
    return (
        f"grade {grade}: height {v['height_mm']:.2f} mm ({height_src}); water content "
        f"NP/AF/CEP {v['water_np']:.3f}/{v['water_af']:.3f}/{v['water_cep']:.3f} "
        f"({water_src}); cell densities NP/AF/CEP {v['density_np']:g}/{v['density_af']:g}/"
        f"{v['density_cep']:g} per mm3 (abaqusIVD; unchanged with grade: assumption); "
        "endplate permeability through its water content only (no extra calcification factor)"
    )


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
