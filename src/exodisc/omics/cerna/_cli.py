"""``exodisc cerna``: ceRNA–mRNA pair statistics from expression matrices and target tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``cerna`` command to the ``exodisc`` command line."""

    @app.command("cerna")
    def cerna_cmd(
        expr_cerna: Path = typer.Option(
            ..., "--expr-cerna", help="ceRNA (lncRNA / circRNA) expression, features x samples TSV."
        ),
        expr_mrna: Path = typer.Option(..., "--expr-mrna", help="mRNA expression TSV."),
        targets_cerna: Path = typer.Option(
            ..., "--targets-cerna", help="ceRNA–miRNA table (feature ID, miRNA)."
        ),
        targets_mrna: Path = typer.Option(
            ..., "--targets-mrna", help="mRNA–miRNA table (feature ID, miRNA)."
        ),
        out: Path = typer.Option(..., "-o", "--out", help="Output TSV, one row per pair tested."),
        expr_mirna: Path | None = typer.Option(
            None, "--expr-mirna", help="miRNA expression TSV (for reg_sim and sens_corr)."
        ),
        mirbase: Path | None = typer.Option(
            None,
            "--mirbase",
            help="Mature miRNA names (miRBase v21 table or mature.fa) to map names to; "
            "unmatched names are counted.",
        ),
        min_shared: int = typer.Option(1, "--min-shared", min=1, help="Shared miRNAs needed."),
        graphml: Path | None = typer.Option(
            None, "--graphml", help="Also write the network (pairs with hyper_fdr < --max-fdr)."
        ),
        cytoscape: Path | None = typer.Option(
            None, "--cytoscape", help="Also write the network as Cytoscape.js JSON."
        ),
        max_fdr: float | None = typer.Option(
            None,
            "--max-fdr",
            help="Write only pairs with hyper_fdr <= this (the FDR is still over every tested "
            "pair); also the network filter (default for the network: 0.05).",
        ),
        top: int | None = typer.Option(
            None,
            "--top",
            min=1,
            help="Write only the N pairs with the smallest hyper_fdr (then hyper_p, "
            "pearson_p, names).",
        ),
        population: str = typer.Option(
            "target_tables",
            "--population",
            help="miRNA population N: target_tables (every miRNA of the two target tables, "
            "GDCRNATools) or analysed (only those of the analysed features).",
        ),
        correlation_samples: str = typer.Option(
            "mirna",
            "--correlation-samples",
            help="ceRNA–mRNA correlation on the samples shared with the miRNA matrix "
            "(mirna, GDCRNATools) or on every RNA sample (all).",
        ),
        block_size: int = typer.Option(
            256, "--block-size", min=1, help="ceRNAs per block (memory ~ block x mRNAs)."
        ),
    ) -> None:
        """Test every ceRNA–mRNA pair sharing miRNAs (GDCRNATools gdcCEAnalysis statistics).

        Pairs are computed and written in blocks of ceRNAs, so memory does not grow with the
        number of pairs; --max-fdr, --min-shared and --top choose what is written, and the
        number of pairs tested (the FDR's denominator) is always printed.
        """
        from exodisc.errors import ResourceError

        if population not in ("target_tables", "analysed"):
            msg = f"--population must be target_tables or analysed, got {population!r}"
            raise typer.BadParameter(msg)
        if correlation_samples not in ("mirna", "all"):
            msg = f"--correlation-samples must be mirna or all, got {correlation_samples!r}"
            raise typer.BadParameter(msg)
        if max_fdr is not None and not 0 < max_fdr <= 1:
            raise typer.BadParameter(f"--max-fdr must be in (0, 1], got {max_fdr!r}")
        try:
            _run(
                expr_cerna=expr_cerna,
                expr_mrna=expr_mrna,
                targets_cerna=targets_cerna,
                targets_mrna=targets_mrna,
                out=out,
                expr_mirna=expr_mirna,
                mirbase=mirbase,
                min_shared=min_shared,
                graphml=graphml,
                cytoscape=cytoscape,
                max_fdr=max_fdr,
                top=top,
                population=population,
                correlation_samples=correlation_samples,
                block_size=block_size,
            )
        except MemoryError:
            msg = (
                "ran out of memory; use a smaller --block-size, or write fewer pairs with "
                "--max-fdr / --top / --min-shared"
            )
            raise ResourceError(msg) from None


_RANK = ["hyper_fdr", "hyper_p", "pearson_p", "cerna", "mrna"]


