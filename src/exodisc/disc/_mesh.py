"""Cell-centred finite-volume meshes: structured tensor grids (Cartesian or axisymmetric r-z),
optionally masked (3D elliptical disc), with the disc's regions and supply surfaces."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np

from exodisc.disc._params import DiscParams

__all__ = ["AF", "CEP", "NP", "FVMesh", "axisym_disc", "box_mesh", "ellipse_disc", "graded_edges"]

NP, AF, CEP = 0, 1, 2
#: boundary-face kinds of the disc: 0 CEP surface, 1 outer AF surface
SURF_CEP, SURF_AF = 0, 1


@dataclass(frozen=True)
class FVMesh:
    """A finite-volume mesh as the solver sees it.

    ``centers`` (N, d): (r, z) in the axisymmetric case, (x, y, z) in 3D; z = 0 is the disc's
    mid-height (a symmetry plane). Internal faces join ``face_i`` and ``face_j`` with area
    ``face_area`` and centre-to-face distances ``face_di``/``face_dj``; Dirichlet boundary faces
    belong to ``bface_cell`` with ``bface_area`` x ``bface_open`` (open fraction, the endplate
    exchange area) and distance ``bface_d``; ``bface_kind`` says which supply surface it is.
    Faces not listed are zero-flux (symmetry planes, the axis, the bony rim).
    """

    centers: np.ndarray
    volume: np.ndarray
    region: np.ndarray
    face_i: np.ndarray
    face_j: np.ndarray
    face_area: np.ndarray
    face_di: np.ndarray
    face_dj: np.ndarray
    bface_cell: np.ndarray
    bface_area: np.ndarray
    bface_d: np.ndarray
    bface_kind: np.ndarray
    bface_open: np.ndarray
    bface_center: np.ndarray
    geometry: str = "box"
    edges: tuple[np.ndarray, ...] = ()
    index: np.ndarray | None = field(default=None)  # structured index -> cell (or -1)

    @property
    def n_cells(self) -> int:
        return int(self.volume.size)


def graded_edges(breaks: list[float], h: float, *, min_cells: int = 1) -> np.ndarray:
    """Edges from ``breaks[0]`` to ``breaks[-1]`` with a node on every break and each segment
    split into equal cells no wider than ``h``."""
    out = [np.array([breaks[0]])]
    for a, b in itertools.pairwise(breaks):
        n = max(min_cells, math.ceil((b - a) / h - 1e-9))
        out.append(np.linspace(a, b, n + 1)[1:])
    return np.concatenate(out)


def _tensor(
    edges: list[np.ndarray], *, axisym: bool, keep: np.ndarray | None = None
) -> tuple[dict[str, np.ndarray], list[tuple[int, int, np.ndarray, np.ndarray, np.ndarray]]]:
    """Cells and faces of a tensor grid (C order, axis 0 slowest).

    Returns cell arrays and a list of boundary-face groups ``(axis, side, cell, area, d)``
    (side -1 low, +1 high; masked-out neighbours give boundary faces with side 0).
    """
    dims = len(edges)
    shape = tuple(len(e) - 1 for e in edges)
    ctr = [(e[:-1] + e[1:]) / 2 for e in edges]
    wid = [np.diff(e) for e in edges]
    grids = np.meshgrid(*ctr, indexing="ij")
    wgrid = np.meshgrid(*wid, indexing="ij")
    if axisym:
        r0 = np.meshgrid(edges[0][:-1], ctr[1], indexing="ij")[0]
        r1 = np.meshgrid(edges[0][1:], ctr[1], indexing="ij")[0]
        vol = math.pi * (r1**2 - r0**2) * wgrid[1]
    else:
        vol = np.prod(np.stack(wgrid), axis=0)
    keep = np.ones(shape, bool) if keep is None else keep
    index = -np.ones(shape, np.int64)
    index[keep] = np.arange(int(keep.sum()))

    def face_area(axis: int, lo: tuple[slice, ...], face_pos: np.ndarray) -> np.ndarray:
        if axisym:
            if axis == 0:
                return 2 * math.pi * face_pos * wgrid[1][lo]
            rr0 = np.meshgrid(edges[0][:-1], ctr[1], indexing="ij")[0][lo]
            rr1 = np.meshgrid(edges[0][1:], ctr[1], indexing="ij")[0][lo]
            return math.pi * (rr1**2 - rr0**2)
        others = [wgrid[k][lo] for k in range(dims) if k != axis]
        return np.prod(np.stack(others), axis=0) if others else np.ones_like(face_pos)

    fi, fj, fa, fdi, fdj = [], [], [], [], []
    bgroups: list[tuple[int, int, np.ndarray, np.ndarray, np.ndarray]] = []
    for ax in range(dims):
        n = shape[ax]
        sl_lo = tuple(slice(0, n - 1) if k == ax else slice(None) for k in range(dims))
        sl_hi = tuple(slice(1, n) if k == ax else slice(None) for k in range(dims))
        pos = np.meshgrid(
            *[edges[k][1:-1] if k == ax else ctr[k] for k in range(dims)], indexing="ij"
        )[ax]
        area = face_area(ax, sl_lo, pos)
        di = pos - grids[ax][sl_lo]
        dj = grids[ax][sl_hi] - pos
        ka, kb = keep[sl_lo], keep[sl_hi]
        both = ka & kb
        fi.append(index[sl_lo][both])
        fj.append(index[sl_hi][both])
        fa.append(area[both])
        fdi.append(di[both])
        fdj.append(dj[both])
        # masked neighbours: cut faces (side 0)
        cut_a = ka & ~kb
        cut_b = kb & ~ka
        if cut_a.any() or cut_b.any():
            bgroups.append(
                (
                    ax,
                    0,
                    np.concatenate([index[sl_lo][cut_a], index[sl_hi][cut_b]]),
                    np.concatenate([area[cut_a], area[cut_b]]),
                    np.concatenate([di[cut_a], dj[cut_b]]),
                )
            )
        # outer sides
        for side, k in ((-1, 0), (1, n - 1)):
            sl = tuple(slice(k, k + 1) if q == ax else slice(None) for q in range(dims))
            fpos_val = edges[ax][0] if side < 0 else edges[ax][-1]
            fpos = np.full(keep[sl].shape, fpos_val)
            a = face_area(ax, sl, fpos)
            d = np.abs(fpos - grids[ax][sl])
            m = keep[sl]
            bgroups.append((ax, side, index[sl][m], a[m], d[m]))
    cells = {
        "centers": np.stack([g[keep] for g in grids], axis=1),
        "volume": vol[keep],
        "face_i": np.concatenate(fi),
        "face_j": np.concatenate(fj),
        "face_area": np.concatenate(fa),
        "face_di": np.concatenate(fdi),
        "face_dj": np.concatenate(fdj),
        "index": index,
    }
    return cells, bgroups


def box_mesh(*edges: np.ndarray, axisym: bool = False, dirichlet: tuple[str, ...] = ()) -> FVMesh:
    """A one-region (NP) box; ``dirichlet`` names the sides with boundary values, as
    ``"x-"``, ``"x+"``, ``"y-"`` … (axis letters x, y, z; in the axisymmetric case x is r)."""
    cells, groups = _tensor(list(edges), axisym=axisym)
    letters = "xyz"
    bc, ba, bd, bk, bx = [], [], [], [], []
    for ax, side, cell, area, d in groups:
        name = f"{letters[ax]}{'-' if side < 0 else '+'}"
        if side == 0 or name not in dirichlet:
            continue
        bc.append(cell)
        ba.append(area)
        bd.append(d)
        bk.append(np.full(cell.size, dirichlet.index(name)))
        c = cells["centers"][cell].copy()
        c[:, ax] = edges[ax][0] if side < 0 else edges[ax][-1]
        bx.append(c)
    n = cells["volume"].size
    dim = len(edges)
    return FVMesh(
        centers=cells["centers"],
        volume=cells["volume"],
        region=np.zeros(n, np.int8),
        face_i=cells["face_i"],
        face_j=cells["face_j"],
        face_area=cells["face_area"],
        face_di=cells["face_di"],
        face_dj=cells["face_dj"],
        bface_cell=np.concatenate(bc) if bc else np.zeros(0, np.int64),
        bface_area=np.concatenate(ba) if ba else np.zeros(0),
        bface_d=np.concatenate(bd) if bd else np.zeros(0),
        bface_kind=np.concatenate(bk) if bk else np.zeros(0, np.int64),
        bface_open=np.ones(sum(x.size for x in bc)),
        bface_center=np.concatenate(bx) if bx else np.zeros((0, dim)),
        geometry="axisym-box" if axisym else "box",
        edges=tuple(edges),
        index=cells["index"],
    )


def _open_fraction_radial(r0: np.ndarray, r1: np.ndarray, r_open: float) -> np.ndarray:
    """Open share of annular faces [r0, r1] when the surface is open for r < r_open."""
    return np.clip((r_open**2 - r0**2) / (r1**2 - r0**2), 0.0, 1.0)


def axisym_disc(p: DiscParams, h: float) -> FVMesh:
    """Axisymmetric (r, z) half disc, z from the mid-height plane to the CEP surface.

    NP: r < np_radius, z < H/2; AF: the rest of the disc, continuing up to the bone outside the
    CEP; CEP: z in [H/2, H/2 + t] for r < cep_radius. Supply: the CEP surface (open for
    r < sqrt(endplate_area) x cep_radius: calcification closing the endplate from its rim) and
    the outer AF surface r = radius over the whole height. ``h`` is the largest cell size.
    """
    half, t = p.height_mm / 2, p.cep_thickness_mm
    re = graded_edges([0.0, p.np_radius_mm, p.cep_radius_mm, p.radius_mm], h)
    if p.cep_radius_mm in (p.np_radius_mm, p.radius_mm):
        re = np.unique(re)
    ze = graded_edges([0.0, half, half + t], h, min_cells=2)
    cells, groups = _tensor([re, ze], axisym=True)
    ctr = cells["centers"]
    region = np.full(ctr.shape[0], AF, np.int8)
    region[(ctr[:, 0] < p.np_radius_mm) & (ctr[:, 1] < half)] = NP
    region[(ctr[:, 0] < p.cep_radius_mm) & (ctr[:, 1] > half)] = CEP
    bc, ba, bd, bk, bo, bx = [], [], [], [], [], []
    r_open = math.sqrt(p.endplate_area) * p.cep_radius_mm
    for ax, side, cell, area, d in groups:
        if ax == 0 and side == 1:  # outer AF surface
            kind = np.full(cell.size, SURF_AF)
            opn = np.ones(cell.size)
            xy = np.stack([np.full(cell.size, re[-1]), ctr[cell, 1]], axis=1)
        elif ax == 1 and side == 1:  # top: CEP surface where covered, bone (no flux) elsewhere
            i_r = np.searchsorted(re, ctr[cell, 0]) - 1
            m = ctr[cell, 0] < p.cep_radius_mm
            cell, area, d, i_r = cell[m], area[m], d[m], i_r[m]
            kind = np.full(cell.size, SURF_CEP)
            opn = _open_fraction_radial(re[i_r], re[i_r + 1], r_open)
            xy = np.stack([ctr[cell, 0], np.full(cell.size, ze[-1])], axis=1)
        else:
            continue
        bc.append(cell)
        ba.append(area)
        bd.append(d)
        bk.append(kind)
        bo.append(opn)
        bx.append(xy)
    return FVMesh(
        centers=ctr,
        volume=cells["volume"],
        region=region,
        face_i=cells["face_i"],
        face_j=cells["face_j"],
        face_area=cells["face_area"],
        face_di=cells["face_di"],
        face_dj=cells["face_dj"],
        bface_cell=np.concatenate(bc),
        bface_area=np.concatenate(ba),
        bface_d=np.concatenate(bd),
        bface_kind=np.concatenate(bk),
        bface_open=np.concatenate(bo),
        bface_center=np.concatenate(bx),
        geometry="axisymmetric",
        edges=(re, ze),
        index=cells["index"],
    )


#: anteroposterior / lateral ratio of the 3D elliptical disc (19/25, prototype of the notes,
#: close to [A]'s 38.5/50.1 = 0.77)
AP_RATIO = 0.76


def ellipse_disc(p: DiscParams, h: float, *, ap_ratio: float = AP_RATIO) -> FVMesh:
    """A quarter of an elliptical disc (x, y >= 0; z from mid-height), stair-step Cartesian.

    The ellipses have the same areas as the axisymmetric disc's circles (semi-axes
    R/sqrt(k) and R sqrt(k), k = ``ap_ratio``), so the two geometries are comparable.
    """
    k = math.sqrt(ap_ratio)
    a, b = p.radius_mm / k, p.radius_mm * k
    half, t = p.height_mm / 2, p.cep_thickness_mm
    xe = graded_edges([0.0, a], h)
    ye = graded_edges([0.0, b], h)
    ze = graded_edges([0.0, half, half + t], h, min_cells=2)
    xc, yc = (xe[:-1] + xe[1:]) / 2, (ye[:-1] + ye[1:]) / 2
    rho2 = (xc[:, None] / a) ** 2 + (yc[None, :] / b) ** 2  # normalised elliptic radius^2
    inside2d = rho2 <= 1.0
    keep = np.repeat(inside2d[:, :, None], ze.size - 1, axis=2)
    cells, groups = _tensor([xe, ye, ze], axisym=False, keep=keep)
    ctr = cells["centers"]
    s = np.sqrt((ctr[:, 0] / a) ** 2 + (ctr[:, 1] / b) ** 2) * p.radius_mm  # equivalent radius
    region = np.full(ctr.shape[0], AF, np.int8)
    region[(s < p.np_radius_mm) & (ctr[:, 2] < half)] = NP
    region[(s < p.cep_radius_mm) & (ctr[:, 2] > half)] = CEP
    r_open = math.sqrt(p.endplate_area) * p.cep_radius_mm
    bc, ba, bd, bk, bo, bx = [], [], [], [], [], []
    for ax, side, cell, area, d in groups:
        if side == 0 or (ax in (0, 1) and side == 1):  # lateral stair-step faces: AF surface
            kind = np.full(cell.size, SURF_AF)
            opn = np.ones(cell.size)
            xyz = ctr[cell].copy()
        elif ax == 2 and side == 1:
            m = s[cell] < p.cep_radius_mm
            cell, area, d = cell[m], area[m], d[m]
            kind = np.full(cell.size, SURF_CEP)
            opn = (s[cell] < r_open).astype(float)
            xyz = ctr[cell].copy()
            xyz[:, 2] = ze[-1]
        else:
            continue
        bc.append(cell)
        ba.append(area)
        bd.append(d)
        bk.append(kind)
        bo.append(opn)
        bx.append(xyz)
    return FVMesh(
        centers=ctr,
        volume=cells["volume"],
        region=region,
        face_i=cells["face_i"],
        face_j=cells["face_j"],
        face_area=cells["face_area"],
        face_di=cells["face_di"],
        face_dj=cells["face_dj"],
        bface_cell=np.concatenate(bc),
        bface_area=np.concatenate(ba),
        bface_d=np.concatenate(bd),
        bface_kind=np.concatenate(bk),
        bface_open=np.concatenate(bo),
        bface_center=np.concatenate(bx),
        geometry="ellipse3d",
        edges=(xe, ye, ze),
        index=cells["index"],
    )
