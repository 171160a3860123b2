# Reference outputs of R DESeq2's likelihood-ratio test (nbinomLRT) for tests/de/test_lrt.py.
# Run from the repository root with the shared data beside it:
#   Rscript tests/reference/de/make_lrt_reference.R ../shared/data/rnaseq
# Writes <case>_lrt_results.tsv.gz (per gene) and <case>_lrt_meta.tsv into tests/reference/de/.
suppressPackageStartupMessages(library(DESeq2))
args <- commandArgs(trailingOnly = TRUE)
data_dir <- if (length(args) > 0) args[1] else "../shared/data/rnaseq"
out_dir <- "tests/reference/de"

fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))

run_lrt <- function(name, cts, coldata, design, reduced, factor, num, den) {
  for (v in all.vars(design)) coldata[[v]] <- factor(coldata[[v]])
  coldata[[factor]] <- relevel(coldata[[factor]], ref = den)
  dds <- DESeqDataSetFromMatrix(cts, coldata, design)
  t0 <- proc.time()[["elapsed"]]
  dds <- DESeq(dds, test = "LRT", reduced = reduced, quiet = TRUE)
  res <- results(dds, contrast = c(factor, num, den))
  t1 <- proc.time()[["elapsed"]]
  mc <- mcols(dds)
  tab <- data.frame(
    feature_id = rownames(dds), baseMean = fmt(mc$baseMean), dispersion = fmt(mc$dispersion),
    log2FoldChange = fmt(res$log2FoldChange), lfcSE = fmt(res$lfcSE), stat = fmt(res$stat),
    pvalue = fmt(res$pvalue), padj = fmt(res$padj),
    fullBetaConv = ifelse(is.na(mc$fullBetaConv), "", as.character(mc$fullBetaConv)),
    reducedBetaConv = ifelse(is.na(mc$reducedBetaConv), "", as.character(mc$reducedBetaConv)),
    deviance = fmt(mc$deviance), maxCooks = fmt(mc$maxCooks)
  )
  con <- gzfile(file.path(out_dir, paste0(name, "_lrt_results.tsv.gz")), "w")
  write.table(tab, con, sep = "\t", quote = FALSE, row.names = FALSE)
  close(con)
  meta <- data.frame(
    key = c("reduced", "df", "filter_threshold", "filter_theta", "seconds"),
    value = c(deparse(reduced), ncol(model.matrix(design, coldata)) -
                ncol(model.matrix(reduced, coldata)),
              fmt(c(metadata(res)$filterThreshold, metadata(res)$filterTheta, t1 - t0)))
  )
  write.table(meta, file.path(out_dir, paste0(name, "_lrt_meta.tsv")), sep = "\t",
              quote = FALSE, row.names = FALSE)
}

cts <- as.matrix(read.csv(file.path(data_dir, "airway", "airway_rawcounts.csv"), row.names = 1))
md <- read.csv(file.path(data_dir, "airway", "airway_metadata.csv"), row.names = 1)
run_lrt("airway", cts[, rownames(md)], md, ~ celltype + dex, ~ celltype, "dex", "treated",
        "control")

cts <- as.matrix(read.delim(file.path(data_dir, "pasilla", "pasilla_gene_counts.tsv"),
                            row.names = "gene_id"))
ann <- read.csv(file.path(data_dir, "pasilla", "pasilla_sample_annotation.csv"), row.names = 1)
rownames(ann) <- sub("fb$", "", rownames(ann))
ann <- ann[colnames(cts), c("condition", "type")]
ann$type <- sub("-", "_", ann$type)
run_lrt("pasilla", cts, ann, ~ type + condition, ~ type, "condition", "treated", "untreated")

# synthetic: reduced model with the intercept only, and a paired design
for (case in c("twogroup8", "paired9")) {
  cts <- as.matrix(read.delim(file.path(out_dir, paste0("synthetic_", case, "_counts.tsv")),
                              row.names = "feature_id"))
  sh <- read.csv(file.path(out_dir, paste0("synthetic_", case, "_samples.csv")), row.names = 1)
  sh <- sh[colnames(cts), , drop = FALSE]
  if (startsWith(case, "twogroup")) {
    run_lrt(paste0("synthetic_", case), cts, sh, ~ condition, ~ 1, "condition", "il1b", "ctrl")
  } else {
    run_lrt(paste0("synthetic_", case), cts, sh, ~ donor + condition, ~ donor, "condition",
            "il1b", "ctrl")
  }
}
