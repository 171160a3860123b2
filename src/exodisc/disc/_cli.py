"""``exodisc disc steady | capacity | inject``: the disc microenvironment model."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    import pandas as pd

    from exodisc.disc import DiscParams

__all__ = ["register"]


class _Grade(StrEnum):
    I = "I"  # noqa: E741
    II = "II"
    III = "III"
    IV = "IV"
    V = "V"


class _Geometry(StrEnum):
    axisymmetric = "axisymmetric"
    ellipse3d = "ellipse3d"


_GRADE = typer.Option(
    None,
    "--grade",
    help=(
        "Pfirrmann grade preset (default: healthy adult = II); every value and its source: "
        "exodisc.disc.preset_table()."
    ),
)
_HEIGHT = typer.Option(None, "--height", metavar="MM", help="Disc height between the endplates.")
_AREA = typer.Option(
    None, "--endplate-area", metavar="F", help="Open share of the endplate (exchange area, 0-1]."
)
_DIFF = typer.Option(
    None, "--endplate-diffusivity", metavar="F", help="Factor on the endplate diffusivities."
)
_DENS = typer.Option(
    None, "--np-density", metavar="CELLS_PER_MM3", help="Resident NP cell density."
)
_MESH = typer.Option(None, "--mesh-mm", help="Largest cell size (default 0.25 mm, 3D 0.5 mm).")
_OUT = typer.Option(..., "-o", "--out", help="Output TSV.")


def _params(
    grade: _Grade | None,
    height: float | None,
    area: float | None,
    diff: float | None,
    dens: float | None,
) -> DiscParams:
    from exodisc.disc import params_for

    return params_for(
        grade.value if grade is not None else None,
        height_mm=height,
        endplate_area=area,
        endplate_diffusivity=diff,
        density_np=dens,
    )


def _write(frame: pd.DataFrame, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out, sep="\t", index=False, lineterminator="\n")
    typer.echo(f"wrote {out}")


def register(app: typer.Typer) -> None:
    """Add the ``disc`` command group."""
    dapp = typer.Typer(
        name="disc",
        help=(
            "Disc microenvironment model: O2, glucose, lactate and cell viability in the "
            "avascular disc; how many cells can it support?"
        ),
        no_args_is_help=True,
    )

    @dapp.command("steady")
    def steady_cmd(
        out: Path = _OUT,
        grade: _Grade | None = _GRADE,
        height: float | None = _HEIGHT,
        endplate_area: float | None = _AREA,
        endplate_diffusivity: float | None = _DIFF,
        np_density: float | None = _DENS,
        mesh_mm: float | None = _MESH,
        geometry: _Geometry = typer.Option(_Geometry.axisymmetric, "--geometry"),
    ) -> None:
        """Steady state: minimum O2, glucose and pH, maximum lactate and where glucose is lowest."""
        from exodisc.disc import steady

        p = _params(grade, height, endplate_area, endplate_diffusivity, np_density)
        res = steady(p, geometry=geometry.value, h=mesh_mm)
        _write(res.table, out)

    @dapp.command("capacity")
    def capacity_cmd(
        out: Path = _OUT,
        grade: _Grade | None = _GRADE,
        height: float | None = _HEIGHT,
        endplate_area: float | None = _AREA,
        endplate_diffusivity: float | None = _DIFF,
        np_density: float | None = _DENS,
        mesh_mm: float | None = _MESH,
    ) -> None:
        """Supportable NP cell density (min glucose and min pH at or above their thresholds)."""
        from exodisc.disc import capacity

        p = _params(grade, height, endplate_area, endplate_diffusivity, np_density)
        _write(capacity(p, h=mesh_mm).table, out)

    @dapp.command("inject")
    def inject_cmd(
        out: Path = _OUT,
        cells: float | None = typer.Option(None, "--cells", metavar="N", help="Cells injected."),
        exosomes: bool = typer.Option(
            False, "--exosomes", help="Inject exosomes instead (no metabolic load)."
        ),
        days: int = typer.Option(90, "--days", min=1, max=3650, metavar="D"),
        bolus_mm: float | None = typer.Option(
            None, "--bolus-mm", help="Cells as a central bolus of this radius (default: uniform)."
        ),
        grade: _Grade | None = _GRADE,
        height: float | None = _HEIGHT,
        endplate_area: float | None = _AREA,
        endplate_diffusivity: float | None = _DIFF,
        np_density: float | None = _DENS,
        mesh_mm: float | None = _MESH,
    ) -> None:
        """Viable fraction of NP cells, min glucose and min pH per day after an injection."""
        from exodisc.disc import inject
        from exodisc.disc._params import DiscParameterError

        if (cells is None) == (not exosomes):
            msg = "give exactly one of --cells N or --exosomes"
            raise DiscParameterError(msg)
        p = _params(grade, height, endplate_area, endplate_diffusivity, np_density)
        res = inject(
            p,
            cells=cells or 0.0,
            exosomes=exosomes,
            days=days,
            bolus_radius_mm=bolus_mm,
            h=mesh_mm,
        )
        cols = [
            "day",
            "viable_fraction_np",
            "min_glucose_mm",
            "min_ph",
            "mesh_cells",
            "mesh_change_pct",
        ]
        _write(res.table[cols], out)

    app.add_typer(dapp)
