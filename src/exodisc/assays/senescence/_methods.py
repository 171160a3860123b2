"""Methods the SA-β-gal section of the report describes."""

from exodisc.registry import MethodMeta, register_method

register_method(
    MethodMeta(
        key="sabgal.counts",
        name="SA-β-gal positive cells",
        template=(
            "SA-β-gal-positive (blue) and total cells were counted in {n_fields} fields per "
            "replicate; the percentage of positive cells per biological replicate was "
            "{aggregate}."
        ),
        citation="Dimri et al. 1995, PNAS 92:9363; Debacq-Chainiaux et al. 2009, Nat Protoc.",
        r_equivalent="with(aggregate(cbind(positive, total) ~ sample, d, sum), 100*positive/total)",
        software=("exodisc",),
    )
)
register_method(
    MethodMeta(
        key="sabgal.image",
        name="Automated SA-β-gal image counting",
        template=(
            "Cells were segmented in bright-field images by Otsu thresholding of the grey image "
            "(objects >= {min_area} px{split}), and a cell was called SA-β-gal positive when at "
            "least "
            "{min_blue_pct:g} % of its pixels had blue excess B − (R + G)/2 > "
            "{blue_threshold:g}; QC overlays of every field are in the report."
        ),
        citation="Otsu 1979, IEEE Trans SMC; van der Walt et al. 2014, PeerJ (scikit-image).",
        r_equivalent=(
            "ImageJ: Threshold (Otsu) + Analyze Particles; Color Threshold on the blue channel"
        ),
        software=("scikit-image",),
    )
)
