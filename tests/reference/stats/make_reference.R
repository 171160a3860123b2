# Reference outputs for exodisc.stats (issue 3). Run from this folder:
#   Rscript make_reference.R
# Writes inputs/*.tsv (the datasets as analysed) and reference.tsv (long format:
# case, key, quantity, value) read by tests/stats/test_r_parity.py.
suppressPackageStartupMessages({
  library(car); library(emmeans); library(multcomp); library(rstatix)
})
options(digits = 17, warn = 1)
dir.create("inputs", showWarnings = FALSE)
out <- list()
add <- function(case, key, quantity, value) {
  out[[length(out) + 1]] <<- data.frame(case = case, key = key, quantity = quantity,
                                        value = as.numeric(value))
}
save_input <- function(name, df) {
  write.table(df, file.path("inputs", paste0(name, ".tsv")), sep = "\t", quote = FALSE,
              row.names = FALSE)
}

# ---- datasets (R's own) -------------------------------------------------------------
pg <- PlantGrowth                                  # 3 groups x 10
is <- InsectSprays; names(is) <- c("count", "spray")    # 6 x 12, unequal variances
cw <- chickwts                                     # 6 groups, unbalanced
# paper-like small design: 5 groups x 3 (made with a fixed seed, values stored)
set.seed(1)
paper <- data.frame(group = factor(rep(c("ctrl", "il1b", "usc", "usc_gw", "exo"), each = 3),
                                   levels = c("ctrl", "il1b", "usc", "usc_gw", "exo")),
                    value = round(rep(c(1.0, 0.45, 0.72, 0.5, 0.85), each = 3) +
                                  rnorm(15, sd = 0.06), 4))
sl <- sleep                                        # paired, 10 subjects x 2
# ChickWeight: repeated measures, chicks weighed at days 0, 10, 21 (complete chicks only)
chw <- subset(ChickWeight, Time %in% c(0, 10, 21))
keep <- names(which(table(chw$Chick) == 3))
chw <- droplevels(subset(chw, Chick %in% keep))
chw <- data.frame(weight = chw$weight, time = paste0("d", chw$Time), chick = as.character(chw$Chick))
save_input("plantgrowth", pg); save_input("insectsprays", is); save_input("chickwts", cw)
save_input("paper", paper); save_input("sleep", sl); save_input("chickweight_rm", chw)
tg <- ToothGrowth; tg$dose <- paste0("d", tg$dose)
wb <- warpbreaks
mt <- data.frame(mpg = mtcars$mpg, cyl = paste0("c", mtcars$cyl), am = paste0("a", mtcars$am))
save_input("toothgrowth", tg); save_input("warpbreaks", wb); save_input("mtcars", mt)

one_way <- list(plantgrowth = list(pg, "weight", "group"),
                insectsprays = list(is, "count", "spray"),
                chickwts = list(cw, "weight", "feed"),
                paper = list(paper, "value", "group"))

eta2_ci <- function(f, df1, df2, level = 0.95) {
  tail <- (1 - level) / 2
  ncp_for <- function(prob) {
    if (pf(f, df1, df2) < prob) return(0)
    uniroot(function(nc) pf(f, df1, df2, ncp = nc) - prob, c(0, 1000), tol = 1e-13)$root
  }
  n <- df1 + df2 + 1
  c(ncp_for(1 - tail), ncp_for(tail)) / (c(ncp_for(1 - tail), ncp_for(tail)) + n)
}

