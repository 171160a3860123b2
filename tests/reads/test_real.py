"""Real public data through the matching steps of the workflow, against the sources' results.

Each test runs the workflow's own rules (``run_targets``: the packaged Snakefile up to the
named outputs) and compares with what the data's source ships; every difference is explained
and checked.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from exodisc.reads._inputs import validate_inputs
from exodisc.reads._workflow import run_targets

pytestmark = pytest.mark.slow


def _fastq_from_fasta(fasta: Path, out: Path) -> dict[str, str]:
    reads = {}
    for block in fasta.read_text().split(">")[1:]:
        name, seq = block.split("\n", 1)
        reads[name.split()[0]] = seq.replace("\n", "")
    out.write_text("".join(f"@{n}\n{s}\n+\n{'I' * len(s)}\n" for n, s in reads.items()))
    return reads


def test_find_circ_cdr1as(sequencing: Path, reads_tools, tmp_path: Path) -> None:
    """find_circ's CDR1as junction (728-2213, 3 reads): same junction, 1 read by STAR.

    STAR + CIRCexplorer2 report the back-splice at exactly find_circ's coordinates
    (CDR1as_locus:728-2213) with one read (r1: 52 + 24 nt, no mismatch). The other reads also
    cross the back-splice (best placement across it: r2 22|54 and r3 61|15 with one mismatch,
    r4 20|56 exact, checked below), but each also aligns linearly along the locus with
    mismatches (the CDR1as flanks repeat its ends) leaving < 10 nt soft-clipped: STAR looks for
    a chimeric segment only when at least --chimSegmentMin (10, CIRCexplorer2's setting) nt are
    left, so it keeps the linear alignment (3S73M, 67M9S, 1S75M). find_circ starts from reads
    that fail end-to-end alignment and places 20-nt anchors, so it counts such reads.
    """
    d = sequencing / "find_circ_cdr1as"
    reads = _fastq_from_fasta(d / "cdr1as_reads.fa", tmp_path / "cdr1as.fastq")
    ref = pd.read_csv(d / "cdr1as_reference.bed", sep="\t")
    assert (ref["start"].iloc[0], ref["end"].iloc[0], ref["n_reads"].iloc[0]) == (728, 2213, 3)
    gtf = tmp_path / "locus.gtf"
    gtf.write_text(
        'CDR1as_locus\tx\texon\t1\t2924\t.\t+\t.\tgene_id "CDR1as"; transcript_id "CDR1as.1"; '
        'gene_type "lncRNA";\n'
    )
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(f"sample,fastq_1,fastq_2,library\ncdr1as,{tmp_path}/cdr1as.fastq,,total\n")
    inputs = validate_inputs(sheet, genome=d / "CDR1as_locus.fa", gtf=gtf)
    work = run_targets(inputs, tmp_path / "work", ["total/cdr1as/circ_counts.tsv"])
    counts = pd.read_csv(work / "total/cdr1as/circ_counts.tsv", sep="\t", index_col=0)["count"]
    assert counts.to_dict() == {"CDR1as_locus:728-2213": 1}
    junction = (work / "total/cdr1as/star/Chimeric.out.junction").read_text().split("\t")
    assert junction[9] == "r1"
    # the explanation: r2-r4 fit the back-splice better than any linear placement
    locus = "".join((d / "CDR1as_locus.fa").read_text().split("\n")[1:]).upper()
    circ = locus[728:2213]

    def mismatches(a: str, b: str) -> int:
        return sum(x != y for x, y in zip(a, b, strict=True))

    for name, (split, mm) in {"r1": (52, 0), "r2": (22, 1), "r3": (61, 1), "r4": (20, 0)}.items():
        seq = reads[name].upper()
        across = min((mismatches(seq, (circ[-k:] + circ)[:76]), k) for k in range(1, 76))
        linear = min(mismatches(seq, locus[i : i + 76]) for i in range(len(locus) - 76))
        assert across == (mm, split), (name, across)
        assert across[0] < linear, name
