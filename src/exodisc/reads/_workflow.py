"""Running the packaged Snakemake workflow: tool check, config, Snakemake call, output folder."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from exodisc.errors import ExodiscError
from exodisc.reads._inputs import ReadsInputs, validate_inputs

__all__ = [
    "TOOLS",
    "MissingToolsError",
    "ReadsResult",
    "ReadsWorkflowError",
    "check_tools",
    "run_reads",
    "run_targets",
    "tool_versions",
    "workflow_dir",
]

Executor = Literal["local", "slurm", "kubernetes"]
Quantifier = Literal["featurecounts", "salmon"]

#: Command-line tools the workflow calls -> (Debian package, version command).
TOOLS: dict[str, tuple[str, str]] = {
    "fastp": ("fastp", "fastp --version"),
    "hisat2": ("hisat2", "hisat2 --version"),
    "hisat2-build": ("hisat2", "hisat2-build --version"),
    "samtools": ("samtools", "samtools --version"),
    "featureCounts": ("subread", "featureCounts -v"),
    "STAR": ("rna-star", "STAR --version"),
    "cutadapt": ("cutadapt", "cutadapt --version"),
    "bowtie": ("bowtie", "bowtie --version"),
    "bowtie-build": ("bowtie", "bowtie-build --version"),
    "salmon": ("salmon", "salmon --version"),
    "gffread": ("gffread", "gffread --version"),
}
#: Tools only one route of the long-RNA counting needs (``quantifier``).
QUANTIFIER_TOOLS: dict[str, tuple[str, ...]] = {
    "featurecounts": ("hisat2", "hisat2-build", "featureCounts"),
    "salmon": ("salmon", "gffread"),
}
#: Python tools (PyPI) the workflow calls as commands or modules.
PY_TOOLS = {"snakemake": "snakemake", "multiqc": "multiqc", "CIRCexplorer2": "CIRCexplorer2"}
#: Python modules of the small-RNA branch's mirtop step (mirtop declares none of its imports).
SMALL_PY_TOOLS = {
    "mirtop": "mirtop",
    "Bio": "biopython",
    "six": "six",
    "pkg_resources": "setuptools<81",
}


class MissingToolsError(ExodiscError):
    """Tools the workflow needs are not installed."""


class ReadsWorkflowError(ExodiscError):
    """A job of the workflow failed (the previous output folder is left untouched)."""


@dataclass(frozen=True)
class ReadsResult:
    """The output folder of a reads run and what it holds."""

    out: Path
    counts: dict[str, Path]
    multiqc: Path
    provenance: Path


def workflow_dir() -> Path:
    """The folder of the packaged Snakefile and profiles."""
    return Path(str(resources.files("exodisc.reads") / "workflow"))


def _bin_dirs() -> list[str]:
    return [str(Path(sys.executable).parent)]


def _which(tool: str) -> str | None:
    import os

    return shutil.which(tool, path=os.pathsep.join([*_bin_dirs(), os.environ.get("PATH", "")]))


def _route_tools(quantifier: str) -> dict[str, tuple[str, str]]:
    """:data:`TOOLS` less those of the long-RNA route not taken."""
    if quantifier not in QUANTIFIER_TOOLS:
        msg = f"quantifier must be one of {', '.join(QUANTIFIER_TOOLS)}, got {quantifier!r}"
        raise ValueError(msg)
    other = {t for q, ts in QUANTIFIER_TOOLS.items() if q != quantifier for t in ts}
    return {t: v for t, v in TOOLS.items() if t not in other}


def check_tools(
    *, small: bool = True, total: bool = True, quantifier: Quantifier = "featurecounts"
) -> None:
    """Raise one :class:`MissingToolsError` listing every missing tool and how to install it.

    ``quantifier`` is the long-RNA route: ``featurecounts`` needs HISAT2 and featureCounts,
    ``salmon`` needs salmon and gffread (and neither needs the other's tools).
    """
    import importlib.util
    import shlex

    need = _route_tools(quantifier)
    if not small:
        for t in ("cutadapt", "bowtie", "bowtie-build"):
            need.pop(t)
    if not total:
        for t in ("hisat2", "hisat2-build", "featureCounts", "STAR", "salmon", "gffread"):
            need.pop(t, None)
    missing = [(t, f"apt-get install {pkg}") for t, (pkg, _) in need.items() if _which(t) is None]
    py_tools = {**PY_TOOLS, **(SMALL_PY_TOOLS if small else {})}
    for mod, dist in py_tools.items():
        found = (
            _which(mod) is not None
            if mod == "CIRCexplorer2"
            else importlib.util.find_spec(mod) is not None
        )
        if not found:
            missing.append(
                (mod, f"pip install {shlex.quote(dist)}  (or pip install 'exodisc[reads]')")
            )
    if missing:
        width = max(len(t) for t, _ in missing)
        lines = "\n".join(f"  {t:<{width}}  {cmd}" for t, cmd in missing)
        debs = sorted({TOOLS[t][0] for t, _ in missing if t in TOOLS})
        hint = (
            f"\nor all Debian ones at once, as root: apt-get install {' '.join(debs)}"
            if debs
            else ""
        )
        raise MissingToolsError(
            f"exodisc reads needs {len(missing)} tool(s) that are not installed "
            f"(nothing was started):\n{lines}{hint}"
        )


def tool_versions(*, quantifier: Quantifier = "featurecounts") -> dict[str, str]:
    """Version line of every tool the workflow uses (recorded in provenance.json).

    The long-RNA route not taken (``quantifier``) is left out.
    """
    out: dict[str, str] = {}
    for tool, (_, cmd) in _route_tools(quantifier).items():
        if tool.endswith("-build"):
            continue
        try:
            p = subprocess.run(
                cmd.split(), capture_output=True, text=True, errors="replace", timeout=30
            )
            text = (p.stdout + p.stderr).strip().splitlines()
            line = next((t for t in text if re.search(r"\d+\.\d+", t)), text[0] if text else "")
            out[tool] = line.strip()
        except (OSError, subprocess.TimeoutExpired):
            out[tool] = "unavailable"
    from importlib.metadata import PackageNotFoundError, version

    for dist in ("snakemake", "multiqc", "CIRCexplorer2", "mirtop"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = "unavailable"
    return out


def _config(
    inputs: ReadsInputs, *, strandedness: str, adapter: str, quantifier: str = "featurecounts"
) -> dict:
    def lib(x):
        return {
            "fastq_1": str(x.fastq_1),
            "fastq_2": str(x.fastq_2) if x.fastq_2 else "",
            "adapter": x.adapter,
        }

    # STAR: --genomeSAindexNbases min(14, log2(genome length) / 2 - 1), as its manual says
    nbases = int(min(14, max(4, math.floor(math.log2(max(inputs.genome_length, 2)) / 2 - 1))))
    return {
        "python": sys.executable,
        # the jobs import this very exodisc (also on cluster nodes sharing the file system)
        "pythonpath": str(Path(__file__).resolve().parents[2]),
        "genome": str(inputs.genome),
        "gtf": str(inputs.gtf),
        "mirbase_gff": str(inputs.mirbase_gff or ""),
        "hairpins": str(inputs.hairpins or ""),
        "strandedness": strandedness,
        "adapter": adapter,
        "quantifier": quantifier,
        "star_sa_nbases": nbases,
        "total": {x.sample: lib(x) for x in inputs.total},
        "small": {x.sample: lib(x) for x in inputs.small},
    }


_ERROR = re.compile(r"^Error in rule (\S+):")
_DONE = re.compile(r"(\d+) of (\d+) steps \((\d+)%\) done")
_RULE = re.compile(r"^(?:local)?rule (\S+):")


def _failure(lines: list[str], work: Path) -> str:
    """'rule X, sample Y, log Z' for every failed job in Snakemake's output."""
    fails = []
    for i, line in enumerate(lines):
        m = _ERROR.match(line.strip())
        if not m:
            continue
        rule, sample, log = m.group(1), "", ""
        for nxt in lines[i + 1 : i + 20]:
            s = nxt.strip()
            if s.startswith("wildcards:"):
                sample = s.split("sample=", 1)[-1].split(",")[0] if "sample=" in s else ""
            elif s.startswith("log:"):
                log = s.removeprefix("log:").split(" (check")[0].strip()
            elif _ERROR.match(s) or s.startswith("shell:"):
                break
        if not sample and log:  # Snakemake 9 prints no wildcards: logs/<rule>/<sample>.log
            stem = Path(log.split(",")[0].strip()).stem
            sample = stem if stem not in (rule, "genes", "circ", "mirna") else ""
        where = f" for sample {sample}" if sample else ""
        logpath = work / log.split(",")[0].strip() if log else None
        tail = ""
        if logpath is not None and logpath.is_file():
            last = [t for t in logpath.read_text(errors="replace").splitlines() if t.strip()][-3:]
            tail = "\n    " + "\n    ".join(last)
        fails.append(f"rule {rule}{where} failed; its log: {logpath}{tail}")
    return "\n".join(dict.fromkeys(fails))


def _snakemake(
    args: list[str], work: Path, on_line: Callable[[str], None] | None
) -> tuple[int, list[str]]:
    # Snakemake's own main(), less its up to 1 s wait for a timer thread at exit
    cmd = [sys.executable, str(Path(__file__).with_name("_snakemake_main.py")), *args]
    import os

    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([*_bin_dirs(), env.get("PATH", "")])
    lines: list[str] = []
    work.mkdir(parents=True, exist_ok=True)
    with (work / "snakemake.log").open("a") as log:
        log.write("$ " + " ".join(cmd) + "\n")
        with subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        ) as proc:
            for line in proc.stdout or ():
                log.write(line)
                lines.append(line.rstrip("\n"))
                if on_line is not None:
                    on_line(line.rstrip("\n"))
            rc = proc.wait()
    return rc, lines


