"""``--quantifier salmon``: salmon quant + tximport give the featureCounts route's count files.

One synthetic data set (the project's simulated genome, reads with known origins) is run
through both routes of the workflow once per module; the tests compare the routes' files, the
counts with the simulation's truth and with featureCounts, the tximport step with a sum by hand
over salmon's ``quant.sf`` files, and the recorded library type. The simulation's depth is
raised so each sample has more than the 50,000 mapped fragments salmon's ``-l A`` needs before
it detects a library type (fewer and it keeps its default, IU; tested on its own below).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from exodisc.reads import MissingToolsError, check_tools

#: fragments per feature scale (simulate_reads_dataset's ``depth``): about 67,000 and 86,000
#: total-RNA fragments in S1 / S2, above salmon's 50,000 for library-type detection
DEPTH = 16_000
#: salmon vs the simulation's truth and vs featureCounts, per gene and sample: every gene here
#: has one transcript and no overlapping gene, and reads are error-free, so all but a few
#: fragments must land on their own gene (measured: 0 differences on this data)
REL_TOL = 0.005

_GENE_TABLES = ("all_genes", "mrna", "lncrna", "gene_classes")


@pytest.fixture(scope="module")
def salmon_tools() -> None:
    """Skip, naming what is missing, where the salmon route's tools are not installed."""
    try:
        check_tools(quantifier="salmon")
        check_tools(quantifier="featurecounts")
    except MissingToolsError as exc:
        pytest.skip(f"salmon route tools missing (make system-deps-reads installs them): {exc}")


@pytest.fixture(scope="module")
def both_routes(salmon_tools, tmp_path_factory: pytest.TempPathFactory):
    """The same simulated data through ``featurecounts`` and ``salmon``, run once each."""
    from exodisc.reads import run_reads, simulate_reads_dataset

    base = tmp_path_factory.mktemp("salmon_routes")
    data = simulate_reads_dataset(base / "data", depth=DEPTH)
    kw = {
        "genome": data.genome,
        "gtf": data.gtf,
        "mirbase_gff": data.mirbase_gff,
        "hairpins": data.hairpins,
        "cores": 2,
    }
    runs = {
        q: run_reads(data.samplesheet, out=base / q, quantifier=q, **kw)
        for q in (
            "featurecounts",
            "salmon",
        )
    }
    return data, runs["featurecounts"], runs["salmon"]


def _table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / "counts" / f"{name}.tsv", sep="\t")


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_same_files_and_layout_as_featurecounts(both_routes) -> None:
    """counts/ holds the same files, columns, gene order and dtypes in both routes; the
    miRNA and circRNA tables (not touched by the quantifier) are byte for byte the same."""
    _, fc, sa = both_routes
    assert _tree(fc.out / "counts") == _tree(sa.out / "counts")
    for name in _GENE_TABLES:
        a, b = _table(fc.out, name), _table(sa.out, name)
        assert list(a.columns) == list(b.columns), name
        assert a.columns[0] == "feature_id"
        assert a["feature_id"].tolist() == b["feature_id"].tolist(), name
        assert list(a.dtypes) == list(b.dtypes), name
    assert list(_table(sa.out, "all_genes").columns) == ["feature_id", "S1", "S2"]
    assert (_table(sa.out, "all_genes")[["S1", "S2"]].dtypes == "int64").all()
    pd.testing.assert_frame_equal(_table(fc.out, "gene_classes"), _table(sa.out, "gene_classes"))
    for name in ("mirna", "circrna", "circrna_linear"):
        assert (fc.out / "counts" / f"{name}.tsv").read_bytes() == (
            sa.out / "counts" / f"{name}.tsv"
        ).read_bytes(), name
    # the same top-level folders, plus salmon/ (per-sample quant.sf) in the salmon route
    top = {p.name for p in fc.out.iterdir()}
    assert {p.name for p in sa.out.iterdir()} == top | {"salmon"}
    assert sa.counts.keys() == fc.counts.keys()
    assert (sa.out / "multiqc" / "multiqc_report.html").stat().st_size > 10_000


