# Reference outputs of R DESeq2 for exodisc's parity tests (tests/de/test_parity.py).
# Run from the repository root with the shared data beside it:
#   Rscript tests/reference/de/make_reference.R ../shared/data/rnaseq
# (EXODISC_ONLY_SYNTHETIC=1 skips airway and pasilla.)
# Writes <case>_results.tsv.gz (per gene) and <case>_meta.tsv (scalars) into tests/reference/de/.
suppressPackageStartupMessages(library(DESeq2))
args <- commandArgs(trailingOnly = TRUE)
data_dir <- if (length(args) > 0) args[1] else "../shared/data/rnaseq"
out_dir <- "tests/reference/de"

fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))

run_case <- function(name, cts, coldata, design, factor, num, den, alpha05 = FALSE) {
  for (v in all.vars(design)) coldata[[v]] <- factor(coldata[[v]])
  coldata[[factor]] <- relevel(coldata[[factor]], ref = den)
  dds <- DESeqDataSetFromMatrix(cts, coldata, design)
  t0 <- proc.time()[["elapsed"]]
  dds <- DESeq(dds, quiet = TRUE)
  res <- results(dds, contrast = c(factor, num, den))
  t1 <- proc.time()[["elapsed"]]
  mc <- mcols(dds)
  tab <- data.frame(
    feature_id = rownames(dds), baseMean = fmt(mc$baseMean), dispGeneEst = fmt(mc$dispGeneEst),
    dispFit = fmt(mc$dispFit), dispersion = fmt(mc$dispersion),
    dispOutlier = ifelse(is.na(mc$dispOutlier), "", as.character(mc$dispOutlier)),
    log2FoldChange = fmt(res$log2FoldChange), lfcSE = fmt(res$lfcSE), stat = fmt(res$stat),
    pvalue = fmt(res$pvalue), padj = fmt(res$padj),
    betaConv = ifelse(is.na(mc$betaConv), "", as.character(mc$betaConv)),
    maxCooks = fmt(mc$maxCooks)
  )
  if (alpha05) {
    res05 <- results(dds, contrast = c(factor, num, den), alpha = 0.05)
    tab$padj_alpha05 <- fmt(res05$padj)
  }
  con <- gzfile(file.path(out_dir, paste0(name, "_results.tsv.gz")), "w")
  write.table(tab, con, sep = "\t", quote = FALSE, row.names = FALSE)
  close(con)
  df <- attr(dispersionFunction(dds), "coefficients")
  meta <- data.frame(
    key = c(paste0("size_factor.", colnames(dds)), "disp_prior_var", "var_log_disp_ests",
            "trend_asympt_disp", "trend_extra_pois", "filter_threshold", "filter_theta",
            "seconds"),
    value = fmt(c(sizeFactors(dds), attr(dispersionFunction(dds), "dispPriorVar"),
                  attr(dispersionFunction(dds), "varLogDispEsts"),
                  if (is.null(df)) c(NA, NA) else df,
                  metadata(res)$filterThreshold, metadata(res)$filterTheta, t1 - t0))
  )
  write.table(meta, file.path(out_dir, paste0(name, "_meta.tsv")), sep = "\t", quote = FALSE,
              row.names = FALSE)
}

only_synthetic <- nzchar(Sys.getenv("EXODISC_ONLY_SYNTHETIC"))
if (!only_synthetic) {
# airway: ~ celltype + dex, treated vs control (paired by cell line)
cts <- as.matrix(read.csv(file.path(data_dir, "airway", "airway_rawcounts.csv"), row.names = 1))
md <- read.csv(file.path(data_dir, "airway", "airway_metadata.csv"), row.names = 1)
run_case("airway", cts[, rownames(md)], md, ~ celltype + dex, "dex", "treated", "control",
         alpha05 = TRUE)

# pasilla: ~ type + condition, treated vs untreated
cts <- as.matrix(read.delim(file.path(data_dir, "pasilla", "pasilla_gene_counts.tsv"),
                            row.names = "gene_id"))
ann <- read.csv(file.path(data_dir, "pasilla", "pasilla_sample_annotation.csv"), row.names = 1)
rownames(ann) <- sub("fb$", "", rownames(ann))
ann <- ann[colnames(cts), c("condition", "type")]
ann$type <- sub("-", "_", ann$type)
run_case("pasilla", cts, ann, ~ type + condition, "condition", "treated", "untreated")
}

# synthetic cases written by make_synthetic.py
for (case in c("paired9", "paired6", "twogroup4", "twogroup8")) {
  cts <- as.matrix(read.delim(file.path(out_dir, paste0("synthetic_", case, "_counts.tsv")),
                              row.names = "feature_id"))
  sh <- read.csv(file.path(out_dir, paste0("synthetic_", case, "_samples.csv")), row.names = 1)
  sh <- sh[colnames(cts), , drop = FALSE]
  design <- if (startsWith(case, "twogroup")) ~ condition else ~ donor + condition
  run_case(paste0("synthetic_", case), cts, sh, design, "condition", "il1b", "ctrl")
}

# R's random number streams used by estimateDispersionsPriorVar (n - p <= 3): histogram counts of
# log(rchisq(1e4, df)) + rnorm(1e4, 0, sqrt(v)) - log(df) for the 200 variances, after set.seed(2)
brks <- -20:20 / 2
for (df in 1:3) {
  set.seed(2)
  m <- t(sapply(seq(from = 0, to = 8, length = 200), function(x) {
    d <- log(rchisq(1e4, df = df)) + rnorm(1e4, 0, sqrt(x)) - log(df)
    d <- d[d > min(brks) & d < max(brks)]
    hist(d, breaks = brks, plot = FALSE)$counts
  }))
  write.table(m, file.path(out_dir, paste0("priorvar_hist_df", df, ".tsv")), sep = "\t",
              quote = FALSE, row.names = FALSE, col.names = FALSE)
}
set.seed(2)
writeLines(sprintf("%.17g", c(runif(3), rnorm(3), rchisq(5, 3), rchisq(5, 1))),
           file.path(out_dir, "rng_stream.txt"))

# loess surface check: a fixed curve smoothed as DESeq2 does
xg <- seq(from = 0, to = 8, length = 200)
yk <- (xg - 2.3)^2 / 10 + sin(5 * xg) / 20
fine <- seq(from = 0, to = 8, length = 1000)
lo <- predict(loess(yk ~ xg, span = 0.2), fine)
write.table(data.frame(x = sprintf("%.17g", fine), fitted = sprintf("%.17g", lo)),
            file.path(out_dir, "loess_check.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
set.seed(3)
lx <- sort(runif(50)); ly <- sin(6 * lx) + rnorm(50, 0, 0.3)
lw <- lowess(ly ~ lx, f = 1 / 5)
write.table(data.frame(x = sprintf("%.17g", lx), y = sprintf("%.17g", ly),
                       fitted = sprintf("%.17g", lw$y)),
            file.path(out_dir, "lowess_check.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)

sink(file.path(out_dir, "sessionInfo.txt")); print(sessionInfo()); sink()