for (nm in names(one_way)) {
  d <- one_way[[nm]][[1]]; y <- d[[one_way[[nm]][[2]]]]; g <- factor(d[[one_way[[nm]][[3]]]])
  # descriptives
  for (lv in levels(g)) {
    x <- y[g == lv]; tt <- t.test(x)
    q <- quantile(x, c(.25, .5, .75))
    add(nm, lv, "mean", mean(x)); add(nm, lv, "sd", sd(x)); add(nm, lv, "sem", sd(x) / sqrt(length(x)))
    add(nm, lv, "ci95_low", tt$conf.int[1]); add(nm, lv, "ci95_high", tt$conf.int[2])
    add(nm, lv, "median", q[2]); add(nm, lv, "q1", q[1]); add(nm, lv, "q3", q[3])
  }
  fit <- aov(y ~ g)
  s <- summary(fit)[[1]]
  f <- s[1, "F value"]; df1 <- s[1, "Df"]; df2 <- s[2, "Df"]
  add(nm, "anova", "F", f); add(nm, "anova", "df1", df1); add(nm, "anova", "df2", df2)
  add(nm, "anova", "p", s[1, "Pr(>F)"])
  ssb <- s[1, "Sum Sq"]; ssw <- s[2, "Sum Sq"]; mse <- s[2, "Mean Sq"]
  add(nm, "anova", "eta2", ssb / (ssb + ssw))
  add(nm, "anova", "omega2", (ssb - df1 * mse) / (ssb + ssw + mse))
  ci <- eta2_ci(f, df1, df2); add(nm, "anova", "eta2_ci_low", ci[1]); add(nm, "anova", "eta2_ci_high", ci[2])
  # assumption checks
  add(nm, "shapiro", "W", shapiro.test(residuals(fit))$statistic)
  add(nm, "shapiro", "p", shapiro.test(residuals(fit))$p.value)
  for (ctr in c("mean", "median")) {
    lt <- leveneTest(y ~ g, center = ctr)
    add(nm, paste0("levene_", ctr), "F", lt[1, "F value"]); add(nm, paste0("levene_", ctr), "p", lt[1, "Pr(>F)"])
  }
  # Welch ANOVA
  ow <- oneway.test(y ~ g, var.equal = FALSE)
  add(nm, "welch", "F", ow$statistic); add(nm, "welch", "df1", ow$parameter[1])
  add(nm, "welch", "df2", ow$parameter[2]); add(nm, "welch", "p", ow$p.value)
  # Brown-Forsythe F* test of means (Brown & Forsythe 1974), written out from the paper
  n <- tapply(y, g, length); m <- tapply(y, g, mean); v <- tapply(y, g, var); N <- sum(n)
  cc <- (1 - n / N) * v
  fbf <- sum(n * (m - mean(y))^2) / sum(cc); dfbf <- 1 / sum((cc / sum(cc))^2 / (n - 1))
  add(nm, "brown_forsythe", "F", fbf); add(nm, "brown_forsythe", "df2", dfbf)
  add(nm, "brown_forsythe", "p", pf(fbf, length(n) - 1, dfbf, lower.tail = FALSE))
  # Kruskal-Wallis
  kw <- kruskal.test(y ~ g)
  add(nm, "kruskal", "H", kw$statistic); add(nm, "kruskal", "df", kw$parameter); add(nm, "kruskal", "p", kw$p.value)
  add(nm, "kruskal", "eta2_h", kruskal_effsize(data.frame(y = y, g = g), y ~ g)$effsize)
  # pairwise t on pooled SD (SPSS Bonferroni), holm, none; separate t + Bonferroni
  for (adj in c("none", "bonferroni", "holm")) {
    pw <- pairwise.t.test(y, g, pool.sd = TRUE, p.adjust.method = adj)$p.value
    for (i in rownames(pw)) for (j in colnames(pw)) if (!is.na(pw[i, j]))
      add(nm, paste0(i, "|", j), paste0("pooled_", adj), pw[i, j])
  }
  pw <- pairwise.t.test(y, g, pool.sd = FALSE, var.equal = TRUE, p.adjust.method = "bonferroni")$p.value
  for (i in rownames(pw)) for (j in colnames(pw)) if (!is.na(pw[i, j]))
    add(nm, paste0(i, "|", j), "bonferroni_t", pw[i, j])
  pw <- pairwise.t.test(y, g, pool.sd = FALSE, p.adjust.method = "holm")$p.value
  for (i in rownames(pw)) for (j in colnames(pw)) if (!is.na(pw[i, j]))
    add(nm, paste0(i, "|", j), "welch_holm", pw[i, j])
  # emmeans: estimate, SE, t, Sidak
  em <- emmeans(fit, ~ g)
  for (adj in c("sidak", "bonferroni")) {
    ct <- as.data.frame(contrast(em, method = "revpairwise", adjust = adj))
    for (r in seq_len(nrow(ct))) {
      pr <- strsplit(as.character(ct$contrast[r]), " - ")[[1]]
      key <- paste0(pr[1], "|", pr[2])
      add(nm, key, paste0("emmeans_p_", adj), ct$p.value[r])
      if (adj == "sidak") {
        add(nm, key, "estimate", ct$estimate[r]); add(nm, key, "se", ct$SE[r]); add(nm, key, "t", ct$t.ratio[r])
      }
    }
  }
  # Tukey HSD (rows "b-a": b minus a)
  tk <- TukeyHSD(fit)[[1]]
  for (r in rownames(tk)) {
    pr <- strsplit(r, "-")[[1]]; key <- paste0(pr[1], "|", pr[2])
    add(nm, key, "tukey_diff", tk[r, "diff"]); add(nm, key, "tukey_p", tk[r, "p adj"])
    add(nm, key, "tukey_lwr", tk[r, "lwr"]); add(nm, key, "tukey_upr", tk[r, "upr"])
  }
  # Dunnett against the first level (tight GenzBretz tolerance)
  set.seed(2)
  gl <- glht(fit, linfct = mcp(g = "Dunnett"))
  sm <- summary(gl, test = adjusted("single-step", algorithm = GenzBretz(maxpts = 5e6, abseps = 1e-6)))
  for (r in names(sm$test$coefficients)) {
    pr <- strsplit(r, " - ")[[1]]; key <- paste0(pr[1], "|", pr[2])
    add(nm, key, "dunnett_t", sm$test$tstat[r]); add(nm, key, "dunnett_p", sm$test$pvalues[which(names(sm$test$coefficients) == r)])
  }
  # Games-Howell and Dunn (rstatix); group1 is the first level, estimate = group2 - group1
  dd <- data.frame(y = y, g = g)
  gh <- games_howell_test(dd, y ~ g)
  for (r in seq_len(nrow(gh))) {
    key <- paste0(gh$group2[r], "|", gh$group1[r])
    add(nm, key, "gh_estimate", gh$estimate[r]); add(nm, key, "gh_p", gh$p.adj[r])
    add(nm, key, "gh_ci_low", gh$conf.low[r]); add(nm, key, "gh_ci_high", gh$conf.high[r])
  }
  # rstatix rounds the Games-Howell P to 3 digits; the unrounded P with R's ptukey:
  k <- nlevels(g)
  for (i in seq_along(levels(g))) for (j in seq_along(levels(g))) if (j > i) {
    a <- y[g == levels(g)[i]]; b <- y[g == levels(g)[j]]
    va <- var(a) / length(a); vb <- var(b) / length(b)
    tt <- (mean(b) - mean(a)) / sqrt(va + vb)
    dfw <- (va + vb)^2 / (va^2 / (length(a) - 1) + vb^2 / (length(b) - 1))
    add(nm, paste0(levels(g)[j], "|", levels(g)[i]), "gh_p_exact",
        ptukey(abs(tt) * sqrt(2), k, dfw, lower.tail = FALSE))
  }
  for (adj in c("bonferroni", "holm")) {
    dn <- dunn_test(dd, y ~ g, p.adjust.method = adj)
    for (r in seq_len(nrow(dn))) {
      key <- paste0(dn$group2[r], "|", dn$group1[r])
      add(nm, key, "dunn_z", dn$statistic[r]); add(nm, key, "dunn_p", dn$p[r])
      add(nm, key, paste0("dunn_p_", adj), dn$p.adj[r])
    }
  }
  # two-sample tests and effect sizes for every pair (b vs a, b later level)
  lv <- levels(g)
  for (i in seq_along(lv)) for (j in seq_along(lv)) if (j > i) {
    a <- y[g == lv[i]]; b <- y[g == lv[j]]; key <- paste0(lv[j], "|", lv[i])
    st <- t.test(b, a, var.equal = TRUE); we <- t.test(b, a)
    add(nm, key, "student_t", st$statistic); add(nm, key, "student_p", st$p.value)
    add(nm, key, "welch_t", we$statistic); add(nm, key, "welch_df", we$parameter); add(nm, key, "welch_p", we$p.value)
    add(nm, key, "welch_ci_low", we$conf.int[1]); add(nm, key, "welch_ci_high", we$conf.int[2])
    mw <- suppressWarnings(wilcox.test(b, a))
    add(nm, key, "mw_W", mw$statistic); add(nm, key, "mw_p", mw$p.value)
    # Cohen's d (pooled SD) and Hedges' g with the exact correction J (effectsize's formulas)
    df <- length(a) + length(b) - 2
    sp <- sqrt(((length(a) - 1) * var(a) + (length(b) - 1) * var(b)) / df)
    d <- (mean(b) - mean(a)) / sp
    J <- exp(lgamma(df / 2) - log(sqrt(df / 2)) - lgamma((df - 1) / 2))
    add(nm, key, "cohens_d", d); add(nm, key, "hedges_g", d * J)
  }
}