def test_salmon_counts_agree_with_truth_and_featurecounts(both_routes) -> None:
    """Per gene and sample, salmon's gene counts are within REL_TOL of the simulated number of
    fragments and of featureCounts' count on the same reads."""
    data, fc, sa = both_routes
    truth = pd.read_csv(data.truth, sep="\t", index_col=0)
    sal = _table(sa.out, "all_genes").set_index("feature_id")
    fcs = _table(fc.out, "all_genes").set_index("feature_id")
    want = truth.loc[sal.index, ["S1", "S2"]].astype("int64")
    assert (want > 5000).all().all()  # deep enough for a relative tolerance to mean something
    rel_truth = ((sal - want).abs() / want).to_numpy().max()
    rel_fc = ((sal - fcs).abs() / fcs).to_numpy().max()
    assert rel_truth <= REL_TOL, (sal, want)
    assert rel_fc <= REL_TOL, (sal, fcs)
    # the class tables are the all-genes rows of each class
    for name, rna_class in (("mrna", "mRNA"), ("lncrna", "lncRNA")):
        got = _table(sa.out, name).set_index("feature_id")
        ids = truth.index[truth["rna_class"] == rna_class]
        assert sorted(got.index) == sorted(ids)
        pd.testing.assert_frame_equal(got, sal.loc[got.index])


def _gtf_tx2gene_by_hand(gtf: Path) -> dict[str, str]:
    out = {}
    for line in gtf.read_text().splitlines():
        f = line.split("\t")
        if len(f) == 9 and f[2] == "exon":
            tx = re.search(r'transcript_id "([^"]+)"', f[8])
            gene = re.search(r'gene_id "([^"]+)"', f[8])
            assert tx and gene
            out[tx.group(1)] = gene.group(1)
    return out


def _quant_by_hand(quants: dict[str, Path], tx2gene: dict[str, str]) -> dict[str, dict]:
    """NumReads summed per gene, rounded half to even (R's round(), DESeqDataSetFromTximport)."""
    out: dict[str, dict] = {}
    for sample, path in quants.items():
        sums: dict[str, float] = {}
        lines = path.read_text().splitlines()
        head = lines[0].split("\t")
        for line in lines[1:]:
            row = dict(zip(head, line.split("\t"), strict=True))
            gene = tx2gene[row["Name"]]
            sums[gene] = sums.get(gene, 0.0) + float(row["NumReads"])
        out[sample] = {g: round(v) for g, v in sums.items()}
    return out


def test_tximport_step_equals_sum_by_hand(both_routes) -> None:
    """all_genes.tsv equals salmon's quant.sf NumReads summed per GTF gene, rounded."""
    data, _, sa = both_routes
    quants = {s: sa.out / "salmon" / s / "quant.sf" for s in ("S1", "S2")}
    hand = _quant_by_hand(quants, _gtf_tx2gene_by_hand(data.gtf))
    ours = _table(sa.out, "all_genes").set_index("feature_id")
    for sample, genes in hand.items():
        assert ours[sample].to_dict() == genes


def test_library_type_recorded(both_routes) -> None:
    """Reverse-stranded paired reads (dUTP): salmon detects ISR; qc/, provenance say so."""
    _, fc, sa = both_routes
    strand = pd.read_csv(sa.out / "qc" / "reads_strandedness.tsv", sep="\t")
    assert strand["sample"].tolist() == ["S1", "S2"]
    assert strand["libtype"].tolist() == ["ISR", "ISR"]
    assert strand["libtype_source"].tolist() == ["detected by salmon (-l A)"] * 2
    assert strand["used"].tolist() == ["reverse", "reverse"]
    assert (strand["fraction_forward"] < 0.01).all()
    assert (strand["mapped_fragments"] > 50_000).all()
    # the same call as the featureCounts route's inference on the same reads
    fc_strand = pd.read_csv(fc.out / "qc" / "reads_strandedness.tsv", sep="\t")
    assert fc_strand["used"].tolist() == strand["used"].tolist()
    # salmon's own files, which the table was read from
    for s in ("S1", "S2"):
        meta = json.loads((sa.out / "salmon" / s / "aux_info" / "meta_info.json").read_text())
        assert meta["library_types"] == ["ISR"]
    prov = json.loads((sa.out / "provenance.json").read_text())
    assert prov["quantifier"] == "salmon"
    assert prov["config"]["quantifier"] == "salmon"
    assert prov["tools"]["salmon"] == f"salmon {meta['salmon_version']}"
    assert re.fullmatch(r"\d+\.\d+\.\d+", prov["tools"]["gffread"])
    assert "featureCounts" not in prov["tools"] and "hisat2" not in prov["tools"]
    prov_fc = json.loads((fc.out / "provenance.json").read_text())
    assert "salmon" not in prov_fc["tools"] and "featureCounts" in prov_fc["tools"]


