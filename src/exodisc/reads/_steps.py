"""The small steps of the reads workflow that no published tool does (parsing, merging, splitting).

Each is a function tested on its own and a sub-command of ``python -m exodisc.reads._steps``,
which the Snakemake rules call (the package is importable wherever the jobs run, cluster nodes
included, because they use the same Python).
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LNCRNA_BIOTYPES",
    "collapse_alignments",
    "count_mature_mirnas",
    "detect_adapter",
    "flatten_mirtop_counts",
    "gene_classes",
    "gtf_exons_splice_sites",
    "infer_strandedness",
    "mature_on_hairpins",
    "merge_counts",
    "read_fastp_json",
    "read_gtf_genes",
    "salmon_gene_counts",
    "salmon_library_type",
    "transcript_genes",
]

#: GENCODE / Ensembl long non-coding biotypes (GENCODE merged them into ``lncRNA`` in v31).
LNCRNA_BIOTYPES = frozenset(
    {
        "lncRNA",
        "lincRNA",
        "antisense",
        "antisense_RNA",
        "sense_intronic",
        "sense_overlapping",
        "processed_transcript",
        "3prime_overlapping_ncRNA",
        "3prime_overlapping_ncrna",
        "bidirectional_promoter_lncRNA",
        "macro_lncRNA",
        "non_coding",
        "known_ncrna",
    }
)

_ATTR = re.compile(r'(\S+)\s+"([^"]*)"')


def _open(path: str | Path) -> TextIO:
    p = Path(path)
    if p.name.endswith(".gz"):
        return gzip.open(p, "rt")
    return p.open()


def read_gtf_genes(path: str | Path) -> pd.DataFrame:
    """Gene id, name and biotype (``gene_type`` or ``gene_biotype``) of every gene of a GTF.

    Genes without a ``gene`` line are collected from their exons. Columns ``feature_id``,
    ``gene_name``, ``biotype``, ``chrom``.
    """
    import pandas as pd

    genes: dict[str, dict[str, str]] = {}
    with _open(path) as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            f = line.rstrip("\n").split("\t")
            if len(f) < 9:
                continue
            attrs = dict(_ATTR.findall(f[8]))
            gid = attrs.get("gene_id")
            if not gid:
                continue
            rec = genes.setdefault(gid, {"gene_name": "", "biotype": "", "chrom": f[0]})
            rec["gene_name"] = rec["gene_name"] or str(attrs.get("gene_name", ""))
            rec["biotype"] = rec["biotype"] or str(
                attrs.get("gene_type") or attrs.get("gene_biotype") or ""
            )
    df = pd.DataFrame.from_dict(genes, orient="index")
    df.index.name = "feature_id"
    return df.reset_index()


def gene_classes(gtf: str | Path) -> pd.DataFrame:
    """``feature_id``, ``biotype``, ``rna_class`` for every GTF gene.

    protein_coding -> mRNA; :data:`LNCRNA_BIOTYPES` -> lncRNA; everything else -> other.
    """
    import pandas as pd

    genes = read_gtf_genes(gtf)
    cls = [
        "mRNA" if b == "protein_coding" else "lncRNA" if b in LNCRNA_BIOTYPES else "other"
        for b in genes["biotype"]
    ]
    return pd.DataFrame(
        {"feature_id": genes["feature_id"], "biotype": genes["biotype"], "rna_class": cls}
    )


def transcript_genes(gtf: str | Path) -> dict[str, str]:
    """Transcript -> gene from the ``transcript_id`` / ``gene_id`` of a GTF's exon lines.

    The transcript-to-gene table of the salmon route (the transcripts are the ones ``gffread
    -w`` builds from the same exon lines).

    Raises
    ------
    ValueError
        Naming the GTF line where a transcript is given a second gene, or the first exon line
        without ``transcript_id`` or ``gene_id``.
    """
    out: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for i, _, attrs in _exon_lines(gtf):
        tid, gid = attrs.get("transcript_id"), attrs.get("gene_id")
        if not tid or not gid:
            msg = f"{gtf} line {i}: exon without transcript_id or gene_id"
            raise ValueError(msg)
        old = out.setdefault(tid, gid)
        first_line.setdefault(tid, i)
        if old != gid:
            msg = (
                f"{gtf} line {i}: transcript {tid!r} has gene_id {gid!r}, but {old!r} on "
                f"line {first_line[tid]}; a transcript belongs to one gene"
            )
            raise ValueError(msg)
    return out


def _exon_lines(gtf: str | Path) -> Iterator[tuple[int, list[str], dict[str, str]]]:
    """(line number, fields, attributes) of every exon line of a GTF (plain or gzipped)."""
    with _open(gtf) as fh:
        for i, line in enumerate(fh, start=1):
            if line.startswith("#"):
                continue
            f = line.rstrip("\n").split("\t")
            if len(f) >= 9 and f[2] == "exon":
                yield i, f, dict(_ATTR.findall(f[8]))


def gtf_exons_splice_sites(gtf: str | Path) -> tuple[list[str], list[str]]:
    """HISAT2's ``--exon`` and ``--ss`` files from a GTF.

    The same output as HISAT2's ``hisat2_extract_exons.py`` / ``hisat2_extract_splice_sites.py``
    (not shipped by Debian's package): 0-based inclusive coordinates; exons merged per
    transcript; introns shorter than 5 nt skipped.
    """
    tx: dict[str, tuple[str, str, list[tuple[int, int]]]] = {}
    for _, f, attrs in _exon_lines(gtf):
        tid = attrs.get("transcript_id")
        if tid:
            tx.setdefault(tid, (f[0], f[6], []))[2].append((int(f[3]) - 1, int(f[4]) - 1))
    exons: set[tuple[str, int, int, str]] = set()
    sites: set[tuple[str, int, int, str]] = set()
    for chrom, strand, ex in tx.values():
        ex.sort()
        merged = [list(ex[0])]
        for s, e in ex[1:]:
            if s <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        for s, e in merged:
            exons.add((chrom, s, e, strand))
        for (_, e1), (s2, _) in itertools.pairwise(merged):
            if s2 - e1 - 1 >= 5:
                sites.add((chrom, e1, s2, strand))
    fmt = [f"{c}\t{a}\t{b}\t{s}" for c, a, b, s in sorted(exons)]
    ss = [f"{c}\t{a}\t{b}\t{s}" for c, a, b, s in sorted(sites)]
    return fmt, ss


def _summary_assigned(path: str | Path) -> int:
    """'Assigned' of a featureCounts ``.summary`` file (one BAM)."""
    for line in Path(path).read_text().splitlines():
        f = line.split("\t")
        if f[0] == "Assigned":
            return int(f[1])
    msg = f"{path}: no 'Assigned' line; expected a featureCounts summary"
    raise ValueError(msg)


def infer_strandedness(forward_summary: str | Path, reverse_summary: str | Path) -> dict:
    """Infer the library strandedness from featureCounts run with ``-s 1`` and ``-s 2``.

    The fraction of assigned fragments counted on the transcript's strand,
    ``f = assigned(-s 1) / (assigned(-s 1) + assigned(-s 2))``: f > 0.8 -> ``forward``,
    f < 0.2 -> ``reverse``, else ``unstranded`` (the thresholds of RSeQC's
    infer_experiment.py as nf-core/rnaseq applies them).
    """
    fwd, rev = _summary_assigned(forward_summary), _summary_assigned(reverse_summary)
    total = fwd + rev
    frac = fwd / total if total else 0.5
    call = "forward" if frac > 0.8 else "reverse" if frac < 0.2 else "unstranded"
    return {
        "forward_fragments": fwd,
        "reverse_fragments": rev,
        "fraction_forward": frac,
        "call": call,
    }


#: mapped fragments salmon's ``-l A`` needs before it guesses (LibraryTypeDetector.hpp)
SALMON_DETECTION_FRAGMENTS = 50_000


def salmon_library_type(
    lib_format_counts: str | Path, meta_info: str | Path, *, declared: str = "auto"
) -> dict:
    """The library type salmon used, with the fragment counts behind it.

    Reads salmon's ``lib_format_counts.json`` (``expected_format``: the type used; mapped
    fragments per read orientation) and ``aux_info/meta_info.json`` (``library_types``,
    ``num_mapped``). ``forward_fragments`` counts fragments whose read 1 lies on the
    transcript's strand (ISF, OSF, MSF, SF), ``reverse_fragments`` those on the opposite
    strand (ISR, OSR, MSR, SR); ``fraction_forward`` is their ratio, as in
    :func:`infer_strandedness`. ``call`` / ``used`` is the strandedness of the type salmon
    used. With ``-l A`` salmon detects the type from its first 50,000 mapped fragments (read 1
    on the transcript strand < 30 %: reverse, > 70 %: forward, else unstranded); a sample with
    fewer keeps salmon's default (IU / U), which ``libtype_source`` says, with what the same
    thresholds make of the fragments it mapped.
    """
    fmt = json.loads(Path(lib_format_counts).read_text())
    meta = json.loads(Path(meta_info).read_text())
    libtype = str(fmt.get("expected_format", ""))
    if not libtype:
        msg = f"{lib_format_counts}: no 'expected_format'; expected salmon's lib_format_counts.json"
        raise ValueError(msg)
    fwd = sum(int(fmt.get(k, 0)) for k in ("ISF", "OSF", "MSF", "SF"))
    rev = sum(int(fmt.get(k, 0)) for k in ("ISR", "OSR", "MSR", "SR"))
    call = (
        "forward"
        if libtype.endswith("SF")
        else "reverse"
        if libtype.endswith("SR")
        else ("unstranded")
    )
    mapped = int(meta.get("num_mapped", 0))
    if declared != "auto":
        source = "declared"
    elif mapped >= SALMON_DETECTION_FRAGMENTS:
        source = "detected by salmon (-l A)"
    else:
        frac = fwd / (fwd + rev) if fwd + rev else 0.5
        looks = "reverse" if frac < 0.3 else "forward" if frac > 0.7 else "unstranded"
        source = (
            f"salmon's default: {mapped} mapped fragments, fewer than the "
            f"{SALMON_DETECTION_FRAGMENTS:,} salmon -l A needs to detect the type; by salmon's "
            f"thresholds their strands look {looks} (declare --strandedness to use it)"
        )
    return {
        "libtype": libtype,
        "libtype_source": source,
        "forward_fragments": fwd,
        "reverse_fragments": rev,
        "fraction_forward": fwd / (fwd + rev) if fwd + rev else 0.5,
        "call": call,
        "declared": declared,
        "used": call,
        "compatible_fragment_ratio": float(fmt.get("compatible_fragment_ratio", float("nan"))),
        "fragments": int(meta.get("num_processed", 0)),
        "mapped_fragments": mapped,
        "percent_mapped": float(meta.get("percent_mapped", float("nan"))),
    }


def salmon_gene_counts(
    quants: Sequence[tuple[str, str | Path]], tx2gene: str | Path
) -> pd.DataFrame:
    """Integer gene counts (genes x samples) from salmon ``quant.sf`` files.

    exodisc's tximport route (:func:`exodisc.omics.de.load_counts` with
    ``counts_from_abundance="no"``): each gene's ``NumReads`` summed over its transcripts and
    rounded to integers, as ``DESeqDataSetFromTximport`` does.

    Notes
    -----
    R equivalent: ``round(tximport(files, type = "salmon", tx2gene = tx2gene)$counts)``
    (Soneson, Love & Robinson 2015).
    """
    from exodisc.omics.de import load_counts

    return load_counts(
        [Path(p) for _, p in quants],
        format="salmon",
        tx2gene=tx2gene,
        counts_from_abundance="no",
        samples=[n for n, _ in quants],
    )


def detect_adapter(
    fastq: str | Path, *, k: int = 12, n_reads: int = 20_000, min_fraction: float = 0.1
) -> tuple[str | None, float]:
    """Detect a small-RNA 3' adapter as the most frequent k-mer, extended to its 5' end.

    The most frequent k-mer of the first ``n_reads`` reads (each counted once per read) lies
    somewhere inside the adapter; it is moved one base to the left while the shifted k-mer is
    at least half as frequent, which stops where inserts (varied sequences) begin. Returns the
    k-mer at the adapter's 5' end and the fraction of reads holding it, or ``(None, fraction)``
    when fewer than ``min_fraction`` of the reads hold any k-mer (no adapter detected).
    """
    counts: Counter[str] = Counter()
    n = 0
    with _open(fastq) as fh:
        for i, line in enumerate(fh):
            if i % 4 != 1:
                continue
            seq = line.strip()
            counts.update({seq[j : j + k] for j in range(len(seq) - k + 1)})
            n += 1
            if n >= n_reads:
                break
    if not counts or n == 0:
        return None, 0.0
    top, c = counts.most_common(1)[0]
    if c / n < min_fraction:
        return None, c / n
    for _ in range(100):
        left = max(
            ((b + top[:-1], counts.get(b + top[:-1], 0)) for b in "ACGT"), key=lambda t: t[1]
        )
        if left[1] < 0.5 * c or left[0] == top:
            break
        top, c = left
    return top, c / n


def mature_on_hairpins(gff: str | Path, hairpins: str | Path) -> tuple[str, pd.DataFrame]:
    """Hairpin FASTA (DNA, species of the GFF) and each mature miRNA's place on its hairpin.

    miRBase GFF3 ``miRNA_primary_transcript`` (hairpin, ``ID=MI…``) and ``miRNA`` (mature,
    ``Derives_from=MI…``) genome coordinates give the mature's 0-based offset on the hairpin
    (counted from the hairpin's 5' end, strand-aware). Hairpins are selected from the FASTA by
    their MI accession (second word of the header) or name; U is written as T.
    """
    import pandas as pd

    prim: dict[str, tuple[Any, int, int, str, str]] = {}
    mats: list[tuple[Any, ...]] = []
    with _open(gff) as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            f = line.rstrip("\n").split("\t")
            if len(f) < 9:
                continue
            attrs = dict(kv.split("=", 1) for kv in f[8].split(";") if "=" in kv)
            if f[2] == "miRNA_primary_transcript":
                prim[attrs["ID"]] = (
                    attrs.get("Name", attrs["ID"]),
                    int(f[3]),
                    int(f[4]),
                    f[6],
                    f[0],
                )
            elif f[2] == "miRNA":
                mats.append(
                    (
                        attrs.get("Name", attrs["ID"]),
                        attrs["ID"],
                        attrs.get("Derives_from", ""),
                        int(f[3]),
                        int(f[4]),
                        f[6],
                    )
                )
    seqs: dict[str, str] = {}
    name: str | None = None
    by_name = {v[0]: acc for acc, v in prim.items()}
    with _open(hairpins) as fh:
        for line in fh:
            if line.startswith(">"):
                words = line[1:].split()
                mi = words[1] if len(words) > 1 else ""
                name = mi if mi in prim else by_name.get(words[0])
                if name is not None:
                    seqs[name] = ""
            elif name is not None:
                seqs[name] += line.strip().upper().replace("U", "T")
    rows = []
    for mname, mimat, parent, s, e, _strand in mats:
        if parent not in prim or parent not in seqs:
            continue
        hname, ps, pe, pstrand, _chrom = prim[parent]
        off = s - ps if pstrand == "+" else pe - e
        rows.append(
            {
                "mature": mname,
                "mimat": mimat,
                "hairpin": hname,
                "start": off,
                "end": off + (e - s + 1),
            }
        )
    fasta = "".join(f">{prim[acc][0]}\n{seq}\n" for acc, seq in seqs.items())
    return fasta, pd.DataFrame(rows, columns=["mature", "mimat", "hairpin", "start", "end"])


def count_mature_mirnas(
    sam: str | Path,
    mature: Iterable[dict[str, str]],
    *,
    max_5p_shift: int = 2,
    max_3p_shift: int = 5,
) -> tuple[Counter[str], dict[str, int]]:
    """Reads per mature miRNA from bowtie SAM alignments to hairpins.

    A read is assigned to a mature miRNA when it aligns to the hairpin's forward strand with
    its 5' end within ``max_5p_shift`` nt of the mature's start and its 3' end within
    ``max_3p_shift`` nt of the mature's end (isomiRs as mirtop defines them). A read whose
    alignments give several different mature names is ambiguous and not counted; a read whose
    alignments give one name in several loci (e.g. hsa-let-7a-5p) counts once. ``not_mature``:
    aligned to a hairpin outside every mature window; ``unmapped``: aligned to no hairpin.
    """
    by_hairpin: dict[str, list[tuple[str, int, int]]] = {}
    for r in mature:
        by_hairpin.setdefault(str(r["hairpin"]), []).append(
            (str(r["mature"]), int(r["start"]), int(r["end"]))
        )
    hits: dict[str, set[str]] = {}
    unmapped: set[str] = set()
    with _open(sam) as fh:
        for line in fh:
            if line.startswith("@"):
                continue
            f = line.split("\t")
            flag = int(f[1])
            if flag & 4:
                unmapped.add(f[0])
                continue
            if flag & 16:
                continue
            start = int(f[3]) - 1
            end = start + len(f[9])
            names = {
                m
                for m, ms, me in by_hairpin.get(f[2], [])
                if abs(start - ms) <= max_5p_shift and abs(end - me) <= max_3p_shift
            }
            hits.setdefault(f[0], set()).update(names or {""})
    counts: Counter[str] = Counter()
    unmapped -= set(hits)
    stats = {
        "reads": len(hits) + len(unmapped),
        "assigned": 0,
        "ambiguous": 0,
        "not_mature": 0,
        "unmapped": len(unmapped),
    }
    for names in hits.values():
        named = names - {""}
        if len(named) == 1:
            counts[next(iter(named))] += 1
            stats["assigned"] += 1
        elif len(named) > 1:
            stats["ambiguous"] += 1
        else:
            stats["not_mature"] += 1
    return counts, stats


def merge_counts(
    tables: Sequence[tuple[str, pd.Series]], features: Sequence[str] | None = None
) -> pd.DataFrame:
    """One integer matrix ``feature_id`` x samples from per-sample count series (missing = 0)."""
    import pandas as pd

    df = pd.concat({name: s for name, s in tables}, axis=1).fillna(0).astype("int64")
    df = df.reindex(list(features), fill_value=0) if features is not None else df.sort_index()
    df.index.name = "feature_id"
    return df


def read_fastp_json(path: str | Path) -> dict[str, float]:
    """Reads in / out, Q30 rate, adapter-trimmed reads and duplication rate from fastp's JSON."""
    d = json.loads(Path(path).read_text())
    s = d["summary"]
    return {
        "reads_in": int(s["before_filtering"]["total_reads"]),
        "reads_out": int(s["after_filtering"]["total_reads"]),
        "q30_rate_in": float(s["before_filtering"]["q30_rate"]),
        "q30_rate_out": float(s["after_filtering"]["q30_rate"]),
        "adapter_trimmed_reads": int(d.get("adapter_cutting", {}).get("adapter_trimmed_reads", 0)),
        "duplication_rate": float(d.get("duplication", {}).get("rate", 0.0)),
    }