# ---- paired designs ---------------------------------------------------------------------
pt <- t.test(sl$extra[sl$group == 2], sl$extra[sl$group == 1], paired = TRUE)
add("sleep", "2|1", "paired_t", pt$statistic); add("sleep", "2|1", "paired_df", pt$parameter)
add("sleep", "2|1", "paired_p", pt$p.value)
add("sleep", "2|1", "paired_ci_low", pt$conf.int[1]); add("sleep", "2|1", "paired_ci_high", pt$conf.int[2])
wx <- suppressWarnings(wilcox.test(sl$extra[sl$group == 2], sl$extra[sl$group == 1], paired = TRUE))
add("sleep", "2|1", "wilcoxon_V", wx$statistic); add("sleep", "2|1", "wilcoxon_p", wx$p.value)
ra <- summary(aov(extra ~ group + Error(ID / group), data = sl))
add("sleep", "rm", "F", ra[["Error: ID:group"]][[1]][1, "F value"])
add("sleep", "rm", "p", ra[["Error: ID:group"]][[1]][1, "Pr(>F)"])

chw$time <- factor(chw$time, levels = c("d0", "d10", "d21")); chw$chick <- factor(chw$chick)
chw <- chw[order(chw$time, chw$chick), ]
ra <- summary(aov(weight ~ time + Error(chick / time), data = chw))
tab <- ra[["Error: chick:time"]][[1]]
add("chickweight_rm", "rm", "F", tab[1, "F value"]); add("chickweight_rm", "rm", "df1", tab[1, "Df"])
add("chickweight_rm", "rm", "df2", tab[2, "Df"]); add("chickweight_rm", "rm", "p", tab[1, "Pr(>F)"])
# Greenhouse-Geisser sphericity correction (car::Anova on the multivariate linear model)
wide <- reshape(chw, idvar = "chick", timevar = "time", direction = "wide")
mlm <- lm(cbind(weight.d0, weight.d10, weight.d21) ~ 1, data = wide)
idata <- data.frame(time = factor(c("d0", "d10", "d21")))
gg <- summary(Anova(mlm, idata = idata, idesign = ~time), multivariate = FALSE)$pval.adjustments
add("chickweight_rm", "rm", "gg_eps", gg["time", "GG eps"])
add("chickweight_rm", "rm", "p_gg", gg["time", "Pr(>F[GG])"])
pw <- pairwise.t.test(chw$weight, chw$time, paired = TRUE, p.adjust.method = "bonferroni")$p.value
for (i in rownames(pw)) for (j in colnames(pw)) if (!is.na(pw[i, j]))
  add("chickweight_rm", paste0(i, "|", j), "paired_bonferroni", pw[i, j])
