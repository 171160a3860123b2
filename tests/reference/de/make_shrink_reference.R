# R DESeq2 1.38.3 lfcShrink(type = "normal") for tests/de/test_shrink.py. Run from the
# repository root with the shared data beside it:
#   Rscript tests/reference/de/make_shrink_reference.R ../shared/data/rnaseq
suppressPackageStartupMessages(library(DESeq2))
args <- commandArgs(trailingOnly = TRUE)
data_dir <- if (length(args) > 0) args[1] else "../shared/data/rnaseq"
out_dir <- "tests/reference/de"
fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
run_shrink <- function(name, cts, coldata, design, factor, num, den) {
  for (v in all.vars(design)) coldata[[v]] <- factor(coldata[[v]])
  coldata[[factor]] <- relevel(coldata[[factor]], ref = den)
  dds <- DESeq(DESeqDataSetFromMatrix(cts, coldata, design), quiet = TRUE)
  res <- results(dds, contrast = c(factor, num, den))
  shr <- lfcShrink(dds, contrast = c(factor, num, den), res = res, type = "normal",
                   quiet = TRUE)
  tab <- data.frame(feature_id = rownames(dds), log2FoldChange = fmt(shr$log2FoldChange),
                    lfcSE = fmt(shr$lfcSE), pvalue = fmt(shr$pvalue), padj = fmt(shr$padj))
  con <- gzfile(file.path(out_dir, paste0(name, "_shrink_results.tsv.gz")), "w")
  write.table(tab, con, sep = "\t", quote = FALSE, row.names = FALSE)
  close(con)
  bpv <- priorInfo(shr)$betaPriorVar
  write.table(data.frame(key = names(bpv), value = fmt(bpv)),
              file.path(out_dir, paste0(name, "_shrink_meta.tsv")), sep = "\t", quote = FALSE,
              row.names = FALSE)
}
cts <- as.matrix(read.csv(file.path(data_dir, "airway", "airway_rawcounts.csv"), row.names = 1))
md <- read.csv(file.path(data_dir, "airway", "airway_metadata.csv"), row.names = 1)
run_shrink("airway", cts[, rownames(md)], md, ~ celltype + dex, "dex", "treated", "control")
for (case in c("paired9", "twogroup8")) {
  cts <- as.matrix(read.delim(file.path(out_dir, paste0("synthetic_", case, "_counts.tsv")),
                              row.names = "feature_id"))
  sh <- read.csv(file.path(out_dir, paste0("synthetic_", case, "_samples.csv")), row.names = 1)
  sh <- sh[colnames(cts), , drop = FALSE]
  design <- if (startsWith(case, "twogroup")) ~ condition else ~ donor + condition
  run_shrink(paste0("synthetic_", case), cts, sh, design, "condition", "il1b", "ctrl")
}
