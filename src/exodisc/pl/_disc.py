"""Figures of the disc microenvironment model (exodisc.disc): maps, endplate curves,
viability over time, supportable cells."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from exodisc.disc import Fields

__all__ = ["disc_dose", "disc_endplate_curves", "disc_map_data", "disc_maps", "disc_viability"]

_FIELDS = (
    ("glucose", "Glucose (mM)", "viridis"),
    ("po2", "pO$_2$ (kPa)", "cividis"),
    ("ph", "pH", "magma"),
)


def disc_map_data(fields: Fields, label: str) -> pd.DataFrame:
    """Cell-centre values of an axisymmetric solution (what :func:`disc_maps` draws)."""
    from exodisc.disc import GLC, O2

    m = fields.mesh
    region = np.array(["NP", "AF", "CEP"])[m.region]
    return pd.DataFrame(
        {
            "disc": label,
            "r_mm": m.centers[:, 0],
            "z_mm": m.centers[:, 1],
            "region": region,
            "glucose_mm": fields.conc[GLC],
            "po2_kpa": fields.conc[O2],
            "ph": fields.ph,
        }
    )


def _outline(ax: Axes, p: Any, zmax: float) -> None:
    from matplotlib.patches import Rectangle

    half = p.height_mm / 2
    r_np, r_cep = p.np_radius_mm, p.cep_radius_mm
    kw: dict[str, Any] = {"fill": False, "edgecolor": "white", "lw": 0.8}
    ax.add_patch(Rectangle((-r_np, -half), 2 * r_np, 2 * half, **kw))  # NP
    for z0 in (half, -zmax):  # the two CEPs
        ax.add_patch(Rectangle((-r_cep, z0), 2 * r_cep, zmax - half, **kw))
    ax.text(0, 0, "NP", color="white", ha="center", va="center", fontsize=7)
    ax.text((r_np + p.radius_mm) / 2, 0, "AF", color="white", ha="center", va="center", fontsize=7)
    ax.text(-(r_np + p.radius_mm) / 2, 0, "AF", color="white", ha="center", va="center", fontsize=7)


def disc_maps(
    items: Sequence[tuple[str, Fields]],
    *,
    viability: Sequence[np.ndarray | None] | None = None,
    viability_label: str = "Viable fraction",
    title: str = "",
) -> Figure:
    """Glucose, pO2 and pH over a mid-section through the disc axis (mirrored about the
    mid-height plane and the axis), one column per labelled steady state, NP / CEP outlined;
    each field on one colour scale across discs. ``viability``: per disc, an optional
    per-cell viable fraction drawn as a fourth row (e.g. at the end of an injection run)."""
    from exodisc.pl._style import new_figure

    n = len(items)
    fields = list(_FIELDS)
    vals = [{"glucose": f.conc[2], "po2": f.conc[0], "ph": f.ph} for _, f in items]
    if viability is not None and any(v is not None for v in viability):
        fields.append(("viability", viability_label, "RdYlGn"))
        for v, (_, f) in zip(vals, items, strict=True):
            v["viability"] = np.full(f.mesh.n_cells, np.nan)
        for v, via in zip(vals, viability, strict=True):
            if via is not None:
                v["viability"] = via
    fig = new_figure(3.3 * n + 0.9, 1.45 * len(fields) + 0.1)
    axes = fig.subplots(len(fields), n, squeeze=False)
    for row, (key, name, cmap) in enumerate(fields):
        vmin = 0.0 if key == "viability" else min(float(np.nanmin(v[key])) for v in vals)
        vmax = 1.0 if key == "viability" else max(float(np.nanmax(v[key])) for v in vals)
        mappable = None
        for col, (label, f) in enumerate(items):
            ax = axes[row, col]
            re, ze = f.mesh.edges
            nr, nz = re.size - 1, ze.size - 1
            grid = vals[col][key].reshape(nr, nz).T  # (z, r)
            full = np.block([[grid[::-1, ::-1], grid[::-1]], [grid[:, ::-1], grid]])
            r_full = np.concatenate([-re[::-1], re[1:]])
            z_full = np.concatenate([-ze[::-1], ze[1:]])
            mappable = ax.pcolormesh(
                r_full,
                z_full,
                full,
                cmap=cmap,
                shading="flat",
                vmin=vmin,
                vmax=vmax,
                rasterized=True,
            )
            _outline(ax, f.params, ze[-1])
            ax.set_aspect("equal")
            ax.set_xlim(-re[-1], re[-1])
            ax.set_ylim(-ze[-1], ze[-1])
            if row == 0:
                ax.set_title(label)
            if row == len(fields) - 1:
                ax.set_xlabel("r (mm)")
            if col == 0:
                ax.set_ylabel("z (mm)")
        fig.colorbar(mappable, ax=list(axes[row]), label=name, shrink=0.9, aspect=10)
    if title:
        fig.suptitle(title)
    return fig


def disc_endplate_curves(curves: pd.DataFrame, *, threshold: float, title: str = "") -> Figure:
    """Minimum glucose against the endplate factor (exchange area and diffusivity), one line
    per disc, with the viability threshold. ``curves``: ``disc``, ``parameter``
    (``endplate_area`` | ``endplate_diffusivity``), ``factor``, ``min_glucose_mm``."""
    from exodisc.pl._style import new_figure

    fig = new_figure(6.4, 2.6)
    axes = fig.subplots(1, 2, sharey=True)
    names = {
        "endplate_area": "Endplate exchange area (fraction open)",
        "endplate_diffusivity": "Endplate diffusivity (factor)",
    }
    for ax, (param, label) in zip(axes, names.items(), strict=True):
        sub = curves[curves["parameter"] == param]
        for disc, d in sub.groupby("disc", sort=False):
            d = d.sort_values("factor")
            ax.plot(d["factor"], d["min_glucose_mm"], marker="o", ms=3, label=str(disc))
        ax.axhline(threshold, color="firebrick", ls="--", lw=1)
        ax.text(
            1.0,
            threshold,
            f" death threshold {threshold:g} mM",
            color="firebrick",
            fontsize=7,
            va="bottom",
            ha="right",
        )
        ax.set_xlabel(label)
        ax.set_xlim(0, 1.02)
    axes[0].set_ylabel("Min glucose (mM)")
    axes[0].set_ylim(bottom=0)
    axes[0].legend(frameon=False)
    if title:
        fig.suptitle(title)
    return fig


def disc_viability(daily: pd.DataFrame, *, title: str = "") -> Figure:
    """Viable fraction of NP cells over time, one line per scenario. ``daily``: ``scenario``,
    ``day``, ``viable_fraction_np`` (and ``treatment`` for the line style)."""
    from exodisc.pl._style import new_figure

    fig = new_figure(4.6, 3.0)
    ax = fig.subplots()
    discs = list(dict.fromkeys(daily["disc"])) if "disc" in daily else []
    colors = {d: f"C{i}" for i, d in enumerate(discs)}
    for scen, d in daily.groupby("scenario", sort=False):
        exo = "treatment" in d and bool((d["treatment"] == "exosomes").all())
        color = colors.get(d["disc"].iloc[0]) if "disc" in d else None
        ax.plot(
            d["day"],
            d["viable_fraction_np"] * 100,
            ls="--" if exo else "-",
            color=color,
            label=str(scen),
        )
    ax.set_xlabel("Days after injection")
    ax.set_ylabel("Viable NP cells (%)")
    ax.set_ylim(0, 105)
    ax.legend(frameon=False, fontsize=7)
    if title:
        ax.set_title(title)
    return fig


def disc_dose(
    dose: pd.DataFrame, capacity: pd.DataFrame, *, threshold: float, title: str = ""
) -> Figure:
    """Supportable cells: minimum glucose right after injecting N cells (all alive) per disc,
    the threshold, and the supportable number of extra cells (vertical marks).
    ``dose``: ``disc``, ``injected_cells``, ``min_glucose_mm``; ``capacity``: ``disc``,
    ``supportable_extra_cells``."""
    from exodisc.pl._style import new_figure

    fig = new_figure(4.6, 3.0)
    ax = fig.subplots()
    for disc, d in dose.groupby("disc", sort=False):
        d = d.sort_values("injected_cells")
        (line,) = ax.plot(
            d["injected_cells"] / 1e6, d["min_glucose_mm"], marker="o", ms=3, label=str(disc)
        )
        cap = capacity.loc[capacity["disc"] == disc, "supportable_extra_cells"]
        if len(cap) and float(cap.iloc[0]) > 0:
            x = float(cap.iloc[0]) / 1e6
            ax.axvline(x, color=line.get_color(), ls=":", lw=1)
            ax.text(
                x,
                threshold * 1.05,
                f" {x:.0f} M",
                color=line.get_color(),
                fontsize=7,
                rotation=90,
                va="bottom",
            )
    ax.axhline(threshold, color="firebrick", ls="--", lw=1)
    ax.set_xlabel("Cells injected into the NP (millions)")
    ax.set_ylabel("Min glucose, all cells alive (mM)")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=7)
    if title:
        ax.set_title(title)
    return fig
