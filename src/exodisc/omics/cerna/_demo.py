"""Simulated whole-transcriptome counts with planted ceRNA triplets for the example study.

IL-1β, IL-1β + USC and IL-1β + USC-exosomes, three replicates each (the paper's sequencing
arm). Interactions come from the resources shipped inside the package (``exodisc resources
list``): ``mirna_targets`` (starBase mRNA–miRNA and starBase / spongeScan lncRNA–miRNA, as
Bioconductor's GDCRNATools redistributes them; miRTarBase is not shipped, its licence grants
no redistribution) and ``circrna_mirna_hits`` (pycircdb TargetScan/miRanda sites); miRNA names
are checked against ``mirbase`` (miRBase 22) and the network's mRNAs are tested against
``go_bp`` and ``reactome``. The result is the same with or without ``../shared``. Only if the
shipped files are missing or damaged does the demo fall back to a synthetic interaction graph,
and then the section titles and README say so.
Planted triplets: a lncRNA and the mRNAs sharing most miRNAs with it rise with the rescue,
their shared miRNAs fall; the background changes at random.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from exodisc.registry import DemoContext, register_demo

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PLANTED_FILE", "find_interaction_tables", "simulate"]

#: Shipped resources the cerna part of the example study rests on.
TARGETS, CIRC_HITS, MIRBASE, ID_MAP = "mirna_targets", "circrna_mirna_hits", "mirbase", "gene_map"
#: Gene sets the network's mRNAs are tested against: label -> shipped resource name.
ENRICHMENT = {"GO biological process": "go_bp", "Reactome": "reactome"}

PLANTED_FILE = "planted_triplets.tsv"
_GROUPS = ("il1b", "usc", "exo")
_N_LNC, _N_CIRC, _N_MRNA, _PER_PLANT, _N_MIR_BG = 40, 30, 150, 3, 400
_N_PLANT, _N_PLANT_CIRC = 4, 2


def find_interaction_tables() -> dict[str, Any] | None:
    """The shipped resources the demo needs (name -> ResourceRecord), or None where any is
    missing or fails its sha256 (then the demo falls back to a synthetic graph, visibly)."""
    from exodisc.errors import ResourceError
    from exodisc.omics.resources import locate

    try:
        return {n: locate(n) for n in (TARGETS, CIRC_HITS, MIRBASE, ID_MAP, *ENRICHMENT.values())}
    except ResourceError:
        return None


def _label(rec: Any) -> str:
    return f"{rec.name} {str(rec.version).split(';')[0]}"


def _real_tables(recs: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    import pandas as pd

    rec = recs[TARGETS]
    tab = pd.read_csv(rec.path, sep="\t", dtype=str)
    ren = {"ensembl_gene_id": "feature_id"}
    lnc = tab[tab["target_class"] == "lncRNA"]
    mrna = tab[tab["target_class"] == "mRNA"]
    dbs = {
        cls: " + ".join(sorted(set(t["database"]))) for cls, t in (("lncRNA", lnc), ("mRNA", mrna))
    }
    src = (
        f"shipped resource {_label(rec)} (sha256 {rec.sha256[:12]}; lncRNA: {dbs['lncRNA']}; "
        f"mRNA: {dbs['mRNA']}, as Bioconductor's GDCRNATools redistributes them)"
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
    src = (
        "SIMULATED interaction graph: the shipped resource mirna_targets is missing or damaged "
        "(run 'exodisc resources verify')"
    )
    return (
        pd.DataFrame(rows_l, columns=["feature_id", "mirna"]),
        pd.DataFrame(rows_m, columns=["feature_id", "mirna"]),
        src,
    )


def _choose(
    cer: pd.DataFrame,
    mrna: pd.DataFrame,
    rng: np.random.Generator,
    *,
    n_cerna: int,
    n_plant: int,
    taken: set[str],
    size: tuple[int, int] = (4, 40),
    p_max: float = 1e-4,
) -> tuple[list[str], list[tuple[str, str, list[str]]]]:
    """Background ceRNAs and planted (ceRNA, mRNA, shared miRNAs) triplets.

    Planted ceRNAs are those of every candidate whose third-best mRNA shares miRNAs with it
    at hypergeometric P below ``p_max`` (best first); the rest of the ``n_cerna`` are drawn
    at random from the other candidates.
    """
    from scipy.stats import hypergeom

    lsize = cer.groupby("feature_id").size()
    msize = mrna.groupby("feature_id").size()
    lcand = sorted(lsize.index[(lsize >= size[0]) & (lsize <= size[1])])
    mcand = sorted(set(msize.index[(msize >= 4) & (msize <= 60)]) - taken)
    lt = cer[cer["feature_id"].isin(set(lcand))]
    mt = mrna[mrna["feature_id"].isin(set(mcand))]
    big_n = len(set(cer["mirna"]) | set(mrna["mirna"]))
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
        if len(grp) >= _PER_PLANT and grp["p"].iloc[_PER_PLANT - 1] < p_max:
            top = grp.iloc[:_PER_PLANT]
            scored.append((float(top["p"].iloc[-1]), str(ln), list(top["feature_id_m"])))
    lsets = lt.groupby("feature_id")["mirna"].apply(frozenset).to_dict()
    msets = mt.groupby("feature_id")["mirna"].apply(frozenset).to_dict()
    scored.sort()
    planted: list[tuple[str, str, list[str]]] = []
    used: set[str] = set()
    for _, ln, genes in scored:
        if len({p[0] for p in planted}) == n_plant:
            break
        genes = [g for g in genes if g not in used]
        if len(genes) < _PER_PLANT:
            continue
        for g in genes:
            planted.append((ln, g, sorted(lsets[ln] & msets[g])))
            used.add(g)
    chosen = sorted({p[0] for p in planted})
    rest = [c for c in lcand if c not in set(chosen)]
    n_bg = max(0, min(n_cerna - len(chosen), len(rest)))
    return sorted(chosen + [str(c) for c in rng.choice(rest, size=n_bg, replace=False)]), planted


def _circ_table(recs: dict[str, Any]) -> pd.DataFrame:
    import pandas as pd

    return pd.read_csv(recs[CIRC_HITS].path, sep="\t", dtype=str, keep_default_na=False)


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
    """Write lncRNA, circRNA, mRNA and miRNA counts, target tables and the planted triplets."""
    import pandas as pd

    rng = ctx.rng("cerna")
    recs = find_interaction_tables()
    lnc_all, mrna_all, source = _real_tables(recs) if recs else _synthetic_tables(rng)
    circ_raw = _circ_table(recs) if recs else None
    if recs is not None and circ_raw is not None:
        circ_all = pd.DataFrame(
            {"feature_id": circ_raw["circRNA"], "mirna": "hsa-" + circ_raw["miRNA"]}
        ).drop_duplicates()
        circ_size = (20, 200)
        source += (
            f"; circRNA: shipped resource {_label(recs[CIRC_HITS])} (pycircdb "
            "TargetScan/miRanda hits, vromann set)"
        )
    else:
        circ_all = lnc_all.assign(feature_id="chr" + lnc_all["feature_id"].str[-6:] + ":1-500")
        circ_size = (4, 40)
    lncs, planted_l = _choose(lnc_all, mrna_all, rng, n_cerna=_N_LNC, n_plant=_N_PLANT, taken=set())
    circs, planted_c = _choose(
        circ_all,
        mrna_all,
        rng,
        n_cerna=_N_CIRC,
        n_plant=_N_PLANT_CIRC,
        taken={p[1] for p in planted_l},
        size=circ_size,
        # the pycircdb hits name many miRNAs by TargetScan family (miR-1-3p/206), which no
        # mRNA table shares: the circRNA overlaps are weaker than the lncRNA ones
        p_max=1e-3 if recs is not None else 1e-4,
    )
    planted = planted_l + planted_c
    used = {p[1] for p in planted}
    msize = mrna_all.groupby("feature_id").size()
    rest = sorted(set(msize.index[(msize >= 4) & (msize <= 60)]) - used)
    bg = rng.choice(rest, size=min(_N_MRNA - len(used), len(rest)), replace=False)
    mrnas = sorted(used | {str(g) for g in bg})
    t_l = lnc_all[lnc_all["feature_id"].isin(set(lncs))].sort_values(["feature_id", "mirna"])
    t_c = circ_all[circ_all["feature_id"].isin(set(circs))]
    t_m = mrna_all[mrna_all["feature_id"].isin(set(mrnas))].sort_values(["feature_id", "mirna"])
    planted_mirs = sorted({m for _, _, ms in planted for m in ms})
    others = sorted((set(t_l["mirna"]) | set(t_c["mirna"]) | set(t_m["mirna"])) - set(planted_mirs))
    mirs = sorted(
        planted_mirs + list(rng.choice(others, size=min(_N_MIR_BG, len(others)), replace=False))
    )

    samples = [s for s in ctx.study.samples if s.group in _GROUPS]
    names = [s.id for s in samples]
    health = np.array([ctx.rescue(s.group) for s in samples])  # il1b 0, usc 0.5, exo 0.75
    donor = {d: rng.normal(0, 0.1) for d in sorted({str(s.donor) for s in samples})}
    dshift = np.array([donor[str(s.donor)] for s in samples])
    cer = sorted({p[0] for p in planted})
    # one latent rescue factor per planted ceRNA, shared by its mRNAs (and, negatively, miRNAs)
    latent = {c: 2.6 * health + rng.normal(0, 0.15, len(samples)) for c in cer}
    mr_of = {p[1]: p[0] for p in planted}
    mir_of: dict[str, str] = {}
    for c, _, ms in planted:
        for m in ms:
            mir_of.setdefault(m, c)

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
    _write_matrix(
        out / "lncrna_counts.tsv",
        lncs,
        block(lncs, 5.5, {c: c for c in cer}, 1.0),
        names,
        "gene_id",
    )
    _write_matrix(
        out / "circrna_counts.tsv",
        circs,
        block(circs, 4.5, {c: c for c in cer}, 1.0),
        names,
        "circRNA_ID",
    )
    _write_matrix(out / "mrna_counts.tsv", mrnas, block(mrnas, 6.5, mr_of, 1.0), names, "gene_id")
    # miRNA matrix as many small-RNA pipelines write it: miRBase names without the species prefix
    _write_matrix(
        out / "mirna_counts.tsv",
        [m.removeprefix("hsa-") for m in mirs],
        block(mirs, 6.0, mir_of, -1.0),
        names,
        "miRNA",
    )
    t_l.to_csv(out / "lncrna_mirna_targets.tsv", sep="\t", index=False, lineterminator="\n")
    t_m.to_csv(out / "mrna_mirna_targets.tsv", sep="\t", index=False, lineterminator="\n")
    if circ_raw is not None:  # the pycircdb hits as the tool writes them (miRNA without hsa-)
        hits = circ_raw[circ_raw["circRNA"].isin(set(circs))]
    else:
        hits = t_c.rename(columns={"feature_id": "circRNA", "mirna": "miRNA"})
    hits.to_csv(out / "circrna_mirna_hits.tsv", sep="\t", index=False, lineterminator="\n")
    cls = {c: "lncRNA" for c in lncs} | {c: "circRNA" for c in circs}
    pd.DataFrame(
        [(cls[c], c, g, ";".join(ms)) for c, g, ms in planted],
        columns=["cerna_class", "cerna", "mrna", "mirnas"],
    ).to_csv(out / PLANTED_FILE, sep="\t", index=False, lineterminator="\n")

    def rel(name: str) -> str:
        return str((out / name).relative_to(ctx.folder))

    common = {
        "expr_mrna": rel("mrna_counts.tsv"),
        "expr_mirna": rel("mirna_counts.tsv"),
        "targets_mrna": rel("mrna_mirna_targets.tsv"),
        "test": "exo",
        "reference": "il1b",
    }
    # miRBase names, the gene map and the gene sets: shipped resources (copied so the study
    # folder is self-contained; the gene sets are named by resource)
    extra: dict[str, Any] = {}
    if recs is not None:
        import shutil

        for key, name in (("mirbase", MIRBASE), ("id_map", ID_MAP)):
            src_path = Path(recs[name].path)
            shutil.copyfile(src_path, out / src_path.name)
            extra[key] = rel(src_path.name)
        extra["enrichment"] = {
            f"{label} ({_label(recs[name])})": name for label, name in ENRICHMENT.items()
        }
        source += (
            "; miRNA names: "
            + _label(recs[MIRBASE])
            + "; mRNA enrichment: "
            + ", ".join(_label(recs[n]) for n in ENRICHMENT.values())
        )
    (out / "README.txt").write_text(f"Interaction tables: {source}.\n", encoding="utf-8")
    basis = {
        "lncRNA": f"interactions: {_label(recs[TARGETS])}" if recs else "",
        "circRNA": f"interactions: {_label(recs[CIRC_HITS])}, {_label(recs[TARGETS])}"
        if recs
        else "",
    }
    entries = []
    for kind, expr, targets in (
        ("lncRNA", "lncrna_counts.tsv", "lncrna_mirna_targets.tsv"),
        ("circRNA", "circrna_counts.tsv", "circrna_mirna_hits.tsv"),
    ):
        opts = {"cerna_class": kind, "expr_cerna": rel(expr), "targets_cerna": rel(targets)}
        opts |= common | extra
        entries.append(
            {
                "id": f"cerna_{kind.lower()}",
                "kind": "cerna",
                "title": f"ceRNA network ({kind}–miRNA–mRNA; {basis[kind]})"
                if recs
                else f"ceRNA network ({kind}–miRNA–mRNA) — WARNING: SIMULATED interactions",
                "files": [
                    opts[k]
                    for k in (
                        "expr_cerna",
                        "expr_mrna",
                        "expr_mirna",
                        "targets_cerna",
                        "targets_mrna",
                    )
                ],
                "options": opts,
            }
        )
    return entries
