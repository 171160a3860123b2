# R DESeq2 1.38.3 with outlier replacement (minReplicatesForReplace = 7, the default) on the
# 2 x 8 synthetic matrix written by make_replace_synthetic.py. Run from the repository root:
#   Rscript tests/reference/de/make_replace_reference.R
suppressPackageStartupMessages(library(DESeq2))
out_dir <- "tests/reference/de"
fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
cts <- as.matrix(read.delim(file.path(out_dir, "synthetic_replace16_counts.tsv"),
                            row.names = "feature_id"))
sh <- read.csv(file.path(out_dir, "synthetic_replace16_samples.csv"), row.names = 1)
sh <- sh[colnames(cts), , drop = FALSE]
sh$condition <- relevel(factor(sh$condition), ref = "ctrl")
for (test in c("Wald", "LRT")) {
  dds <- DESeqDataSetFromMatrix(cts, sh, ~ condition)
  dds <- if (test == "Wald") DESeq(dds, quiet = TRUE) else
    DESeq(dds, test = "LRT", reduced = ~ 1, quiet = TRUE)
  res <- results(dds, contrast = c("condition", "il1b", "ctrl"))
  mc <- mcols(dds)
  tab <- data.frame(
    feature_id = rownames(dds), baseMean = fmt(res$baseMean),
    dispGeneEst = fmt(mc$dispGeneEst), dispFit = fmt(mc$dispFit),
    dispersion = fmt(mc$dispersion),
    log2FoldChange = fmt(res$log2FoldChange), lfcSE = fmt(res$lfcSE), stat = fmt(res$stat),
    pvalue = fmt(res$pvalue), padj = fmt(res$padj), maxCooks = fmt(mc$maxCooks),
    replace = ifelse(is.na(mc$replace), "", as.character(mc$replace))
  )
  suffix <- if (test == "Wald") "" else "_lrt"
  con <- gzfile(file.path(out_dir, paste0("synthetic_replace16", suffix, "_results.tsv.gz")), "w")
  write.table(tab, con, sep = "\t", quote = FALSE, row.names = FALSE)
  close(con)
  meta <- data.frame(
    key = c(paste0("size_factor.", colnames(dds)), "n_replaced", "filter_threshold"),
    value = fmt(c(sizeFactors(dds), sum(mc$replace, na.rm = TRUE),
                  metadata(res)$filterThreshold))
  )
  write.table(meta, file.path(out_dir, paste0("synthetic_replace16", suffix, "_meta.tsv")),
              sep = "\t", quote = FALSE, row.names = FALSE)
}
