"""``exodisc cerna``: ceRNA–mRNA pair statistics from expression matrices and target tables."""

from __future__ import annotations

from pathlib import Path

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
        max_fdr: float = typer.Option(
            0.05, "--max-fdr", help="Network edge filter on hyper_fdr (exports only)."
        ),
    ) -> None:
        """Test every ceRNA–mRNA pair sharing miRNAs (GDCRNATools gdcCEAnalysis statistics)."""
        from exodisc.omics.cerna import (
            build_network,
            cerna_pairs,
            dumps_cytoscape,
            harmonize_mirnas,
            read_expression,
            read_mirbase_names,
            read_targets,
            write_graphml,
        )
        from exodisc.omics.cerna._io import check_same_samples

        ec = read_expression(expr_cerna)
        em = read_expression(expr_mrna)
        emi = read_expression(expr_mirna) if expr_mirna is not None else None
        check_same_samples(
            {
                expr_cerna: ec,
                expr_mrna: em,
                **({expr_mirna: emi} if expr_mirna and emi is not None else {}),
            }
        )
        ref = read_mirbase_names(mirbase) if mirbase is not None else None
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
        res = cerna_pairs(
            ec,
            em,
            targets_cerna=h.targets_cerna,
            targets_mrna=h.targets_mrna,
            expr_mirna=h.expr_mirna,
            min_shared=min_shared,
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        res.table.to_csv(out, sep="\t", index=False, na_rep="NA", lineterminator="\n")
        if len(res.dropped):
            counts = res.dropped.groupby(["kind", "reason"]).size().reset_index(name="n")
            for rec in counts.to_dict(orient="records"):
                typer.echo(
                    f"note: {rec['n']} {rec['kind']} feature(s) left out: {rec['reason']}",
                    err=True,
                )
        typer.echo(
            f"{len(res.table)} pair(s) tested (N = {res.population} miRNAs, "
            f"{len(res.samples)} samples) written to {out}"
        )
        if graphml is not None or cytoscape is not None:
            net = build_network(res.table, max_fdr=max_fdr)
            if graphml is not None:
                write_graphml(net, graphml)
            if cytoscape is not None:
                cytoscape.write_text(dumps_cytoscape(net), encoding="utf-8")
            typer.echo(
                f"network: {len(net.edges)} pair(s) with hyper_fdr < {max_fdr}, "
                f"{len(net.nodes)} node(s)"
            )