for (pr in list(c("d10", "d0"), c("d21", "d10"))) {
  b <- chw$weight[chw$time == pr[1]]; a <- chw$weight[chw$time == pr[2]]
  wx <- suppressWarnings(wilcox.test(b, a, paired = TRUE))
  add("chickweight_rm", paste0(pr[1], "|", pr[2]), "wilcoxon_V", wx$statistic)
  add("chickweight_rm", paste0(pr[1], "|", pr[2]), "wilcoxon_p", wx$p.value)
}

# exact signed-rank and paired t on the paper-like design, paired by donor (row order)
for (pr in list(c("il1b", "ctrl"), c("exo", "il1b"))) {
  b <- paper$value[paper$group == pr[1]]; a <- paper$value[paper$group == pr[2]]
  key <- paste0(pr[1], "|", pr[2])
  wx <- wilcox.test(b, a, paired = TRUE)
  add("paper", key, "wilcoxon_exact_V", wx$statistic); add("paper", key, "wilcoxon_exact_p", wx$p.value)
  pt <- t.test(b, a, paired = TRUE)
  add("paper", key, "paired_t", pt$statistic); add("paper", key, "paired_p", pt$p.value)
}

# ---- two-way ANOVA ----------------------------------------------------------------------
two_way <- list(toothgrowth = list(tg, "len", "supp", "dose"),
                warpbreaks = list(wb, "breaks", "wool", "tension"),
                mtcars = list(mt, "mpg", "cyl", "am"))
