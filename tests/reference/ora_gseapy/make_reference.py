"""Reference ORA results from gseapy.enrich on real gene sets (run once; tests need no gseapy).

Run from the repository root with ../shared/data found (or EXODISC_SHARED set):
    python tests/reference/ora_gseapy/make_reference.py
Writes lists.tsv (three seeded random gene lists from the Enrichr KEGG_2016 genes, with 40
genes of the TNF and Toll-like receptor pathways added to the first) and gseapy_enrich_kegg2016.tsv.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import gseapy
import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
_FOUND = next((p / "shared" for p in HERE.parents if (p / "shared" / "data").is_dir()), None)
SHARED = Path(os.environ.get("EXODISC_SHARED", str(_FOUND)))
GMT = SHARED / "data" / "gene_sets" / "enrichr.KEGG_2016.gmt.gz"


def main() -> None:
    sets: dict[str, list[str]] = {}
    with gzip.open(GMT, "rt") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            sets[f[0]] = list(dict.fromkeys(g for g in f[2:] if g))
    universe = sorted({g for v in sets.values() for g in v})
    rng = np.random.default_rng(42)
    lists = []
    for i in range(3):
        genes = list(rng.choice(universe, 150 + 100 * i, replace=False))
        if i == 0:
            genes += sets["TNF signaling pathway Homo sapiens hsa04668"][:25]
            genes += sets["Toll-like receptor signaling pathway Homo sapiens hsa04620"][:15]
        lists.append(list(dict.fromkeys(genes)))
    pd.DataFrame(
        [(i, g) for i, lst in enumerate(lists) for g in lst], columns=["list", "gene"]
    ).to_csv(HERE / "lists.tsv", sep="\t", index=False)
    frames = []
    for i, lst in enumerate(lists):
        enr = gseapy.enrich(
            gene_list=lst,
            gene_sets=sets,
            background=universe,
            outdir=None,
            cutoff=1.0,
            no_plot=True,
            verbose=False,
        )
        res = enr.results[["Term", "Overlap", "P-value", "Adjusted P-value", "Genes"]].copy()
        res.insert(0, "list", i)
        frames.append(res)
    out = pd.concat(frames).sort_values(["list", "Term"])
    out.to_csv(HERE / "gseapy_enrich_kegg2016.tsv", sep="\t", index=False, float_format="%.17g")
    (HERE / "VERSIONS.txt").write_text(f"gseapy {gseapy.__version__}\nnumpy {np.__version__}\n")


if __name__ == "__main__":
    main()
