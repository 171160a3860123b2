"""A small synthetic genome and a seeded read simulator with an exact truth table.

The genome is one random contig (``chrS``) holding protein-coding genes with introns on both
strands, two lncRNAs, an unannotated two-exon locus that is transcribed only as a circRNA (one
known back-splice junction) and three miRNA hairpins with 5p / 3p mature miRNAs. Reads are
error-free and simulated from known abundances, so every fragment's origin is known:

* total RNA: paired-end, reverse-stranded (dUTP: read 1 antisense to the transcript), fragments
  drawn from the spliced transcripts; circRNA fragments have read 1 across the back-splice;
* small RNA: single-end 50 nt, insert = a mature miRNA (or a hairpin-loop fragment or a
  too-short fragment, which must not be counted) followed by the TruSeq small-RNA 3' adapter.

``truth.tsv`` lists ``feature_id``, ``rna_class`` and one column per sample with the number of
fragments (reads for small RNA) simulated from each feature.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["SIM_ADAPTER", "SimulatedData", "simulate_reads_dataset"]

SIM_ADAPTER = "TGGAATTCTCGGGTGCCAAGG"
_COMP = str.maketrans("ACGTN", "TGCAN")
_CONTIG = "chrS"


def _rc(seq: str) -> str:
    return seq.translate(_COMP)[::-1]


@dataclass(frozen=True)
class _Gene:
    gene_id: str
    name: str
    biotype: str
    strand: str
    exons: tuple[tuple[int, int], ...]  # 1-based inclusive, ascending

    def spliced(self, genome: str) -> str:
        seq = "".join(genome[s - 1 : e] for s, e in self.exons)
        return seq if self.strand == "+" else _rc(seq)


@dataclass(frozen=True)
class SimulatedData:
    """Paths of a simulated data set (all inside ``folder``)."""

    folder: Path
    genome: Path
    gtf: Path
    hairpins: Path
    mirbase_gff: Path
    samplesheet: Path
    truth: Path
    circ_id: str


def _layout() -> tuple[list[_Gene], tuple[int, int, int, int], list[tuple[str, int]]]:
    """Genes, the circRNA locus's two exons and the hairpin start positions (1-based)."""
    genes = [
        _Gene(
            "ENSGSIM0001", "SIMA", "protein_coding", "+", ((1001, 1300), (1701, 1950), (2401, 2700))
        ),
        _Gene("ENSGSIM0002", "SIMB", "protein_coding", "-", ((3501, 3850), (4301, 4700))),
        _Gene(
            "ENSGSIM0003", "SIMC", "protein_coding", "+", ((5501, 5800), (6201, 6500), (6901, 7150))
        ),
        _Gene("ENSGSIM0004", "SIMD", "protein_coding", "-", ((8001, 8400), (8801, 9100))),
        _Gene("ENSGSIM0005", "LNC1", "lncRNA", "+", ((10001, 10350), (10801, 11150))),
        _Gene("ENSGSIM0006", "LNC2", "lncRNA", "-", ((12001, 12300), (12701, 13050))),
    ]
    circ = (14001, 14160, 14601, 14760)  # exon 1 start/end, exon 2 start/end (1-based)
    hairpins = [("sim-mir-1", 16001), ("sim-mir-2", 16301), ("sim-mir-3", 16601)]
    return genes, circ, hairpins


_HAIRPIN_LEN = 72
# mature 5p at hairpin offsets 5..26 (22 nt), 3p at 45..66 (22 nt), 0-based
_MATURE = {"5p": (5, 27), "3p": (45, 67)}
_LOOP = (26, 46)


def _fastq(path: Path, records: list[tuple[str, str]]) -> None:
    with gzip.open(path, "wt") as fh:
        for name, seq in records:
            fh.write(f"@{name}\n{seq}\n+\n{'I' * len(seq)}\n")


