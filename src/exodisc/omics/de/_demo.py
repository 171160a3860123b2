"""Simulated whole-transcriptome counts for the example study (four RNA classes).

As in the paper's sequencing arm: Control, IL-1β and IL-1β + USC-exosomes, three donors each
(paired), negative binomial counts with donor effects; IL-1β changes a subset of features and
the exosomes partly reverse the change (``DemoContext.rescue``). mRNA and lncRNA are written
as featureCounts output, circRNA as CIRIquant GTF files (one per sample, back-splice counts in
the ``bsj`` attribute; circRNAs without reads in a sample are absent, as CIRIquant writes them)
and miRNA as a miRge3 ``miR.Counts.csv``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from exodisc.demo import ANNOTATION_FILE, IL1B_DOWN, IL1B_UP, annotated_genes
from exodisc.registry import DemoContext, register_demo

__all__ = ["simulate"]

_GROUPS = ("ctrl", "il1b", "exo")
# features, log mean, log sd of mean, fraction changed by IL-1β, sd of that change (log2)
_CLASSES = {
    "mrna": (1500, 5.0, 1.8, 0.08, 1.8),
    "lncrna": (700, 3.0, 1.5, 0.08, 1.8),
    "circrna": (400, 1.8, 1.2, 0.10, 2.0),
    "mirna": (300, 4.0, 2.2, 0.10, 1.8),
}


def _ids(kind: str, n: int, rng: np.random.Generator) -> list[str]:
    if kind == "mrna":
        return [f"ENSGSIM{i:08d}" for i in range(1, n + 1)]
    if kind == "lncrna":
        return [f"ENSGSIML{i:07d}" for i in range(1, n + 1)]
    if kind == "circrna":
        chrom = rng.integers(1, 23, n)
        start = rng.integers(1_000_000, 200_000_000, n)
        length = rng.integers(300, 30_000, n)
        return [f"chr{c}:{s}|{s + ln}" for c, s, ln in zip(chrom, start, length, strict=True)]
    return [f"hsa-miR-sim{i}-{'5p' if i % 2 else '3p'}" for i in range(1, n + 1)]


def _simulate_class(
    ctx: DemoContext, kind: str, samples: list[Any]
) -> tuple[list[str], np.ndarray]:
    n, mlog, sdlog, frac, sdchg = _CLASSES[kind]
    rng = ctx.rng(f"de/{kind}")
    ids = _ids(kind, n, rng)
    base = np.exp(rng.normal(mlog, sdlog, n))
    disp = 0.04 + 1.5 / base
    changed = rng.random(n) < frac
    effect = np.where(changed, rng.normal(0, sdchg, n), 0.0)
    effect = np.where(changed & (np.abs(effect) < 1.2), np.sign(effect) * 1.2 + effect, effect)
    if kind == "mrna":  # the first features are the demo's pathway genes (see _genes)
        genes = annotated_genes()
        up = np.array([g in IL1B_UP for g in genes])
        down = np.array([g in IL1B_DOWN for g in genes])
        k = len(genes)
        base[:k] = np.exp(rng.normal(mlog + 1.0, 0.8, k))
        disp[:k] = 0.04 + 1.5 / base[:k]
        effect[:k] = np.where(up, rng.normal(2.2, 0.4, k), 0.0)
        effect[:k] = np.where(down, -rng.normal(2.0, 0.4, k), effect[:k])
    donors = sorted({s.donor for s in samples})
    donor_eff = {d: rng.normal(0, 0.25, n) for d in donors}
    depth = rng.uniform(0.7, 1.4, len(samples))
    cols = []
    for j, s in enumerate(samples):
        health = ctx.rescue(s.group)
        log2_change = effect * (1.0 - health)
        mu = base * np.exp(donor_eff[s.donor]) * 2.0**log2_change * depth[j]
        size = 1.0 / disp
        cols.append(rng.negative_binomial(size, size / (size + mu)))
    return ids, np.column_stack(cols)


def _write_featurecounts(path: Path, ids: list[str], counts: np.ndarray, names: list[str]) -> None:
    rng = np.random.default_rng(len(ids))
    bams = [f"aligned/{s}.bam" for s in names]
    with path.open("w", encoding="utf-8") as fh:
        fh.write(
            '# Program:featureCounts v2.0.3; Command:"featureCounts" "-T" "8" "-p" "-a" '
            '"annotation.gtf" "-o" "' + path.name + '" ' + " ".join(f'"{b}"' for b in bams) + "\n"
        )
        fh.write("\t".join(["Geneid", "Chr", "Start", "End", "Strand", "Length", *bams]) + "\n")
        for i, gid in enumerate(ids):
            start = int(rng.integers(10_000, 200_000_000))
            length = int(rng.integers(500, 12_000))
            chrom = f"chr{int(rng.integers(1, 23))}"
            fh.write(
                "\t".join(
                    [gid, chrom, str(start), str(start + length), "+", str(length)]
                    + [str(int(v)) for v in counts[i]]
                )
                + "\n"
            )


def _write_ciriquant(
    folder: Path, ids: list[str], counts: np.ndarray, names: list[str]
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for j, sample in enumerate(names):
        path = folder / f"{sample}.gtf"
        total = int(counts[:, j].sum())
        with path.open("w", encoding="utf-8") as fh:
            fh.write(f"##Sample: {sample}\n##Total_Reads: {40 * total}\n")
            fh.write(f"##Mapped_Reads: {36 * total}\n##Circular_Reads: {total}\n")
            for i, cid in enumerate(ids):
                n = int(counts[i, j])
                if n == 0:
                    continue
                chrom, _, span = cid.partition(":")
                start, _, end = span.partition("|")
                fsj = 3 * n + 5
                fh.write(
                    f"{chrom}\tCIRIquant\tcircRNA\t{start}\t{end}\t{n / total * 1e6:.4f}\t+\t.\t"
                    f'circ_id "{cid}"; circ_type "exon"; bsj {n:.3f}; fsj {fsj:.3f}; '
                    f"junc_ratio {2 * n / (2 * n + fsj):.3f};\n"
                )
        paths.append(path)
    return paths


def _write_mirge3(path: Path, ids: list[str], counts: np.ndarray, names: list[str]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(",".join(["miRNA", *(f"{s}.fastq.gz" for s in names)]) + "\n")
        fh.write(",".join(["miRNAtotal", *(str(int(v)) for v in counts.sum(axis=0))]) + "\n")
        for i, mid in enumerate(ids):
            fh.write(",".join([mid, *(str(int(v)) for v in counts[i])]) + "\n")


def _write_annotation(path: Path, ids: list[str]) -> None:
    """A biomaRt-style table: the pathway genes by symbol, the other features as SIMG ids."""
    genes = annotated_genes()
    symbols = genes + [f"SIMG{i:05d}" for i in range(1, len(ids) - len(genes) + 1)]
    lines = ["ensembl_gene_id\thgnc_symbol\tgene_biotype"]
    lines += [f"{i}\t{g}\tprotein_coding" for i, g in zip(ids, symbols, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@register_demo("de", order=60)
def simulate(ctx: DemoContext) -> list[dict[str, Any]]:
    """Write four count matrices (mRNA, lncRNA, circRNA, miRNA) and their assay entries."""
    samples = [s for s in ctx.study.samples if s.group in _GROUPS]
    names = [s.id for s in samples]
    out = ctx.raw_dir("rnaseq")
    entries = []
    titles = {
        "mrna": ("mrna_counts", "mRNA differential expression", "mrna_featurecounts.txt"),
        "lncrna": ("lncrna_counts", "lncRNA differential expression", "lncrna_featurecounts.txt"),
        "circrna": ("circrna_counts", "circRNA differential expression", "ciriquant"),
        "mirna": ("mirna_counts", "miRNA differential expression", "miR.Counts.csv"),
    }
    for kind, (assay_kind, title, fname) in titles.items():
        ids, counts = _simulate_class(ctx, kind, samples)
        path = out / fname
        if fname.endswith("featurecounts.txt"):
            _write_featurecounts(path, ids, counts, names)
            paths = [path]
            if kind == "mrna":
                _write_annotation(ctx.folder / ANNOTATION_FILE, ids)
        elif kind == "circrna":
            paths = _write_ciriquant(path, ids, counts, names)
        else:
            _write_mirge3(path, ids, counts, names)
            paths = [path]
        entry: dict[str, Any] = {
            "id": f"de_{kind}",
            "kind": assay_kind,
            "title": title,
            "files": [str(p.relative_to(ctx.folder)) for p in paths],
        }
        if kind == "mrna":  # symbols and biotypes in the mRNA tables, classes checked
            entry["options"] = {"annotation": ANNOTATION_FILE}
        entries.append(entry)
    return entries
