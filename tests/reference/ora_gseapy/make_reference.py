"""Reference ORA results from gseapy.enrich on real gene sets (run once; tests need no gseapy).

Run from the repository root with ../shared/data found (or EXODISC_SHARED set):
    python tests/reference/ora_gseapy/make_reference.py
Writes lists.tsv (three seeded random gene lists from the Enrichr KEGG_2016 genes, with 40
genes of the TNF and Toll-like receptor pathways added to the first) and gseapy_enrich_kegg2016.tsv.

Also (needs only the repository: the Reactome GMT is shipped in tests/data, CC0) writes
lists_reactome.tsv and gseapy_enrich_reactome.tsv, the same design on Reactome pathways, so
a bare clone tests ORA against gseapy too (KEGG's licence forbids shipping its library).
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
REACTOME = HERE.parents[1] / "data" / "gene_sets" / "ReactomePathways_markziemann_2021.gmt.gz"


def _read(gmt: Path) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    with gzip.open(gmt, "rt") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            sets[f[0]] = list(dict.fromkeys(g for g in f[2:] if g))
    return sets


def main() -> None:
    if GMT.is_file():
        reference(GMT, ("TNF signaling pathway Homo sapiens hsa04668",
                        "Toll-like receptor signaling pathway Homo sapiens hsa04620"),
                  "lists.tsv", "gseapy_enrich_kegg2016.tsv")  # fmt: skip
    reference(REACTOME, ("TNF-signaling", "Interleukin-1-signaling"),
              "lists_reactome.tsv", "gseapy_enrich_reactome.tsv")  # fmt: skip
    (HERE / "VERSIONS.txt").write_text(f"gseapy {gseapy.__version__}\nnumpy {np.__version__}\n")


def reference(gmt: Path, planted: tuple[str, str], lists_name: str, out_name: str) -> None:
    sets = _read(gmt)
    universe = sorted({g for v in sets.values() for g in v})
    rng = np.random.default_rng(42)
    lists = []
    for i in range(3):
        genes = list(rng.choice(universe, 150 + 100 * i, replace=False))
        if i == 0:
            genes += sets[planted[0]][:25]
            genes += sets[planted[1]][:15]
        lists.append(list(dict.fromkeys(genes)))
    pd.DataFrame(
        [(i, g) for i, lst in enumerate(lists) for g in lst], columns=["list", "gene"]
    ).to_csv(HERE / lists_name, sep="\t", index=False)
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
    out.to_csv(HERE / out_name, sep="\t", index=False, float_format="%.17g")


if __name__ == "__main__":
    main()
