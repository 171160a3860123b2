# Reference numbers for exodisc's SA-β-gal counts route, computed independently in R.
# Run from this folder: Rscript sabgal_reference.R
suppressPackageStartupMessages(library(emmeans))
options(digits = 17)
d <- read.csv("input_counts.csv", stringsAsFactors = FALSE)
pooled <- aggregate(cbind(positive, total) ~ sample, data = d, FUN = sum)
pooled$pct_pooled <- 100 * pooled$positive / pooled$total
d$pct <- 100 * d$positive / d$total
mean_pct <- aggregate(pct ~ sample, data = d, FUN = mean)
out <- merge(pooled, setNames(mean_pct, c("sample", "pct_mean")), by = "sample")
out$group <- sub("_[0-9]+$", "", out$sample)
write.table(out[order(out$sample), ], "replicates.tsv", sep = "\t", row.names = FALSE,
            quote = FALSE)

lv <- c("ctrl", "il1b", "usc", "usc_gw", "exo")
out$group <- factor(out$group, levels = lv)
fit <- aov(pct_pooled ~ group, data = out)
tab <- summary(fit)[[1]]
cmp <- list(c("il1b", "ctrl"), c("usc", "il1b"), c("usc_gw", "il1b"), c("exo", "il1b"),
            c("usc_gw", "usc"))
con <- lapply(cmp, function(p) as.numeric(lv == p[1]) - as.numeric(lv == p[2]))
names(con) <- sapply(cmp, paste, collapse = " - ")
em <- emmeans(fit, ~group)
ct <- as.data.frame(contrast(em, method = con, adjust = "bonferroni"))
raw <- as.data.frame(contrast(em, method = con, adjust = "none"))
write.table(data.frame(contrast = ct$contrast, estimate = ct$estimate, SE = ct$SE,
                       p_value = raw$p.value, p_adj = ct$p.value,
                       F = tab[["F value"]][1], anova_p = tab[["Pr(>F)"]][1]),
            "pairs.tsv", sep = "\t", row.names = FALSE, quote = FALSE)
writeLines(c(paste("R", paste(R.version$major, R.version$minor, sep = ".")),
             paste("emmeans", packageVersion("emmeans"))), "versions.txt")