def run_targets(
    inputs: ReadsInputs,
    work: str | Path,
    targets: list[str],
    *,
    cores: int = 1,
    strandedness: str = "auto",
    adapter: str = "auto",
    quantifier: Quantifier = "featurecounts",
) -> Path:
    """Run the workflow's rules up to ``targets`` (paths inside the work folder) only.

    For checking one step of the workflow on data that fits only that step (e.g. the
    back-splice step on a circRNA locus). Returns the work folder.
    """
    work = Path(work).absolute()
    work.mkdir(parents=True, exist_ok=True)
    cfg = work / "config.json"
    cfg.write_text(
        json.dumps(
            _config(inputs, strandedness=strandedness, adapter=adapter, quantifier=quantifier),
            indent=1,
        )
    )
    args = ["--snakefile", str(workflow_dir() / "Snakefile"), "--configfile", str(cfg)]
    args += ["--directory", str(work), "--cores", str(cores), *targets]
    rc, lines = _snakemake(args, work, None)
    if rc != 0:
        detail = _failure(lines, work) or "\n".join(lines[-15:])
        raise ReadsWorkflowError(f"the reads workflow failed:\n{detail}")
    return work


def run_reads(
    samplesheet: str | Path,
    *,
    genome: str | Path,
    gtf: str | Path,
    out: str | Path,
    mirbase_gff: str | Path | None = None,
    hairpins: str | Path | None = None,
    cores: int = 1,
    executor: Executor = "local",
    profile: str | Path | None = None,
    dry_run: bool = False,
    strandedness: Literal["auto", "unstranded", "forward", "reverse"] = "auto",
    adapter: str = "auto",
    quantifier: Quantifier = "featurecounts",
    work_dir: str | Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    extra_args: list[str] | None = None,
) -> ReadsResult | str:
    """Run the reads workflow from a samplesheet to count tables of the four RNA classes.

    Parameters
    ----------
    samplesheet
        CSV ``sample,fastq_1,fastq_2,library`` (library ``total`` or ``small``; an optional
        ``adapter`` column declares a small library's 3' adapter).
    genome, gtf
        Genome FASTA and its GTF (with ``gene_type`` or ``gene_biotype``).
    out
        Output folder; replaced only when the whole workflow succeeded.
    mirbase_gff, hairpins
        miRBase GFF3 (genome coordinates of hairpins and mature miRNAs) and hairpin FASTA;
        needed for small-RNA libraries.
    cores
        Cores (local) or parallel jobs (cluster executors).
    executor
        ``local``, ``slurm`` (snakemake-executor-plugin-slurm) or ``kubernetes``
        (snakemake-executor-plugin-kubernetes).
    profile
        A Snakemake profile folder (``config.yaml``), e.g. the shipped
        ``workflow/profiles/slurm``.
    dry_run
        List the jobs that would run; returns Snakemake's summary and writes nothing to OUT.
    strandedness
        Declared library strandedness or ``auto`` (inferred per sample, see
        :func:`exodisc.reads._steps.infer_strandedness`).
    adapter
        Small-RNA 3' adapter for every small library, or ``auto`` (detected per sample).
    quantifier
        Long-RNA gene counts from ``featurecounts`` (HISAT2 genome alignments counted per
        gene) or ``salmon`` (salmon quant on the transcript sequences, summed to genes with
        :func:`exodisc.omics.de.tximport`); both write the same ``counts/`` files.
    work_dir
        Snakemake's working folder (kept for incremental re-runs); default ``.OUT.work``
        beside OUT.
    progress
        Called with (rule, steps done, steps total) as jobs finish.

    Returns
    -------
    ReadsResult, or the dry-run summary (str).

    Notes
    -----
    Re-running with an added sample recomputes only that sample's jobs and the merges
    (Snakemake's own incremental behaviour, in the kept working folder).
    """
    if quantifier not in QUANTIFIER_TOOLS:
        msg = f"quantifier must be one of {', '.join(QUANTIFIER_TOOLS)}, got {quantifier!r}"
        raise ValueError(msg)
    inputs = validate_inputs(
        samplesheet,
        genome=genome,
        gtf=gtf,
        mirbase_gff=mirbase_gff,
        hairpins=hairpins,
        quantifier=quantifier,
    )
    check_tools(small=bool(inputs.small), total=True, quantifier=quantifier)
    out = Path(out).absolute()
    work = Path(work_dir).absolute() if work_dir else out.parent / f".{out.name}.work"
    work.mkdir(parents=True, exist_ok=True)
    config = _config(inputs, strandedness=strandedness, adapter=adapter, quantifier=quantifier)
    cfg_path = work / "config.json"
    cfg_path.write_text(json.dumps(config, indent=1))
    args = [
        "--snakefile",
        str(workflow_dir() / "Snakefile"),
        "--configfile",
        str(cfg_path),
        "--directory",
        str(work),
        "--rerun-triggers",
        "mtime",
        "params",
        "input",
        "code",
        "--printshellcmds",
    ]
    if profile is not None:
        args += ["--workflow-profile", "none", "--profile", str(Path(profile).absolute())]
    if executor == "local":
        args += ["--cores", str(cores)]
    else:
        args += ["--executor", executor, "--jobs", str(cores)]
    if dry_run:
        args += ["--dry-run", "--quiet", "rules"]
    args += extra_args or []

    current: dict[str, str] = {"rule": ""}

    def on_line(line: str) -> None:
        m = _RULE.match(line.strip())
        if m:
            current["rule"] = m.group(1)
        d = _DONE.search(line)
        if d and progress is not None:
            progress(current["rule"], int(d.group(1)), int(d.group(2)))

    rc, lines = _snakemake(args, work, on_line)
    if dry_run:
        if rc != 0:
            raise ReadsWorkflowError("snakemake --dry-run failed:\n" + "\n".join(lines[-20:]))
        return "\n".join(lines)
    if rc != 0:
        detail = _failure(lines, work) or "\n".join(lines[-15:])
        raise ReadsWorkflowError(
            f"the reads workflow failed; {out} was left as it was.\n{detail}\n"
            f"(Snakemake's full output: {work / 'snakemake.log'})"
        )
    return _assemble(inputs, work, out, config, executor=executor, cores=cores)


