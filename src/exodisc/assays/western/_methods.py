"""Methods the report describes for western blot densitometry."""

from __future__ import annotations

from exodisc.registry import MethodMeta, register_method

__all__: list[str] = []

register_method(
    MethodMeta(
        key="western.densitometry",
        name="Western blot densitometry",
        template=(
            "Band volumes were measured on the raw {bit_depth}-bit blot images ({n_blots} "
            "blot(s)): lanes were placed on a regular grid fitted to the column profile, "
            "bands were found in the mean lane profile and followed lane by lane, and the "
            "volume of each band was its integrated intensity above a {background} "
            "background. Pixels at the image maximum were counted as saturated."
        ),
        citation=(
            "Schneider CA, Rasband WS, Eliceiri KW. NIH Image to ImageJ: 25 years of image "
            "analysis. Nat Methods 2012;9:671-5; Sternberg SR. Biomedical image processing. "
            "Computer 1983;16:22-34 (rolling ball)."
        ),
        r_equivalent=(
            "ImageJ: Process > Subtract Background (rolling ball) or Analyze > Gels with a "
            "straight baseline, then RawIntDen of each band rectangle"
        ),
        software=("scikit-image", "scipy", "tifffile"),
    )
)

register_method(
    MethodMeta(
        key="western.normalization",
        name="Loading-control normalisation",
        template=(
            "Each target band was divided by the {loading_control} band of the same lane and "
            "expressed relative to the mean of the {control_label} group."
        ),
        r_equivalent="ratio = target / loading; relative = ratio / mean(ratio[group == control])",
    )
)

register_method(
    MethodMeta(
        key="western.markers",
        name="Extracellular-vesicle marker detection",
        template=(
            "A vesicle marker ({markers}) was called detected when its band peak exceeded "
            "{snr:g} times the lane's noise SD (median absolute deviation of the profile)."
        ),
        citation=(
            "Welsh JA et al. Minimal information for studies of extracellular vesicles "
            "(MISEV2023). J Extracell Vesicles 2024;13:e12404."
        ),
    )
)

register_method(
    MethodMeta(
        key="western.band_table",
        name="Band volumes measured elsewhere",
        template="Band volumes of {file} were measured in {software} (column '{column}').",
        r_equivalent="ImageJ RawIntDen / Image Lab Adj. Volume (Int), read as exported",
    )
)
