# airway with R's default levels: a contrast between two non-reference cell lines (a contrast
# vector on the N052611-referenced fit). Run from the repository root:
#   Rscript tests/reference/de_formula/make_airway_reference.R ../shared/data/rnaseq
suppressPackageStartupMessages(library(DESeq2))
args <- commandArgs(trailingOnly = TRUE)
data_dir <- if (length(args) > 0) args[1] else "../shared/data/rnaseq"
out_dir <- "tests/reference/de_formula"
fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
cts <- as.matrix(read.csv(file.path(data_dir, "airway", "airway_rawcounts.csv"), row.names = 1))
md <- read.csv(file.path(data_dir, "airway", "airway_metadata.csv"), row.names = 1)
for (v in c("celltype", "dex")) md[[v]] <- factor(md[[v]])
dds <- DESeq(DESeqDataSetFromMatrix(cts[, rownames(md)], md, ~ celltype + dex), quiet = TRUE)
res <- results(dds, contrast = c("celltype", "N080611", "N061011"))
tab <- data.frame(feature_id = rownames(dds), baseMean = fmt(res$baseMean),
  dispersion = fmt(mcols(dds)$dispersion), log2FoldChange = fmt(res$log2FoldChange),
  lfcSE = fmt(res$lfcSE), stat = fmt(res$stat), pvalue = fmt(res$pvalue), padj = fmt(res$padj))
con <- gzfile(file.path(out_dir, "airway_N080611_vs_N061011.tsv.gz"), "w")
write.table(tab, con, sep = "\t", quote = FALSE, row.names = FALSE)
close(con)
writeLines(resultsNames(dds), file.path(out_dir, "airway_results_names.txt"))