for (nm in names(two_way)) {
  d <- two_way[[nm]][[1]]
  y <- d[[two_way[[nm]][[2]]]]; A <- factor(d[[two_way[[nm]][[3]]]]); B <- factor(d[[two_way[[nm]][[4]]]])
  fit <- aov(y ~ A * B)
  s <- summary(fit)[[1]]
  src <- c("A", "B", "A:B", "Residuals")
  for (r in seq_len(nrow(s))) {
    add(nm, src[r], "I_ss", s[r, "Sum Sq"]); add(nm, src[r], "I_df", s[r, "Df"])
    if (r < 4) { add(nm, src[r], "I_F", s[r, "F value"]); add(nm, src[r], "I_p", s[r, "Pr(>F)"]) }
  }
  for (type in c(2, 3)) {
    op <- options(contrasts = c("contr.sum", "contr.poly"))
    at <- Anova(lm(y ~ A * B), type = type)
    options(op)
    rn <- rownames(at); rn <- rn[rn != "(Intercept)"]
    for (r in rn) {
      key <- ifelse(r == "A:B", "A:B", r)
      roman <- c("II", "III")[type - 1]
      add(nm, key, paste0(roman, "_ss"), at[r, "Sum Sq"])
      if (r != "Residuals") { add(nm, key, paste0(roman, "_F"), at[r, "F value"]); add(nm, key, paste0(roman, "_p"), at[r, "Pr(>F)"]) }
    }
  }
}

# ---- two-way with repeated measures -------------------------------------------------------
# split plot: Diet between chicks, Time (days 0, 10, 21) within (ChickWeight, complete chicks)
sp <- subset(ChickWeight, Time %in% c(0, 10, 21))
keep <- names(which(table(sp$Chick) == 3))
sp <- droplevels(subset(sp, Chick %in% keep))
sp <- data.frame(weight = sp$weight, diet = paste0("diet", sp$Diet), time = paste0("d", sp$Time),
                 chick = paste0("c", as.character(sp$Chick)))
save_input("chickweight_split", sp)
s <- summary(aov(weight ~ diet * time + Error(chick / time), data = sp))
b <- s[["Error: chick"]][[1]]; w <- s[["Error: chick:time"]][[1]]
add("chickweight_split", "diet", "F", b[1, "F value"]); add("chickweight_split", "diet", "p", b[1, "Pr(>F)"])
add("chickweight_split", "diet", "ss", b[1, "Sum Sq"]); add("chickweight_split", "chick(diet)", "ss", b[2, "Sum Sq"])
for (r in 1:2) {
  key <- c("time", "diet:time")[r]
  add("chickweight_split", key, "F", w[r, "F value"]); add("chickweight_split", key, "p", w[r, "Pr(>F)"])
  add("chickweight_split", key, "ss", w[r, "Sum Sq"]); add("chickweight_split", key, "df", w[r, "Df"])
}
wide <- reshape(sp, idvar = c("chick", "diet"), timevar = "time", direction = "wide")
mlm <- lm(cbind(weight.d0, weight.d10, weight.d21) ~ diet, data = wide)
gg <- summary(Anova(mlm, idata = data.frame(time = factor(c("d0", "d10", "d21"))), idesign = ~time),
              multivariate = FALSE)$pval.adjustments
