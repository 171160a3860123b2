"""The built-in example study: the seed study's design with simulated raw files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exodisc.config import load_study, parse_study
from exodisc.registry import DemoContext, demo_simulators
from exodisc.report import OutputExistsError, staging_folder

__all__ = ["DEMO_SEED", "build_demo", "demo_design"]

DEMO_SEED = 20240607


def demo_design() -> dict[str, Any]:
    """Groups, donors and comparisons of the seed study (Fig. 5–7 design)."""
    groups = [
        {"id": "ctrl", "label": "Control", "role": "control", "color": "#7F7F7F"},
        {"id": "il1b", "label": "IL-1β", "role": "model", "color": "#D55E00"},
        {"id": "usc", "label": "IL-1β + USC", "role": "treatment", "color": "#56B4E9"},
        {
            "id": "usc_gw",
            "label": "IL-1β + USC + GW4869",
            "role": "inhibitor",
            "color": "#CC79A7",
        },
        {"id": "exo", "label": "IL-1β + USC-Exos", "role": "treatment", "color": "#009E73"},
    ]
    samples = [
        {"id": f"{g['id']}_{r}", "group": g["id"], "replicate": r, "donor": f"D{r}"}
        for g in groups
        for r in (1, 2, 3)
    ]
    return {
        "title": "USC exosomes rescue IL-1β-induced degeneration of nucleus pulposus cells "
        "(built-in example, simulated data)",
        "description": (
            "Built-in example study following the design of the seed study (BMC "
            "Musculoskelet Disord 2024, doi:10.1186/s12891-024-07636-2): human nucleus "
            "pulposus cells treated with IL-1β (degeneration model), co-cultured with "
            "urine-derived stem cells (USC) with or without the exosome-release inhibitor "
            "GW4869, or treated with USC exosomes; three biological replicates. "
            "All raw files were written by the exodisc simulator in real instrument formats."
        ),
        "simulated": True,
        "seed": DEMO_SEED,
        "groups": groups,
        "samples": samples,
        "paired": False,
        "comparisons": [
            {"test": "il1b", "reference": "ctrl", "mark": "*"},
            {"test": "usc", "reference": "il1b", "mark": "#"},
            {"test": "usc_gw", "reference": "il1b", "mark": "#"},
            {"test": "exo", "reference": "il1b", "mark": "#"},
            {"test": "usc_gw", "reference": "usc", "mark": "&"},
        ],
        "thresholds": {"alpha": 0.05, "log2_fc": 1.0, "fdr": 0.05},
        "statistics": {"test": "anova", "posthoc": "bonferroni", "error_bars": "sd"},
    }


def _write_yaml(data: dict[str, Any], path: Path) -> None:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")  # round-trip dumper: keeps the key order of the dicts
    yaml.default_flow_style = False
    with path.open("w", encoding="utf-8") as fh:
        fh.write("# exodisc example study: simulated data in real instrument formats.\n")
        yaml.dump(data, fh)


def build_demo(out: str | Path, *, force: bool = False) -> Path:
    """Write the example study folder ``out/study`` (study.yaml + raw files).

    The folder is built beside ``out`` and renamed into place, so an interrupted build leaves
    nothing behind.

    Returns
    -------
    Path
        ``out / "study" / "study.yaml"``.
    """
    out = Path(out).absolute()
    if out.exists() and not force:
        msg = f"{out} exists already; choose another folder or pass --force to replace it"
        raise OutputExistsError(msg)
    with staging_folder(out) as tmp:
        folder = tmp / "study"
        folder.mkdir()
        design = demo_design()
        study = parse_study(design, path=folder / "study.yaml")
        ctx = DemoContext(folder=folder, study=study, seed=DEMO_SEED)
        assays: list[dict[str, Any]] = []
        for spec in demo_simulators():
            assays += spec.simulate(ctx)
        _write_yaml({**design, "assays": assays}, folder / "study.yaml")
        load_study(folder / "study.yaml")  # the demo must itself be a valid study
    return out / "study" / "study.yaml"
