# R DESeq2 1.38.3 on replace_poisson14 (make_replace_poisson.py): 7 per group, outlier
# replacement on; the one replaced gene's refit has a gene-wise dispersion at the minimum,
# which refitWithoutOutliers accepts (the trend is kept). Run from the repository root:
#   Rscript tests/reference/de/make_replace_poisson_reference.R
suppressPackageStartupMessages(library(DESeq2))
out_dir <- "tests/reference/de"
fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
cts <- as.matrix(read.delim(file.path(out_dir, "replace_poisson14_counts.tsv"),
                            row.names = "feature_id"))
sh <- read.csv(file.path(out_dir, "replace_poisson14_samples.csv"), row.names = 1)
sh <- sh[colnames(cts), , drop = FALSE]
sh$condition <- relevel(factor(sh$condition), ref = "ctrl")
dds <- DESeq(DESeqDataSetFromMatrix(cts, sh, ~ condition), quiet = TRUE)
res <- results(dds, contrast = c("condition", "trt", "ctrl"))
mc <- mcols(dds)
tab <- data.frame(
  feature_id = rownames(dds), dispGeneEst = fmt(mc$dispGeneEst),
  dispersion = fmt(mc$dispersion), log2FoldChange = fmt(res$log2FoldChange),
  pvalue = fmt(res$pvalue), padj = fmt(res$padj),
  replace = ifelse(is.na(mc$replace), "", as.character(mc$replace))
)
write.table(tab, file.path(out_dir, "replace_poisson14_results.tsv"), sep = "\t",
            quote = FALSE, row.names = FALSE)