for (key in c("time", "diet:time")) {
  add("chickweight_split", key, "gg_eps", gg[key, "GG eps"]); add("chickweight_split", key, "p_gg", gg[key, "Pr(>F[GG])"])
}
add("chickweight_split", "error_within", "ss", w[3, "Sum Sq"]); add("chickweight_split", "error_within", "df", w[3, "Df"])
# both factors within donors: a CCK-8-like time course, 5 groups x 4 times x 3 donors (seeded)
set.seed(3)
tc <- expand.grid(donor = paste0("D", 1:3), time = paste0("h", c(0, 24, 48, 72)),
                  group = c("ctrl", "il1b", "usc", "usc_gw", "exo"), stringsAsFactors = FALSE)
eff <- c(ctrl = 1, il1b = 0.5, usc = 0.75, usc_gw = 0.55, exo = 0.85)
hrs <- as.numeric(sub("h", "", tc$time))
tc$od <- round(0.3 + hrs / 72 * eff[tc$group] + rnorm(3)[as.integer(factor(tc$donor))] * 0.05 +
               rnorm(nrow(tc), sd = 0.04), 4)
save_input("timecourse_within", tc)
s <- summary(aov(od ~ group * time + Error(donor / (group * time)), data = tc))
for (st in list(c("Error: donor:group", "group"), c("Error: donor:time", "time"),
                c("Error: donor:group:time", "group:time"))) {
  tab <- s[[st[1]]][[1]]
  add("timecourse_within", st[2], "F", tab[1, "F value"]); add("timecourse_within", st[2], "p", tab[1, "Pr(>F)"])
  add("timecourse_within", st[2], "ss", tab[1, "Sum Sq"]); add("timecourse_within", st[2], "df2", tab[2, "Df"])
}
# per-time-point one-way ANOVA + SPSS Bonferroni (pooled SD) within each time point
for (h in unique(tc$time)) {
  sub <- tc[tc$time == h, ]; sub$group <- factor(sub$group, levels = names(eff))
  pw <- pairwise.t.test(sub$od, sub$group, pool.sd = TRUE, p.adjust.method = "bonferroni")$p.value
  for (i in rownames(pw)) for (j in colnames(pw)) if (!is.na(pw[i, j]))
    add("timecourse_within", paste0(h, ":", i, "|", j), "pooled_bonferroni", pw[i, j])
}

# the same comparisons on the pooled error of the two-way model (Prism / emmeans style)
tc$group <- factor(tc$group, levels = names(eff))
fit <- aov(od ~ group * time, data = tc)
em <- emmeans(fit, ~ group | time)
ct <- as.data.frame(contrast(em, method = "revpairwise", adjust = "bonferroni"))
for (r in seq_len(nrow(ct))) {
  pr <- strsplit(as.character(ct$contrast[r]), " - ")[[1]]
  key <- paste0(ct$time[r], ":", pr[1], "|", pr[2])
  add("timecourse_within", key, "pooled2w_t", ct$t.ratio[r]); add("timecourse_within", key, "pooled2w_p_bonferroni", ct$p.value[r])
}
jt <- as.data.frame(joint_tests(fit, by = "time"))
for (r in seq_len(nrow(jt))) if (jt$`model term`[r] == "group") {
  add("timecourse_within", as.character(jt$time[r]), "simple_F", jt$F.ratio[r])
  add("timecourse_within", as.character(jt$time[r]), "simple_p", jt$p.value[r])
}

res <- do.call(rbind, out)
res$value <- formatC(res$value, digits = 17, format = "g")
write.table(res, "reference.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
writeLines(c(R.version.string,
             paste("car", packageVersion("car")), paste("emmeans", packageVersion("emmeans")),
             paste("multcomp", packageVersion("multcomp")), paste("mvtnorm", packageVersion("mvtnorm")),
             paste("rstatix", packageVersion("rstatix"))), "versions.txt")
