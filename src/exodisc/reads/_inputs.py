"""Checks of the reads stage's inputs, all done before any job starts.

Samplesheet (nf-core convention ``sample,fastq_1,fastq_2,library``), every FASTQ (exists, is
FASTQ, not truncated, R1 and R2 with the same number of reads), the GTF (gene_type or
gene_biotype present) and the genome (every GTF contig present). All problems are listed at once.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from exodisc.errors import InputFormatError, SchemaError

__all__ = [
    "Library",
    "ReadsInputs",
    "check_fastq",
    "fasta_contigs",
    "read_samplesheet",
    "validate_inputs",
]

_COLUMNS = ("sample", "fastq_1", "fastq_2", "library")
_LIBRARIES = ("total", "small")


@dataclass(frozen=True)
class Library:
    """One row of the samplesheet (paths absolute)."""

    sample: str
    library: str
    fastq_1: Path
    fastq_2: Path | None
    line: int
    adapter: str = ""


@dataclass(frozen=True)
class ReadsInputs:
    """Validated inputs of one run of the reads stage."""

    samplesheet: Path
    libraries: tuple[Library, ...]
    genome: Path
    gtf: Path
    mirbase_gff: Path | None
    hairpins: Path | None
    genome_length: int
    reads: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> list[Library]:
        return [lib for lib in self.libraries if lib.library == "total"]

    @property
    def small(self) -> list[Library]:
        return [lib for lib in self.libraries if lib.library == "small"]


def read_samplesheet(path: str | Path) -> tuple[Library, ...]:
    """Read an nf-core style samplesheet; paths are resolved against its folder.

    Raises
    ------
    SchemaError
        Listing every problem (missing columns, bad library, duplicate sample + library,
        missing files) with its line number.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFormatError("samplesheet not found", path=path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except Exception as exc:
        raise InputFormatError(f"cannot be read as CSV ({exc})", path=path) from None
    missing = [c for c in _COLUMNS[:2] + _COLUMNS[3:] if c not in df.columns]
    if missing:
        msg = f"{path}: missing column(s) {', '.join(missing)}; expected {','.join(_COLUMNS)}"
        raise SchemaError(msg)
    if "fastq_2" not in df.columns:
        df["fastq_2"] = ""
    problems: list[str] = []
    libs: list[Library] = []
    seen: dict[tuple[str, str], int] = {}
    for i, row in df.iterrows():
        line = int(str(i)) + 2
        sample = row["sample"].strip()
        lib = row["library"].strip().lower()
        if not sample or any(c in sample for c in " /\\,"):
            problems.append(
                f"line {line}: sample {sample!r} is empty or holds a space, slash or comma"
            )
        if lib not in _LIBRARIES:
            problems.append(f"line {line}: library {row['library']!r}; expected total or small")
        key = (sample, lib)
        if key in seen:
            problems.append(
                f"line {line}: sample {sample!r} ({lib}) is listed twice (also line {seen[key]})"
            )
        seen.setdefault(key, line)
        paths: list[Path | None] = []
        for col in ("fastq_1", "fastq_2"):
            v = row[col].strip()
            if not v:
                paths.append(None)
                continue
            p = Path(v) if Path(v).is_absolute() else (path.parent / v)
            if not p.is_file():
                problems.append(f"line {line}, column {col}: file {p} not found")
            paths.append(p.resolve() if p.exists() else p)
        if paths[0] is None:
            problems.append(f"line {line}: fastq_1 is empty")
            continue
        if lib == "small" and paths[1] is not None:
            problems.append(f"line {line}: small-RNA libraries are single-end; leave fastq_2 empty")
        adapter = row.get("adapter", "").strip().upper() if "adapter" in df.columns else ""
        libs.append(Library(sample, lib, paths[0], paths[1], line, adapter))
    if df.empty:
        problems.append("no rows")
    if problems:
        raise SchemaError(f"{path}: " + "; ".join(problems))
    return tuple(libs)


def check_fastq(path: Path) -> tuple[int, str | None]:
    """Number of reads of a FASTQ (plain or gzip) and the first problem found, if any.

    Every record must be four lines: ``@name``, sequence, ``+``, qualities of the sequence's
    length. A file cut mid-record or mid-gzip-stream is reported as truncated.
    """
    opener = gzip.open if _is_gzip(path) else open
    n = 0
    try:
        with opener(path, "rt", errors="replace") as fh:
            while True:
                head = fh.readline()
                if not head:
                    break
                seq, plus, qual = fh.readline(), fh.readline(), fh.readline()
                lineno = 4 * n + 1
                if not head.startswith("@"):
                    return (
                        n,
                        f"line {lineno}: expected a FASTQ header ('@…'), found {head[:30]!r}",
                    )
                if not qual:
                    return n, f"line {lineno}: record {n + 1} is incomplete (file truncated?)"
                if not plus.startswith("+"):
                    return n, f"line {lineno + 2}: expected '+', found {plus[:30]!r}"
                if len(seq.rstrip("\r\n")) != len(qual.rstrip("\r\n")):
                    return n, (
                        f"line {lineno + 3}: quality length {len(qual.rstrip())} differs from "
                        f"sequence length {len(seq.rstrip())} (file truncated?)"
                    )
                n += 1
    except (EOFError, OSError, gzip.BadGzipFile) as exc:
        return n, f"after read {n}: cannot be read to the end ({exc}; truncated gzip?)"
    if n == 0:
        return 0, "holds no reads"
    return n, None


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def fasta_contigs(path: Path) -> dict[str, int]:
    """Contig names and lengths of a FASTA (plain or gzip)."""
    out: dict[str, int] = {}
    name = None
    opener = gzip.open if _is_gzip(path) else open
    with opener(path, "rt") as fh:
        for line in fh:
            if line.startswith(">"):
                name = line[1:].split()[0] if line[1:].split() else ""
                out[name] = 0
            elif name is not None:
                out[name] += len(line.strip())
    return out


def _gtf_check(gtf: Path, *, transcripts: bool = False) -> tuple[set[str], list[str]]:
    contigs: set[str] = set()
    problems: list[str] = []
    n = 0
    with_type = 0
    first_without = 0
    exons = 0
    first_exon_without_tx = 0
    opener = gzip.open if _is_gzip(gtf) else open
    with opener(gtf, "rt") as fh:
        for i, line in enumerate(fh, start=1):
            if line.startswith("#") or not line.strip():
                continue
            f = line.rstrip("\n").split("\t")
            if len(f) < 9:
                problems.append(f"line {i}: {len(f)} tab-separated fields; a GTF line has 9")
                break
            contigs.add(f[0])
            if f[2] in ("gene", "exon"):
                n += 1
                if "gene_type" in f[8] or "gene_biotype" in f[8]:
                    with_type += 1
                elif not first_without:
                    first_without = i
            if f[2] == "exon":
                exons += 1
                if "transcript_id" not in f[8] and not first_exon_without_tx:
                    first_exon_without_tx = i
    if not problems and n == 0:
        problems.append("no gene or exon lines")
    elif not problems and with_type == 0:
        problems.append(
            f"line {first_without}: no gene_type or gene_biotype attribute (none in the file); "
            "the RNA classes (mRNA / lncRNA) are read from it — use a GENCODE or Ensembl GTF"
        )
    if not problems and transcripts and exons == 0:
        problems.append("no exon lines; salmon quantifies the transcripts built from them")
    elif not problems and transcripts and first_exon_without_tx:
        problems.append(
            f"line {first_exon_without_tx}: exon without a transcript_id attribute; the salmon "
            "route builds the transcripts and their genes from exon lines' transcript_id and "
            "gene_id"
        )
    return contigs, problems


def validate_inputs(
    samplesheet: str | Path,
    *,
    genome: str | Path,
    gtf: str | Path,
    mirbase_gff: str | Path | None = None,
    hairpins: str | Path | None = None,
    quantifier: str = "featurecounts",
) -> ReadsInputs:
    """Check every input of the reads stage and list all problems in one error.

    With ``quantifier="salmon"`` every exon line of the GTF must also have a
    ``transcript_id`` (the transcript sequences and the transcript-to-gene table are built
    from them).

    Raises
    ------
    SchemaError
        Naming each file, line and what was expected.
    """
    libs = read_samplesheet(samplesheet)
    problems: list[str] = []
    reads: dict[str, int] = {}
    for lib in libs:
        counts = []
        for p in (lib.fastq_1, lib.fastq_2):
            if p is None:
                continue
            n, problem = check_fastq(p)
            if problem:
                problems.append(f"{p}: {problem} (not FASTQ or truncated)")
            counts.append(n)
            reads[str(p)] = n
        if len(counts) == 2 and counts[0] != counts[1] and not problems:
            problems.append(
                f"{samplesheet} line {lib.line}: sample {lib.sample!r}: fastq_1 has {counts[0]} "
                f"reads, fastq_2 has {counts[1]}; mates must pair one to one"
            )
    genome, gtf = Path(genome), Path(gtf)
    contigs: dict[str, int] = {}
    for p, what in ((genome, "genome FASTA"), (gtf, "GTF")):
        if not p.is_file():
            problems.append(f"{p}: {what} not found")
    if genome.is_file():
        contigs = fasta_contigs(genome)
        if not contigs:
            problems.append(f"{genome}: no '>' contig header; expected a FASTA genome")
    if gtf.is_file():
        gtf_contigs, gtf_problems = _gtf_check(gtf, transcripts=quantifier == "salmon")
        problems += [f"{gtf}: {p}" for p in gtf_problems]
        absent = sorted(gtf_contigs - set(contigs))
        if contigs and absent:
            problems.append(
                f"{gtf}: contig(s) {', '.join(absent[:5])}{' …' if len(absent) > 5 else ''} "
                f"are not in {genome} (its contigs: {', '.join(list(contigs)[:5])}); "
                "genome and GTF must use the same names (chr22 vs 22?)"
            )
    small = [lib for lib in libs if lib.library == "small"]
    mg = Path(mirbase_gff) if mirbase_gff else None
    hp = Path(hairpins) if hairpins else None
    if (mg is None) != (hp is None):
        problems.append("--mirbase-gff and --hairpins go together; give both or neither")
    if small and (mg is None or hp is None):
        problems.append(
            f"{samplesheet}: {len(small)} small-RNA libraries need --mirbase-gff and --hairpins"
        )
    for p in (mg, hp):
        if p is not None and not p.is_file():
            problems.append(f"{p}: not found")
    if problems:
        raise SchemaError("the reads stage cannot start:\n  " + "\n  ".join(problems))
    return ReadsInputs(
        samplesheet=Path(samplesheet).resolve(),
        libraries=libs,
        genome=genome.resolve(),
        gtf=gtf.resolve(),
        mirbase_gff=mg.resolve() if mg else None,
        hairpins=hp.resolve() if hp else None,
        genome_length=sum(contigs.values()),
        reads=reads,
    )
