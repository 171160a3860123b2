"""Methods the report describes for EV and stem-cell characterisation."""

from __future__ import annotations

from exodisc.registry import MethodMeta, register_method

register_method(
    MethodMeta(
        key="vesicles.nta",
        name="Nanoparticle tracking analysis summary",
        template=(
            "Particle concentration and size were measured by nanoparticle tracking analysis "
            "({instruments}; {n_files} export(s)). Concentrations were multiplied by the "
            "dilution factor of each measured suspension; videos without particles were left "
            "out of the averages. Mean, mode, SD and D10 / D50 / D90 are the instrument "
            "software's own values; D-values were recomputed from the exported size "
            "distribution by linear interpolation within bins as a check (largest relative "
            "difference {max_diff_percent:.2f} %)."
        ),
        citation="Filipe V, Hawe A, Jiskoot W. Pharm Res 2010;27:796-810.",
        r_equivalent="none (NTA 3.x 'Experiment Summary' / ZetaView 'size distribution' export)",
        software=("exodisc",),
    )
)
register_method(
    MethodMeta(
        key="vesicles.misev2018",
        name="MISEV2018 minimal-information checklist",
        template=(
            "The EV characterisation was scored against the MISEV2018 minimal requirements "
            "(checklist version {version}): {mandatory_satisfied} of {mandatory_total} "
            "mandatory and {encouraged_satisfied} of {encouraged_total} encouraged items were "
            "satisfied."
        ),
        citation=(
            "Théry C et al. Minimal information for studies of extracellular vesicles 2018 "
            "(MISEV2018). J Extracell Vesicles 2018;7:1535750."
        ),
        r_equivalent="EV-TRACK / EV-METRIC (manual web form)",
        software=("exodisc",),
    )
)
register_method(
    MethodMeta(
        key="vesicles.identity",
        name="Stem-cell identity record",
        template=(
            "Stem-cell identity was recorded from trilineage staining ({stains}) and surface "
            "markers ({n_markers}); where percentages were available they were compared with "
            "the ISCT thresholds (≥ 95 % positive, ≤ 2 % negative)."
        ),
        citation="Dominici M et al. Cytotherapy 2006;8:315-317.",
        r_equivalent="none (declared outcomes)",
        software=("exodisc",),
    )
)
