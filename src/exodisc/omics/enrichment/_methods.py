"""Methods of the enrichment analyses, described for the report."""

from exodisc.registry import MethodMeta, register_method

register_method(
    MethodMeta(
        key="enrichment.ora",
        name="Over-representation analysis (DAVID-style)",
        template=(
            "Functional enrichment of {n_genes} {what} was tested against {collection} "
            "({collection_version}) with the one-sided {test}; the background was {background} "
            "({background_size} annotated genes). Terms with {min_size}–{max_size} background "
            "genes and at least {min_overlap} list gene(s) were tested ({n_terms}); P values "
            "were adjusted by the Benjamini–Hochberg method and terms with adjusted "
            "P < {fdr} called enriched."
        ),
        citation=(
            "Huang DW, Sherman BT, Lempicki RA (2009) Nat Protoc 4:44–57 (DAVID; EASE score: "
            "Hosack et al. 2003 Genome Biol 4:R70); Benjamini & Hochberg (1995) JRSS-B 57:289."
        ),
        r_equivalent=(
            "clusterProfiler::enricher(genes, TERM2GENE = t2g, universe = background, "
            "pvalueCutoff = 1, qvalueCutoff = 1); phyper(k - 1, K, N - K, n, lower.tail = FALSE)"
        ),
        software=("scipy", "numpy"),
    )
)

register_method(
    MethodMeta(
        key="enrichment.gsea",
        name="Preranked gene-set enrichment analysis (GSEA)",
        template=(
            "Preranked GSEA of {collection} ({collection_version}) was run on {n_genes} genes "
            "ranked by {metric} (weighted Kolmogorov–Smirnov statistic, p = {weight}); "
            "normalised enrichment scores and nominal P values came from {permutations} "
            "gene-label permutations ({rng}, seed {seed}); sets of {min_size}–{max_size} genes "
            "were tested and P values adjusted by Benjamini–Hochberg."
        ),
        citation="Subramanian A et al. (2005) PNAS 102:15545–15550.",
        r_equivalent="fgsea::fgseaSimple(pathways, stats, nperm = N); gseapy.prerank",
        software=("numpy",),
    )
)