# --------------------------------------------------------------------------- command line
def _featurecounts_series(path: str | Path) -> pd.Series:
    import pandas as pd

    tab = pd.read_csv(path, sep="\t", comment="#", index_col=0)
    return tab.iloc[:, -1].astype("int64")


def _circ_series(bed: str | Path) -> pd.Series:
    """Back-spliced reads per junction from CIRCexplorer2's ``fusion_junction.bed``.

    Junctions are keyed ``chrom:start-end`` (BED coordinates); both strands of one junction
    are added (the strand of an unstranded read is arbitrary).
    """
    import pandas as pd

    c: Counter[str] = Counter()
    with open(bed) as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) < 6:
                continue
            c[f"{f[0]}:{f[1]}-{f[2]}"] += int(f[3].rsplit("/", 1)[1])
    return pd.Series(c, dtype="int64")


def _linear_series(circ: pd.Series, sj_tab: str | Path) -> pd.Series:
    """Linearly spliced reads (STAR SJ.out.tab, unique) sharing a splice site of each circRNA."""
    import pandas as pd

    if Path(sj_tab).stat().st_size == 0:  # no linearly spliced read at all
        return pd.Series(0, index=circ.index, dtype="int64")
    sj = pd.read_csv(sj_tab, sep="\t", header=None)
    out = {}
    for cid in circ.index:
        chrom, rest = str(cid).split(":")
        s, e = (int(x) for x in rest.split("-"))
        on = sj[sj[0] == chrom]
        # SJ.out.tab: intron first / last base (1-based); the circRNA's 5' site is s+1 (exon
        # start), its 3' site e (exon end): introns ending at s or starting at e+1
        out[cid] = int(on.loc[(on[2] == s) | (on[1] == e + 1), 6].sum())
    return pd.Series(out, dtype="int64")


