# Reference values for tests/flow/test_reference.py, computed in base R (no flowCore).
# Run from this folder: Rscript reference.R
# Spillover is read from the FCS TEXT segment here (independently of exodisc's parser);
# events come from the *_raw.csv files written beside the FCS files by make_fixture.py.

read_spill <- function(fcs) {
  con <- file(fcs, "rb"); on.exit(close(con))
  header <- rawToChar(readBin(con, "raw", 58))
  start <- as.integer(trimws(substr(header, 11, 18)))
  end <- as.integer(trimws(substr(header, 19, 26)))
  seek(con, start)
  text <- rawToChar(readBin(con, "raw", end - start + 1))
  delim <- substr(text, 1, 1)
  parts <- strsplit(substr(text, 2, nchar(text)), delim, fixed = TRUE)[[1]]
  keys <- toupper(parts[seq(1, length(parts), 2)])
  vals <- parts[seq(2, length(parts), 2)]
  spill <- strsplit(vals[keys %in% c("SPILLOVER", "$SPILLOVER")][1], ",")[[1]]
  n <- as.integer(spill[1])
  m <- matrix(as.numeric(spill[(n + 2):length(spill)]), n, n, byrow = TRUE)
  dimnames(m) <- list(spill[2:(n + 1)], spill[2:(n + 1)])
  m
}

compensated <- function(name) {
  ev <- as.matrix(read.csv(paste0(name, "_raw.csv"), check.names = FALSE))
  s <- read_spill(paste0(name, ".fcs"))
  ev[, colnames(s)] <- ev[, colnames(s)] %*% solve(s)   # flowCore::compensate
  ev
}

quad <- function(ev, a, p) {
  A <- ev[, "FITC-A"] > a; P <- ev[, "PE-A"] > p; n <- nrow(ev)
  c(events = n, viable_pct = 100 * sum(!A & !P) / n, early_apoptotic_pct = 100 * sum(A & !P) / n,
    late_apoptotic_pct = 100 * sum(A & P) / n, necrotic_pct = 100 * sum(!A & P) / n,
    annexin_threshold = a, pi_threshold = p)
}

ctrl <- compensated("apoptosis_control")
smp <- compensated("apoptosis_sample")
a <- unname(quantile(ctrl[, "FITC-A"], 0.995, type = 7))
p <- unname(quantile(ctrl[, "PE-A"], 0.995, type = 7))
out <- rbind(control_percentile = quad(smp, a, p), given_thresholds = quad(smp, 1000, 800))
raw <- as.matrix(read.csv("apoptosis_sample_raw.csv", check.names = FALSE))
ctrl_raw <- as.matrix(read.csv("apoptosis_control_raw.csv", check.names = FALSE))
a0 <- unname(quantile(ctrl_raw[, "FITC-A"], 0.995, type = 7))
p0 <- unname(quantile(ctrl_raw[, "PE-A"], 0.995, type = 7))
out <- rbind(out, no_compensation = quad(raw, a0, p0))
write.csv(data.frame(case = rownames(out), out, check.names = FALSE), "apoptosis_reference.csv",
          row.names = FALSE)

overton <- function(x, c, bins = 256, cofactor = 150) {
  s <- asinh(x / cofactor); k <- asinh(c / cofactor)
  edges <- seq(min(s, k), max(s, k), length.out = bins + 1)
  hs <- hist(s, breaks = edges, right = FALSE, include.lowest = TRUE, plot = FALSE)$counts / length(s)
  hc <- hist(k, breaks = edges, right = FALSE, include.lowest = TRUE, plot = FALSE)$counts / length(k)
  centre <- (edges[-1] + edges[-length(edges)]) / 2
  100 * sum(pmax(hs - hc, 0)[centre > median(k)])
}

iso <- compensated("panel_isotype")
pan <- compensated("panel_sample")
rows <- lapply(c("FITC-A", "PE-A", "APC-A"), function(ch) {
  thr <- unname(quantile(iso[, ch], 0.995, type = 7))
  data.frame(channel = ch, pct_positive = 100 * mean(pan[, ch] > thr), threshold = thr,
             mfi = median(pan[, ch]), mfi_ratio = median(pan[, ch]) / median(iso[, ch]),
             overton_pct = overton(pan[, ch], iso[, ch]))
})
write.csv(do.call(rbind, rows), "markers_reference.csv", row.names = FALSE)
write.csv(data.frame(read_spill("panel_sample.fcs"), check.names = FALSE), "panel_spill_reference.csv")
