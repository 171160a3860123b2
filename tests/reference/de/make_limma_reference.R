# limma-voom reference outputs (limma 3.54) for tests/de/test_limma.py.
# Run from the repository root: Rscript tests/reference/de/make_limma_reference.R [../shared/data/rnaseq]
suppressPackageStartupMessages(library(limma))
args <- commandArgs(trailingOnly = TRUE)
out_dir <- "tests/reference/de"
fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
run_case <- function(name, cts, sh, design_formula, factor, num, den) {
  for (v in all.vars(design_formula)) sh[[v]] <- factor(sh[[v]])
  sh[[factor]] <- relevel(sh[[factor]], ref = den)
  design <- model.matrix(design_formula, sh)
  v <- voom(cts, design)
  fit <- eBayes(lmFit(v, design))
  coef <- paste0(factor, num)
  tt <- topTable(fit, coef = coef, number = Inf, sort.by = "none")
  tab <- data.frame(feature_id = rownames(tt), AveExpr = fmt(tt$AveExpr), logFC = fmt(tt$logFC),
                    se = fmt(fit$stdev.unscaled[, coef] * sqrt(fit$s2.post)), t = fmt(tt$t),
                    P.Value = fmt(tt$P.Value), adj.P.Val = fmt(tt$adj.P.Val),
                    w1 = fmt(v$weights[, 1]))
  con <- gzfile(file.path(out_dir, paste0(name, "_limma.tsv.gz")), "w")
  write.table(tab, con, sep = "\t", quote = FALSE, row.names = FALSE)
  close(con)
  writeLines(c(sprintf("df_prior\t%.17g", fit$df.prior), sprintf("s2_prior\t%.17g", fit$s2.prior)),
             file.path(out_dir, paste0(name, "_limma_meta.tsv")))
}
for (case in c("paired9", "twogroup8")) {
  cts <- as.matrix(read.delim(file.path(out_dir, paste0("synthetic_", case, "_counts.tsv")),
                              row.names = "feature_id"))
  sh <- read.csv(file.path(out_dir, paste0("synthetic_", case, "_samples.csv")), row.names = 1)
  sh <- sh[colnames(cts), , drop = FALSE]
  design <- if (startsWith(case, "twogroup")) ~ condition else ~ donor + condition
  run_case(paste0("synthetic_", case), cts, sh, design, "condition", "il1b", "ctrl")
}
if (length(args) > 0) {
  cts <- as.matrix(read.csv(file.path(args[1], "airway", "airway_rawcounts.csv"), row.names = 1))
  md <- read.csv(file.path(args[1], "airway", "airway_metadata.csv"), row.names = 1)
  run_case("airway", cts[, rownames(md)], md, ~ celltype + dex, "dex", "treated", "control")
}