def collapse_alignments(sam: str | Path, out: str | Path) -> dict[str, int]:
    """Collapse a SAM file's reads to unique sequences named ``seq_N_xCOUNT`` (mirtop's input).

    mirtop (and seqcluster / bcbio before it) reads the number of reads a sequence stands for
    from its name's ``_x<count>`` suffix. Every aligned read with the same sequence has the same
    alignments (bowtie ``-k --best --strata`` reports the same best stratum), so the first read
    of each sequence keeps its alignment lines, renamed; unaligned reads are dropped.

    Parameters
    ----------
    sam
        Alignments of reads to hairpins (bowtie ``-S``).
    out
        Collapsed SAM, header kept; sequences numbered by first appearance.

    Returns
    -------
    dict
        ``reads`` (aligned reads), ``sequences`` (unique sequences written).

    Notes
    -----
    R / shell equivalent: ``seqcluster collapse`` before alignment, as bcbio-nextgen's
    small-RNA pipeline does (Pantano et al. 2011, seqcluster; Desvignes et al. 2020, mirGFF3).
    """
    header: list[str] = []
    first: dict[str, str] = {}  # sequence -> the read whose lines are kept
    lines: dict[str, list[list[str]]] = {}
    reads: dict[str, set[str]] = {}
    with open(sam) as fh:
        for line in fh:
            if line.startswith("@"):
                header.append(line)
                continue
            f = line.rstrip("\n").split("\t")
            if len(f) < 11 or int(f[1]) & 4:
                continue
            seq = f[9]
            keeper = first.setdefault(seq, f[0])
            reads.setdefault(seq, set()).add(f[0])
            if f[0] == keeper:
                lines.setdefault(seq, []).append(f)
    with open(out, "w") as fh:
        fh.writelines(header)
        for i, seq in enumerate(first, 1):
            name = f"seq_{i}_x{len(reads[seq])}"
            fh.writelines("\t".join([name, *f[1:]]) + "\n" for f in lines[seq])
    return {"reads": sum(len(r) for r in reads.values()), "sequences": len(first)}


