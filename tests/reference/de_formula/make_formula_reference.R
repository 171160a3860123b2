# Reference outputs of R (model.matrix, DESeq2 1.38.3, edgeR 3.40 + limma 3.54) for formulas,
# contrasts and the limma-voom pipeline (tests/de/test_formula.py, tests/de/test_limma.py).
# Run from the repository root:
#   Rscript tests/reference/de_formula/make_formula_reference.R ../shared/data/rnaseq
# Character sheet columns become factors with R's default (sorted) levels; numeric stay numeric.
suppressPackageStartupMessages({library(DESeq2); library(limma); library(edgeR)})
args <- commandArgs(trailingOnly = TRUE)
data_dir <- if (length(args) > 0) args[1] else "../shared/data/rnaseq"
out_dir <- "tests/reference/de_formula"
de_dir <- "tests/reference/de"
fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
write_gz <- function(tab, name) {
  con <- gzfile(file.path(out_dir, name), "w")
  write.table(tab, con, sep = "\t", quote = FALSE, row.names = FALSE)
  close(con)
}
as_factors <- function(sh) {
  for (v in names(sh)) if (is.character(sh[[v]])) sh[[v]] <- factor(sh[[v]])
  sh
}

# ---- the sample sheet of the formula cases: paired9 + numeric dose, RIN and a batch
read_case <- function(case) {
  cts <- as.matrix(read.delim(file.path(de_dir, paste0("synthetic_", case, "_counts.tsv")),
                              row.names = "feature_id"))
  sh <- read.csv(file.path(de_dir, paste0("synthetic_", case, "_samples.csv")), row.names = 1)
  list(cts = cts, sh = sh[colnames(cts), , drop = FALSE])
}
p9 <- read_case("paired9")
sheet9 <- p9$sh
sheet9$dose <- c(ctrl = 0, exo = 1, il1b = 2.5)[sheet9$condition]
sheet9$rin <- c(7.1, 8.4, 6.9, 9.2, 7.7, 8.8, 6.5, 7.9, 8.1)
sheet9$batch <- c("b1", "b2", "b1", "b2", "b1", "b2", "b1", "b2", "b1")
write.csv(cbind(sample = rownames(sheet9), sheet9), file.path(out_dir, "sheet9.csv"),
          row.names = FALSE, quote = FALSE)
formulas <- c("~ donor + condition", "~ donor + dose", "~ rin + condition",
              "~ factor(dose) + donor", "~ batch + condition + batch:condition",
              "~ batch * condition", "~ 0 + condition", "~ condition - 1",
              "~ donor + condition + condition:batch", "~ donor + dose + batch",
              "~ condition + rin:condition", "~ 0 + batch + condition", "~ 1", "~ dose")
rows <- list()
for (f in formulas) {
  mm <- model.matrix(as.formula(f), as_factors(sheet9))
  for (j in seq_len(ncol(mm))) {
    rows[[length(rows) + 1]] <- data.frame(formula = f, column = colnames(mm)[j],
      index = j, t(setNames(fmt(mm[, j]), rownames(sheet9))), check.names = FALSE)
  }
}
write.table(do.call(rbind, rows), file.path(out_dir, "model_matrix.tsv"), sep = "\t",
            quote = FALSE, row.names = FALSE)