def test_methods_paragraph_names_salmon(both_routes) -> None:
    """The salmon route's methods paragraph states salmon's, gffread's versions and the type."""
    from exodisc.registry import get_method

    _, _, sa = both_routes
    prov = json.loads((sa.out / "provenance.json").read_text())
    from exodisc.reads._run import _strandedness_text

    strands = pd.read_csv(sa.out / "qc" / "reads_strandedness.tsv", sep="\t")
    text = _strandedness_text(strands)
    assert text.startswith("S1: reverse (salmon library type ISR, detected by salmon (-l A), 0.00")
    meta = get_method("reads.workflow_salmon")
    tools = prov["tools"]
    filled = meta.template.format(
        n_total=2,
        n_small=2,
        snakemake=tools["snakemake"],
        fastp=tools["fastp"],
        salmon=tools["salmon"],
        gffread=tools["gffread"],
        strandedness=text,
        star=tools["STAR"],
        circexplorer2=tools["CIRCexplorer2"],
        adapters="-",
        cutadapt=tools["cutadapt"],
        bowtie=tools["bowtie"],
        mirtop=tools["mirtop"],
        multiqc=tools["multiqc"],
    )
    assert f"salmon ({tools['salmon']};" in filled and f"gffread ({tools['gffread']})" in filled
    assert "HISAT2" not in filled and "decoy-free" in filled


