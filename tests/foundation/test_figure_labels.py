"""Labels that cannot be read are a figure bug: bounding-box tests of the labelled figures (#19).

Each figure is drawn on data that provokes overlap (many significant genes with long names in one
corner of a volcano, the ceRNA network of the R reference data, time courses whose lines pass
where the marks used to go); then every label's window extent is read from an Agg renderer and
checked against the other labels, the axes' tick labels and spines, and the plotted lines.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

REF = Path(__file__).resolve().parents[1] / "reference" / "cerna"


def _renderer(fig: Any) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _labels(ax: Any) -> list[Any]:
    """The visible text labels drawn in the axes (annotations and texts)."""
    return [t for t in ax.texts if t.get_visible() and t.get_text().strip()]


def _intersect(a: Any, b: Any) -> bool:
    """Strict intersection of two display-space boxes (touching edges are not an overlap)."""
    return bool(a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1)


def _overlapping_pairs(boxes: list[Any], names: list[str]) -> list[tuple[str, str]]:
    return [
        (names[i], names[j])
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if _intersect(boxes[i], boxes[j])
    ]


def _axis_furniture(ax: Any, renderer: Any) -> list[tuple[str, Any]]:
    """Tick labels of both axes and the visible spines, as (name, window extent)."""
    out = []
    for axis in (ax.xaxis, ax.yaxis):
        for tick in axis.get_ticklabels():
            if tick.get_visible() and tick.get_text():
                out.append((f"tick {tick.get_text()}", tick.get_window_extent(renderer)))
    for side, spine in ax.spines.items():
        if spine.get_visible():
            out.append((f"{side} spine", spine.get_window_extent(renderer)))
    return out


def _check_labels(fig: Any, ax: Any, *, min_labels: int) -> list[Any]:
    renderer = _renderer(fig)
    labels = _labels(ax)
    assert len(labels) >= min_labels
    boxes = [t.get_window_extent(renderer) for t in labels]
    names = [t.get_text() for t in labels]
    assert _overlapping_pairs(boxes, names) == []
    hits = [
        (name, what)
        for name, box in zip(names, boxes, strict=True)
        for what, other in _axis_furniture(ax, renderer)
        if _intersect(box, other)
    ]
    assert hits == []
    page = fig.bbox
    outside = [n for n, b in zip(names, boxes, strict=True) if not page.contains(b.x0, b.y0)]
    assert outside == []
    return boxes


def _sha(fig: Any) -> str:
    """Digest of the figure saved as the report saves it (SVG, then PNG on the SVG's layout)."""
    from matplotlib import rc_context

    from exodisc.pl import STYLE

    svg, png = io.StringIO(), io.BytesIO()
    with rc_context(STYLE):
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        fig.set_layout_engine("none")
        fig.savefig(png, format="png", dpi=100, metadata={"Software": None})
    return hashlib.sha256(svg.getvalue().encode() + png.getvalue()).hexdigest()


# --------------------------------------------------------------------------- volcano


def crowded_de_table(seed: int = 7) -> pd.DataFrame:
    """2,000 features; 24 called genes with long symbols packed in two tight clusters.

    One cluster sits at the most negative fold changes (its labels, right-aligned to the left
    of the points, used to run over the y-axis tick labels), the other at large positive ones.
    """
    rng = np.random.default_rng(seed)
    n = 2000
    lfc = rng.normal(0.0, 0.6, n)
    p = rng.uniform(0.05, 1.0, n)
    names = [f"GENE{i:04d}" for i in range(n)]
    for k in range(12):
        lfc[k] = -4.0 - 0.02 * k
        p[k] = 10 ** -(12.0 + 0.1 * k)
        names[k] = f"LINC{k:02d}-AS1-LONGNAME"
        lfc[100 + k] = 3.5 + 0.03 * k
        p[100 + k] = 10 ** -(10.0 + 0.1 * k)
        names[100 + k] = f"SNHG{k:02d}-LONGNAME"
    return pd.DataFrame({"feature_id": [f"ENSG{i:011d}" for i in range(n)], "label": names}).assign(
        log2_fold_change=lfc, padj=p
    )


@pytest.fixture(scope="module")
def volcanoes() -> list[Any]:
    """The crowded volcano, drawn twice."""
    from exodisc.pl import volcano

    table = crowded_de_table()
    return [volcano(table, n_labels=24, label_column="label", title="crowded") for _ in range(2)]


def test_volcano_labels_do_not_overlap_each_other_or_the_axes(volcanoes: list[Any]) -> None:
    fig = volcanoes[0]
    ax = fig.axes[0]
    boxes = _check_labels(fig, ax, min_labels=20)
    # every label stays inside the plotting area, clear of the y-axis and its tick labels
    area = ax.get_window_extent(_renderer(fig))
    assert all(b.x0 >= area.x0 and b.x1 <= area.x1 for b in boxes)


def test_volcano_is_byte_identical_on_rerun(volcanoes: list[Any]) -> None:
    assert len({_sha(f) for f in volcanoes}) == 1


# --------------------------------------------------------------------------- ceRNA network


@pytest.fixture(scope="module")
def reference_network() -> Any:
    """The network of the R reference data (tests/reference/cerna), all nodes labelled."""
    from exodisc.omics.cerna import build_network, cerna_pairs, read_expression, read_targets

    res = cerna_pairs(
        read_expression(REF / "expr_lnc.tsv"),
        read_expression(REF / "expr_pc.tsv"),
        targets_cerna=read_targets(REF / "targets_lnc.tsv"),
        targets_mrna=read_targets(REF / "targets_pc.tsv"),
    )
    return build_network(res.table, max_fdr=0.25, cerna_type="lncRNA")


@pytest.fixture(scope="module")
def networks(reference_network: Any) -> list[Any]:
    """The reference network, drawn twice."""
    from exodisc.pl import cerna_network

    return [cerna_network(reference_network, title="reference", seed=3) for _ in range(2)]


def test_cerna_network_labels_do_not_overlap(reference_network: Any, networks: list[Any]) -> None:
    n = len(reference_network.nodes)
    fig = networks[0]
    ax = fig.axes[0]
    # the axes are switched off (no ticks or spines): labels against each other and the page
    _check_labels(fig, ax, min_labels=min(n, 15))


def test_cerna_network_is_byte_identical_on_rerun(networks: list[Any]) -> None:
    assert len({_sha(f) for f in networks}) == 1


# --------------------------------------------------------------------------- CCK-8 time course


def crossing_timecourse() -> tuple[pd.DataFrame, dict[tuple[str, float], str]]:
    """Three groups at four times; steep lines that cross, a mark at every treated point."""
    rows = []
    means = {
        "ctrl": [0.40, 0.95, 1.55, 2.10],
        "il1b": [0.38, 0.55, 0.80, 1.00],
        "exo": [0.42, 0.85, 1.45, 1.95],
    }
    for g, ys in means.items():
        for t, y in zip((24.0, 48.0, 72.0, 96.0), ys, strict=True):
            rows.append({"group": g, "time_h": t, "od_mean": y, "od_sd": 0.03})
    marks = {("il1b", t): "****" for t in (48.0, 72.0, 96.0)}
    marks |= {("exo", t): "##" for t in (24.0, 48.0, 72.0, 96.0)}
    return pd.DataFrame(rows), marks


def _line_paths(ax: Any) -> list[tuple[str, Any, bool]]:
    """Every drawn line (group lines, error bars, caps) as (name, display path, joined?).

    A line without a line style (the error-bar caps) draws only its markers.
    """
    from matplotlib.path import Path as MplPath

    out = []
    for line in ax.get_lines():
        if not line.get_visible():
            continue
        path = line.get_transform().transform_path(line.get_path())
        joined = line.get_linestyle() not in ("None", "", " ")
        out.append((f"line {line.get_label()}", path, joined))
    for coll in ax.collections:
        trans = coll.get_transform()
        for seg in getattr(coll, "get_segments", list)():
            out.append(("error bar", MplPath(trans.transform(np.asarray(seg))), True))
    return out


def _marks_hit_lines(fig: Any, ax: Any) -> list[tuple[str, str]]:
    renderer = _renderer(fig)
    hits = []
    for text in _labels(ax):
        box = text.get_window_extent(renderer)
        for name, path, joined in _line_paths(ax):
            crosses = joined and path.intersects_bbox(box, filled=False)
            vertices: Iterable[Any] = path.vertices
            on_a_point = any(box.x0 < x < box.x1 and box.y0 < y < box.y1 for x, y in vertices)
            if crosses or on_a_point:
                hits.append((text.get_text(), name))
    return hits


@pytest.fixture(scope="module")
def timecourses() -> list[Any]:
    """The crossing time course with its marks, drawn twice."""
    from exodisc.pl import timecourse

    data, marks = crossing_timecourse()
    order = ["ctrl", "il1b", "exo"]
    return [
        timecourse(data, value="od_mean", error="od_sd", order=order, marks=marks) for _ in range(2)
    ]


def test_cck8_marks_clear_of_lines_and_each_other(timecourses: list[Any]) -> None:
    data, marks = crossing_timecourse()
    fig = timecourses[0]
    ax = fig.axes[0]
    texts = _labels(ax)
    assert sorted(t.get_text() for t in texts) == sorted(marks.values())
    assert _marks_hit_lines(fig, ax) == []
    renderer = _renderer(fig)
    boxes = [t.get_window_extent(renderer) for t in texts]
    assert _overlapping_pairs(boxes, [t.get_text() for t in texts]) == []
    # each mark stays next to the point it belongs to (within 40 px of it)
    for (g, t), text in zip(sorted(marks), _sorted_marks(ax, marks), strict=True):
        row = data[(data["group"] == g) & (data["time_h"] == t)].iloc[0]
        px, py = ax.transData.transform((t, row["od_mean"]))
        box = text.get_window_extent(renderer)
        cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
        assert np.hypot(cx - px, cy - py) < 40, (g, t, text.get_text())


def _sorted_marks(ax: Any, marks: dict[tuple[str, float], str]) -> list[Any]:
    """The mark texts in the order of ``sorted(marks)`` (each carries its key as its gid)."""
    by_gid = {t.get_gid(): t for t in _labels(ax)}
    return [by_gid[f"mark {g} {t:g}"] for g, t in sorted(marks)]


def test_cck8_timecourse_is_byte_identical_on_rerun(timecourses: list[Any]) -> None:
    assert len({_sha(f) for f in timecourses}) == 1


@pytest.mark.parametrize("n_terms", [1, 2, 12])
def test_enrichment_bubble_legend_inside_the_figure_below_the_axis_label(n_terms: int) -> None:
    """The count legend sits below the x label, inside the figure, however few the terms
    (with 2 terms it was drawn half outside the figure); the colour-bar ticks are plain text
    (10⁻³), as Matplotlib's log formatter places them."""
    from exodisc.pl import enrichment_bubble

    data = pd.DataFrame(
        {
            "label": [f"term {i} with a longer name (GO:{i:07d})" for i in range(n_terms)],
            "gene_ratio": np.linspace(0.1, 0.3, n_terms),
            "overlap": np.arange(n_terms) + 2,
            "p_adj": np.logspace(-5, -1, n_terms),
        }
    )
    fig = enrichment_bubble(data, title="GO biological process")
    fig.savefig(io.BytesIO(), format="svg")  # the layout, as the report writes it
    renderer = _renderer(fig)
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent(renderer)
    xlabel = ax.xaxis.label.get_window_extent(renderer)
    assert fig.bbox.x0 <= legend.x0 and legend.x1 <= fig.bbox.x1
    assert fig.bbox.y0 <= legend.y0 and legend.y1 <= xlabel.y0
    ticks = [t.get_text() for t in fig.axes[1].yaxis.get_ticklabels() if t.get_text()]
    assert ticks and all("$" not in t for t in ticks) and "10⁻³" in ticks


def test_plain_log_ticks_are_matplotlibs_labels_as_text() -> None:
    """log_formatter labels the same ticks as LogFormatterSciNotation, with the same number:
    the mathtext label, evaluated, equals the plain label read back."""
    from matplotlib.axis import XAxis
    from matplotlib.figure import Figure
    from matplotlib.ticker import LogFormatterSciNotation

    from exodisc.pl import log_formatter

    sup = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
    for minor in (False, True):
        ax = Figure().add_subplot()
        ax.set_xscale("log")
        ax.set_xlim(0.15, 0.9 if minor else 2e5)
        ref = LogFormatterSciNotation(labelOnlyBase=not minor)
        ours = log_formatter(minor=minor)
        axis: XAxis = ax.xaxis
        for f in (ref, ours):
            f.set_axis(axis)
            f.set_locs(axis.get_majorticklocs())
        values = np.concatenate([np.logspace(-3, 5, 9), [0.2, 0.3, 0.4, 0.6]])
        labelled = 0
        for x in values:
            a, b = ref(x), ours(x)
            assert bool(a) == bool(b) and "$" not in b
            if b:
                labelled += 1
                mant, _, exp = b.partition("10")
                value = float(mant.rstrip("×") or 1) * 10 ** int(exp.translate(sup))
                assert value == pytest.approx(x)
        assert labelled >= 4


def test_figures_with_plain_log_ticks_can_be_pickled() -> None:
    """A figure using log_formatter pickles and unpickles (its formatter is a module-level
    class, not one defined inside a function), and the copy labels the same ticks."""
    import pickle

    from exodisc.pl import ma_plot

    table = pd.DataFrame(
        {
            "base_mean": [5.0, 50.0, 500.0, 5000.0],
            "log2_fold_change": [0.5, -1.0, 2.0, 0.1],
            "padj": [0.5, 0.01, 0.001, 0.9],
        }
    )
    fig = ma_plot(table)
    copy = pickle.loads(pickle.dumps(fig))
    fig.draw_without_rendering()
    copy.draw_without_rendering()
    labels = [[t.get_text() for t in f.axes[0].xaxis.get_ticklabels()] for f in (fig, copy)]
    assert labels[0] == labels[1] and "10³" in labels[0]