def _assemble(
    inputs: ReadsInputs, work: Path, out: Path, config: dict, *, executor: str, cores: int
) -> ReadsResult:
    """Copy the workflow's results into OUT in one rename, with provenance.json."""
    import datetime as dt

    from exodisc.reads._qc import qc_tables
    from exodisc.report import file_record, staging_folder

    with staging_folder(out) as tmp:
        shutil.copytree(work / "results" / "counts", tmp / "counts")
        shutil.copytree(work / "results" / "qc", tmp / "qc")
        shutil.copytree(work / "results" / "multiqc", tmp / "multiqc")
        if (work / "results" / "salmon").is_dir():  # salmon route: per-sample quantifications
            shutil.copytree(work / "results" / "salmon", tmp / "salmon")
        if (work / "results" / "mirtop" / "mirtop.gff").is_file():  # small-RNA libraries
            (tmp / "mirtop").mkdir()
            for name in ("mirtop.gff", "mirtop.tsv"):
                shutil.copy2(work / "results" / "mirtop" / name, tmp / "mirtop" / name)
        for name, table in qc_tables(tmp / "qc").items():
            table.to_csv(tmp / "qc" / f"{name}.tsv", sep="\t", index=False)
        files = [inputs.samplesheet, inputs.genome, inputs.gtf]
        files += [p for p in (inputs.mirbase_gff, inputs.hairpins) if p is not None]
        files += [lib.fastq_1 for lib in inputs.libraries]
        files += [lib.fastq_2 for lib in inputs.libraries if lib.fastq_2 is not None]
        prov = {
            "stage": "reads",
            "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "executor": executor,
            "cores": cores,
            "quantifier": config["quantifier"],
            "tools": tool_versions(quantifier=config["quantifier"]),
            "config": config,
            "inputs": [file_record(p) for p in files],
            "work_dir": str(work),
        }
        (tmp / "provenance.json").write_text(json.dumps(prov, indent=1, default=str))
    counts = {
        k: out / "counts" / f"{k}.tsv"
        for k in ("mrna", "lncrna", "mirna", "circrna", "all_genes", "gene_classes")
    }
    return ReadsResult(
        out=out,
        counts=counts,
        multiqc=out / "multiqc" / "multiqc_report.html",
        provenance=out / "provenance.json",
    )