# --------------------------------------------------------------------------- no tools needed
def _quant_sf(path: Path, rows: list[tuple[str, float]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "Name\tLength\tEffectiveLength\tTPM\tNumReads\n"
        + "".join(f"{n}\t1000\t800.000\t10.0\t{c:.3f}\n" for n, c in rows)
    )
    return path


def test_salmon_genes_step_rounds_as_tximport_by_hand(tmp_path: Path) -> None:
    """The workflow's salmon-genes step on fractional NumReads: sums per gene, then rounds half
    to even (2.5 -> 2, 3.5 -> 4), the same as the hand computation; the GTF's gene order and a
    gene with no transcript counted are kept."""
    from exodisc.reads._steps import _main

    gtf = tmp_path / "g.gtf"
    gtf.write_text(
        "".join(
            f'c\ts\texon\t{i * 100 + 1}\t{i * 100 + 50}\t.\t+\t.\tgene_id "{g}"; '
            f'transcript_id "{t}"; gene_type "{b}";\n'
            for i, (g, t, b) in enumerate(
                [
                    ("GB", "T1", "protein_coding"),
                    ("GB", "T2", "protein_coding"),
                    ("GA", "T3", "lncRNA"),
                    ("GC", "T4", "protein_coding"),
                    ("GD", "T5", "misc_RNA"),
                ]
            )
        )
    )
    _main(["gene-classes", str(gtf), str(tmp_path / "classes.tsv")])
    _main(["tx2gene", str(gtf), str(tmp_path / "tx2gene.tsv")])
    quants = {
        "S1": _quant_sf(
            tmp_path / "S1" / "quant.sf",
            [("T1", 1.25), ("T2", 1.25), ("T3", 3.5), ("T4", 0.0), ("T5", 7.4)],
        ),
        "S2": _quant_sf(
            tmp_path / "S2" / "quant.sf",
            [("T1", 10.6), ("T2", 0.0), ("T3", 0.5), ("T4", 1.5), ("T5", 2.49)],
        ),
    }
    out = tmp_path / "counts"
    _main(
        [
            "salmon-genes",
            str(tmp_path / "classes.tsv"),
            str(tmp_path / "tx2gene.tsv"),
            str(out),
            *[x for s, p in quants.items() for x in (s, str(p))],
        ]
    )
    got = pd.read_csv(out / "all_genes.tsv", sep="\t", index_col=0)
    assert got.index.tolist() == ["GB", "GA", "GC", "GD"]  # the GTF's order
    hand = _quant_by_hand(quants, _gtf_tx2gene_by_hand(gtf))
    assert hand["S1"] == {"GB": 2, "GA": 4, "GC": 0, "GD": 7}
    assert hand["S2"] == {"GB": 11, "GA": 0, "GC": 2, "GD": 2}
    for s in ("S1", "S2"):
        assert got[s].to_dict() == hand[s]
    assert pd.read_csv(out / "mrna.tsv", sep="\t")["feature_id"].tolist() == ["GB", "GC"]
    assert pd.read_csv(out / "lncrna.tsv", sep="\t")["feature_id"].tolist() == ["GA"]


def test_tx2gene_refuses_a_transcript_in_two_genes(tmp_path: Path) -> None:
    from exodisc.reads._steps import transcript_genes

    gtf = tmp_path / "g.gtf"
    gtf.write_text(
        'c\ts\texon\t1\t50\t.\t+\t.\tgene_id "G1"; transcript_id "T1";\n'
        'c\ts\texon\t81\t90\t.\t+\t.\tgene_id "G2"; transcript_id "T1";\n'
    )
    with pytest.raises(ValueError, match=r"g\.gtf line 2: transcript 'T1' has gene_id 'G2'"):
        transcript_genes(gtf)


def _libtype_files(tmp_path: Path, *, fmt: str, isr: int, isf: int, mapped: int):
    f = tmp_path / "lib_format_counts.json"
    f.write_text(json.dumps({"expected_format": fmt, "ISR": isr, "ISF": isf, "IU": 0}))
    m = tmp_path / "meta_info.json"
    m.write_text(json.dumps({"num_processed": mapped + 10, "num_mapped": mapped}))
    return f, m


def test_library_type_below_salmons_detection_threshold(tmp_path: Path) -> None:
    """Under 50,000 mapped fragments salmon keeps IU: recorded as its default, with the
    fragments that show the real strand."""
    from exodisc.reads._steps import salmon_library_type

    f, m = _libtype_files(tmp_path, fmt="IU", isr=622, isf=0, mapped=622)
    got = salmon_library_type(f, m)
    assert got["libtype"] == "IU" and got["used"] == "unstranded"
    assert got["libtype_source"] == (
        "salmon's default: 622 mapped fragments, fewer than the 50,000 salmon -l A needs to "
        "detect the type; by salmon's thresholds their strands look reverse (declare "
        "--strandedness to use it)"
    )
    assert got["fraction_forward"] == 0.0 and got["reverse_fragments"] == 622
    f, m = _libtype_files(tmp_path, fmt="ISF", isr=10, isf=90, mapped=100)
    got = salmon_library_type(f, m, declared="forward")
    assert (got["used"], got["libtype_source"], got["fraction_forward"]) == (
        "forward",
        "declared",
        0.9,
    )


def test_missing_salmon_named_only_on_the_salmon_route(monkeypatch: pytest.MonkeyPatch) -> None:
    """salmon / gffread are asked for (with their Debian packages) only with
    quantifier='salmon', which in turn does not ask for HISAT2 or featureCounts."""
    import exodisc.reads._workflow as wf

    real = wf._which
    monkeypatch.setattr(
        wf, "_which", lambda tool: None if tool in ("salmon", "gffread", "hisat2") else real(tool)
    )
    if any(real(t) is None for t in wf.TOOLS if t not in ("salmon", "gffread", "hisat2")):
        pytest.skip("other reads tools are missing too; the message would list them")
    with pytest.raises(MissingToolsError) as err:
        check_tools(quantifier="featurecounts")
    assert "salmon" not in str(err.value) and "gffread" not in str(err.value)
    with pytest.raises(MissingToolsError) as err:
        check_tools(quantifier="salmon")
    msg = str(err.value)
    assert "apt-get install salmon" in msg and "apt-get install gffread" in msg
    assert "hisat2" not in msg
    assert "all Debian ones at once, as root: apt-get install gffread salmon" in msg
    with pytest.raises(ValueError, match="quantifier must be one of featurecounts, salmon"):
        check_tools(quantifier="kallisto")  # type: ignore[arg-type]


def test_salmon_route_needs_transcript_ids(synthetic, tmp_path: Path) -> None:
    from exodisc.errors import SchemaError
    from exodisc.reads import validate_inputs

    gtf = tmp_path / "genes.gtf"
    gtf.write_text(re.sub(r' transcript_id "[^"]+";', "", synthetic.gtf.read_text()))
    kw = {"mirbase_gff": synthetic.mirbase_gff, "hairpins": synthetic.hairpins}
    validate_inputs(synthetic.samplesheet, genome=synthetic.genome, gtf=gtf, **kw)
    with pytest.raises(SchemaError, match=r"line 3: exon without a transcript_id attribute"):
        validate_inputs(
            synthetic.samplesheet, genome=synthetic.genome, gtf=gtf, quantifier="salmon", **kw
        )


def test_cli_and_study_option(synthetic, tmp_path: Path, monkeypatch) -> None:
    """``--quantifier`` reaches run_reads; the study's reads options accept it (default
    featurecounts) and refuse other values."""
    from pydantic import ValidationError
    from typer.testing import CliRunner

    import exodisc.reads._workflow as wf
    from exodisc.cli import app
    from exodisc.reads._run import ReadsOptions

    monkeypatch.setattr(
        wf, "_which", lambda tool: None if tool == "gffread" else shutil.which("ls")
    )
    args = ["reads", str(synthetic.samplesheet), "--genome", str(synthetic.genome)]
    args += ["--gtf", str(synthetic.gtf), "--mirbase-gff", str(synthetic.mirbase_gff)]
    args += ["--hairpins", str(synthetic.hairpins), "-o", str(tmp_path / "out")]
    res = CliRunner().invoke(app, [*args, "--quantifier", "salmon"])
    assert res.exit_code == 1
    assert "apt-get install gffread" in res.output
    res = CliRunner().invoke(app, [*args, "--quantifier", "kallisto"])
    assert res.exit_code == 2
    assert ReadsOptions(genome="g.fa", gtf="g.gtf").quantifier == "featurecounts"
    assert ReadsOptions(genome="g.fa", gtf="g.gtf", quantifier="salmon").quantifier == "salmon"
    with pytest.raises(ValidationError):
        ReadsOptions(genome="g.fa", gtf="g.gtf", quantifier="kallisto")  # type: ignore[arg-type]


def test_declared_strandedness_is_passed_to_salmon(synthetic, salmon_tools, tmp_path: Path) -> None:
    """--strandedness reverse runs salmon quant -l ISR (paired) and is recorded as declared."""
    from exodisc.reads import validate_inputs
    from exodisc.reads._workflow import run_targets

    inputs = validate_inputs(
        synthetic.samplesheet,
        genome=synthetic.genome,
        gtf=synthetic.gtf,
        mirbase_gff=synthetic.mirbase_gff,
        hairpins=synthetic.hairpins,
        quantifier="salmon",
    )
    work = run_targets(
        inputs,
        tmp_path / "work",
        ["results/qc/strandedness/S1.json"],
        cores=2,
        strandedness="reverse",
        quantifier="salmon",
    )
    cmd = json.loads((work / "results" / "salmon" / "S1" / "cmd_info.json").read_text())
    assert cmd["libType"] == "ISR"
    got = json.loads((work / "results" / "qc" / "strandedness" / "S1.json").read_text())
    assert (got["libtype"], got["libtype_source"], got["used"]) == ("ISR", "declared", "reverse")
    assert got["compatible_fragment_ratio"] == 1.0  # every mapped fragment fits ISR
