"""Where each area's commands live, so that ``exodisc --help`` lists them without importing them.

``exodisc --help`` shows the first paragraph of each command's help from here; the command
itself (and pandas, SciPy, … behind it) is imported only when it is run or its own ``--help``
is asked for. ``tests/foundation/test_imports.py`` checks this table against what each
module's ``register(app)`` really adds, so a new command fails the suite until it is listed.
"""

from __future__ import annotations

#: command name -> (module defining ``register(app)``, first paragraph of the command's help)
COMMANDS: dict[str, tuple[str, str]] = {
    "qpcr": (
        "exodisc.assays.qpcr._cli",
        "Relative quantification (2^-ΔΔCt, or Pfaffl with --efficiency) of one export.",
    ),
    "nta": (
        "exodisc.assays.vesicles._cli",
        "Summarise NTA exports: concentration (dilution-corrected) and size statistics.",
    ),
    "cck8": (
        "exodisc.assays.viability._cli",
        "CCK-8 viability per group, replicate and time (group, replicate, time_h, od_corrected,\n"
        "viability_pct).",
    ),
    "western": (
        "exodisc.assays.western._cli",
        "Measure band volumes in a blot image: one row per lane and band.",
    ),
    "reference": (
        "exodisc.config._cli",
        "Print the study-file reference: every key, its type, default and allowed values.",
    ),
    "cerna": (
        "exodisc.omics.cerna._cli",
        "Test every ceRNA–mRNA pair sharing miRNAs (GDCRNATools gdcCEAnalysis statistics).",
    ),
    "de": (
        "exodisc.omics.de._cli",
        "Test every feature of COUNTS for differential expression (DESeq2 or limma-voom).",
    ),
    "reads": (
        "exodisc.reads._cli",
        "Raw reads -> counts/{mrna,lncrna,mirna,circrna,all_genes}.tsv, qc/ and a MultiQC report.",
    ),
    "demo-reads": (
        "exodisc.reads._cli",
        "The reads stage on a synthetic genome, its counts feeding the DE sections (needs tools).",
    ),
    "flow": (
        "exodisc.assays.flow._cli",
        "Flow cytometry from FCS files: annexin V/PI apoptosis and surface-marker panels.",
    ),
    "plate": ("exodisc.assays.viability._cli", "Plate-reader exports."),
    "disc": (
        "exodisc.disc._cli",
        "Disc microenvironment model: O2, glucose, lactate and cell viability in the "
        "avascular disc; how many cells can it support?",
    ),
    "knowledge": (
        "exodisc.knowledge._cli",
        "Curated knowledge from the review: exosomal RNA cargo, strategies, seed findings.",
    ),
    "enrich": (
        "exodisc.omics.enrichment._cli",
        "Functional enrichment of a gene list (ORA) or a ranking (GSEA).",
    ),
    "resources": (
        "exodisc.omics.resources._cli",
        "Gene sets and annotation: list what is shipped and cached, verify, fetch, import.",
    ),
    "power": (
        "exodisc.power._cli",
        "Power and sample size: 'exodisc power STUDY.yaml -o OUT' for the whole study, "
        "'exodisc power compare DATA.csv ...' for one table.",
    ),
    "stats": ("exodisc.stats._cli", "Group-comparison statistics on tidy tables."),
}

#: the top-level description, options and built-in commands (used by the Typer app too)
ROOT_HELP = "Exosome / stem-cell therapy studies of intervertebral disc cells, end to end."
OPTION_HELP: dict[str, str] = {
    "--version": "Print the version.",
    "--debug": "Show tracebacks instead of short messages.",
    "--limit": "Raise a size limit (study_file_bytes, yaml_nodes, replicates, samples, "
    "image_pixels); see the README's Limits.",
    "--help": "Show this message and exit.",
}
CORE_COMMANDS: dict[str, str] = {
    "run": "Analyse every assay of STUDY and write tables, figures, report.html and provenance.",
    "validate": "Check STUDY and list every problem at once (exit 2 when there are any).",
    "demo": "Write the built-in example study (simulated raw files + study.yaml) to OUT and "
    "run it.",
}


def render_help(width: int = 80) -> str:
    """``exodisc --help`` as plain text, without importing Typer or any command.

    The same content as Typer's page (checked in tests): usage, description, options and
    every command with the first paragraph of its help.
    """
    import textwrap

    def table(rows: list[tuple[str, str]]) -> list[str]:
        left = max(len(a) for a, _ in rows) + 2
        body = max(width - left - 2, 30)
        out = []
        for a, text in rows:
            lines = textwrap.wrap(" ".join(text.split()), body) or [""]
            out.append(f"  {a.ljust(left)}{lines[0]}")
            out += [" " * (left + 2) + line for line in lines[1:]]
        return out

    options = [("--limit NAME=N" if k == "--limit" else k, v) for k, v in OPTION_HELP.items()]
    commands = list(CORE_COMMANDS.items()) + [(k, v[1]) for k, v in COMMANDS.items()]
    parts = [
        "Usage: exodisc [OPTIONS] COMMAND [ARGS]...",
        "",
        *textwrap.wrap(ROOT_HELP, width, initial_indent="  ", subsequent_indent="  "),
        "",
        "Options:",
        *table(options),
        "",
        "Commands:",
        *table(commands),
        "",
        "Run 'exodisc COMMAND --help' for a command's options.",
    ]
    return "\n".join(parts)
