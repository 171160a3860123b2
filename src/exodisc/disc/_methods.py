"""Methods the report describes for the disc microenvironment model."""

from __future__ import annotations

from exodisc.registry import MethodMeta, register_method

register_method(
    MethodMeta(
        key="disc.reaction_diffusion",
        name="Disc microenvironment model (reaction-diffusion of O2, glucose and lactate)",
        template=(
            "Nutrient transport in the avascular disc was simulated with exodisc's disc model: "
            "steady and transient reaction-diffusion of oxygen, glucose and lactate in an "
            "axisymmetric disc (nucleus pulposus radius {np_radius} mm, disc radius {radius} mm, "
            "cartilage endplates {cep_thickness} mm thick over r < {cep_radius} mm) with "
            "boundary values at the endplate and outer annulus surfaces ({boundary}). Tissue "
            "diffusivities followed the water content by the Mackie-Meares relation; oxygen "
            "consumption and lactate production per cell followed Bibby et al. (2005), glucose "
            "consumption half the lactate production, and pH = {ph_intercept} - lactate / "
            "{ph_slope} mM. Cells died when glucose fell below {g_th} mM (rate "
            "{alpha0}/day x 2(G_th - G)/(G + {k} mM), Zhu et al. 2012 form) or pH below "
            "{ph_th} ({ph_rate}/day); parameters follow the open abaqusIVD model "
            "(Muñoz-Moya et al. 2024). Endplate calcification was represented as a reduced "
            "exchange area (closing from the rim) and as reduced diffusivity. Pfirrmann-grade "
            "presets set disc height, water contents (hence diffusivities, including the "
            "endplate's) and cell densities, each value cited or marked as an assumption in "
            "the presets table ({presets}). Equations were "
            "discretised by cell-centred finite volumes ({mesh_cells} cells, largest cell "
            "{mesh_mm} mm; headline values changed by at most {mesh_change:.2g} % from the mesh "
            "of twice the cell size) and solved by Newton's method to a relative flux residual "
            "below 1e-9. Injected cells were added uniformly to the nucleus and followed for "
            "{days} days (backward Euler transport, exact exponential viability update, adaptive "
            "steps of 15 min to 1 day); exosomes were modelled as adding no metabolic load. The "
            "supportable cell density is the largest nucleus density keeping the minimum "
            "glucose and pH at or above the thresholds (Brent's method). All results are model "
            "predictions, not measurements."
        ),
        citation=(
            "Bibby SRS et al. Spine 2005;30:487-496. Soukane DM, Shirazi-Adl A, Urban JPG. "
            "J Biomech 2007;40:2645-2654. Shirazi-Adl A, Taheri M, Urban JPG. J Biomech "
            "2010;43:1330-1336. Zhu Q, Jackson AR, Gu WY. J Biomech 2012;45:2769-2777. "
            "Muñoz-Moya E et al. Front Bioeng Biotechnol 2024;12:1384599 (abaqusIVD)."
        ),
        r_equivalent="no R package; the abaqusIVD model runs in Abaqus/Standard",
        software=("exodisc", "scipy", "numpy"),
    )
)
