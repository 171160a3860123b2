# GDCRNATools::gdcCEAnalysis definitions (hyperTestFun, multiRegTestFun, multiRegFun,
# mirCorTestFun of GDCRNATools 1.x, R/gdcCEAnalysis.R, transcribed into base R because
# GDCRNATools is not packaged for Debian), on GDCRNATools-style target lists (miRNAs per gene)
# where its definitions matter:
#   * popTotal = every miRNA in the FULL lncRNA and mRNA target lists
#     (union(unique(unlist(lnc.targets)), unique(unlist(pc.targets))));
#   * every correlation (lncRNA-mRNA too) on intersect(colnames(rna.expr), colnames(mir.expr)).
# Also the former exodisc definitions, kept as options: population over the analysed features'
# targets only, and the lncRNA-mRNA correlation on all RNA samples.
# BH over all tested pairs (GDCRNATools leaves it commented out; exodisc adds hyper_fdr).
# Run from this folder: Rscript make_reference_gdc.R
lnc <- as.matrix(read.delim("expr_lnc.tsv", row.names = 1, check.names = FALSE))
pc <- as.matrix(read.delim("expr_pc.tsv", row.names = 1, check.names = FALSE))
mir <- as.matrix(read.delim("gdc_expr_mir.tsv", row.names = 1, check.names = FALSE))
tl <- read.delim("gdc_targets_lnc.tsv"); tp <- read.delim("gdc_targets_pc.tsv")
lnc.targets <- split(tl$mirna, tl$gene); pc.targets <- split(tp$mirna, tp$gene)
rna.expr <- rbind(lnc, pc)

ce_analysis <- function(population, cor_samples) {
  ceLNC <- sort(rownames(lnc)[rownames(lnc) %in% names(lnc.targets)])
  cePC <- sort(rownames(pc)[rownames(pc) %in% names(pc.targets)])
  if (population == "target_tables") {
    popTotal <- length(union(unique(unlist(lnc.targets)), unique(unlist(pc.targets))))
  } else {
    popTotal <- length(union(unique(unlist(lnc.targets[ceLNC])), unique(unlist(pc.targets[cePC]))))
  }
  shared_samples <- intersect(colnames(rna.expr), colnames(mir))
  pair_samples <- if (cor_samples == "mirna") shared_samples else colnames(rna.expr)
  rows <- list()
  for (l in ceLNC) {
    listTotal <- length(lnc.targets[[l]])
    for (p in cePC) {
      ovlp <- sort(intersect(lnc.targets[[l]], pc.targets[[p]]))
      Counts <- length(ovlp)
      if (Counts < 1) next
      popHits <- length(pc.targets[[p]])
      pValue <- phyper(Counts - 1, popHits, popTotal - popHits, listTotal, lower.tail = FALSE)
      lncDa <- rna.expr[l, pair_samples]; pcDa <- rna.expr[p, pair_samples]
      corpl <- cor.test(pcDa, lncDa, alternative = "greater")
      regpl <- unname(corpl$estimate)
      # GDCRNATools stops with an error when a shared miRNA has no expression row; like
      # exodisc, use the shared miRNAs that have one (NA when none)
      mirs <- intersect(ovlp, rownames(mir))
      lncM <- rna.expr[l, shared_samples]; pcM <- rna.expr[p, shared_samples]
      if (length(mirs) == 0) { regSim <- NA; sppc <- NA } else {
      reglm <- sapply(mirs, function(m) unname(cor.test(lncM, mir[m, shared_samples], alternative = "less")$estimate))
      regpm <- sapply(mirs, function(m) unname(cor.test(pcM, mir[m, shared_samples], alternative = "less")$estimate))
      regSim <- 1 - mean((abs(reglm - regpm) / (abs(reglm) + abs(regpm)))^length(mirs))
      sppc <- mean(regpl - (regpl - reglm * regpm) / (sqrt(1 - reglm^2) * sqrt(1 - regpm^2))) }
      rows[[length(rows) + 1]] <- data.frame(cerna = l, mrna = p, shared_mirnas = Counts,
        hyper_p = pValue, pearson_r = regpl, pearson_p = corpl$p.value, reg_sim = regSim,
        sens_corr = sppc, mirnas = paste(ovlp, collapse = ";"), population = popTotal)
    }
  }
  res <- do.call(rbind, rows)
  res$hyper_fdr <- p.adjust(res$hyper_p, "BH")
  res[, c("cerna", "mrna", "shared_mirnas", "hyper_p", "hyper_fdr", "pearson_r", "pearson_p",
          "reg_sim", "sens_corr", "mirnas", "population")]
}
write.table(format(ce_analysis("target_tables", "mirna"), digits = 17),
            "gdc_reference_pairs.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
write.table(format(ce_analysis("analysed", "all"), digits = 17),
            "analysed_reference_pairs.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
