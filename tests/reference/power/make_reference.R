# Reference power / sample-size values for exodisc.power (tests/power/test_power_parity.py).
# Run from the repository root:  Rscript tests/reference/power/make_reference.R
# Writes tests/reference/power/r_power.tsv. R 4.2.2 (stats::power.t.test, power.anova.test),
# pwr 1.3.0 (Debian r-cran-pwr). tol = 1e-12 so that solved n are exact to ~1e-10
# (the default tol = eps^0.25 leaves n accurate only to ~1e-4).
suppressPackageStartupMessages(library(pwr))
tol <- 1e-12
# pwr's own n solver has no tol argument (uniroot's default eps^0.25): solve pwr's power
# function with tol = 1e-12 instead
solve_n <- function(fn, target, lo) uniroot(function(x) fn(x) - target, c(lo, 1e7),
                                            tol = tol)$root
rows <- list()
add <- function(...) rows[[length(rows) + 1]] <<- data.frame(..., stringsAsFactors = FALSE)

# power.t.test, strict = TRUE (both tails), two-sample and paired: power at n, n at power
for (type in c("two.sample", "paired", "one.sample")) {
  for (cfg in list(c(3, 1.5, 1.0, 0.05), c(5, 2.0, 1.3, 0.05), c(10, 0.8, 1.0, 0.01),
                   c(20, 1.0, 1.0, 0.05), c(4, 3.1, 1.7, 0.005), c(64, 0.5, 1.0, 0.05))) {
    n <- cfg[1]; delta <- cfg[2]; sd <- cfg[3]; a <- cfg[4]
    p <- power.t.test(n = n, delta = delta, sd = sd, sig.level = a, type = type,
                      strict = TRUE)$power
    add(source = "power.t.test", quantity = "power", kind = type, k = NA, n = n,
        delta = delta, sd = sd, f = NA, between_var = NA, within_var = NA, alpha = a,
        target = NA, value = p)
    for (pw in c(0.8, 0.9)) {
      nn <- power.t.test(delta = delta, sd = sd, sig.level = a, power = pw, type = type,
                         strict = TRUE, tol = tol)$n
      add(source = "power.t.test", quantity = "n", kind = type, k = NA, n = NA,
          delta = delta, sd = sd, f = NA, between_var = NA, within_var = NA, alpha = a,
          target = pw, value = nn)
    }
  }
}

# pwr.t.test (two-sample and paired; d = delta / sd)
for (type in c("two.sample", "paired")) {
  for (cfg in list(c(3, 1.5, 0.05), c(8, 1.2, 0.05), c(12, 0.5, 0.0125), c(30, 0.3, 0.05))) {
    add(source = "pwr.t.test", quantity = "power", kind = type, k = NA, n = cfg[1],
        delta = cfg[2], sd = 1, f = NA, between_var = NA, within_var = NA, alpha = cfg[3],
        target = NA, value = pwr.t.test(n = cfg[1], d = cfg[2], sig.level = cfg[3],
                                        type = type)$power)
  }
  for (cfg in list(c(1.5, 0.05, 0.8), c(0.5, 0.05, 0.8), c(0.8, 0.005, 0.9), c(2.0, 0.05, 0.9))) {
    add(source = "pwr.t.test", quantity = "n", kind = type, k = NA, n = NA,
        delta = cfg[1], sd = 1, f = NA, between_var = NA, within_var = NA, alpha = cfg[2],
        target = cfg[3], value = solve_n(function(x) pwr.t.test(n = x, d = cfg[1],
                                         sig.level = cfg[2], type = type)$power, cfg[3], 2))
  }
}

# power.anova.test and pwr.anova.test
for (cfg in list(c(3, 3, 1.0, 1.0), c(5, 3, 2.0, 4.0), c(4, 10, 0.3, 1.2), c(10, 6, 0.05, 1))) {
  k <- cfg[1]; n <- cfg[2]; bv <- cfg[3]; wv <- cfg[4]
  add(source = "power.anova.test", quantity = "power", kind = "anova", k = k, n = n,
      delta = NA, sd = NA, f = NA, between_var = bv, within_var = wv, alpha = 0.05,
      target = NA, value = power.anova.test(groups = k, n = n, between.var = bv,
                                            within.var = wv)$power)
  for (pw in c(0.8, 0.9)) {
    add(source = "power.anova.test", quantity = "n", kind = "anova", k = k, n = NA,
        delta = NA, sd = NA, f = NA, between_var = bv, within_var = wv, alpha = 0.05,
        target = pw, value = solve_n(function(x) power.anova.test(groups = k, n = x,
                                   between.var = bv, within.var = wv)$power, pw, 2))
  }
}
for (cfg in list(c(3, 5, 0.4), c(5, 3, 0.8), c(4, 20, 0.25), c(2, 10, 0.6))) {
  add(source = "pwr.anova.test", quantity = "power", kind = "anova", k = cfg[1], n = cfg[2],
      delta = NA, sd = NA, f = cfg[3], between_var = NA, within_var = NA, alpha = 0.05,
      target = NA, value = pwr.anova.test(k = cfg[1], n = cfg[2], f = cfg[3])$power)
  add(source = "pwr.anova.test", quantity = "n", kind = "anova", k = cfg[1], n = NA,
      delta = NA, sd = NA, f = cfg[3], between_var = NA, within_var = NA, alpha = 0.05,
      target = 0.8, value = solve_n(function(x) pwr.anova.test(k = cfg[1], n = x,
                                   f = cfg[3])$power, 0.8, 2))
}

