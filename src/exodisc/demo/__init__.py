"""The built-in example study (seed-study design, simulated raw files).

Names are imported on first use, so that ``import exodisc.demo`` stays light and the assay
simulators can import the shared gene universe without a cycle through the study builder.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exodisc.demo._build import DEMO_SEED, build_demo, demo_design
    from exodisc.demo._genes import (
        ANNOTATION_FILE,
        GO_SETS,
        IL1B_DOWN,
        IL1B_UP,
        KEGG_SETS,
        annotated_genes,
    )

_WHERE = {
    "DEMO_SEED": "_build",
    "build_demo": "_build",
    "demo_design": "_build",
    "ANNOTATION_FILE": "_genes",
    "GO_SETS": "_genes",
    "IL1B_DOWN": "_genes",
    "IL1B_UP": "_genes",
    "KEGG_SETS": "_genes",
    "annotated_genes": "_genes",
}

__all__ = [
    "ANNOTATION_FILE",
    "DEMO_SEED",
    "GO_SETS",
    "IL1B_DOWN",
    "IL1B_UP",
    "KEGG_SETS",
    "annotated_genes",
    "build_demo",
    "demo_design",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"exodisc.demo.{_WHERE[name]}"), name)
    msg = f"module 'exodisc.demo' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted(__all__)
