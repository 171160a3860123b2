"""Bad input is refused before any job starts, naming the file, the line and what was expected."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from exodisc.errors import SchemaError
from exodisc.reads import MissingToolsError, check_tools, validate_inputs


def _args(d) -> dict:
    return {
        "genome": d.genome,
        "gtf": d.gtf,
        "mirbase_gff": d.mirbase_gff,
        "hairpins": d.hairpins,
    }


def _sheet(tmp_path: Path, rows: list[str]) -> Path:
    p = tmp_path / "sheet.csv"
    p.write_text("sample,fastq_1,fastq_2,library\n" + "\n".join(rows) + "\n")
    return p


def test_valid_synthetic_inputs(synthetic) -> None:
    inputs = validate_inputs(synthetic.samplesheet, **_args(synthetic))
    assert [x.sample for x in inputs.total] == ["S1", "S2"]
    assert [x.sample for x in inputs.small] == ["S1", "S2"]
    r1 = inputs.total[0].fastq_1
    with gzip.open(r1, "rt") as fh:
        n = sum(1 for _ in fh) // 4
    assert inputs.reads[str(r1)] == n


def test_missing_file_and_duplicates(synthetic, tmp_path: Path) -> None:
    r = synthetic.folder / "reads"
    sheet = _sheet(
        tmp_path,
        [
            f"S1,{r}/S1_total_R1.fastq.gz,{r}/S1_total_R2.fastq.gz,total",
            f"S1,{r}/S1_total_R1.fastq.gz,{r}/S1_total_R2.fastq.gz,total",
            f"S3,{r}/nope.fastq.gz,,total",
            f"S4,{r}/S1_small.fastq.gz,,tiny",
        ],
    )
    with pytest.raises(SchemaError) as err:
        validate_inputs(sheet, **_args(synthetic))
    msg = str(err.value)
    assert "line 3: sample 'S1' (total) is listed twice (also line 2)" in msg
    assert "line 4, column fastq_1: file" in msg and "nope.fastq.gz not found" in msg
    assert "line 5: library 'tiny'; expected total or small" in msg


def test_mate_count_mismatch(synthetic, tmp_path: Path) -> None:
    r = synthetic.folder / "reads"
    with gzip.open(r / "S1_total_R2.fastq.gz", "rt") as fh:
        lines = fh.readlines()
    short = tmp_path / "R2.fastq.gz"
    with gzip.open(short, "wt") as fh:
        fh.writelines(lines[:-8])
    sheet = _sheet(tmp_path, [f"S1,{r}/S1_total_R1.fastq.gz,{short},total"])
    with pytest.raises(SchemaError, match=r"line 2: sample 'S1': fastq_1 has (\d+) reads, fastq_2"):
        validate_inputs(sheet, genome=synthetic.genome, gtf=synthetic.gtf)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("@r1\nACGT\n+\nIIII\n@r2\nACGT\n+\nII", r"line 8: quality length 2 differs"),
        ("@r1\nACGT\n+\nIIII\n@r2\nACGT\n", r"line 5: record 2 is incomplete"),
        (">r1\nACGT\n>r2\nACGT\n", r"line 1: expected a FASTQ header"),
        ("", r"holds no reads"),
    ],
)
def test_truncated_or_not_fastq(synthetic, tmp_path: Path, content: str, expected: str) -> None:
    bad = tmp_path / "bad.fastq"
    bad.write_text(content)
    sheet = _sheet(tmp_path, [f"S1,{bad},,total"])
    with pytest.raises(SchemaError, match=expected) as err:
        validate_inputs(sheet, genome=synthetic.genome, gtf=synthetic.gtf)
    assert str(bad) in str(err.value)


def test_truncated_gzip(synthetic, tmp_path: Path) -> None:
    src = (synthetic.folder / "reads" / "S1_total_R1.fastq.gz").read_bytes()
    bad = tmp_path / "cut.fastq.gz"
    bad.write_bytes(src[: len(src) // 2])
    sheet = _sheet(tmp_path, [f"S1,{bad},,total"])
    with pytest.raises(SchemaError, match=r"cut\.fastq\.gz: after read \d+: cannot be read"):
        validate_inputs(sheet, genome=synthetic.genome, gtf=synthetic.gtf)


def test_gtf_without_gene_type(synthetic, tmp_path: Path) -> None:
    gtf = tmp_path / "no_type.gtf"
    gtf.write_text(
        synthetic.gtf.read_text()
        .replace(' gene_type "protein_coding";', "")
        .replace(' gene_type "lncRNA";', "")
    )
    sheet = _sheet(tmp_path, [f"S1,{synthetic.folder}/reads/S1_small.fastq.gz,,total"])
    with pytest.raises(SchemaError, match=r"no_type\.gtf: line 1: no gene_type or gene_biotype"):
        validate_inputs(sheet, genome=synthetic.genome, gtf=gtf)


def test_contig_mismatch(synthetic, tmp_path: Path) -> None:
    genome = tmp_path / "genome.fa"
    genome.write_text(synthetic.genome.read_text().replace(">chrS", ">S"))
    sheet = _sheet(tmp_path, [f"S1,{synthetic.folder}/reads/S1_small.fastq.gz,,total"])
    with pytest.raises(SchemaError, match=r"genes\.gtf: contig\(s\) chrS are not in .*genome\.fa"):
        validate_inputs(sheet, genome=genome, gtf=synthetic.gtf)


def test_small_needs_mirbase(synthetic) -> None:
    with pytest.raises(
        SchemaError, match="2 small-RNA libraries need --mirbase-gff and --hairpins"
    ):
        validate_inputs(synthetic.samplesheet, genome=synthetic.genome, gtf=synthetic.gtf)


def test_missing_tools_listed_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without the tools: one message, each tool with the command that installs it."""
    import exodisc.reads._workflow as wf

    monkeypatch.setattr(wf, "_which", lambda tool: None)
    with pytest.raises(MissingToolsError) as err:
        check_tools()
    msg = str(err.value)
    assert "nothing was started" in msg
    for tool, pkg in [("fastp", "fastp"), ("featureCounts", "subread"), ("STAR", "rna-star")]:
        assert f"{tool}" in msg and f"apt-get install {pkg}" in msg
    assert "CIRCexplorer2" in msg and "pip install CIRCexplorer2" in msg
    assert "apt-get install bowtie cutadapt fastp hisat2 rna-star samtools subread" in msg


def test_cli_stops_before_start(synthetic, tmp_path: Path, monkeypatch) -> None:
    """``exodisc reads`` with a tool missing exits 1 with the list, and writes nothing."""
    from typer.testing import CliRunner

    import exodisc.reads._workflow as wf
    from exodisc.cli import app

    monkeypatch.setattr(wf, "_which", lambda tool: None if tool == "STAR" else shutil.which("ls"))
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app,
        [
            "reads",
            str(synthetic.samplesheet),
            "--genome",
            str(synthetic.genome),
            "--gtf",
            str(synthetic.gtf),
            "--mirbase-gff",
            str(synthetic.mirbase_gff),
            "--hairpins",
            str(synthetic.hairpins),
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 1
    assert "STAR" in res.output and "apt-get install rna-star" in res.output
    assert not out.exists()
