"""Figure of the knowledge cross-link: curated therapeutic axes x observed direction."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["axes_matrix"]

_CODE = {"up": 1.0, "down": -1.0}
_MARK = {"yes": "✓", "no": "✗"}


def _row_label(feature: object, role: object, axis: object) -> str:
    role, axis = str(role), str(axis)
    if role == "target":
        return f"{feature}  (target of {axis.split(' →')[0].removeprefix('hsa-')})"
    if role == "RNA":
        return f"{feature}  (exosomal RNA)"
    return f"{feature}  (seed study)"


def axes_matrix(axes: pd.DataFrame, *, title: str = "", ax: Axes | None = None) -> Figure:
    """Matrix of curated axes (rows) x result table / contrast (columns), coloured by direction.

    Parameters
    ----------
    axes
        ``CrossLinkResult.axes`` (columns ``axis``, ``feature``, ``role``, ``source_table``,
        ``contrast``, ``observed_direction``, ``agrees``).
    title
        Figure title.
    ax
        Axes to draw into; a new figure otherwise.

    Returns
    -------
    matplotlib.figure.Figure
        Red = up, blue = down, grey = not significant; ✓ / ✗ mark agreement with the direction
        expected for a therapeutic effect.

    Notes
    -----
    R equivalent: ``pheatmap`` / ``ComplexHeatmap::Heatmap`` of a direction matrix.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    if ax is None:
        n_rows = max(1, axes[["feature", "role"]].drop_duplicates().shape[0])
        fig, ax = plt.subplots(figsize=(6.5, 1.2 + 0.32 * n_rows), layout="constrained")
    else:
        fig = ax.figure  # type: ignore[assignment]
    if axes.empty:
        ax.text(0.5, 0.5, "No curated axis found in the study's results", ha="center", va="center")
        ax.set_axis_off()
        return fig
    data = axes.copy()
    data["row"] = [_row_label(r.feature, r.role, r.axis) for r in data.itertuples(index=False)]
    data["col"] = np.where(
        data["contrast"].astype(str).eq(""), data["source_table"], data["contrast"]
    )
    rows = list(dict.fromkeys(data["row"]))
    cols = list(dict.fromkeys(data["col"]))
    mat = np.full((len(rows), len(cols)), np.nan)
    marks = np.full((len(rows), len(cols)), "", dtype=object)
    for r in data.itertuples(index=False):
        i, j = rows.index(r.row), cols.index(r.col)
        mat[i, j] = _CODE.get(str(r.observed_direction), 0.0)
        marks[i, j] = _MARK.get(str(r.agrees), "")
    cmap = ListedColormap(["#2166ac", "#d9d9d9", "#b2182b"]).with_extremes(bad="white")
    ax.imshow(np.ma.masked_invalid(mat), cmap=cmap, vmin=-1.5, vmax=1.5, aspect="auto")
    for i in range(len(rows)):
        for j in range(len(cols)):
            if marks[i, j]:
                ax.text(j, i, marks[i, j], ha="center", va="center", fontsize=10, color="black")
    ax.set_xticks(range(len(cols)), cols, rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    ax.set_xticks(np.arange(-0.5, len(cols)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(rows)), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    ax.set_title(title or "Curated therapeutic axes in this study\n(red up, blue down, grey n.s.)")
    return fig
