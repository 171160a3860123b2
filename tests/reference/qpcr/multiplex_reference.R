# Reference RQ / RQ min / RQ max for multiplex_plate.tsv (target and reference in the same
# wells), written from the definitions in base R. Run from this folder:
#   Rscript multiplex_reference.R
# Efficiencies from the plate's own standard curves: lm(ct ~ log10(quantity)), E = 10^(-1/slope).
# Pfaffl ratio on efficiency-weighted Cts (log2(E) * Ct); per-well paired dCt:
#   dCt_w = log2(E_t) Ct_t,w - log2(E_r) Ct_r,w;  SE = sd(dCt_w)/sqrt(n);  df = n - 1;
#   ddCt = mean(dCt) - mean(dCt of ctrl);  RQ = 2^-ddCt;  RQ min/max = 2^-(ddCt +/- t SE),
#   t = qt(0.975, n - 1)  (QuantStudio's default 95 % confidence, paired wells).
# The unpaired columns use SE = sqrt(SE_t^2 + SE_r^2) on n_t + n_r - 2 df (separate wells).
options(digits = 15)
w <- read.delim("multiplex_plate.tsv")
std <- w[w$task == "STANDARD", ]
eff <- sapply(c("SOX9", "GAPDH"), function(t) {
  f <- lm(ct ~ log10(quantity), data = std[std$target == t, ])
  10^(-1 / coef(f)[[2]])
})
unk <- w[w$task == "UNKNOWN", ]
unk$wct <- unk$ct * log2(eff[unk$target])
wide <- reshape(unk[, c("well", "sample", "target", "wct")], idvar = c("well", "sample"),
                timevar = "target", direction = "wide")
wide$dct <- wide$wct.SOX9 - wide$wct.GAPDH
out <- NULL
for (s in c("ctrl", "il1b")) {
  d <- wide$dct[wide$sample == s]
  n <- length(d)
  t_ <- wide$wct.SOX9[wide$sample == s]
  r_ <- wide$wct.GAPDH[wide$sample == s]
  se_u <- sqrt(var(t_) / n + var(r_) / n)
  out <- rbind(out, data.frame(sample = s, delta_ct = mean(d), se_paired = sd(d) / sqrt(n),
                               df_paired = n - 1, se_unpaired = se_u, df_unpaired = 2 * n - 2))
}
cal <- out$delta_ct[out$sample == "ctrl"]
out$delta_delta_ct <- out$delta_ct - cal
out$rq <- 2^-out$delta_delta_ct
tp <- qt(0.975, out$df_paired)
out$rq_min <- 2^-(out$delta_delta_ct + tp * out$se_paired)
out$rq_max <- 2^-(out$delta_delta_ct - tp * out$se_paired)
tu <- qt(0.975, out$df_unpaired)
out$rq_min_unpaired <- 2^-(out$delta_delta_ct + tu * out$se_unpaired)
out$rq_max_unpaired <- 2^-(out$delta_delta_ct - tu * out$se_unpaired)
out$efficiency_SOX9 <- eff[["SOX9"]]
out$efficiency_GAPDH <- eff[["GAPDH"]]
write.table(format(out, digits = 15), "multiplex_reference.tsv", sep = "\t", quote = FALSE,
            row.names = FALSE)