# Pairwise t on the pooled ANOVA MSE (SPSS Bonferroni post hoc): noncentral t, df = k(n - 1),
# at the Bonferroni level alpha / m (written out, as R has no wrapper for it)
pw_anova <- function(n, delta, sd, k, a) {
  df <- k * (n - 1); ncp <- delta / (sd * sqrt(2 / n)); q <- qt(1 - a / 2, df)
  pt(q, df, ncp, lower.tail = FALSE) + pt(-q, df, ncp)
}
for (cfg in list(c(3, 2.0, 1.0, 5, 10), c(6, 1.0, 1.0, 4, 6), c(4, 15, 8, 3, 3),
                 c(10, 0.7, 1.0, 5, 4))) {
  n <- cfg[1]; delta <- cfg[2]; sd <- cfg[3]; k <- cfg[4]; m <- cfg[5]
  add(source = "pt(ncp) anova pairwise", quantity = "power", kind = "anova_pairwise", k = k,
      n = n, delta = delta, sd = sd, f = NA, between_var = NA, within_var = m,
      alpha = 0.05 / m, target = NA, value = pw_anova(n, delta, sd, k, 0.05 / m))
  nn <- uniroot(function(x) pw_anova(x, delta, sd, k, 0.05 / m) - 0.8, c(2, 1e7),
                tol = tol)$root
  add(source = "pt(ncp) anova pairwise", quantity = "n", kind = "anova_pairwise", k = k,
      n = NA, delta = delta, sd = sd, f = NA, between_var = NA, within_var = m,
      alpha = 0.05 / m, target = 0.8, value = nn)
}

# The examples of pwr's own help pages (?pwr.t.test, ?pwr.anova.test: inputs of Cohen 1988's
# exercises; the two-sided ones, as exodisc plans two-sided tests), values computed here
add(source = "pwr help: Cohen 1988 ex 2.5", quantity = "power", kind = "one.sample", k = NA,
    n = 60, delta = 0.2, sd = 1, f = NA, between_var = NA, within_var = NA, alpha = 0.10,
    target = NA, value = pwr.t.test(d = 0.2, n = 60, sig.level = 0.10, type = "one.sample",
                                    alternative = "two.sided")$power)
d_paired <- 8 / (16 * sqrt(2 * (1 - 0.6)))
add(source = "pwr help: Cohen 1988 p 50", quantity = "power", kind = "paired", k = NA, n = 40,
    delta = d_paired, sd = 1, f = NA, between_var = NA, within_var = NA, alpha = 0.05,
    target = NA, value = pwr.t.test(d = d_paired, n = 40, sig.level = 0.05, type = "paired",
                                    alternative = "two.sided")$power)
add(source = "pwr help: Cohen 1988 ex 2.1", quantity = "power", kind = "two.sample", k = NA,
    n = 30, delta = 2 / 2.8, sd = 1, f = NA, between_var = NA, within_var = NA, alpha = 0.05,
    target = NA, value = pwr.t.test(d = 2 / 2.8, n = 30, sig.level = 0.05,
                                    type = "two.sample", alternative = "two.sided")$power)
add(source = "pwr help: Cohen 1988 ex 8.1", quantity = "power", kind = "anova", k = 4, n = 20,
    delta = NA, sd = NA, f = 0.28, between_var = NA, within_var = NA, alpha = 0.05,
    target = NA, value = pwr.anova.test(f = 0.28, k = 4, n = 20, sig.level = 0.05)$power)
add(source = "pwr help: Cohen 1988 ex 8.10", quantity = "n", kind = "anova", k = 4, n = NA,
    delta = NA, sd = NA, f = 0.28, between_var = NA, within_var = NA, alpha = 0.05,
    target = 0.8, value = solve_n(function(x) pwr.anova.test(f = 0.28, k = 4, n = x,
                                  sig.level = 0.05)$power, 0.8, 2))

out <- do.call(rbind, rows)
write.table(out, "tests/reference/power/r_power.tsv", sep = "\t", quote = FALSE,
            row.names = FALSE, na = "")
cat("wrote", nrow(out), "rows\n")
