"""Methods of the flow cytometry analyses, described for the report."""

from __future__ import annotations

from exodisc.registry import MethodMeta, register_method

register_method(
    MethodMeta(
        key="flow.prepare",
        name="FCS reading, compensation and scatter gates",
        template=(
            "FCS files were read with FlowIO/FlowKit and compensated with {compensation}. {gates}"
        ),
        citation=(
            "White S. et al. (2021) FlowKit: a Python toolkit for integrated manual and automated "
            "cytometry analysis workflows. Front Immunol 12:768541. Bagwell & Adams (1993) "
            "Ann N Y Acad Sci 677:167."
        ),
        r_equivalent="flowCore::read.FCS(); flowCore::compensate(ff, spillover(ff)$SPILL)",
        software=("flowkit", "flowio"),
    )
)

register_method(
    MethodMeta(
        key="flow.apoptosis_quadrants",
        name="Annexin V / PI quadrant analysis",
        template=(
            "Apoptosis was quantified on {annexin} (annexin V) versus {pi} (PI) with quadrant "
            "dividers at {threshold_source} (annexin V {annexin_threshold:.4g}, PI "
            "{pi_threshold:.4g}, compensated units; events above a divider are positive): "
            "viable AnnV−PI−, early apoptotic AnnV+PI−, late apoptotic AnnV+PI+, necrotic "
            "AnnV−PI+; apoptotic = early + late."
        ),
        citation="Vermes I. et al. (1995) J Immunol Methods 184:39–51.",
        r_equivalent="flowCore::quadGate(); quantile(x, 0.995, type = 7)",
        software=("flowkit",),
    )
)

register_method(
    MethodMeta(
        key="flow.markers",
        name="Surface-marker positivity against isotype controls",
        template=(
            "For each surface marker, the percentage of positive cells was determined against "
            "the isotype control {control} ({method}); the median fluorescence intensity (MFI) "
            "and its ratio to the isotype MFI are reported."
        ),
        citation=(
            "Overton W.R. (1988) Cytometry 9:619–626 (histogram subtraction); Maecker H.T. & "
            "Trotter J. (2006) Cytometry A 69:1037–1042 (controls)."
        ),
        r_equivalent="median(exprs(ff)[, ch]); mean(x > quantile(iso, 0.995, type = 7))",
        software=("flowkit",),
    )
)

register_method(
    MethodMeta(
        key="flow.isct",
        name="ISCT minimal criteria for MSCs",
        template=(
            "Stem-cell identity was checked against the ISCT minimal criteria (>= {positive_min:g}"
            " % positive for CD105, CD73 and CD90; <= {negative_max:g} % positive for CD45, "
            "CD34, CD14 or CD11b, CD79α or CD19 and HLA-DR; plastic adherence; osteogenic, "
            "adipogenic and chondrogenic differentiation)."
        ),
        citation="Dominici M. et al. (2006) Cytotherapy 8:315–317.",
        r_equivalent="(no package; the table filled by hand from FlowJo statistics)",
    )
)
