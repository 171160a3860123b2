"""Simulated FCS 3.1 files (written with FlowIO, with $SPILLOVER) for the example study."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from exodisc.registry import DemoContext, register_demo

__all__ = ["write_fcs"]

_N_EVENTS = 5000


def write_fcs(
    path: Path,
    events: np.ndarray,
    channels: list[str],
    labels: list[str],
    *,
    spill: np.ndarray | None = None,
    spill_channels: list[str] | None = None,
    keywords: dict[str, str] | None = None,
) -> Path:
    """Write an FCS 3.1 file with FlowIO (float32 data; ``$SPILLOVER`` when ``spill`` is given)."""
    import flowio

    meta = dict(keywords or {})
    if spill is not None and spill_channels is not None:
        values = ",".join(f"{v:.6g}" for v in spill.ravel())
        meta["SPILLOVER"] = f"{len(spill_channels)},{','.join(spill_channels)},{values}"
    with path.open("wb") as fh:
        flowio.create_fcs(
            fh,
            np.asarray(events, dtype=np.float32).ravel(),
            channels,
            opt_channel_names=labels,
            metadata_dict=meta,
        )
    return path


def _scatter(rng: np.random.Generator, n: int, *, debris: float, doublets: float) -> np.ndarray:
    """FSC-A, FSC-H, SSC-A of cells with some debris (low FSC) and doublets (low H/A)."""
    fsc_a = rng.normal(90_000, 15_000, n)
    ssc_a = rng.normal(60_000, 12_000, n)
    ratio = rng.normal(0.82, 0.03, n)
    kind = rng.random(n)
    is_debris = kind < debris
    is_doublet = (kind >= debris) & (kind < debris + doublets)
    fsc_a[is_debris] = rng.uniform(2_000, 25_000, is_debris.sum())
    ssc_a[is_debris] = rng.uniform(1_000, 30_000, is_debris.sum())
    fsc_a[is_doublet] *= 1.8
    ratio[is_doublet] = rng.normal(0.55, 0.04, is_doublet.sum())
    return np.column_stack([fsc_a, np.clip(fsc_a * ratio, 0, 262_143), ssc_a])


def _fluor(rng: np.random.Generator, positive: np.ndarray, *, neg: float, pos: float) -> np.ndarray:
    """Fluorochrome amount: autofluorescence (log-normal) or stained (log-normal)."""
    base = rng.lognormal(np.log(neg), 0.35, positive.size)
    stained = rng.lognormal(np.log(pos), 0.45, positive.size)
    return np.where(positive, stained, base)


def _detect(rng: np.random.Generator, true: np.ndarray, spill: np.ndarray) -> np.ndarray:
    """Detector signal: spillover mixing plus electronic noise."""
    return true @ spill + rng.normal(0, 40, true.shape)


_APOP_CHANNELS = ["FSC-A", "FSC-H", "SSC-A", "FITC-A", "PE-A"]
_APOP_LABELS = ["", "", "", "Annexin V-FITC", "PI"]
_APOP_SPILL = np.array([[1.0, 0.18], [0.02, 1.0]])


def _apoptosis_file(
    rng: np.random.Generator, path: Path, fractions: tuple[float, float, float] | None, name: str
) -> None:
    scatter = _scatter(rng, _N_EVENTS, debris=0.06, doublets=0.04)
    if fractions is None:  # unstained control
        ann = np.zeros(_N_EVENTS, dtype=bool)
        pi = np.zeros(_N_EVENTS, dtype=bool)
    else:
        early, late, necrotic = fractions
        u = rng.random(_N_EVENTS)
        ann = u < early + late
        pi = (u >= early) & (u < early + late + necrotic)
    true = np.column_stack(
        [_fluor(rng, ann, neg=250, pos=18_000), _fluor(rng, pi, neg=180, pos=12_000)]
    )
    fl = _detect(rng, true, _APOP_SPILL)
    write_fcs(
        path,
        np.column_stack([scatter, fl]),
        _APOP_CHANNELS,
        _APOP_LABELS,
        spill=_APOP_SPILL,
        spill_channels=["FITC-A", "PE-A"],
        keywords={"$SRC": name, "TUBE NAME": name, "$CYT": "exodisc simulator"},
    )


_PANEL = [
    # channel, marker label, isotype label, % positive (ISCT / paper direction), stained level
    ("FITC-A", "CD29 FITC", "IgG1 FITC", 99.2, 25_000),
    ("PE-A", "CD44 PE", "IgG1 PE", 98.6, 30_000),
    ("APC-A", "CD73 APC", "IgG1 APC", 97.5, 15_000),
    ("PerCP-Cy5-5-A", "CD90 PerCP-Cy5.5", "IgG1 PerCP-Cy5.5", 96.8, 12_000),
    ("PE-Cy7-A", "CD34 PE-Cy7", "IgG1 PE-Cy7", 0.8, 8_000),
    ("APC-Cy7-A", "CD45 APC-Cy7", "IgG1 APC-Cy7", 0.6, 8_000),
    ("BV421-A", "SSEA-4 BV421", "IgG3 BV421", 38.0, 9_000),
]


def _panel_spill() -> np.ndarray:
    n = len(_PANEL)
    s = np.eye(n)
    s[0, 1] = 0.15  # FITC -> PE
    s[1, 0] = 0.01
    s[1, 4] = 0.04  # PE -> PE-Cy7
    s[2, 5] = 0.08  # APC -> APC-Cy7
    s[1, 3] = 0.06  # PE -> PerCP-Cy5.5
    return s


def _panel_file(rng: np.random.Generator, path: Path, *, isotype: bool, name: str) -> None:
    scatter = _scatter(rng, _N_EVENTS, debris=0.05, doublets=0.03)
    cols = []
    for _, _, _, pct, level in _PANEL:
        pos = np.zeros(_N_EVENTS, bool) if isotype else rng.random(_N_EVENTS) < pct / 100
        cols.append(_fluor(rng, pos, neg=220, pos=level))
    spill = _panel_spill()
    fl = _detect(rng, np.column_stack(cols), spill)
    channels = [c for c, *_ in _PANEL]
    labels = [iso if isotype else lab for _, lab, iso, _, _ in _PANEL]
    write_fcs(
        path,
        np.column_stack([scatter, fl]),
        ["FSC-A", "FSC-H", "SSC-A", *channels],
        ["", "", "", *labels],
        spill=spill,
        spill_channels=channels,
        keywords={"$SRC": name, "TUBE NAME": name, "$CYT": "exodisc simulator"},
    )


_GATES: dict[str, Any] = {
    "debris_gate": {"x": "FSC-A", "y": "SSC-A", "method": "fixed", "x_min": 35000},
    "singlet_gate": {"area": "FSC-A", "height": "FSC-H", "method": "fixed", "ratio_min": 0.7},
}


@register_demo("flow", order=60)
def simulate(ctx: DemoContext) -> list[dict[str, Any]]:
    """Annexin V/PI files for every sample plus an unstained control; a USC marker panel."""
    rng = ctx.rng("flow")
    folder = ctx.raw_dir("flow")
    rel = folder.relative_to(ctx.folder)
    apop_files = []
    control = folder / "apoptosis_unstained.fcs"
    _apoptosis_file(rng, control, None, "unstained")
    for s in ctx.study.samples:
        health = ctx.rescue(s.group)
        apoptotic = 0.06 + 0.26 * (1 - health) + rng.normal(0, 0.012)
        fractions = (0.6 * apoptotic, 0.4 * apoptotic, 0.02 + 0.02 * (1 - health))
        path = folder / f"{s.id}.fcs"
        _apoptosis_file(rng, path, fractions, s.id)
        apop_files.append(str(rel / path.name))
    iso = folder / "usc_isotype.fcs"
    _panel_file(rng, iso, isotype=True, name="isotype")
    panel_files = []
    for donor in ("D1", "D2", "D3"):
        path = folder / f"usc_panel_{donor}.fcs"
        _panel_file(rng, path, isotype=False, name=f"USC {donor}")
        panel_files.append(str(rel / path.name))
    return [
        {
            "id": "flow_apoptosis",
            "kind": "flow_apoptosis",
            "title": "NPC apoptosis (annexin V-FITC / PI flow cytometry)",
            "files": [*apop_files, str(rel / control.name)],
            "options": {
                "annexin": "FITC-A",
                "pi": "PE-A",
                "control": str(rel / control.name),
                "percentile": 99.5,
                "compensation": "file",
                **_GATES,
            },
        },
        {
            "id": "flow_markers",
            "kind": "flow_markers",
            "title": "USC identity: surface markers (flow cytometry)",
            "files": [*panel_files, str(rel / iso.name)],
            "options": {
                "control": str(rel / iso.name),
                "channels": [c for c, *_ in _PANEL],
                "method": "percentile",
                "percentile": 99.5,
                "compensation": "file",
                "plastic_adherence": True,
                # the USC donors' panels are cell preparations, not samples of the design
                "preparations": [f"usc_panel_{d}" for d in ("D1", "D2", "D3")],
                **_GATES,
            },
        },
    ]
