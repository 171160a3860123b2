"""Readable labels: repel point labels from each other, and keep marks off the lines they mark.

Two tools, both deterministic (byte-identical figures on re-runs):

* :func:`repel_labels` moves text labels of points apart with adjustText (the Python port of
  ggrepel's idea) run for a fixed number of iterations — never a time limit, whose result would
  depend on the machine's speed; adjustText's only random step (separating labels that sit
  exactly on top of each other) uses its own seeded generator. Labels still touching another
  after that (a very crowded corner) are left out, least important first, so none is unreadable.
* :func:`place_marks` puts significance marks beside their point at the first of a few fixed
  candidate positions whose box meets no drawn line, marker, error bar or other mark.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["column_labels", "place_marks", "repel_labels", "settle_layout"]

#: adjustText iterations (fixed: a time limit would make the figure depend on machine speed)
_ITERATIONS = 150


def _renderer(fig: Any) -> Any:
    """A renderer for measuring text (the figure's own canvas when it has one, else Agg)."""
    canvas = fig.canvas
    if not hasattr(canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    return canvas.get_renderer()


def settle_layout(fig: Any, *, freeze: bool) -> Any:
    """Lay the figure out so that labels placed now stay where they are; return a renderer.

    Labels are placed in display coordinates. With ``freeze`` (the figure is ours) one draw
    lays it out, as saving would, and the layout engine is then switched off, so every later
    draw and save keeps exactly that layout and re-runs are byte-identical. Without it (the
    caller's figure, laid out again when saved) the figure is drawn until the constrained
    layout stops moving the axes: one layout pass is not the fixed point, as tick labels
    depend on the axes' size, which the pass changes, so the next draw moves the axes by a
    pixel or two.
    """
    # where the axes are now: a layout settled before (and not moved since) takes one draw
    before = [ax.get_position().bounds for ax in fig.axes]
    for _ in range(1 if freeze else 7):
        renderer = _renderer(fig)
        after = [ax.get_position().bounds for ax in fig.axes]
        if np.allclose(before, after, rtol=0, atol=1e-6):
            break
        before = after
    if freeze:
        # the placeholder engine, not freeze_layout: arrows to labels are added after this,
        # and each save must draw once more to cut them at their label's box
        fig.set_layout_engine("none")
    return renderer


def _intersect(a: Any, b: Any, pad: float = 0.0) -> bool:
    return bool(a.x0 - pad < b.x1 and b.x0 - pad < a.x1 and a.y0 - pad < b.y1 and b.y0 - pad < a.y1)


def _inside(box: Any, area: Any) -> bool:
    return bool(area.x0 <= box.x0 and box.x1 <= area.x1 and area.y0 <= box.y0 and box.y1 <= area.y1)


def repel_labels(
    ax: Any,
    texts: Sequence[Any],
    *,
    x: np.ndarray,
    y: np.ndarray,
    radius: np.ndarray | None = None,
    arrow_color: str = "#555555",
    freeze_layout: bool = False,
) -> int:
    """Move ``texts`` (ordered most important first) off each other and off the points.

    Parameters
    ----------
    ax
        The axes holding the texts (created at their points, in data coordinates).
    texts
        The labels, most important first (the last ones are dropped when some cannot be placed).
    x, y
        Points the labels must not cover (data coordinates).
    radius
        Marker radius of each point in points (1/72 inch): the labels keep off the marker's
        box, not only its centre.
    arrow_color
        Colour of the thin line from a moved label to its point.
    freeze_layout
        The figure is the caller's own (made by the plotting function): settle its layout and
        switch the layout engine off (:func:`settle_layout`), so labels stay where measured.

    Returns
    -------
    int
        How many labels were left out because no free place was found.

    Notes
    -----
    R equivalent: ``ggrepel::geom_text_repel`` (Slowikowski, ggrepel). Labels stay inside the
    axes, so they never cover the tick labels; they are not part of the layout computation.
    """
    import warnings

    from adjustText import adjust_text

    texts = list(texts)
    if not texts:
        return 0
    fig = ax.figure
    for t in texts:
        t.set_in_layout(False)
    settle_layout(fig, freeze=freeze_layout)  # adjustText works in display coordinates
    objects = None
    if radius is not None:
        from matplotlib.transforms import Bbox

        centre = ax.transData.transform(np.column_stack([x, y]))
        r = np.asarray(radius, dtype=float)[:, None] * fig.dpi / 72.0
        corners = ax.transData.inverted()
        objects = [
            Bbox(corners.transform(np.vstack([c - ri, c + ri])))
            for c, ri in zip(centre, r, strict=True)
        ]
    with warnings.catch_warnings():
        # adjustText reports labels wider than the axes through the deprecated ``Logger.warn``
        warnings.simplefilter("ignore", DeprecationWarning)
        adjust_text(
            texts,
            x=np.asarray(x, dtype=float),
            y=np.asarray(y, dtype=float),
            objects=objects,
            ax=ax,
            iter_lim=_ITERATIONS,
            time_lim=None,
            expand=(1.1, 1.3),
            force_pull=(0.05, 0.05),
            ensure_inside_axes=True,
            min_arrow_len=4,
            arrowprops={"arrowstyle": "-", "lw": 0.4, "color": arrow_color},
        )
    arrows = {id(p.patchA): p for p in ax.patches if getattr(p, "patchA", None) is not None}
    renderer = settle_layout(fig, freeze=freeze_layout)
    area = ax.get_window_extent(renderer)
    kept: list[Any] = []
    dropped = 0
    for t in texts:
        box = t.get_window_extent(renderer)
        if _inside(box, area) and not any(_intersect(box, k, pad=0.5) for k in kept):
            kept.append(box)
            continue
        t.set_visible(False)
        if id(t) in arrows:
            arrows[id(t)].set_visible(False)
        dropped += 1
    return dropped


def column_labels(
    ax: Any,
    labels: Sequence[str],
    *,
    x: np.ndarray,
    y: np.ndarray,
    fontsize: float = 6,
    line_color: str = "#555555",
    freeze_layout: bool = False,
) -> int:
    """Label points in two columns inside the axes: negative x on the left, positive on the right.

    The x-axis is widened just enough that each column fits beside the data (measured text
    widths, in display pixels), so labels never reach the y-axis, its tick labels or the
    points' area; in each column the labels keep the vertical order of their points and are
    spread to one text height apart, each joined to its point by a thin line.

    Parameters
    ----------
    ax
        Axes with the points drawn (data coordinates).
    labels
        Label texts, most important first: when a column is taller than the axes, the last
        ones are left out.
    x, y
        The labelled points (same order as ``labels``).
    fontsize, line_color
        Text size (points) and colour of the connecting lines.
    freeze_layout
        The figure is the caller's own (made by the plotting function): settle its layout and
        switch the layout engine off (:func:`settle_layout`), so labels stay where measured.

    Returns
    -------
    int
        How many labels were left out for lack of room.

    Notes
    -----
    EnhancedVolcano's ``drawConnectors`` with labels pushed to the sides does the same in R;
    adjustText (:func:`repel_labels`) left labels on top of each other in crowded corners of a
    volcano, and this layout cannot: positions are computed from the measured text boxes.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if not len(labels):
        return 0
    fig = ax.figure
    left = x < 0
    texts = [
        ax.text(xi, yi, str(s), fontsize=fontsize, ha="left" if lf else "right", va="center")
        for s, xi, yi, lf in zip(labels, x, y, left, strict=True)
    ]
    for t in texts:
        t.set_in_layout(False)
    # one draw: the text sizes do not depend on the layout, and the axes' width is within a
    # pixel of the final one (the columns are placed on the final layout below)
    renderer = _renderer(fig)
    sizes = np.array([[b.width, b.height] for b in (t.get_window_extent(renderer) for t in texts)])
    pad = 4.0 * fig.dpi / 72.0  # 4 points between a column and the axes or the data
    area = ax.get_window_extent(renderer)
    w_left = float(sizes[left, 0].max()) + 2 * pad if left.any() else 0.0
    w_right = float(sizes[~left, 0].max()) + 2 * pad if (~left).any() else 0.0
    frac = min((w_left + w_right) / area.width, 0.7)
    a, b = ax.get_xlim()
    span = (b - a) / (1.0 - frac)
    scale = span / (w_left + w_right) * frac if w_left + w_right > 0 else 0.0
    ax.set_xlim(a - w_left * scale, b + w_right * scale)
    renderer = settle_layout(fig, freeze=freeze_layout)
    area = ax.get_window_extent(renderer)
    to_data = ax.transData.inverted()
    dropped = 0
    for side in (True, False):
        idx = np.flatnonzero(left == side)
        if not idx.size:
            continue
        heights = sizes[idx, 1] + 1.0
        fit = int(np.searchsorted(np.cumsum(heights), area.height, side="right"))
        for i in idx[fit:]:
            texts[i].set_visible(False)
        dropped += idx.size - fit
        idx = idx[:fit]
        if not idx.size:
            continue
        py = ax.transData.transform(np.column_stack([x[idx], y[idx]]))[:, 1]
        order = idx[np.argsort(-py, kind="stable")]
        h = {i: sizes[i, 1] + 1.0 for i in order}
        want = dict(zip(idx, py, strict=True))
        pos: dict[int, float] = {}
        top = area.y1
        for i in order:  # top down: below the previous label and inside the axes
            pos[i] = min(want[i], top - h[i] / 2)
            top = pos[i] - h[i] / 2
        bottom = area.y0
        for i in order[::-1]:  # bottom up: lift what fell below the axes
            pos[i] = max(pos[i], bottom + h[i] / 2)
            bottom = pos[i] + h[i] / 2
        col_x = area.x0 + pad if side else area.x1 - pad
        for i in order:
            tx, ty = to_data.transform((col_x, pos[i]))
            texts[i].set_position((tx, ty))
            edge = col_x + (sizes[i, 0] + 1.0 if side else -sizes[i, 0] - 1.0)
            ex, ey = to_data.transform((edge, pos[i]))
            ax.plot(
                [ex, x[i]],
                [ey, y[i]],
                color=line_color,
                lw=0.4,
                scalex=False,
                scaley=False,
                zorder=1.5,
            )
    return dropped


def _line_obstacles(ax: Any) -> tuple[list[Any], np.ndarray]:
    """Drawn line segments (paths) and markers (x, y, radius), in display coordinates.

    A line drawn without a line style (error-bar caps) is markers only: its vertices are not
    joined.
    """
    from matplotlib.path import Path

    paths = []
    markers = [np.empty((0, 3))]
    px_per_pt = ax.figure.dpi / 72.0
    for line in ax.get_lines():
        if not line.get_visible():
            continue
        xy = line.get_transform().transform_path(line.get_path())
        if line.get_linestyle() not in ("None", "", " "):
            paths.append(xy)
        if line.get_marker() not in ("None", "", " ", None):
            r = np.full((len(xy.vertices), 1), line.get_markersize() * px_per_pt / 2)
            markers.append(np.hstack([xy.vertices, r]))
    for coll in ax.collections:
        trans = coll.get_transform()
        for seg in getattr(coll, "get_segments", list)():
            paths.append(Path(trans.transform(np.asarray(seg, dtype=float))))
    return paths, np.vstack(markers)


#: candidate places of a mark: (anchor: 'top'/'bottom'/'point' of the error bar, offset in
#: points, horizontal and vertical alignment), tried in this order
_CANDIDATES: tuple[tuple[str, tuple[float, float], str, str], ...] = (
    ("top", (0.0, 3.0), "center", "bottom"),
    ("bottom", (0.0, -3.0), "center", "top"),
    ("top", (5.0, 4.0), "left", "bottom"),
    ("top", (-5.0, 4.0), "right", "bottom"),
    ("bottom", (5.0, -4.0), "left", "top"),
    ("bottom", (-5.0, -4.0), "right", "top"),
    ("point", (7.0, 0.0), "left", "center"),
    ("point", (-7.0, 0.0), "right", "center"),
    ("top", (0.0, 12.0), "center", "bottom"),
    ("bottom", (0.0, -12.0), "center", "top"),
    ("top", (-8.0, 12.0), "right", "bottom"),
    ("bottom", (-8.0, -12.0), "right", "top"),
    ("top", (8.0, 12.0), "left", "bottom"),
    ("bottom", (8.0, -12.0), "left", "top"),
    ("top", (0.0, 22.0), "center", "bottom"),
    ("bottom", (0.0, -22.0), "center", "top"),
)


def place_marks(
    ax: Any,
    marks: Sequence[tuple[str, float, float, float, str, str]],
    *,
    fontsize: float = 8,
    freeze_layout: bool = False,
) -> None:
    """Write significance marks next to their points, clear of every line and of each other.

    Parameters
    ----------
    ax
        Axes with the lines and error bars already drawn.
    marks
        ``(text, x, y, error, color, gid)`` per mark: the point, its error-bar half-length
        (data units, 0 when none), the text colour and an id written on the text.
    fontsize
        Mark font size (points).
    freeze_layout
        The figure is the caller's own (made by the plotting function): settle its layout and
        switch the layout engine off (:func:`settle_layout`), so labels stay where measured.

    Notes
    -----
    Each mark takes the first candidate place (above the error bar, below it, the four
    diagonals, right, left, then further away) inside the axes whose box crosses no line or
    error bar, covers no marker and meets no mark already placed; when every place is taken,
    the one with the fewest conflicts (a place outside the axes only when nothing inside is).
    Prism puts marks above the bar in the same way.
    """
    if not marks:
        return
    fig = ax.figure
    renderer = settle_layout(fig, freeze=freeze_layout)
    paths, points = _line_obstacles(ax)
    area = ax.get_window_extent(renderer)
    placed: list[Any] = []
    for text, xv, yv, err, color, gid in marks:
        best: tuple[int, Any] | None = None
        for anchor, offset, ha, va in _CANDIDATES:
            ay = {"top": yv + err, "bottom": yv - err, "point": yv}[anchor]
            t = ax.annotate(
                text,
                (xv, ay),
                textcoords="offset points",
                xytext=offset,
                fontsize=fontsize,
                color=color,
                ha=ha,
                va=va,
                annotation_clip=False,
            )
            t.set_in_layout(False)
            t.set_gid(gid)
            box = t.get_window_extent(renderer)
            conflicts = sum(p.intersects_bbox(box.padded(1.0), filled=False) for p in paths)
            if points.size:
                r = points[:, 2] + 0.5
                near = (
                    (points[:, 0] > box.x0 - r)
                    & (points[:, 0] < box.x1 + r)
                    & (points[:, 1] > box.y0 - r)
                    & (points[:, 1] < box.y1 + r)
                )
                conflicts += int(near.sum())
            conflicts += sum(_intersect(box, b, pad=1.0) for b in placed)
            if not _inside(box, area):  # over the tick labels or the legend: a last resort
                conflicts += 100
            if best is None or conflicts < best[0]:
                if best is not None:
                    best[1].remove()
                best = (conflicts, t)
            else:
                t.remove()
            if conflicts == 0:
                break
        if best is not None:
            placed.append(best[1].get_window_extent(renderer))
