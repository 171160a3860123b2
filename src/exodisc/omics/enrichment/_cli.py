"""``exodisc enrich ora|gsea``: enrichment of one gene list or ranking, for scripting."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

__all__ = ["register"]

ORA_OUT = ["term", "set_size", "overlap", "p_value", "p_adj", "genes"]
# GSEA's (and gseapy's) columns: ES, NES, NOM p-val, FDR q-val, FWER p-val, Tag %, Gene %,
# Lead_genes. p_adj (BH of the nominal P) is deliberately not written: GSEA's FDR q is fdr_q.
GSEA_OUT = [
    "term",
    "set_size",
    "es",
    "nes",
    "p_value",
    "fdr_q",
    "fwer_p",
    "tag_pct",
    "gene_pct",
    "leading_edge_size",
    "leading_edge",
]


def _read_ranking(path: Path) -> Any:
    import pandas as pd

    from exodisc.errors import InputFormatError
    from exodisc.omics.resources import read_two_column

    df = read_two_column(path, names=("gene", "score"), header=False)
    score = pd.to_numeric(df["score"], errors="coerce")
    first = 1
    if score.isna().iloc[0]:  # a header line such as "gene<TAB>score"
        df, score, first = df.iloc[1:], score.iloc[1:], 2
    bad = score.isna().to_numpy().nonzero()[0]
    if bad.size:
        i = int(bad[0])
        msg = f"score {df['score'].iloc[i]!r} of gene {df['gene'].iloc[i]!r} is not a number"
        raise InputFormatError(msg, path=path, where=f"line {i + first}, column 2")
    return pd.Series(score.to_numpy(float), index=df["gene"].to_numpy())


def _write(table: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    table.to_csv(tmp, sep="\t", index=False, float_format="%.17g")
    tmp.replace(path)


def register(app: typer.Typer) -> None:
    """Add the ``enrich`` command group."""
    enrich = typer.Typer(
        name="enrich",
        help="Functional enrichment of a gene list (ORA) or a ranking (GSEA).",
        no_args_is_help=True,
    )

    @enrich.command("ora")
    def ora_cmd(
        genes: Annotated[Path, typer.Argument(help="Gene list, one identifier per line.")],
        gene_sets: Annotated[
            str,
            typer.Option("--gene-sets", help="GMT file (or GAF / GO table), or a resource name."),
        ],
        out: Annotated[Path, typer.Option("-o", "--out", help="Output TSV.")],
        background: Annotated[
            Path | None,
            typer.Option("--background", help="Background genes, one per line (the universe)."),
        ] = None,
        method: Annotated[
            Literal["hypergeometric", "fisher", "ease"],
            typer.Option("--method", help="One-sided test; 'ease' is DAVID's EASE score."),
        ] = "hypergeometric",
        min_size: Annotated[int, typer.Option("--min-size", min=1)] = 5,
        max_size: Annotated[int, typer.Option("--max-size", min=1)] = 500,
        min_overlap: Annotated[int, typer.Option("--min-overlap", min=1)] = 1,
        aspect: Annotated[
            Literal["BP", "MF", "CC"],
            typer.Option("--aspect", help="GO aspect, for GAF / GO-table gene sets."),
        ] = "BP",
        obo: Annotated[
            str | None,
            typer.Option("--obo", help="GO ontology (file or resource) for true-path propagation."),
        ] = None,
    ) -> None:
        """Over-representation of GENES in gene sets; writes term, set_size, overlap, p_value,
        p_adj (Benjamini–Hochberg) and genes."""
        from exodisc.omics.enrichment._ora import ora
        from exodisc.omics.resources import load_gene_sets, read_gene_list

        gs, _ = load_gene_sets(gene_sets, aspect=aspect, obo=obo)
        bg = read_gene_list(background) if background is not None else None
        res = ora(
            read_gene_list(genes),
            gs,
            background=bg,
            method=method,
            min_size=min_size,
            max_size=max_size,
            min_overlap=min_overlap,
        )
        _write(res.table[ORA_OUT], out)
        n_sig = int((res.table["p_adj"] < 0.05).sum())
        typer.echo(
            f"{res.params['n_terms_tested']} terms tested ({res.params['list_size']} list genes, "
            f"background {res.params['background_size']}, {len(res.unmatched)} genes not in "
            f"the background); {n_sig} with p_adj < 0.05; wrote {out}",
            err=True,
        )

    @enrich.command("gsea")
    def gsea_cmd(
        ranked: Annotated[Path, typer.Argument(help="Two columns: gene and score (TSV/CSV).")],
        gene_sets: Annotated[str, typer.Option("--gene-sets", help="GMT file or a resource name.")],
        out: Annotated[Path, typer.Option("-o", "--out", help="Output TSV.")],
        permutations: Annotated[int, typer.Option("--permutations", min=1)] = 1000,
        seed: Annotated[int, typer.Option("--seed")] = 0,
        min_size: Annotated[int, typer.Option("--min-size", min=1)] = 15,
        max_size: Annotated[int, typer.Option("--max-size", min=1)] = 500,
        weight: Annotated[float, typer.Option("--weight", min=0)] = 1.0,
        rng: Annotated[
            Literal["numpy", "gseapy"],
            typer.Option(
                "--rng",
                help="Permutation stream: 'numpy' (default) or 'gseapy' (the same "
                "permutations, hence NES and P, as gseapy.prerank with this seed).",
            ),
        ] = "numpy",
    ) -> None:
        """Preranked GSEA of RANKED; writes term, set_size, es, nes, p_value (nominal),
        fdr_q (GSEA's FDR q-value), fwer_p, tag_pct, gene_pct, leading_edge_size and
        leading_edge (gseapy's ES, NES, NOM p-val, FDR q-val, FWER p-val, Tag %, Gene %,
        Lead_genes)."""
        from exodisc.omics.enrichment._gsea import gsea
        from exodisc.omics.resources import load_gene_sets

        gs, _ = load_gene_sets(gene_sets)
        res = gsea(
            _read_ranking(ranked),
            gs,
            permutations=permutations,
            seed=seed,
            weight=weight,
            min_size=min_size,
            max_size=max_size,
            rng=rng,
        )
        table = res.table.rename(columns={"fdr": "fdr_q"})
        _write(table[GSEA_OUT], out)
        n_sig = int((table["fdr_q"] < 0.25).sum())
        typer.echo(
            f"{res.params['n_sets_tested']} sets tested on {res.params['n_genes']} ranked "
            f"genes ({permutations} {rng} permutations, seed {seed}); {n_sig} with "
            f"fdr_q < 0.25 (GSEA's usual cut-off); wrote {out}",
            err=True,
        )

    app.add_typer(enrich)