def flatten_mirtop_counts(path: str | Path) -> None:
    """Rewrite ``mirtop counts``' table with one column per sample, in place.

    mirtop 0.4.30 joins the sample names (and each row's counts) with tabs into one cell that
    pandas then quotes (``"S1<TAB>S2"``), so the file has one quoted column for all samples
    when there are several; this splits those cells into the columns mirtop meant.
    """
    import csv

    with open(path, newline="") as fh:
        rows = [
            [part for cell in row for part in cell.split("\t")]
            for row in csv.reader(fh, delimiter="\t")
        ]
    Path(path).write_text("".join("\t".join(r) + "\n" for r in rows))


def _main(argv: list[str]) -> None:  # pragma: no cover - exercised through the workflow
    cmd, *args = argv
    if cmd == "hisat2-annotation":
        gtf, exon_out, ss_out = args
        exons, ss = gtf_exons_splice_sites(gtf)
        Path(exon_out).write_text("".join(x + "\n" for x in exons))
        Path(ss_out).write_text("".join(x + "\n" for x in ss))
    elif cmd == "tx2gene":
        gtf, out = args
        Path(out).write_text(
            "".join(f"{t}\t{g}\n" for t, g in sorted(transcript_genes(gtf).items()))
        )
    elif cmd == "salmon-libtype":
        declared, fmt_json, meta_json, out = args
        res = salmon_library_type(fmt_json, meta_json, declared=declared)
        Path(out).write_text(json.dumps(res, indent=1))
    elif cmd == "salmon-genes":
        classes, tx2gene, outdir, *pairs = args
        if not pairs:  # no total-RNA library: header-only tables, as the featureCounts route
            _merge("genes", classes, Path(outdir), [])
            return
        genes = salmon_gene_counts(list(zip(pairs[0::2], pairs[1::2], strict=True)), tx2gene)
        _write_gene_tables(classes, [(str(n), genes[n]) for n in genes.columns], Path(outdir))
    elif cmd == "gene-classes":
        gtf, out = args
        gene_classes(gtf).to_csv(out, sep="\t", index=False)
    elif cmd == "strandedness":
        declared, fwd, rev, out = args
        res = infer_strandedness(fwd, rev)
        res["declared"] = declared
        res["used"] = res["call"] if declared == "auto" else declared
        Path(out).write_text(json.dumps(res, indent=1))
    elif cmd == "detect-adapter":
        declared, fastq, out = args
        if declared != "auto":
            res = {"adapter": declared, "source": "declared", "fraction": None}
        else:
            ad, frac = detect_adapter(fastq)
            res = {"adapter": ad, "source": "detected (most frequent 3' k-mer)", "fraction": frac}
        Path(out).write_text(json.dumps(res, indent=1))
    elif cmd == "prepare-hairpins":
        gff, hp, fa_out, tsv_out = args
        fasta, table = mature_on_hairpins(gff, hp)
        Path(fa_out).write_text(fasta)
        table.to_csv(tsv_out, sep="\t", index=False)
    elif cmd == "count-mirna":
        sam, mtable, out, stats_out = args
        import csv

        with open(mtable) as fh:
            counts, stats = count_mature_mirnas(sam, list(csv.DictReader(fh, delimiter="\t")))
        Path(out).write_text(
            "feature_id\tcount\n" + "".join(f"{k}\t{v}\n" for k, v in sorted(counts.items()))
        )
        Path(stats_out).write_text(json.dumps(stats, indent=1))
    elif cmd == "collapse-sam":
        sam, out = args
        collapse_alignments(sam, out)
    elif cmd == "flatten-mirtop":
        flatten_mirtop_counts(args[0])
    elif cmd == "circ-counts":
        bed, sj, out, linear_out = args
        circ = _circ_series(bed)
        circ.rename_axis("feature_id").rename("count").to_csv(out, sep="\t")
        _linear_series(circ, sj).rename_axis("feature_id").rename("count").to_csv(
            linear_out, sep="\t"
        )
    elif cmd == "merge":
        kind, classes, outdir, *pairs = args
        _merge(kind, classes, Path(outdir), pairs)
    else:
        msg = f"unknown step {cmd!r}"
        raise SystemExit(msg)


