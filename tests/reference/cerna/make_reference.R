# ceRNA pair statistics as GDCRNATools::gdcCEAnalysis computes them (its hyperTestFun,
# corTestFun, regSimFun and sensCorFun written out in base R, since GDCRNATools is not
# installed here), plus p.adjust BH over all tested pairs; igraph degree / betweenness of
# the ceRNA-miRNA-mRNA graph of the pairs with FDR < 0.25.
# Run from this folder: Rscript make_reference.R
suppressPackageStartupMessages(library(igraph))
lnc <- as.matrix(read.delim("expr_lnc.tsv", row.names = 1, check.names = FALSE))
pc <- as.matrix(read.delim("expr_pc.tsv", row.names = 1, check.names = FALSE))
mir <- as.matrix(read.delim("expr_mir.tsv", row.names = 1, check.names = FALSE))
tl <- read.delim("targets_lnc.tsv"); tp <- read.delim("targets_pc.tsv")
lncTargets <- split(tl$mirna, tl$gene); pcTargets <- split(tp$mirna, tp$gene)
popTotalNum <- length(unique(c(unlist(lncTargets), unlist(pcTargets))))
rows <- list()
for (l in sort(names(lncTargets))) for (p in sort(names(pcTargets))) {
  ovlp <- sort(intersect(lncTargets[[l]], pcTargets[[p]]))
  k <- length(ovlp)
  if (k < 1) next
  K <- length(pcTargets[[p]]); n <- length(lncTargets[[l]])
  hyp <- phyper(k - 1, K, popTotalNum - K, n, lower.tail = FALSE)
  ct <- cor.test(lnc[l, ], pc[p, ], alternative = "greater")
  r <- unname(ct$estimate)
  mirs <- intersect(ovlp, rownames(mir))
  if (length(mirs) > 0) {
    r1 <- sapply(mirs, function(m) cor(lnc[l, ], mir[m, ]))
    r2 <- sapply(mirs, function(m) cor(pc[p, ], mir[m, ]))
    M <- length(mirs)
    regSim <- 1 - mean((abs(r1 - r2) / (abs(r1) + abs(r2)))^M)
    sensCor <- mean(r - (r - r1 * r2) / (sqrt(1 - r1^2) * sqrt(1 - r2^2)))
  } else { regSim <- NA; sensCor <- NA }
  rows[[length(rows) + 1]] <- data.frame(cerna = l, mrna = p, shared_mirnas = k,
    hyper_p = hyp, pearson_r = r, pearson_p = ct$p.value, reg_sim = regSim,
    sens_corr = sensCor, mirnas = paste(ovlp, collapse = ";"))
}
res <- do.call(rbind, rows)
res$hyper_fdr <- p.adjust(res$hyper_p, "BH")
res <- res[, c("cerna", "mrna", "shared_mirnas", "hyper_p", "hyper_fdr", "pearson_r",
               "pearson_p", "reg_sim", "sens_corr", "mirnas")]
write.table(format(res, digits = 17), "reference_pairs.tsv", sep = "\t", quote = FALSE,
            row.names = FALSE)
keep <- res[res$hyper_fdr < 0.25, ]
el <- do.call(rbind, lapply(seq_len(nrow(keep)), function(i) {
  ms <- strsplit(keep$mirnas[i], ";")[[1]]
  rbind(cbind(keep$cerna[i], ms), cbind(ms, keep$mrna[i]))
}))
g <- simplify(graph_from_edgelist(unique(el), directed = FALSE))
nodes <- data.frame(id = V(g)$name, degree = degree(g),
                    betweenness = betweenness(g, normalized = TRUE))
nodes <- nodes[order(nodes$id), ]
write.table(format(nodes, digits = 17), "reference_nodes.tsv", sep = "\t", quote = FALSE,
            row.names = FALSE)
writeLines(c(R.version.string, paste("igraph", packageVersion("igraph"))), "versions.txt")
