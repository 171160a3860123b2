"""Simulated whole-transcriptome counts with planted ceRNA triplets for the example study.

IL-1β, IL-1β + USC and IL-1β + USC-exosomes, three replicates each (the paper's sequencing
arm). Interactions are drawn from the real GDCRNATools tables (starBase / spongeScan
lncRNA–miRNA, miRTarBase mRNA–miRNA) when ``../shared/data/mirna_targets`` is found
(``EXODISC_SHARED`` or a ``shared`` folder beside a parent of the working directory or of the
package); otherwise from a synthetic interaction graph of the same shape, and the study says so.
Planted triplets: a lncRNA and the mRNAs sharing most miRNAs with it rise with the rescue,
their shared miRNAs fall; the background changes at random.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from exodisc.registry import DemoContext, register_demo

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PLANTED_FILE", "find_interaction_tables", "simulate"]

PLANTED_FILE = "planted_triplets.tsv"
_GROUPS = ("il1b", "usc", "exo")
_N_LNC, _N_MRNA, _N_PLANT, _PER_PLANT, _N_MIR_BG = 40, 150, 4, 3, 60


def find_interaction_tables() -> Path | None:
    """The ``mirna_targets`` folder of ``../shared/data`` if it can be found, else None."""
    env = os.environ.get("EXODISC_SHARED")
    cands = [Path(env)] if env else []
    for start in (Path.cwd(), Path(__file__).resolve()):
        cands += [p / "shared" for p in (start, *start.parents)]
    for c in cands:
        d = c / "data" / "mirna_targets"
        if (d / "gdcrnatools_mRNA_miRNA_interactions.tsv.gz").is_file():
            return d
    return None


def _real_tables(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    import pandas as pd

    lnc = pd.read_csv(folder / "gdcrnatools_lncRNA_miRNA_interactions.tsv.gz", sep="\t")
    mrna = pd.read_csv(folder / "gdcrnatools_mRNA_miRNA_interactions.tsv.gz", sep="\t")
    lnc = lnc[lnc["database"] != "miRcode"]
    mrna = mrna[mrna["database"] == "mirTarBase"]
    ren = {"ensembl_gene_id": "feature_id"}
    src = (
        "GDCRNATools bundled tables (lncRNA: starBase + spongeScan; mRNA: miRTarBase), "
        f"from {folder}"
    )
    return (
        lnc.rename(columns=ren)[["feature_id", "mirna"]].drop_duplicates(),
        mrna.rename(columns=ren)[["feature_id", "mirna"]].drop_duplicates(),
        src,
    )


def _synthetic_tables(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    import pandas as pd

    mirs = [f"hsa-miR-{1000 + i}-{'5p' if i % 2 else '3p'}" for i in range(400)]
    pop = rng.dirichlet(np.full(len(mirs), 0.5))
    rows_l = [
        (f"ENSGSYNL{i:06d}", m)
        for i in range(300)
        for m in rng.choice(mirs, size=int(rng.integers(2, 15)), replace=False, p=pop)
    ]
    rows_m = [
        (f"ENSGSYNM{i:06d}", m)
        for i in range(2000)
        for m in rng.choice(mirs, size=int(rng.integers(3, 40)), replace=False, p=pop)
    ]
    src = "synthetic interaction graph (../shared/data/mirna_targets was not found)"
    return (
        pd.DataFrame(rows_l, columns=["feature_id", "mirna"]),
        pd.DataFrame(rows_m, columns=["feature_id", "mirna"]),
        src,
    )


def _choose(
    lnc: pd.DataFrame, mrna: pd.DataFrame, rng: np.random.Generator
) -> tuple[list[str], list[str], list[tuple[str, str, list[str]]]]:
    """Background lncRNAs/mRNAs and planted (lncRNA, mRNA, shared miRNAs) triplets."""
    from scipy.stats import hypergeom

    lsize = lnc.groupby("feature_id").size()
    msize = mrna.groupby("feature_id").size()
    lcand = sorted(lsize.index[(lsize >= 4) & (lsize <= 40)])
    mcand = sorted(msize.index[(msize >= 4) & (msize <= 60)])
    lsel = list(rng.choice(lcand, size=min(_N_LNC, len(lcand)), replace=False))
    lt = lnc[lnc["feature_id"].isin(set(lsel))]
    mt = mrna[mrna["feature_id"].isin(set(mcand))]
    big_n = len(set(lnc["mirna"]) | set(mrna["mirna"]))
    both = lt.merge(mt, on="mirna", suffixes=("_l", "_m"))
    k = both.groupby(["feature_id_l", "feature_id_m"]).size().rename("k").reset_index()
    k = k[k["k"] >= 3]
    k["p"] = hypergeom.sf(
        k["k"] - 1,
        big_n,
        msize.loc[k["feature_id_m"]].to_numpy(),
        lsize.loc[k["feature_id_l"]].to_numpy(),
    )
    scored = []
    for ln, grp in k.sort_values(["p", "feature_id_m"]).groupby("feature_id_l", sort=True):
        if len(grp) >= _PER_PLANT:
            top = grp.iloc[:_PER_PLANT]
            scored.append((float(top["p"].iloc[-1]), str(ln), list(top["feature_id_m"])))
    lsets = lt.groupby("feature_id")["mirna"].apply(frozenset).to_dict()
    msets = mt.groupby("feature_id")["mirna"].apply(frozenset).to_dict()
    scored.sort()
    planted: list[tuple[str, str, list[str]]] = []
    used: set[str] = set()
    for _, ln, genes in scored:
        genes = [g for g in genes if g not in used]
        if len(genes) < _PER_PLANT:
            continue
        for g in genes:
            planted.append((ln, g, sorted(lsets[ln] & msets[g])))
            used.add(g)
        if len({p[0] for p in planted}) == _N_PLANT:
            break
    rest = sorted(set(mcand) - used)
    bg = list(rng.choice(rest, size=min(_N_MRNA - len(used), len(rest)), replace=False))
    return sorted(lsel), sorted(used | set(bg)), planted


def _counts(logmu: np.ndarray, rng: np.random.Generator, disp: float = 0.01) -> np.ndarray:
    mu = np.exp(logmu)
    size = 1.0 / disp
    return rng.negative_binomial(size, size / (size + mu))


def _write_matrix(
    path: Path, ids: list[str], counts: np.ndarray, samples: list[str], first: str
) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("\t".join([first, *samples]) + "\n")
        for i, f in enumerate(ids):
            fh.write("\t".join([f, *(str(int(v)) for v in counts[i])]) + "\n")


@register_demo("cerna", order=80)
def simulate(ctx: DemoContext) -> list[dict[str, Any]]:
    """Write lncRNA, mRNA and miRNA count matrices, target tables and the planted triplets."""
    import pandas as pd

    rng = ctx.rng("cerna")
    folder = find_interaction_tables()
    lnc_all, mrna_all, source = _real_tables(folder) if folder else _synthetic_tables(rng)
    lncs, mrnas, planted = _choose(lnc_all, mrna_all, rng)
    t_l = lnc_all[lnc_all["feature_id"].isin(set(lncs))].sort_values(["feature_id", "mirna"])
    t_m = mrna_all[mrna_all["feature_id"].isin(set(mrnas))].sort_values(["feature_id", "mirna"])
    planted_mirs = sorted({m for _, _, ms in planted for m in ms})
    others = sorted((set(t_l["mirna"]) | set(t_m["mirna"])) - set(planted_mirs))
    mirs = sorted(
        planted_mirs + list(rng.choice(others, size=min(_N_MIR_BG, len(others)), replace=False))
    )

    samples = [s for s in ctx.study.samples if s.group in _GROUPS]
    names = [s.id for s in samples]
    health = np.array([ctx.rescue(s.group) for s in samples])  # il1b 0, usc 0.5, exo 0.75
    donor = {d: rng.normal(0, 0.1) for d in sorted({str(s.donor) for s in samples})}
    dshift = np.array([donor[str(s.donor)] for s in samples])
    plant_l = {p[0] for p in planted}
    {p[1] for p in planted}
    # one latent rescue factor per planted lncRNA, shared by its mRNAs (and, negatively, miRNAs)
    latent = {ln: 2.6 * health + rng.normal(0, 0.15, len(samples)) for ln in sorted(plant_l)}
    mr_of = {p[1]: p[0] for p in planted}
    mir_of: dict[str, str] = {}
    for ln, _, ms in planted:
        for m in ms:
            mir_of.setdefault(m, ln)

    def block(ids: list[str], mean: float, planted_ids: dict[str, str], sign: float) -> np.ndarray:
        base = rng.normal(mean, 1.0, len(ids))
        changed = rng.random(len(ids)) < 0.12
        eff = np.where(
            changed, rng.choice([-1.0, 1.0], len(ids)) * rng.uniform(1.5, 2.5, len(ids)), 0.0
        )
        out = np.empty((len(ids), len(samples)))
        for i, f in enumerate(ids):
            shape = sign * latent[planted_ids[f]] if f in planted_ids else eff[i] * health
            out[i] = base[i] + np.log(2) * shape + dshift + rng.normal(0, 0.08, len(samples))
        return _counts(out, rng)

    out = ctx.raw_dir("cerna")
    c_l = block(lncs, 5.5, {x: x for x in plant_l}, 1.0)
    c_m = block(mrnas, 6.5, mr_of, 1.0)
    c_mi = block(mirs, 6.0, mir_of, -1.0)
    # miRNA matrix as many small-RNA pipelines write it: miRBase names without the species prefix
    mir_names = [m.removeprefix("hsa-") for m in mirs]
    _write_matrix(out / "lncrna_counts.tsv", lncs, c_l, names, "gene_id")
    _write_matrix(out / "mrna_counts.tsv", mrnas, c_m, names, "gene_id")
    _write_matrix(out / "mirna_counts.tsv", mir_names, c_mi, names, "miRNA")
    t_l.to_csv(out / "lncrna_mirna_targets.tsv", sep="\t", index=False, lineterminator="\n")
    t_m.to_csv(out / "mrna_mirna_targets.tsv", sep="\t", index=False, lineterminator="\n")
    pd.DataFrame(
        [(ln, g, ";".join(ms)) for ln, g, ms in planted], columns=["cerna", "mrna", "mirnas"]
    ).to_csv(out / PLANTED_FILE, sep="\t", index=False, lineterminator="\n")
    (out / "README.txt").write_text(f"Interaction tables: {source}.\n", encoding="utf-8")
    rel = {
        k: str((out / v).relative_to(ctx.folder))
        for k, v in {
            "expr_cerna": "lncrna_counts.tsv",
            "expr_mrna": "mrna_counts.tsv",
            "expr_mirna": "mirna_counts.tsv",
            "targets_cerna": "lncrna_mirna_targets.tsv",
            "targets_mrna": "mrna_mirna_targets.tsv",
        }.items()
    }
    return [
        {
            "id": "cerna_lncrna",
            "kind": "cerna",
            "title": "ceRNA network (lncRNA–miRNA–mRNA)",
            "files": list(rel.values()),
            "options": {"cerna_class": "lncRNA", "test": "exo", "reference": "il1b", **rel},
        }
    ]