def _write_gene_tables(classes: str, tables: Sequence[tuple[str, pd.Series]], outdir: Path) -> None:
    """``all_genes.tsv``, ``gene_classes.tsv``, ``mrna.tsv``, ``lncrna.tsv`` in ``outdir``.

    One writer for both long-RNA routes (featureCounts, salmon + tximport): genes in the
    order of ``classes`` (the GTF's), a gene absent from a sample's table counted 0.
    """
    import pandas as pd

    outdir.mkdir(parents=True, exist_ok=True)
    cls = pd.read_csv(classes, sep="\t")
    m = merge_counts(tables, features=cls["feature_id"].astype(str).tolist())
    m.to_csv(outdir / "all_genes.tsv", sep="\t")
    cls.to_csv(outdir / "gene_classes.tsv", sep="\t", index=False)
    for rna_class, fname in (("mRNA", "mrna.tsv"), ("lncRNA", "lncrna.tsv")):
        ids = cls.loc[cls["rna_class"] == rna_class, "feature_id"].astype(str)
        m.loc[ids.tolist()].to_csv(outdir / fname, sep="\t")


def _merge(kind: str, classes: str, outdir: Path, pairs: list[str]) -> None:
    import pandas as pd

    names, files = pairs[0::2], pairs[1::2]
    outdir.mkdir(parents=True, exist_ok=True)
    if not names:  # no library of this kind in the samplesheet: header only
        for fname in ("mrna", "lncrna", "all_genes") if kind == "genes" else (kind,):
            (outdir / f"{fname}.tsv").write_text("feature_id\n")
        if kind == "genes":
            (outdir / "gene_classes.tsv").write_text("feature_id\tbiotype\trna_class\n")
        return
    if kind == "genes":
        _write_gene_tables(
            classes,
            [(n, _featurecounts_series(f)) for n, f in zip(names, files, strict=True)],
            outdir,
        )
        return
    series = []
    for n, f in zip(names, files, strict=True):
        t = pd.read_csv(f, sep="\t", index_col=0)
        series.append((n, t.iloc[:, 0] if len(t.columns) else pd.Series(dtype="int64")))
    features = None
    if kind == "mirna" and classes != "-":
        features = sorted(set(pd.read_csv(classes, sep="\t")["mature"].astype(str)))
    m = merge_counts(series, features=features)
    m.to_csv(outdir / f"{kind}.tsv", sep="\t")


if __name__ == "__main__":  # pragma: no cover
    _main(sys.argv[1:])
