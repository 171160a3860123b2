# Reference values for exodisc's qPCR analysis, computed independently in base R + emmeans.
# Run from this folder:  Rscript reference.R
suppressPackageStartupMessages(library(emmeans))
options(digits = 15)

w <- read.delim("synthetic_wells.tsv", colClasses = c(ct = "character"))
unk <- w[w$task == "UNKNOWN" & w$ct != "Undetermined", ]
unk$ct <- as.numeric(unk$ct)
unk$group <- substr(unk$sample, 1, 1)

# ---- technical replicates ------------------------------------------------------------------
agg <- aggregate(ct ~ sample + target, data = unk, FUN = function(x) c(m = mean(x), s = sd(x), n = length(x)))
agg <- data.frame(sample = agg$sample, target = agg$target,
                  ct_mean = agg$ct[, "m"], ct_sd = agg$ct[, "s"], n = agg$ct[, "n"])
key <- function(s, t) paste(s, t)
rownames(agg) <- key(agg$sample, agg$target)

# ---- 2^-ddCt, references R1 + R2 (mean Ct), calibrator = group A (mean dCt) ------------------
refs <- c("R1", "R2")
targets <- c("T1", "T2")
samples <- sort(unique(unk$sample))
se <- function(s, t) agg[key(s, t), "ct_sd"] / sqrt(agg[key(s, t), "n"])
out <- NULL
for (s in samples) for (t in targets) {
  ref_mean <- mean(agg[key(s, refs), "ct_mean"])
  ref_se <- sqrt(sum(se(s, refs)^2)) / length(refs)
  dct <- agg[key(s, t), "ct_mean"] - ref_mean
  dse <- sqrt(se(s, t)^2 + ref_se^2)
  df <- agg[key(s, t), "n"] + sum(agg[key(s, refs), "n"]) - 1 - length(refs)
  out <- rbind(out, data.frame(sample = s, target = t, ct_mean = agg[key(s, t), "ct_mean"],
                               delta_ct = dct, delta_ct_se = dse, df = df))
}
cal <- tapply(out$delta_ct[substr(out$sample, 1, 1) == "A"],
              out$target[substr(out$sample, 1, 1) == "A"], mean)
out$delta_delta_ct <- out$delta_ct - cal[out$target]
out$rq <- 2^-out$delta_delta_ct
tq <- qt(0.975, out$df)
out$rq_min <- 2^-(out$delta_delta_ct + tq * out$delta_ct_se)
out$rq_max <- 2^-(out$delta_delta_ct - tq * out$delta_ct_se)
write.table(out, "ddct_reference.tsv", sep = "\t", quote = FALSE, row.names = FALSE)

# ---- Pfaffl ratio with efficiencies, written in Pfaffl's own form ----------------------------
E <- c(T1 = 1.92, T2 = 2.05, R1 = 1.98, R2 = 1.95)
calA <- samples[substr(samples, 1, 1) == "A"]
ctcal <- function(t) mean(agg[key(calA, t), "ct_mean"])
pf <- NULL
for (s in samples) for (t in targets) {
  num <- E[[t]]^(ctcal(t) - agg[key(s, t), "ct_mean"])
  den <- prod(sapply(refs, function(r) E[[r]]^(ctcal(r) - agg[key(s, r), "ct_mean"])))^(1 / length(refs))
  pf <- rbind(pf, data.frame(sample = s, target = t, ratio = num / den))
}
write.table(pf, "pfaffl_reference.tsv", sep = "\t", quote = FALSE, row.names = FALSE)

# ---- statistics on dCt: one-way ANOVA + Bonferroni contrasts (SPSS style) ---------------------
st <- NULL
for (t in targets) {
  d <- out[out$target == t, ]
  d$group <- factor(substr(d$sample, 1, 1), levels = c("A", "B", "C"))
  fit <- aov(delta_ct ~ group, data = d)
  em <- emmeans(fit, ~group)
  con <- contrast(em, method = list("B - A" = c(-1, 1, 0), "C - A" = c(-1, 0, 1),
                                    "C - B" = c(0, -1, 1)), adjust = "bonferroni")
  s <- as.data.frame(summary(con))
  s0 <- as.data.frame(summary(contrast(em, method = list("B - A" = c(-1, 1, 0),
      "C - A" = c(-1, 0, 1), "C - B" = c(0, -1, 1)), adjust = "none")))
  st <- rbind(st, data.frame(target = t, contrast = s$contrast, estimate = s$estimate,
                             p_value = s0$p.value, p_adj = s$p.value,
                             anova_F = summary(fit)[[1]][1, "F value"],
                             anova_p = summary(fit)[[1]][1, "Pr(>F)"]))
}
write.table(st, "stats_reference.tsv", sep = "\t", quote = FALSE, row.names = FALSE)

# ---- geNorm M (Vandesompele 2002) over R1, R2, R3, written from the paper's definitions -------
genes <- c("R1", "R2", "R3")
ctm <- sapply(genes, function(g) agg[key(samples, g), "ct_mean"])
log2q <- -ctm
M <- function(cols) sapply(cols, function(j) mean(sapply(setdiff(cols, j),
                                function(k) sd(log2q[, j] - log2q[, k]))))
m_all <- M(genes)
m_two <- NULL
worst <- names(which.max(m_all))
rest <- setdiff(genes, worst)
m_two <- M(rest)
best <- c(rest[order(m_two)], worst)   # ties keep order
nf2 <- rowMeans(log2q[, best[1:2], drop = FALSE])
nf3 <- rowMeans(log2q[, best[1:3], drop = FALSE])
v23 <- sd(nf2 - nf3)
gn <- data.frame(gene = genes, m_all = m_all[genes],
                 m_at_exclusion = ifelse(genes == worst, m_all[worst], m_two[genes]),
                 v23 = v23)
write.table(gn, "genorm_reference.tsv", sep = "\t", quote = FALSE, row.names = FALSE)

# ---- standard curve: lm on the QS7 Flex text example's STANDARD wells is done in Python tests
# against the vendor's own values; nothing to do here.
cat(R.version.string, "\nemmeans", as.character(packageVersion("emmeans")), "\n")

# ---- qPCR vs RNA-seq agreement: sign agreement and correlations of log2 fold changes -------
q <- c(SOX9 = -1.62, COL2A1 = -2.21, ACAN = -1.75, MMP13 = 2.40, ADAMTS5 = 1.10, GAPDH2 = 0.05)
r <- c(SOX9 = -1.20, COL2A1 = -2.80, ACAN = -1.10, MMP13 = 3.10, ADAMTS5 = 0.70, GAPDH2 = -0.10)
pc <- cor.test(q, r)
sc <- cor.test(q, r, method = "spearman", exact = FALSE)  # t approximation, as scipy
ag <- data.frame(n_genes = length(q), sign_agreement = mean(sign(q) == sign(r)),
                 pearson_r = unname(pc$estimate), pearson_p = pc$p.value,
                 spearman_rho = unname(sc$estimate), spearman_p = sc$p.value)
write.table(ag, "agreement_reference.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
