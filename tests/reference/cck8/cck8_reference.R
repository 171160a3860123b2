# Reference numbers for exodisc's CCK-8 analysis, computed independently in R.
# Input: input_reads.csv (demo plates as read by exodisc; 450 nm signal and 650 nm reference).
# Run from this folder: Rscript cck8_reference.R
suppressPackageStartupMessages({
  library(emmeans)
  library(car)
})
options(digits = 17)
d <- read.csv("input_reads.csv", stringsAsFactors = FALSE)
d$read <- as.character(d$read)
w <- merge(
  setNames(d[d$read == "450", c("plate", "time_h", "well", "label", "value")],
           c("plate", "time_h", "well", "label", "od450")),
  setNames(d[d$read == "650", c("plate", "well", "value")], c("plate", "well", "od650")),
  by = c("plate", "well")
)
w$od <- w$od450 - w$od650
blank <- aggregate(od ~ plate, data = w[w$label == "blank", ], FUN = mean)
names(blank)[2] <- "blank_od"
w <- merge(w, blank, by = "plate")
w$od_corrected <- w$od - w$blank_od
s <- w[w$label != "blank", ]

# robust z: relative deviation from the replicate's median, scaled by the assay's pooled
# noise SD (consistency constants per number of wells n, robust_z_constants.tsv) and a
# finite-sample factor f from this script's own Monte-Carlo of Gaussian plates of the same design
zc <- read.delim("robust_z_constants.tsv")
trimmed_rms <- function(u, trim = 0.2) {
  u <- sort(u[!is.na(u)])
  sqrt(mean(head(u, length(u) - floor(trim * length(u)))^2))
}
null_factor <- function(sizes, at = 3.5, wells = 2e6) {
  set.seed(20261121)
  B <- max(2000, ceiling(wells / sum(sizes)))
  devs <- NULL
  scaled <- NULL
  for (k in sort(unique(sizes))) {
    cnt <- sum(sizes == k)
    x <- array(rnorm(B * cnt * k), c(B, cnt, k))
    m <- apply(x, c(1, 2), median)
    d <- x - as.vector(m)  # recycles m over the k wells
    dim(d) <- c(B, cnt * k)
    a <- abs(d) / zc$scale[zc$n_wells == k]
    a[d == 0] <- NA
    devs <- cbind(devs, d / zc$tail[zc$n_wells == k])
    scaled <- cbind(scaled, a)
  }
  s <- apply(scaled, 1, trimmed_rms)
  at / unname(quantile(abs(devs / s), 1 - 2 * pnorm(-at), type = 7))
}
s$med <- ave(s$od_corrected, s$plate, s$label, FUN = median)
s$k <- ave(s$od_corrected, s$plate, s$label, FUN = length)
s$dev <- (s$od_corrected - s$med) / abs(s$med)
nz <- s$dev != 0
pooled <- trimmed_rms(abs(s$dev[nz]) / zc$scale[match(s$k[nz], zc$n_wells)])  # all plates
f <- null_factor(as.vector(table(paste(s$plate, s$label))))
writeLines(format(f, digits = 17), "z_factor.txt")
s$robust_z <- f * s$dev / (zc$tail[match(s$k, zc$n_wells)] * pooled)
write.table(s[order(s$plate, s$well), c("plate", "well", "od_corrected", "robust_z")],
            "wells.tsv", sep = "\t", row.names = FALSE, quote = FALSE)

# technical wells -> replicate (no exclusion), viability % of control mean per time
rep <- aggregate(od_corrected ~ label + time_h, data = s, FUN = mean)
rep$cv_pct <- aggregate(od_corrected ~ label + time_h, data = s,
                        FUN = function(x) sd(x) / abs(mean(x)) * 100)$od_corrected
rep$group <- sub("_[0-9]+$", "", rep$label)
ctrl <- aggregate(od_corrected ~ time_h, data = rep[rep$group == "ctrl", ], FUN = mean)
rep$viability_pct <- rep$od_corrected / ctrl$od_corrected[match(rep$time_h, ctrl$time_h)] * 100
rep <- rep[order(rep$time_h, rep$label), ]
write.table(rep[, c("label", "time_h", "od_corrected", "cv_pct", "viability_pct")],
            "replicates.tsv", sep = "\t", row.names = FALSE, quote = FALSE)

# AUC, trapezoidal rule
trap <- function(x, y) { o <- order(x); x <- x[o]; y <- y[o]; sum(diff(x) * (head(y, -1) + tail(y, -1)) / 2) }
auc <- do.call(rbind, lapply(split(rep, rep$label), function(r) data.frame(
  label = r$label[1], auc_od = trap(r$time_h, r$od_corrected),
  auc_viability = trap(r$time_h, r$viability_pct))))
write.table(auc, "auc.tsv", sep = "\t", row.names = FALSE, quote = FALSE)

# one-way ANOVA per time + Bonferroni over the declared comparisons (SPSS-style, pooled MSE)
lv <- c("ctrl", "il1b", "usc", "usc_gw", "exo")
cmp <- list(c("il1b", "ctrl"), c("usc", "il1b"), c("usc_gw", "il1b"), c("exo", "il1b"),
            c("usc_gw", "usc"))
pairs <- NULL
omni <- NULL
for (t in sort(unique(rep$time_h))) {
  r <- rep[rep$time_h == t, ]
  r$group <- factor(r$group, levels = lv)
  fit <- aov(viability_pct ~ group, data = r)
  tab <- summary(fit)[[1]]
  omni <- rbind(omni, data.frame(time_h = t, F = tab[["F value"]][1], p_value = tab[["Pr(>F)"]][1]))
  em <- emmeans(fit, ~group)
  con <- lapply(cmp, function(p) as.numeric(lv == p[1]) - as.numeric(lv == p[2]))
  names(con) <- sapply(cmp, paste, collapse = " - ")
  ct <- as.data.frame(contrast(em, method = con, adjust = "bonferroni"))
  raw <- as.data.frame(contrast(em, method = con, adjust = "none"))
  pairs <- rbind(pairs, data.frame(time_h = t, contrast = ct$contrast, estimate = ct$estimate,
                                   SE = ct$SE, p_value = raw$p.value, p_adj = ct$p.value))
}
write.table(omni, "anova_per_time.tsv", sep = "\t", row.names = FALSE, quote = FALSE)
write.table(pairs, "pairs.tsv", sep = "\t", row.names = FALSE, quote = FALSE)

# two-way ANOVA group x time (balanced: type II = type I)
rep$group <- factor(rep$group, levels = lv)
rep$time <- factor(paste0(rep$time_h, " h"))
a2 <- Anova(aov(viability_pct ~ group * time, data = rep), type = 2)
a2 <- data.frame(source = rownames(a2), ss = a2[["Sum Sq"]], df = a2[["Df"]],
                 F = a2[["F value"]], p_value = a2[["Pr(>F)"]])
write.table(a2, "anova_two_way.tsv", sep = "\t", row.names = FALSE, quote = FALSE)

writeLines(c(
  paste("R", paste(R.version$major, R.version$minor, sep = ".")),
  paste("emmeans", packageVersion("emmeans")),
  paste("car", packageVersion("car"))
), "versions.txt")
