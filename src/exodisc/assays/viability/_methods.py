"""Methods the CCK-8 section of the report describes."""

from exodisc.registry import MethodMeta, register_method

register_method(
    MethodMeta(
        key="cck8.viability",
        name="CCK-8 viability relative to control",
        template=(
            "CCK-8 absorbance was read at {wavelength} nm{reference}; the mean of each plate's "
            "blank wells (medium with CCK-8, no cells) was subtracted, technical wells were "
            "averaged per biological replicate, and viability was expressed as a percentage of "
            "the mean blank-corrected absorbance of the {control} group at the same time point."
        ),
        citation="Dojindo Cell Counting Kit-8 technical manual; Ishiyama et al. 1997, Talanta.",
        r_equivalent="100 * (od - mean(od[blank])) / mean(od[control] - mean(od[blank]))",
        software=("exodisc",),
    )
)
register_method(
    MethodMeta(
        key="cck8.auc",
        name="Area under the viability time course",
        template=(
            "The area under each replicate's blank-corrected absorbance curve over "
            "{t_min:g}–{t_max:g} h was computed by the trapezoidal rule."
        ),
        citation="Prism 'Area under curve' analysis (baseline 0).",
        r_equivalent="pracma::trapz(time_h, od_corrected)",
        software=("numpy",),
    )
)
register_method(
    MethodMeta(
        key="qc.robust_z",
        name="Modified z-score outlier flag",
        template=(
            "Technical wells whose robust z-score (relative deviation from their replicate's "
            "median, scaled by the assay's pooled, 20 %-trimmed noise SD with consistency "
            "constants for the number of technical wells, calibrated by simulation to the "
            "normal tail) exceeded {threshold:g} "
            "were flagged as outliers{action}; wells with absorbance above {linear_max:g} were "
            "flagged as beyond the linear range."
        ),
        citation="Iglewicz & Hoaglin 1993, How to Detect and Handle Outliers (ASQC).",
        r_equivalent=(
            "m <- ave(x, replicate, FUN = median); d <- (x - m) / abs(m); "
            "u <- sort(abs(d[d != 0]) / scale[n]); s <- sqrt(mean(head(u, -floor(0.2 * "
            "length(u)))^2)); z <- f * d / (tail[n] * s)"
        ),
        software=("numpy",),
    )
)
register_method(
    MethodMeta(
        key="cck8.two_way_anova",
        name="Two-way ANOVA, group x time",
        template=(
            "Group and time effects on {value} were tested by two-way ANOVA (group x time, "
            "with interaction)."
        ),
        citation="Fisher 1925; R stats::aov.",
        r_equivalent="car::Anova(aov(viability_pct ~ group * time, data), type = 2)",
        software=("statsmodels",),
    )
)
register_method(
    MethodMeta(
        key="cck8.per_time",
        name="Group comparison at each time point",
        template=(
            "At each of the {n_times} time points, {value} was compared among groups by the "
            "{test}, followed by pairwise {pairwise} tests ({posthoc}) over the "
            "{n_comparisons} declared comparisons (alpha = {alpha:g})."
        ),
        citation="See the statistics paragraph of the test used.",
        r_equivalent="by(data, data$time_h, function(d) <the declared test>(value ~ group, d))",
        software=("scipy",),
    )
)