# ---- DESeq2 fits and results() calls
res_tab <- function(dds, res) {
  mc <- mcols(dds)
  data.frame(feature_id = rownames(dds), baseMean = fmt(res$baseMean),
    dispersion = fmt(mc$dispersion), log2FoldChange = fmt(res$log2FoldChange),
    lfcSE = fmt(res$lfcSE), stat = fmt(res$stat), pvalue = fmt(res$pvalue),
    padj = fmt(res$padj))
}
fit <- function(cts, sh, design, ...) {
  dds <- DESeqDataSetFromMatrix(cts, as_factors(sh), design)
  DESeq(dds, quiet = TRUE, ...)
}
case <- function(case_name, dds, ...) {
  res <- results(dds, ...)
  write_gz(res_tab(dds, res), paste0(case_name, ".tsv.gz"))
}
t8 <- read_case("twogroup8")
sheet8 <- t8$sh
sheet8$batch <- ifelse(sheet8$donor %in% c("D1", "D2"), "b1", "b2")
sheet8$rin <- c(7.1, 8.4, 6.9, 9.2, 7.7, 8.8, 6.5, 7.9)
# EXODISC_TAIL_ONLY=1 skips the DESeq2 results (slow) and writes only resultsNames and limma
if (!nzchar(Sys.getenv("EXODISC_TAIL_ONLY"))) {
# 3 donors x 3 conditions, ctrl the reference: contrast between two non-reference levels,
# a donor coefficient by name, a numeric contrast vector, a list contrast
d <- fit(p9$cts, sheet9[, c("donor", "condition")], ~ donor + condition)
case("p9_exo_vs_il1b", d, contrast = c("condition", "exo", "il1b"))
case("p9_ctrl_vs_exo", d, contrast = c("condition", "ctrl", "exo"))
case("p9_name_donor", d, name = "donor_D2_vs_D1")
case("p9_numeric", d, contrast = c(0, 0, 0, 0.5, 0.5))
case("p9_list", d, contrast = list("condition_il1b_vs_ctrl", "condition_exo_vs_ctrl"))
case("p9_alpha05_exo_vs_il1b", d, contrast = c("condition", "exo", "il1b"), alpha = 0.05)
# numeric dose (continuous), Wald on its coefficient and LRT against ~ donor
d <- fit(p9$cts, sheet9[, c("donor", "dose")], ~ donor + dose)
case("p9_dose", d, name = "dose")
d <- fit(p9$cts, sheet9[, c("donor", "dose")], ~ donor + dose, test = "LRT", reduced = ~ donor)
case("p9_dose_lrt", d, name = "dose")
# LRT dropping the donor term (reduced ~ condition), contrast between non-reference levels
d <- fit(p9$cts, sheet9[, c("donor", "condition")], ~ donor + condition,
         test = "LRT", reduced = ~ condition)
case("p9_lrt_donor", d, contrast = c("condition", "exo", "il1b"))
# interaction: 4 vs 4 with two batches
write.csv(cbind(sample = rownames(sheet8), sheet8), file.path(out_dir, "sheet8.csv"),
          row.names = FALSE, quote = FALSE)
d <- fit(t8$cts, sheet8[, c("batch", "condition")], ~ batch + condition + batch:condition)
case("t8_interaction", d, name = "batchb2.conditionil1b")
case("t8_condition_in_b1", d, contrast = c("condition", "il1b", "ctrl"))
case("t8_condition_in_b2", d, contrast = list(c("condition_il1b_vs_ctrl", "batchb2.conditionil1b")))
d <- fit(t8$cts, sheet8[, c("batch", "condition")], ~ batch + condition + batch:condition,
         test = "LRT", reduced = ~ batch + condition)
case("t8_interaction_lrt", d, name = "batchb2.conditionil1b")
d <- fit(t8$cts, sheet8[, c("rin", "condition")], ~ rin + condition)
case("t8_rin", d, name = "rin")
# pasilla with R's default levels (treated first): untreated vs treated is the coefficient,
# treated vs untreated its negation through the contrast machinery
cts <- as.matrix(read.delim(file.path(data_dir, "pasilla", "pasilla_gene_counts.tsv"),
                            row.names = "gene_id"))
ann <- read.csv(file.path(data_dir, "pasilla", "pasilla_sample_annotation.csv"), row.names = 1)
rownames(ann) <- sub("fb$", "", rownames(ann))
ann <- ann[colnames(cts), c("condition", "type")]
ann$type <- sub("-", "_", ann$type)
d <- fit(cts, ann, ~ type + condition)
case("pasilla_default_levels", d, contrast = c("condition", "treated", "untreated"))
}
# resultsNames of the designs above (EXODISC_LIMMA_ONLY=1 skips them too)
if (!nzchar(Sys.getenv("EXODISC_LIMMA_ONLY"))) {
rn <- function(cts, sh, design) {
  paste(resultsNames(fit(cts, sh[, all.vars(design), drop = FALSE], design)), collapse = ",")
}
names_out <- data.frame(
  case = c("p9_exo_vs_il1b", "p9_dose", "t8_interaction", "t8_rin"),
  results_names = c(rn(p9$cts, sheet9, ~ donor + condition), rn(p9$cts, sheet9, ~ donor + dose),
                    rn(t8$cts, sheet8, ~ batch + condition + batch:condition),
                    suppressMessages(rn(t8$cts, sheet8, ~ rin + condition))))
write.table(names_out, file.path(out_dir, "results_names.tsv"), sep = "\t", quote = FALSE,
            row.names = FALSE)
}

# ---- limma-voom, the user's guide pipeline: filterByExpr + TMM + voom (+ duplicateCorrelation,
# which needs the CRAN package statmod: Debian r-cran-statmod 1.5.0)
limma_case <- function(name, cts, sh, design_formula, coef, block = NULL) {
  design <- model.matrix(design_formula, as_factors(sh))
  y <- DGEList(cts)
  keep <- filterByExpr(y, design)
  y <- y[keep, , keep.lib.sizes = FALSE]
  y <- calcNormFactors(y)
  v <- voom(y, design)
  if (is.null(block)) {
    fit <- lmFit(v, design)
    cons <- NA
  } else {
    dc <- duplicateCorrelation(v, design, block = sh[[block]])
    cons <- dc$consensus.correlation
    fit <- lmFit(v, design, block = sh[[block]], correlation = cons)
  }
  fit <- eBayes(fit)
  tt <- topTable(fit, coef = coef, number = Inf, sort.by = "none")
  tab <- data.frame(feature_id = rownames(tt), AveExpr = fmt(tt$AveExpr), logFC = fmt(tt$logFC),
                    se = fmt(fit$stdev.unscaled[, coef] * sqrt(fit$s2.post)), t = fmt(tt$t),
                    P.Value = fmt(tt$P.Value), adj.P.Val = fmt(tt$adj.P.Val),
                    w1 = fmt(v$weights[, 1]))
  write_gz(tab, paste0(name, "_limma.tsv.gz"))
  meta <- data.frame(key = c(paste0("norm_factor.", colnames(y)), paste0("lib_size.", colnames(y)),
                             "n_kept", "df_prior", "s2_prior", "consensus_correlation"),
                     value = fmt(c(y$samples$norm.factors, y$samples$lib.size, sum(keep),
                                   fit$df.prior, fit$s2.prior, cons)))
  write.table(meta, file.path(out_dir, paste0(name, "_limma_meta.tsv")), sep = "\t",
              quote = FALSE, row.names = FALSE)
}
limma_case("p9_tmm", p9$cts, sheet9, ~ donor + condition, "conditionil1b")
limma_case("t8_tmm", t8$cts, sheet8, ~ condition, "conditionil1b")
limma_case("t8_dose_tmm", t8$cts, sheet8, ~ rin + condition, "rin")
# donor as a random block: voom + duplicateCorrelation + lmFit(block =, correlation =)
limma_case("p9_dupcor", p9$cts, sheet9, ~ condition, "conditionil1b", block = "donor")
sink(file.path(out_dir, "sessionInfo.txt")); print(sessionInfo()); sink()
