"""Demo: a limma topTable export for the cross-link, plus the knowledge assay entry."""

from __future__ import annotations

from typing import Any

from exodisc.registry import DemoContext, register_demo

__all__ = ["simulate"]

# genes the knowledge knows (seed markers, curated targets) plus background genes
_GENES = {
    "SOX9": 1.0,
    "COL2A1": 1.2,
    "ACAN": 0.9,
    "FOS": 1.5,
    "FOSB": 1.3,
    "ITPRIPL2": 1.1,
    "HYI": -1.1,
    "OVCA2": -1.0,
    "S100A10": -1.2,
    "GREM1": -0.8,
    "TRAF6": -0.6,
    "EZH2": -0.4,
    "BACH1": -0.5,
    "MMP3": -1.4,
    "TLR4": -0.3,
}


@register_demo("knowledge", order=990)
def simulate(ctx: DemoContext) -> list[dict[str, Any]]:
    """Write ``raw/knowledge/exo_vs_il1b_toptable.tsv`` (limma ``topTable`` layout)."""
    import numpy as np
    import pandas as pd
    from scipy import stats

    rng = ctx.rng("knowledge")
    rescue = ctx.rescue("exo") - ctx.rescue("il1b")
    genes = list(_GENES) + [f"GENE{i:03d}" for i in range(1, 41)]
    true = np.array([_GENES.get(g, 0.0) * rescue * 2.0 for g in genes])
    se = 0.2
    logfc = true + rng.normal(0, se, len(genes))
    t = logfc / se
    p = 2 * stats.t.sf(np.abs(t), df=10)
    from exodisc.core import p_adjust

    adj = p_adjust(p, "bh")
    table = pd.DataFrame(
        {
            "logFC": logfc,
            "AveExpr": rng.normal(8, 1.5, len(genes)),
            "t": t,
            "P.Value": p,
            "adj.P.Val": adj,
            "B": rng.normal(0, 1, len(genes)),
        },
        index=pd.Index(genes),
    ).sort_values("P.Value")
    out = ctx.raw_dir("knowledge") / "exo_vs_il1b_toptable.tsv"
    table.to_csv(out, sep="\t", float_format="%.6g", lineterminator="\n")
    return [
        {
            "id": "knowledge",
            "kind": "knowledge",
            "title": "Known therapeutic axes in this study",
            "files": [str(out.relative_to(ctx.folder))],
            "options": {"contrast": "exo vs il1b"},
        }
    ]
