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
    """Groups, donors and comparisons of the seed study (Fig. 5–7 design).

    Examples
    --------
    >>> from exodisc.demo import demo_design
    >>> design = demo_design()
    >>> [g["id"] for g in design["groups"]], len(design["samples"])
    (['ctrl', 'il1b', 'usc', 'usc_gw', 'exo'], 15)
    """
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


_BLOCK_COMMENTS = {
    "title": "Study title: the report's heading.",
    "simulated": "true marks simulated data; the report says so on every page.",
    "seed": "Every random step (permutations, jitter, simulations) derives from this seed.",
    "groups": "Experimental groups in display order; role 'control' is the default reference.",
    "samples": "One entry per biological replicate; 'donor' pairs samples across groups.",
    "paired": "true: donors are matched across groups (paired / repeated-measures tests).",
    "comparisons": "Only these are tested; each mark means one reference group in legends.",
    "thresholds": "alpha for group tests, |log2 FC| and FDR cut-offs for sequencing.",
    "statistics": "Group-comparison test, post-hoc and error bars (an assay may override).",
    "assays": "One entry per assay: 'kind' picks the analysis, 'options' its settings.",
}


def _write_yaml(data: dict[str, Any], path: Path) -> None:
    """Write the example study as a commented template: no YAML anchors, a comment per block."""
    import json

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from exodisc.registry import assay_kinds

    # a JSON round trip gives every node its own object, so the dumper writes no &id001 anchors
    plain = json.loads(json.dumps(data, default=str, ensure_ascii=False))

    def commented(node: Any) -> Any:
        if isinstance(node, dict):
            out = CommentedMap()
            for k, v in node.items():
                out[k] = commented(v)
            return out
        if isinstance(node, list):
            return CommentedSeq([commented(v) for v in node])
        return node

    doc = commented(plain)
    for key, text in _BLOCK_COMMENTS.items():
        if key in doc and key != "title":
            doc.yaml_set_comment_before_after_key(key, before="\n" + text)
    kinds = assay_kinds()
    for i, assay in enumerate(doc.get("assays") or []):
        kind = assay.get("kind")
        title = kinds[kind].title if kind in kinds else kind
        doc["assays"].yaml_set_comment_before_after_key(i, before=f"{title}", indent=0)
    yaml = YAML(typ="rt")  # round-trip dumper: keeps the key order and the comments
    yaml.default_flow_style = False
    yaml.width = 100
    with path.open("w", encoding="utf-8") as fh:
        fh.write(
            "# exodisc example study: simulated data in real instrument formats.\n"
            "# Copy it as a template; every key is described in docs/study-file.md\n"
            "# (or `exodisc reference`). " + _BLOCK_COMMENTS["title"] + "\n"
        )
        yaml.dump(doc, fh)


def build_demo(out: str | Path, *, force: bool = False) -> Path:
    """Write the example study folder ``out/study`` (study.yaml + raw files).

    The folder is built beside ``out`` and renamed into place, so an interrupted build leaves
    nothing behind.

    Returns
    -------
    Path
        ``out / "study" / "study.yaml"``.

    Examples
    --------
    >>> from exodisc.demo import build_demo
    >>> build_demo("exodisc-demo")  # doctest: +SKIP
    PosixPath('/home/me/exodisc-demo/study/study.yaml')
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
