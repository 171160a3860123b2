"""Demo: a QuantStudio 7 Flex text export with SOX9, COL2A1, ACAN and GAPDH for five groups."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exodisc.registry import DemoContext, register_demo

__all__ = ["simulate", "write_quantstudio_text"]

#: Ct of each target in healthy control cells, and the ΔCt the IL-1β model adds.
_BASE = {"GAPDH": 17.8, "SOX9": 24.2, "COL2A1": 21.6, "ACAN": 23.1}
_MODEL_SHIFT = {"GAPDH": 0.0, "SOX9": 1.8, "COL2A1": 2.3, "ACAN": 2.0}
_REPORTER = {"GAPDH": "VIC", "SOX9": "FAM", "COL2A1": "FAM", "ACAN": "FAM"}


def write_quantstudio_text(path: Path, rows: list[dict[str, Any]], *, name: str) -> None:
    """Write wells in the QuantStudio 7 Flex text export layout (header, Sample Setup, Results).

    ``rows``: dicts with ``well`` (1-based index on a 384-well plate), ``sample``, ``target``,
    ``task``, ``ct`` (float or None for Undetermined).
    """
    header = [
        "* Block Type = 384-Well Block",
        "* Chemistry = TAQMAN",
        f"* Experiment File Name = {name}.eds",
        f"* Experiment Name = {name}",
        "* Experiment Type = Comparative Cт (ΔΔCт) ",
        "* Instrument Type = QuantStudio(TM) 7 Flex System",
        "* Passive Reference = ROX",
        "* Quantification Cycle Method = Ct",
        "",
    ]

    def pos(i: int) -> str:
        return f"{chr(ord('A') + (i - 1) // 24)}{(i - 1) % 24 + 1}"

    setup = [
        "[Sample Setup]",
        "Well\tWell Position\tSample Name\tTarget Name\tTask\tReporter\tQuencher\tQuantity",
    ]
    results = [
        "[Results]",
        "Well\tWell Position\tOmit\tSample Name\tTarget Name\tTask\tReporter\tQuencher\tCT\t"
        "Ct Threshold\tAutomatic Baseline\tBaseline Start\tBaseline End",
    ]
    for r in rows:
        rep = _REPORTER.get(r["target"], "FAM")
        setup.append(
            f"{r['well']}\t{pos(r['well'])}\t{r['sample']}\t{r['target']}\t{r['task']}\t{rep}"
            "\tNFQ-MGB\t"
        )
        ct = "Undetermined" if r["ct"] is None else f"{r['ct']:.3f}"
        results.append(
            f"{r['well']}\t{pos(r['well'])}\tfalse\t{r['sample']}\t{r['target']}\t{r['task']}"
            f"\t{rep}\tNFQ-MGB\t{ct}\t0.200\ttrue\t3\t15"
        )
    # the analysis settings QuantStudio writes below its results (the RQ min/max level is read)
    footer = [
        "Analysis Type = Singleplex",
        "Endogenous Control = GAPDH",
        "RQ Min/Max Confidence Level = 95.0",
    ]
    path.write_text("\n".join([*header, *setup, "", *results, "", *footer, ""]), encoding="utf-8")


@register_demo("qpcr", order=30)
def simulate(ctx: DemoContext) -> list[dict[str, Any]]:
    """SOX9, COL2A1, ACAN vs GAPDH, 3 technical replicates, one NTC per target."""
    rng = ctx.rng("qpcr")
    rows: list[dict[str, Any]] = []
    well = 1
    for s in ctx.study.samples:
        health = ctx.rescue(s.group)
        sample_shift = float(rng.normal(0, 0.25))  # RNA input of this biological replicate
        for target in ("GAPDH", "SOX9", "COL2A1", "ACAN"):
            bio = float(rng.normal(0, 0.2)) if target != "GAPDH" else 0.0
            mean = _BASE[target] + sample_shift + bio + _MODEL_SHIFT[target] * (1 - health)
            for _ in range(3):
                rows.append(
                    {
                        "well": well,
                        "sample": s.id,
                        "target": target,
                        "task": "UNKNOWN",
                        "ct": mean + float(rng.normal(0, 0.08)),
                    }
                )
                well += 1
    for target in ("GAPDH", "SOX9", "COL2A1", "ACAN"):
        rows.append({"well": well, "sample": "NTC", "target": target, "task": "NTC", "ct": None})
        well += 1
    path = ctx.raw_dir("qpcr") / "qpcr_quantstudio_results.txt"
    write_quantstudio_text(path, rows, name="exodisc demo qPCR")
    return [
        {
            "id": "qpcr",
            "kind": "qpcr",
            "title": "Chondrogenic markers (RT-qPCR)",
            "files": [str(path.relative_to(ctx.folder))],
            "options": {"reference": ["GAPDH"]},
        }
    ]
