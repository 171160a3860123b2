# Reference P values for exodisc's over-representation analysis (tests/enrichment/test_ora_parity.py).
# Run: Rscript make_reference.R   (writes ora_cases.tsv and ora_adjust.tsv beside this script)
set.seed(20240607)
cases <- data.frame(
  k = c(3L, 2L, 0L, 1L, 5L, 10L, 40L, 1L, 7L, 12L, 3L, 150L, 2L, 25L),
  K = c(300L, 300L, 15L, 20L, 50L, 30L, 400L, 5L, 8L, 480L, 3L, 500L, 1000L, 200L),
  n = c(300L, 300L, 200L, 200L, 120L, 60L, 300L, 10L, 9L, 300L, 3L, 2000L, 40L, 1500L),
  N = c(40000L, 40000L, 14937L, 14937L, 14937L, 14937L, 14937L, 20000L, 20L, 14937L, 50L,
        18000L, 20000L, 9000L)
)
# random realistic cases (list of 50-500 genes, sets of 5-500, backgrounds of 5,000-20,000)
m <- 40
N <- sample(5000:20000, m, replace = TRUE)
K <- sample(5:500, m, replace = TRUE)
n <- sample(50:500, m, replace = TRUE)
k <- mapply(function(N, K, n) rhyper(1, K, N - K, n) + sample(0:6, 1), N, K, n)
k <- pmin(k, pmin(K, n))
cases <- rbind(cases, data.frame(k = as.integer(k), K = K, n = n, N = N))

cases$phyper_upper <- phyper(cases$k - 1, cases$K, cases$N - cases$K, cases$n, lower.tail = FALSE)
fisher_p <- function(a, b, c, d) {
  fisher.test(matrix(c(a, c, b, d), 2), alternative = "greater")$p.value
}
cases$fisher_greater <- mapply(function(k, K, n, N) fisher_p(k, n - k, K - k, N - K - n + k),
                               cases$k, cases$K, cases$n, cases$N)
# DAVID EASE score: Fisher exact with one list hit removed (a - 1), 1 when k = 0
cases$ease <- mapply(function(k, K, n, N) if (k == 0) 1 else fisher_p(k - 1, n - k, K - k, N - K - n + k),
                     cases$k, cases$K, cases$n, cases$N)
write.table(format(cases, digits = 17), "ora_cases.tsv", sep = "\t", quote = FALSE, row.names = FALSE)

p <- c(cases$phyper_upper, runif(30), 0.05, 0.05, 1, 0)
adj <- data.frame(p = p, bh = p.adjust(p, "BH"), bonferroni = p.adjust(p, "bonferroni"))
write.table(format(adj, digits = 17), "ora_adjust.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
writeLines(c(R.version.string), "R_VERSION.txt")
