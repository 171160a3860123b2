"""Reference GSEA results from gseapy.prerank (run once; the test does not need gseapy).

Run from the repository root, with ../shared/data beside it (or EXODISC_SHARED set):
    python tests/reference/gsea_gseapy/make_reference.py
Writes ranking.tsv.gz (synthetic ranking over the MSigDB Hallmark v7.0 genes, with three
sets shifted up or down) and gseapy_prerank_1000.tsv (gseapy 1.3.1, 1,000 permutations),
and gseapy_esnull_small.tsv: gseapy's own null ES (``GSEASummary.esnull``) for a small
synthetic ranking, to check the permutation stream of ``gsea(..., rng="gseapy")`` exactly,
and gseapy_prerank_small_w0.tsv: the same ranking with weight 0 (tied null ES), seed 99.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import gseapy
import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("EXODISC_SHARED", HERE.parents[3] / "shared"))
GMT = SHARED / "data" / "gene_sets" / "h.all.v7.0.symbols.gmt.gz"


def main() -> None:
    sets: dict[str, list[str]] = {}
    with gzip.open(GMT, "rt") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            sets[f[0]] = [g for g in f[2:] if g]
    genes = sorted({g for v in sets.values() for g in v})
    rng = np.random.default_rng(7)
    score = pd.Series(rng.normal(0, 1, len(genes)), index=genes)
    for term, shift in [
        ("HALLMARK_TNFA_SIGNALING_VIA_NFKB", 0.8),
        ("HALLMARK_INFLAMMATORY_RESPONSE", 0.5),
        ("HALLMARK_OXIDATIVE_PHOSPHORYLATION", -0.7),
    ]:
        score[sets[term]] += shift
    score = score.round(6)
    score = score[~score.duplicated()]  # no ties: the order is then unambiguous
    ranking = score.sort_values(ascending=False).rename("score").rename_axis("gene")
    ranking.to_csv(HERE / "ranking.tsv.gz", sep="\t", float_format="%.6f")
    gmt_plain = HERE / "_h.gmt"
    with gmt_plain.open("w") as fh:
        for k, v in sets.items():
            fh.write("\t".join([k, "na", *v]) + "\n")
    res = gseapy.prerank(
        rnk=ranking.reset_index(),
        gene_sets=str(gmt_plain),
        permutation_num=1000,
        min_size=15,
        max_size=500,
        weight=1.0,
        seed=11,
        threads=1,
        outdir=None,
        no_plot=True,
        verbose=False,
    )
    gmt_plain.unlink()
    out = res.res2d[["Term", "ES", "NES", "NOM p-val", "FDR q-val", "Lead_genes"]]
    out = out.sort_values("Term")
    out.to_csv(HERE / "gseapy_prerank_1000.tsv", sep="\t", index=False, float_format="%.17g")
    (HERE / "VERSIONS.txt").write_text(f"gseapy {gseapy.__version__}\nnumpy {np.__version__}\n")


def make_null_fixture() -> None:
    """Null ES of every permutation, straight from gseapy's Rust engine (no file output)."""
    from gseapy.gse import prerank_rs

    rng = np.random.default_rng(5)
    n = 300
    genes = [f"G{i:03d}" for i in range(n)]
    score = np.round(np.sort(rng.normal(size=n))[::-1], 6)
    sets = {
        "top": genes[0:120:4],
        "spread": genes[1:300:10],
        "bottom": genes[240:300:2],
    }
    res = prerank_rs(genes, score.tolist(), sets, 1.0, 5, 500, 200, 1, 2024)
    pd.DataFrame({"gene": genes, "score": score}).to_csv(
        HERE / "small_ranking.tsv", sep="\t", index=False, float_format="%.6f"
    )
    with (HERE / "small_sets.gmt").open("w") as fh:
        for k, v in sets.items():
            fh.write("\t".join([k, "na", *v]) + "\n")
    cols = {s.term: s.esnull for s in sorted(res.summaries, key=lambda x: x.term)}
    null = pd.DataFrame(cols)
    null.insert(0, "permutation", np.arange(1, len(null) + 1))
    null.to_csv(HERE / "gseapy_esnull_small.tsv", sep="\t", index=False, float_format="%.17g")
    # weight 0 (classic KS): discrete null ES with many exact ties
    picks = np.random.default_rng(8)
    sets0 = {f"random{j}": list(picks.choice(genes, 20, replace=False)) for j in range(6)}
    res0 = prerank_rs(genes, score.tolist(), {**sets, **sets0}, 0.0, 5, 500, 200, 1, 99)
    with (HERE / "small_sets_w0.gmt").open("w") as fh:
        for k, v in sets0.items():
            fh.write("\t".join([k, "na", *v]) + "\n")
    rows = [
        {"term": s.term, "es": s.es, "nes": s.nes, "pval": s.pval, "fdr": s.fdr}
        for s in sorted(res0.summaries, key=lambda x: x.term)
    ]
    pd.DataFrame(rows).to_csv(
        HERE / "gseapy_prerank_small_w0.tsv", sep="\t", index=False, float_format="%.17g"
    )


def make_full_fixture() -> None:
    """Every column of gseapy's prerank table (FWER P, Tag %, Gene % too), on ranking.tsv.gz."""
    sets: dict[str, list[str]] = {}
    with gzip.open(GMT, "rt") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            sets[f[0]] = [g for g in f[2:] if g]
    ranking = pd.read_csv(HERE / "ranking.tsv.gz", sep="\t")
    res = gseapy.prerank(
        rnk=ranking,
        gene_sets=sets,
        permutation_num=1000,
        min_size=15,
        max_size=500,
        weight=1.0,
        seed=11,
        threads=1,
        outdir=None,
        no_plot=True,
        verbose=False,
    )
    cols = ["Term", "ES", "NES", "NOM p-val", "FDR q-val", "FWER p-val", "Tag %", "Gene %"]
    out = res.res2d[[*cols, "Lead_genes"]].sort_values("Term")
    out.to_csv(HERE / "gseapy_prerank_1000_full.tsv", sep="\t", index=False, float_format="%.17g")


if __name__ == "__main__":
    main()
    make_null_fixture()
    make_full_fixture()