def simulate_reads_dataset(
    folder: str | Path,
    *,
    samples: dict[str, float] | None = None,
    small: bool = True,
    seed: int = 7,
    depth: int = 150,
    dispersion: float = 0.0,
) -> SimulatedData:
    """Write the synthetic genome, annotation, reads, samplesheet and truth table.

    Parameters
    ----------
    folder
        Output folder (created).
    samples
        Sample name -> effect size applied to SIMA, LNC1, the circRNA and sim-miR-1-5p
        (1.0 = no change); default two samples ``S1`` (1.0) and ``S2`` (2.0).
    small
        Also write a small-RNA library per sample.
    seed
        Random seed (genome, abundances and reads).
    depth
        Base number of fragments per feature (scaled per feature).
    dispersion
        Biological variation: each sample's abundance of each feature is multiplied by a
        gamma draw of mean 1 and variance ``dispersion`` (0 = none).

    Returns
    -------
    SimulatedData
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    samples = samples or {"S1": 1.0, "S2": 2.0}
    rng = np.random.default_rng(seed)
    genes, circ, hairpins = _layout()
    genome = "".join(rng.choice(list("ACGT"), size=17_500))
    # canonical GT..AG introns so spliced aligners see real splice signals
    g = list(genome)
    for gene in [*genes]:
        for (_, e1), (s2, _) in zip(gene.exons[:-1], gene.exons[1:], strict=True):
            donor, acceptor = ("GT", "AG") if gene.strand == "+" else ("CT", "AC")
            g[e1 : e1 + 2] = donor
            g[s2 - 3 : s2 - 1] = acceptor
    # circRNA locus: AG before exon 1, GT after exon 2 (back-splice GT/AG on + strand)
    g[circ[0] - 3 : circ[0] - 1] = "AG"
    g[circ[3] : circ[3] + 2] = "GT"
    g[circ[1] : circ[1] + 2] = "GT"  # its own intron (between the two circular exons)
    g[circ[2] - 3 : circ[2] - 1] = "AG"
    genome = "".join(g)
    (folder / "genome.fa").write_text(
        f">{_CONTIG} synthetic\n"
        + "\n".join(genome[i : i + 60] for i in range(0, len(genome), 60))
        + "\n"
    )
    gtf_lines = []
    for gene in genes:
        lo, hi = gene.exons[0][0], gene.exons[-1][1]
        attrs = f'gene_id "{gene.gene_id}"; gene_name "{gene.name}"; gene_type "{gene.biotype}";'
        gtf_lines.append(f"{_CONTIG}\tsim\tgene\t{lo}\t{hi}\t.\t{gene.strand}\t.\t{attrs}")
        tattrs = attrs + f' transcript_id "{gene.gene_id.replace("G", "T", 1)}";'
        gtf_lines.append(f"{_CONTIG}\tsim\ttranscript\t{lo}\t{hi}\t.\t{gene.strand}\t.\t{tattrs}")
        for s, e in gene.exons:
            gtf_lines.append(f"{_CONTIG}\tsim\texon\t{s}\t{e}\t.\t{gene.strand}\t.\t{tattrs}")
    (folder / "genes.gtf").write_text("\n".join(gtf_lines) + "\n")

    # miRBase-style hairpins and GFF3 (genome coordinates, + strand)
    hp_fa, gff = [], ["##gff-version 3", "# microRNAs:               miRBase v22 (synthetic)"]
    mature_seqs: dict[str, str] = {}
    loop_seqs: dict[str, str] = {}
    for i, (name, start) in enumerate(hairpins, start=1):
        seq = genome[start - 1 : start - 1 + _HAIRPIN_LEN]
        mi = f"MI9{i:06d}"
        hp_fa.append(f">{name} {mi} Synthetic miR-{i} stem-loop\n{seq.replace('T', 'U')}")
        end = start + _HAIRPIN_LEN - 1
        gff.append(
            f"{_CONTIG}\t.\tmiRNA_primary_transcript\t{start}\t{end}\t.\t+\t.\t"
            f"ID={mi};Alias={mi};Name={name}"
        )
        for j, (arm, (a, b)) in enumerate(_MATURE.items()):
            mname = f"sim-miR-{i}-{arm}"
            mimat = f"MIMAT9{i:05d}{j}"
            gff.append(
                f"{_CONTIG}\t.\tmiRNA\t{start + a}\t{start + b - 1}\t.\t+\t.\t"
                f"ID={mimat};Alias={mimat};Name={mname};Derives_from={mi}"
            )
            mature_seqs[mname] = seq[a:b]
        loop_seqs[name] = seq[_LOOP[0] : _LOOP[1]]
    (folder / "hairpin.fa").write_text("\n".join(hp_fa) + "\n")
    (folder / "mirbase.gff3").write_text("\n".join(gff) + "\n")

    base = {gene.gene_id: int(rng.integers(depth // 2, depth)) for gene in genes}
    circ_base = depth // 3
    mir_base = {m: int(rng.integers(depth // 3, depth)) for m in mature_seqs}
    circ_seq = genome[circ[0] - 1 : circ[1]] + genome[circ[2] - 1 : circ[3]]  # + strand
    circ_id = f"{_CONTIG}:{circ[0] - 1}-{circ[3]}"
    truth: dict[str, dict[str, int]] = {}
    rows = []

    def noise() -> float:
        return float(rng.gamma(1 / dispersion, dispersion)) if dispersion > 0 else 1.0

    for sname, effect in samples.items():
        r1s: list[tuple[str, str]] = []
        r2s: list[tuple[str, str]] = []
        n = 0
        for gene in genes:
            k = base[gene.gene_id] * (effect if gene.name in ("SIMA", "LNC1") else 1.0) * noise()
            k = round(k)
            truth.setdefault(gene.gene_id, {})[sname] = k
            tx = gene.spliced(genome)
            for _ in range(k):
                flen = int(rng.integers(180, 300))
                start = int(rng.integers(0, len(tx) - flen + 1))
                frag = tx[start : start + flen]
                # reverse-stranded: read 1 is antisense to the transcript
                r1s.append((f"{sname}_f{n}/1", _rc(frag)[:75]))
                r2s.append((f"{sname}_f{n}/2", frag[:75]))
                n += 1
        kc = round(circ_base * effect)
        truth.setdefault(circ_id, {})[sname] = kc
        for _ in range(kc):
            # the back-splice lies 25..50 nt into the fragment (transcript orientation)
            k_bsj = int(rng.integers(25, 51))
            flen = int(rng.integers(150, 200))
            rot = circ_seq[-k_bsj:] + circ_seq[: len(circ_seq) - k_bsj]
            frag = rot[:flen]
            # read 2 (sense) crosses the back-splice; read 1 (antisense) lies inside exon 2 / 1
            r2s.append((f"{sname}_f{n}/2", frag[:75]))
            r1s.append((f"{sname}_f{n}/1", _rc(frag)[:75]))
            n += 1
        order = rng.permutation(len(r1s))
        d = folder / "reads"
        d.mkdir(exist_ok=True)
        _fastq(d / f"{sname}_total_R1.fastq.gz", [r1s[i] for i in order])
        _fastq(d / f"{sname}_total_R2.fastq.gz", [r2s[i] for i in order])
        rows.append(
            {
                "sample": sname,
                "fastq_1": f"reads/{sname}_total_R1.fastq.gz",
                "fastq_2": f"reads/{sname}_total_R2.fastq.gz",
                "library": "total",
            }
        )
        if small:
            reads: list[tuple[str, str]] = []
            m = 0
            for mname, mseq in mature_seqs.items():
                fx = effect if mname == "sim-miR-1-5p" else 1.0
                k = round(mir_base[mname] * fx * noise())
                truth.setdefault(mname, {})[sname] = k
                for _ in range(k):
                    ins = mseq if rng.random() < 0.8 else mseq[:-1]  # 3' isomiR
                    reads.append((f"{sname}_s{m}", ins))
                    m += 1
            for loop in loop_seqs.values():  # loop fragments: mapped, not a mature miRNA
                for _ in range(5):
                    reads.append((f"{sname}_s{m}", loop))
                    m += 1
            for _ in range(10):  # too short after trimming
                reads.append((f"{sname}_s{m}", "".join(rng.choice(list("ACGT"), size=14))))
                m += 1
            recs = []
            for name, ins in (reads[i] for i in rng.permutation(len(reads))):
                tail = SIM_ADAPTER + "".join(rng.choice(list("ACGT"), size=50))
                recs.append((name, (ins + tail)[:50]))
            _fastq(d / f"{sname}_small.fastq.gz", recs)
            rows.append(
                {
                    "sample": sname,
                    "fastq_1": f"reads/{sname}_small.fastq.gz",
                    "fastq_2": "",
                    "library": "small",
                }
            )
    pd.DataFrame(rows).to_csv(folder / "samplesheet.csv", index=False)
    cls = {
        gene.gene_id: ("mRNA" if gene.biotype == "protein_coding" else "lncRNA") for gene in genes
    }
    tt = pd.DataFrame.from_dict(truth, orient="index")[list(samples)]
    tt.insert(
        0,
        "rna_class",
        [cls.get(i, "circRNA" if i == circ_id else "miRNA") for i in tt.index],
    )
    tt.index.name = "feature_id"
    tt.reset_index().to_csv(folder / "truth.tsv", sep="\t", index=False)
    return SimulatedData(
        folder=folder,
        genome=folder / "genome.fa",
        gtf=folder / "genes.gtf",
        hairpins=folder / "hairpin.fa",
        mirbase_gff=folder / "mirbase.gff3",
        samplesheet=folder / "samplesheet.csv",
        truth=folder / "truth.tsv",
        circ_id=circ_id,
    )
