"""``exodisc demo-reads``: the reads stage on the synthetic genome, feeding the DE sections.

Not a ``_demo.py`` plug-in on purpose: the built-in example study stays fast and needs no
aligner; this study runs the whole workflow (about a minute on two cores).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["build_reads_demo"]


def build_reads_demo(out: str | Path, *, force: bool = False) -> Path:
    """Write ``out/study`` (synthetic genome, reads, samplesheet, study.yaml); return its path.

    Two groups (control, IL-1β + USC-Exos) of two samples; the simulated effect doubles SIMA,
    LNC1, the circRNA and sim-miR-1-5p in the exosome group. The study has one ``reads``
    assay and the mRNA and miRNA DE assays, which take its counts without naming files (two
    lncRNAs and one circRNA are too few features for DESeq2's dispersion fit; their counts
    are in the reads section).
    """
    import shutil

    from ruamel.yaml import YAML

    from exodisc.reads._simulate import simulate_reads_dataset
    from exodisc.report import OutputExistsError

    out = Path(out)
    folder = out / "study"
    if folder.exists():
        if not force:
            msg = f"{folder} exists already; pass --force to replace it"
            raise OutputExistsError(msg)
        shutil.rmtree(folder)
    effects = {"ctrl_1": 1.0, "ctrl_2": 1.1, "exo_1": 4.0, "exo_2": 3.6}
    data = simulate_reads_dataset(folder / "data", samples=effects, seed=11, dispersion=0.05)
    rel = {k: str(Path(v).relative_to(folder)) for k, v in data.__dict__.items() if k != "circ_id"}
    study: dict[str, Any] = {
        "title": "Reads to DE on a synthetic genome (exodisc demo-reads, simulated data)",
        "simulated": True,
        "seed": 11,
        "groups": [
            {"id": "ctrl", "label": "Control", "role": "control"},
            {"id": "exo", "label": "IL-1β + USC-Exos", "role": "treatment"},
        ],
        "samples": [{"id": s, "group": s.split("_")[0], "replicate": int(s[-1])} for s in effects],
        "comparisons": [{"test": "exo", "reference": "ctrl", "mark": "#"}],
        "assays": [
            {
                "id": "reads",
                "kind": "reads",
                "files": [rel["samplesheet"]],
                "options": {
                    "genome": rel["genome"],
                    "gtf": rel["gtf"],
                    "mirbase_gff": rel["mirbase_gff"],
                    "hairpins": rel["hairpins"],
                    "cores": 2,
                },
            },
            *(
                {"id": kind, "kind": kind, "options": {"size_factors": "poscounts"}}
                for kind in ("mrna_counts", "mirna_counts")
            ),
        ],
    }
    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    path = folder / "study.yaml"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("# exodisc demo-reads: synthetic genome and simulated reads.\n")
        yaml.dump(study, fh)
    return path
