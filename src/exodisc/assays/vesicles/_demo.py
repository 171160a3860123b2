"""Demo: NanoSight NTA 3.x exports of three USC-exosome preparations + declared characterisation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from exodisc.registry import DemoContext, register_demo

__all__ = ["simulate", "write_nanosight_summary"]

_SOFTWARE = "NTA 3.3 - Sample Assistant Dev Build 3.3.203"


def write_nanosight_summary(
    path: Path,
    *,
    name: str,
    per_video: np.ndarray,
    stamp: str = "2024-06-07 10-00-00",
    description: str = "",
) -> None:
    """Write an NTA 3.x ``ExperimentSummary.csv`` (number weighting) from binned counts.

    ``per_video`` is (videos x 1000) particles/mL in 1-nm bins (centres 0.5 … 999.5 nm).
    The per-video statistics are computed from the distribution as the software does.
    """
    from exodisc.assays.vesicles._nta import binned_size_statistics

    n = per_video.shape[0]
    centres = np.arange(1000) + 0.5
    files = [f"{name} {stamp[:-2]}{10 + k:02d}" for k in range(n)]
    conc = per_video.sum(axis=1)
    stats = [binned_size_statistics(centres, np.ones(1000), v) for v in per_video]

    def row(label: str, values: list[str], tail: list[str] | None = None) -> str:
        return ",".join([label, *values, *(tail or [])]) + ","

    def avg_se(x: list[float], fmt: str) -> list[str]:
        a = np.asarray(x)
        return [format(a.mean(), fmt), format(a.std(ddof=1) / np.sqrt(len(a)), fmt)]

    L = [
        "NTA Experiment Summary File,",
        f"Created with {_SOFTWARE},",
        ",",
        "[Experiment Details],,",
        f"Software Version,{_SOFTWARE},",
        f"Experiment Name,{name} {stamp}.nano,",
        "Operator Name,exodisc demo,",
        "Time Captured,10:00:00  07/06/2024,",
        f"Sample Description,{description or name},",
        "Pre-treatment,,",
        "Diluent,pbs,",
        "Remarks,simulated,",
        ",,",
        row("Filename:", files),
        ",,",
        "[Conditions],,",
        row("Temperature/C", ["25.000"] * n),
        row("Viscosity/cP", ["0.890000"] * n),
        row("Camera Type", ["sCMOS"] * n),
        ",,",
        "[Settings],,",
        row("Detection Threshold", ["5"] * n),
        ",,",
        "[Exclusion Regions]",
        "No Exclusion Regions Used,,",
        "",
        ",".join(["[Results]"] + [""] * n + ["Average", "Standard Error", ""]),
        row("Dilution factor (concentrations adjusted for this factor)",
            ["Not recorded"] * n, ["", ""]),
        row("Concentration (Particles / ml)",
            [f"{c:.2e}" for c in conc], avg_se(list(conc), ".2e")),
        ",,",
        "[Concentration Warnings]",
        row("Validity of concentration measurement", ["OK"] * n),
        "",
        "[Information]",
        row("Vibration detected", ["No"] * n),
        "",
        "[Data Included],",
        "Size distribution - Number weighting - With Percentiles,",
        ",",
        "[Size Data],,",
        "Analysis Method,FTLA,",
        "Weighting,Number,",
        row("Filename", files, ["Average", "Standard Error"]),
    ]  # fmt: skip
    for label, key in (("Mean", "mean_nm"), ("Mode", "mode_nm"), ("SD", "sd_nm"),
                       ("D10", "d10_nm"), ("D50", "d50_nm"), ("D90", "d90_nm")):  # fmt: skip
        vals = [s[key] for s in stats]
        L.append(row(label, [f"{v:.1f}" for v in vals], avg_se(vals, ".1f")))
    L.append(row("Valid Tracks", [f"{c / 1e5:.1f}" for c in conc], ["", ""]))
    L.append("Graph Data,")
    L.append(
        ",".join(["Bin centre (nm)"] + ["Concentration (particles / ml)"] * n
                 + ["Concentration average", "Standard Error", ""])
    )  # fmt: skip
    se = per_video.std(axis=0, ddof=1) / np.sqrt(n)
    for i, c in enumerate(centres):
        cells = [f"{v:.0f}" for v in per_video[:, i]]
        L.append(",".join([f"{c:g}", *cells, f"{per_video[:, i].mean():.0f}", f"{se[i]:.0f}", ""]))
    L.append("")
    L.append(row("Percentile", ["Size (nm)"] * n))
    path.write_bytes(("\n".join(L) + "\n").encode("latin-1"))


@register_demo("vesicles", order=80)
def simulate(ctx: DemoContext) -> list[dict[str, Any]]:
    """Three USC-exosome preparations (donors D1–D3), measured at 1:200, 5 videos each."""
    rng = ctx.rng("vesicles")
    folder = ctx.raw_dir("vesicles")
    edges = np.arange(1001, dtype=float)
    per_file: dict[str, dict[str, Any]] = {}
    files = []
    for k, donor in enumerate(("D1", "D2", "D3"), start=1):
        mode = rng.normal(105, 8)
        conc_cuvette = rng.normal(3.0e8, 4e7)
        videos = []
        for _v in range(5):
            n_part = 20000
            sizes = rng.lognormal(np.log(mode) + 0.09, 0.3, n_part)
            counts, _ = np.histogram(sizes, edges)
            scale = conc_cuvette * rng.normal(1, 0.06) / n_part
            videos.append(counts * scale)
        name = f"USC-exo prep{k} {donor} d200"
        fname = f"USC_exo_prep{k}_d200-ExperimentSummary.csv"
        write_nanosight_summary(folder / fname, name=name, per_video=np.asarray(videos))
        files.append(str((folder / fname).relative_to(ctx.folder)))
        per_file[fname] = {"sample": f"USC-exo prep{k}", "dilution": 200.0, "volume_ml": 0.2}
    tem = np.round(rng.normal(95, 18, 24).clip(40, 160), 1)
    tem_file = folder / "tem_diameters.csv"  # as exported from ImageJ measurements
    tem_file.write_text(
        "image,diameter_nm\n" + "".join(f"tem_{i // 8 + 1},{d}\n" for i, d in enumerate(tem)),
        encoding="utf-8",
    )
    return [
        {
            "id": "nta",
            "kind": "nta",
            "title": "USC exosomes: nanoparticle tracking analysis",
            "files": files,
            "options": {"per_file": per_file},
        },
        {
            "id": "ev_characterisation",
            "kind": "ev_characterisation",
            "title": "USC exosomes: characterisation (MISEV2018)",
            "options": {
                "source": {
                    "cell_type": "human urine-derived stem cells (3 healthy adult donors)",
                    "passage": "P3",
                    "culture_medium": "USC complete medium, 10% exosome-free FBS",
                },
                "isolation": {
                    "method": "differential ultracentrifugation",
                    "steps": [
                        {"g": 300, "minutes": 10, "temperature_c": 4},
                        {"g": 2000, "minutes": 10, "temperature_c": 4},
                        {"g": 10000, "minutes": 30, "temperature_c": 4},
                        {"g": 100000, "minutes": 70, "temperature_c": 4, "keep": "pellet"},
                    ],
                },
                "protein": {"method": "BCA"},
                "tem": {"done": True, "diameters_file": str(tem_file.relative_to(ctx.folder))},
                "markers": [
                    {"name": "CD9", "result": "positive"},
                    {"name": "CD63", "result": "positive"},
                    {"name": "TSG101", "result": "positive"},
                ],
                "function": {
                    "controls": ["GW4869 (exosome-release inhibitor)"],
                    "dose": "10 µg/mL",
                },
            },
        },
        {
            "id": "usc_identity",
            "kind": "usc_identity",
            "title": "USC identity",
            "options": {
                "trilineage": [
                    {"stain": "alizarin_red_s", "result": "positive"},
                    {"stain": "alcian_blue", "result": "positive"},
                    {"stain": "oil_red_o", "result": "positive"},
                ],
                "markers": [
                    {"marker": m, "expected": "positive", "result": "positive"}
                    for m in ("CD29", "CD44", "CD73", "CD90")
                ]
                + [
                    {"marker": m, "expected": "negative", "result": "negative"}
                    for m in ("CD34", "CD45")
                ],
            },
        },
    ]
