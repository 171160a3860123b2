"""NTA size-distribution figures: one sample with its video spread, or samples overlaid by group."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["misev_tiles", "nta_distribution", "nta_overlay"]


def _mode(frame: pd.DataFrame) -> tuple[float, float]:
    i = int(np.nanargmax(frame["mean"].to_numpy()))
    return float(frame["bin_nm"].iloc[i]), float(frame["mean"].iloc[i])


def nta_distribution(
    dist: pd.DataFrame,
    *,
    title: str = "",
    max_nm: float = 600.0,
    color: str = "#1f77b4",
    ax: Axes | None = None,
) -> Figure:
    """Size distribution of one sample: mean over videos with a ± SE ribbon, mode marked.

    Parameters
    ----------
    dist
        ``NtaSummary.mean_distribution`` (``bin_nm``, ``mean``, ``se``), particles/mL per bin.
    title
        Axes title (e.g. the sample name).
    max_nm
        Upper limit of the x axis.
    color
        Line / ribbon colour.
    ax
        Axes to draw into; a new figure otherwise.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    The NanoSight software's "Averaged FTLA Concentration / Size" graph with its red
    standard-error band; R: ``ggplot(d, aes(bin, mean)) + geom_ribbon(aes(ymin=mean-se,
    ymax=mean+se)) + geom_line()``.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(4.5, 3.2), layout="constrained")
    else:
        fig = ax.figure  # type: ignore[assignment]
    d = dist[dist["bin_nm"] <= max_nm]
    if d.empty or not np.nansum(d["mean"]) > 0:
        ax.text(0.5, 0.5, "no particles", ha="center", va="center", transform=ax.transAxes)
    else:
        se = d["se"].fillna(0).to_numpy()
        ax.fill_between(d["bin_nm"], d["mean"] - se, d["mean"] + se, color=color, alpha=0.3,
                        linewidth=0, label="± SE over videos")  # fmt: skip
        ax.plot(d["bin_nm"], d["mean"], color=color, linewidth=1.2, label="mean")
        mx, my = _mode(d)
        ax.axvline(mx, color="0.3", linestyle="--", linewidth=0.8)
        ax.annotate(f"mode {mx:.0f} nm", (mx, my), xytext=(6, -2), textcoords="offset points",
                    fontsize=8, va="top")  # fmt: skip
        ax.legend(frameon=False, fontsize=8, loc="upper right")  # "best" is slow on many points
    ax.set_xlim(0, max_nm)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("Particle diameter (nm)")
    ax.set_ylabel("Particles / mL per nm")
    ax.set_title(title)
    return fig


def nta_overlay(
    dists: Mapping[str, pd.DataFrame],
    *,
    groups: Mapping[str, str] | None = None,
    colors: Mapping[str, str] | None = None,
    max_nm: float = 600.0,
    normalise: bool = True,
    ax: Axes | None = None,
) -> Figure:
    """Size distributions of several samples overlaid, coloured by group, modes marked.

    Parameters
    ----------
    dists
        Sample → ``mean_distribution``.
    groups
        Sample → group label (legend); the sample name otherwise.
    colors
        Group label → colour.
    max_nm
        Upper limit of the x axis.
    normalise
        Scale each curve to an area of 1 (compares shapes across concentrations).
    ax
        Axes to draw into; a new figure otherwise.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Like the NTA software's multi-sample "compare" graph; R: ``ggplot(d, aes(bin, y,
    colour = group)) + geom_line()``.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(5.5, 3.4), layout="constrained")
    else:
        fig = ax.figure  # type: ignore[assignment]
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    groups = dict(groups or {})
    colors = dict(colors or {})
    seen: set[str] = set()
    for k, (sample, dist) in enumerate(dists.items()):
        d = dist[dist["bin_nm"] <= max_nm]
        total = float(np.nansum(d["mean"]))
        if d.empty or not total > 0:
            continue
        y = d["mean"] / total if normalise else d["mean"]
        label = groups.get(sample, sample)
        color = colors.get(label, cycle[k % len(cycle)])
        ax.plot(d["bin_nm"], y, color=color, linewidth=1.1,
                label=None if label in seen else label)  # fmt: skip
        seen.add(label)
        i = int(np.nanargmax(y.to_numpy()))
        ax.plot([d["bin_nm"].iloc[i]], [y.iloc[i]], marker="v", color=color, markersize=5)
    ax.set_xlim(0, max_nm)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("Particle diameter (nm)")
    ax.set_ylabel("Fraction of particles per nm" if normalise else "Particles / mL per nm")
    ax.set_title("Size distributions (▼ mode)")
    if seen:
        ax.legend(frameon=False, fontsize=8, loc="upper right")  # "best" is slow on many points
    return fig


_STATUS_COLOURS = {"satisfied": "#1a9850", "missing": "#d73027", "not_applicable": "#bdbdbd"}


def misev_tiles(items: pd.DataFrame, *, ax: Axes | None = None) -> Figure:
    """MISEV checklist as a column of coloured tiles (green satisfied, red missing).

    Parameters
    ----------
    items
        ``MisevResult.items`` (``id``, ``level``, ``status``).
    ax
        Axes to draw into; a new figure otherwise.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    A compact view of the checklist; EV-TRACK's EV-METRIC report is the manual equivalent.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    if ax is None:
        fig, ax = plt.subplots(figsize=(5.2, 0.9 + 0.28 * len(items)), layout="constrained")
    else:
        fig = ax.figure  # type: ignore[assignment]
    n = len(items)
    for i, r in enumerate(items.itertuples(index=False)):
        y = n - 1 - i
        ax.barh(y, 1, color=_STATUS_COLOURS.get(str(r.status), "#bdbdbd"), edgecolor="white")
        label = str(r.id).replace("_", " ") + ("" if r.level == "mandatory" else " (encouraged)")
        ax.text(0.03, y, label, va="center", ha="left", fontsize=8, color="white")
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.5, n - 0.5)
    ax.set_axis_off()
    ax.set_title("MISEV2018 minimal information")
    handles = [Patch(color=c, label=k.replace("_", " ")) for k, c in _STATUS_COLOURS.items()]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3,
              frameon=False, fontsize=8)  # fmt: skip
    return fig