def _run(
    *,
    expr_cerna: Path,
    expr_mrna: Path,
    targets_cerna: Path,
    targets_mrna: Path,
    out: Path,
    expr_mirna: Path | None,
    mirbase: Path | None,
    min_shared: int,
    graphml: Path | None,
    cytoscape: Path | None,
    max_fdr: float | None,
    top: int | None,
    population: Any,
    correlation_samples: Any,
    block_size: int,
) -> None:
    import pandas as pd

    from exodisc.errors import naming_files
    from exodisc.omics.cerna import (
        build_network,
        dumps_cytoscape,
        harmonize_mirnas,
        read_expression,
        read_mirbase_names,
        read_targets,
        stream_cerna_pairs,
        write_graphml,
    )
    from exodisc.omics.cerna._io import check_same_samples

    ec = read_expression(expr_cerna)
    em = read_expression(expr_mrna)
    check_same_samples({expr_cerna: ec, expr_mrna: em})
    inputs = (targets_cerna, targets_mrna, expr_mirna, expr_cerna, expr_mrna)
    emi = read_expression(expr_mirna) if expr_mirna is not None else None
    if emi is not None and expr_mirna is not None:
        lacking = [str(c) for c in ec.columns if c not in set(map(str, emi.columns))]
        if lacking:  # GDCRNATools correlates on the samples the miRNA matrix shares
            typer.echo(
                f"note: {expr_mirna.name} lacks {len(lacking)} sample(s) of {expr_cerna.name} "
                f"({', '.join(lacking[:5])}); with --correlation-samples {correlation_samples}",
                err=True,
            )
    ref = read_mirbase_names(mirbase) if mirbase is not None else None
    with naming_files(*inputs):
        h = harmonize_mirnas(
            read_targets(targets_cerna), read_targets(targets_mrna), emi, reference=ref
        )
    if ref is not None and mirbase is not None:
        for key, names in h.unmatched.items():
            if names:
                typer.echo(
                    f"note: {key}: {len(names)} miRNA name(s) not in {mirbase.name} "
                    f"(e.g. {', '.join(names[:3])})",
                    err=True,
                )
    with naming_files(*inputs):
        res, chunks = stream_cerna_pairs(
            ec,
            em,
            targets_cerna=h.targets_cerna,
            targets_mrna=h.targets_mrna,
            expr_mirna=h.expr_mirna,
            min_shared=min_shared,
            max_fdr=max_fdr,
            block_size=block_size,
            population=population,
            correlation_samples=correlation_samples,
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    want_net = graphml is not None or cytoscape is not None
    net_fdr = max_fdr if max_fdr is not None else 0.05
    net_rows: list[pd.DataFrame] = []
    best = res.table
    n_written = 0
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        res.table.to_csv(fh, sep="\t", index=False, lineterminator="\n")
        for chunk in chunks:
            if want_net:
                net_rows.append(chunk[chunk["hyper_fdr"] < net_fdr])
            if top is not None:
                both = pd.concat([best, chunk], ignore_index=True)
                best = both.sort_values(_RANK, kind="stable").head(top)
                continue
            chunk.to_csv(fh, sep="\t", index=False, header=False, na_rep="NA", lineterminator="\n")
            n_written += len(chunk)
        if top is not None:
            best.to_csv(fh, sep="\t", index=False, header=False, na_rep="NA", lineterminator="\n")
            n_written = len(best)
    tmp.replace(out)
    if len(res.dropped):
        counts = res.dropped.groupby(["kind", "reason"]).size().reset_index(name="n")
        for rec in counts.to_dict(orient="records"):
            typer.echo(
                f"note: {rec['n']} {rec['kind']} feature(s) left out: {rec['reason']}",
                err=True,
            )
    what = []
    if max_fdr is not None:
        what.append(f"hyper_fdr <= {max_fdr}")
    if top is not None:
        what.append(f"top {top} by hyper_fdr")
    typer.echo(
        f"{res.n_tested} pair(s) tested (sharing >= {min_shared} miRNA(s); N = "
        f"{res.population} miRNAs, {len(res.samples)} samples); {n_written} written"
        + (f" ({', '.join(what)})" if what else "")
        + f" to {out}"
    )
    if want_net:
        edges = pd.concat([res.table, *net_rows], ignore_index=True)
        net = build_network(edges, max_fdr=net_fdr)
        if graphml is not None:
            write_graphml(net, graphml)
        if cytoscape is not None:
            cytoscape.write_text(dumps_cytoscape(net), encoding="utf-8")
        typer.echo(
            f"network: {len(net.edges)} pair(s) with hyper_fdr < {net_fdr}, "
            f"{len(net.nodes)} node(s)"
        )
