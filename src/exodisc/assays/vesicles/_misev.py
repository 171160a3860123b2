"""MISEV2018 minimal-information checklist scorer."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from exodisc.assays.vesicles._declared import EvDeclaration
from exodisc.errors import InputFormatError
from exodisc.io import missing_file

__all__ = ["MisevResult", "classify_marker", "misev_checklist", "read_diameters", "score_misev"]


@functools.cache
def misev_checklist() -> dict[str, Any]:
    """The checklist items and marker categories (``data/misev2018.yaml``)."""
    from ruamel.yaml import YAML

    text = (resources.files("exodisc.assays.vesicles") / "data" / "misev2018.yaml").read_text(
        encoding="utf-8"
    )
    data: dict[str, Any] = YAML(typ="safe").load(text)
    return data


def classify_marker(name: str) -> tuple[str, str] | None:
    """(category, HGNC symbol) of an EV marker, e.g. ``"ALIX"`` → ``("cytosolic", "PDCD6IP")``."""
    key = name.strip().upper()
    for category, table in misev_checklist()["markers"].items():
        for symbol, names in table.items():
            if key == symbol.upper() or key in (n.upper() for n in names):
                return category, symbol
    return None


@dataclass(frozen=True)
class MisevResult:
    """Checklist outcome.

    Attributes
    ----------
    items
        ``id``, ``section``, ``level``, ``status`` (satisfied / missing / not_applicable),
        ``reason``, ``requirement``.
    score
        ``mandatory_satisfied``, ``mandatory_total``, ``encouraged_satisfied``,
        ``encouraged_total``.
    reviewer_asks
        Plain sentences for every missing item, mandatory first.
    markers
        Declared markers with their MISEV2018 category and HGNC symbol.
    tem_sizes
        Size summary of the declared TEM diameters (empty when none).
    """

    items: pd.DataFrame
    score: dict[str, int]
    reviewer_asks: tuple[str, ...]
    markers: pd.DataFrame
    tem_sizes: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)


def read_diameters(path: str | Path) -> list[float]:
    """Vesicle diameters (nm) from a CSV/TSV with a ``diameter_nm`` column.

    Raises
    ------
    InputFormatError
        Missing column, or a value that is not a positive number (row named).
    """
    path = Path(path)
    if not path.is_file():
        raise missing_file(path)
    frame = pd.read_csv(path, sep=None, engine="python")
    if "diameter_nm" not in frame.columns:
        msg = f"no 'diameter_nm' column; found {list(frame.columns)}"
        raise InputFormatError(msg, path=path, where="header")
    values = pd.to_numeric(frame["diameter_nm"], errors="coerce")
    bad = values.index[~(values > 0)].tolist()
    if bad:
        found = frame["diameter_nm"][bad[0]]
        msg = f"'diameter_nm' must be a positive number, found {found!r}"
        raise InputFormatError(msg, path=path, where=f"line {bad[0] + 2}")
    return [float(v) for v in values]


def score_misev(
    decl: EvDeclaration,
    *,
    nta: pd.DataFrame | None = None,
    diameters_nm: list[float] | None = None,
) -> MisevResult:
    """Score a study's EV characterisation against the MISEV2018 minimal requirements.

    Parameters
    ----------
    decl
        The characterisation the study file declares.
    nta
        NTA summary rows (``sample``, ``concentration_per_ml``) of the same preparations,
        e.g. from the ``nta`` assay; particle numbers and NTA as a single-particle method.
    diameters_nm
        TEM diameters read from ``tem.diameters_file`` (added to ``tem.diameters_nm``).

    Returns
    -------
    MisevResult

    Notes
    -----
    Théry C et al. 2018, J Extracell Vesicles 7:1535750. The checklist is versioned data
    (``data/misev2018.yaml``); the logic below decides each item from declared facts only,
    and says why. There is no R or EV-TRACK API equivalent; EV-TRACK's EV-METRIC is the
    closest manual tool.
    """
    check = misev_checklist()
    has_nta = nta is not None and not nta.empty and nta["concentration_per_ml"].notna().any()
    markers = []
    for m in decl.markers:
        cls = classify_marker(m.name)
        markers.append(
            {
                "marker": m.name,
                "result": m.result,
                "method": m.method,
                "category": cls[0] if cls else "not a MISEV2018 Table 3 marker",
                "hgnc_symbol": cls[1] if cls else "",
            }
        )
    mk = pd.DataFrame(markers, columns=["marker", "result", "method", "category", "hgnc_symbol"])

    def positive(category: str) -> list[str]:
        sel = mk[(mk["category"] == category) & (mk["result"] == "positive")]
        return sel["marker"].tolist()

    negatives = mk[
        mk["category"].isin(["contaminant", "intracellular"]) & (mk["result"] != "not_done")
    ]
    s = decl.source
    iso = decl.isolation
    ratios_possible = [
        n for n in decl.protein.ug_per_ml if has_nta and nta is not None and n in set(nta["sample"])
    ]
    single_methods = (["EM"] if decl.tem.done else []) + (["NTA"] if has_nta else [])
    single_methods += decl.other_single_particle_methods

    def status(ok: Any, yes: str, no: str) -> tuple[str, str]:
        return ("satisfied", yes) if ok else ("missing", no)

    decide: dict[str, tuple[str, str]] = {
        "source_description": status(bool(s.cell_type), f"{s.cell_type}", "no cell type declared"),
        "source_culture": status(
            bool(s.culture_medium), f"{s.culture_medium}", "no culture medium declared"
        ),
        "source_quantity": status(
            s.cells is not None or s.volume_ml is not None,
            f"cells: {s.cells or 'n/a'}, medium: {s.volume_ml or 'n/a'} mL",
            "neither the number of cells nor the volume of conditioned medium is declared",
        ),
        "source_viability": status(
            s.viability_percent is not None, f"{s.viability_percent}% viable", "not declared"
        ),
        "isolation_method": status(
            bool(iso.steps),
            (iso.method or "centrifugation")
            + ": "
            + ", ".join(f"{st.g:g} g {st.minutes:g} min" for st in iso.steps),
            "no separation steps declared",
        ),
        "isolation_details": status(
            bool(iso.rotor or iso.k_factor),
            f"rotor {iso.rotor}, k {iso.k_factor}",
            "no rotor / k-factor",
        ),
        "quantification_protein": status(
            bool(decl.protein.ug_per_ml),
            f"{decl.protein.method or 'protein assay'}: "
            f"{len(decl.protein.ug_per_ml)} preparation(s)",
            (
                f"{decl.protein.method} named but no protein amount reported"
                if decl.protein.method
                else "no protein quantification declared"
            ),
        ),
        "quantification_particles": status(
            has_nta, "NTA concentration of the preparations", "no particle number (no NTA result)"
        ),
        "particle_protein_ratio": status(
            bool(ratios_possible),
            f"particles and protein of {len(ratios_possible)} preparation(s)",
            "particle number and protein amount are not both known for the same preparation",
        ),
        "marker_transmembrane": status(
            bool(positive("transmembrane")),
            ", ".join(positive("transmembrane")),
            "no transmembrane / GPI-anchored marker shown positive",
        ),
        "marker_cytosolic": status(
            bool(positive("cytosolic")),
            ", ".join(positive("cytosolic")),
            "no cytosolic EV marker shown positive",
        ),
        "marker_negative": status(
            bool(not negatives.empty),
            ", ".join(f"{r.marker} ({r.result})" for r in negatives.itertuples()),
            "no negative / purity marker tested",
        ),
        "single_vesicle_imaging": status(
            decl.tem.done, f"TEM ({len(decl.tem.images)} image file(s) declared)", "no EM images"
        ),
        "single_vesicle_two_methods": status(
            len(single_methods) >= 2,
            " + ".join(single_methods),
            f"only {' + '.join(single_methods) or 'none'}",
        ),
        "functional_controls": status(
            bool(decl.function.controls),
            ", ".join(decl.function.controls),
            "no EV-specific control",
        ),
        "reporting_ev_track": status(bool(decl.ev_track), f"{decl.ev_track}", "no EV-TRACK id"),
    }
    rows = []
    for item in check["items"]:
        st, reason = decide.get(item["id"], ("not_applicable", "not scored"))
        rows.append(
            {
                "id": item["id"],
                "section": item["section"],
                "level": item["level"],
                "status": st,
                "reason": reason,
                "requirement": " ".join(item["requirement"].split()),
            }
        )
    items = pd.DataFrame(rows)
    app = items[items["status"] != "not_applicable"]
    score = {
        "mandatory_satisfied": int(
            ((app["level"] == "mandatory") & (app["status"] == "satisfied")).sum()
        ),
        "mandatory_total": int((app["level"] == "mandatory").sum()),
        "encouraged_satisfied": int(
            ((app["level"] == "encouraged") & (app["status"] == "satisfied")).sum()
        ),
        "encouraged_total": int((app["level"] == "encouraged").sum()),
    }
    asks_by_id = {i["id"]: i["ask"] for i in check["items"]}
    missing = items[items["status"] == "missing"].sort_values(
        "level", key=lambda s: s.map({"mandatory": 0, "encouraged": 1}), kind="mergesort"
    )
    asks = tuple(asks_by_id[i] for i in missing["id"])
    d = pd.Series([*decl.tem.diameters_nm, *(diameters_nm or [])], dtype=float)
    tem = (
        pd.DataFrame(
            [
                {
                    "n": len(d),
                    "mean_nm": d.mean(),
                    "sd_nm": d.std(ddof=1) if len(d) > 1 else math.nan,
                    "median_nm": d.median(),
                    "min_nm": d.min(),
                    "max_nm": d.max(),
                }
            ]
        )
        if len(d)
        else pd.DataFrame(columns=["n", "mean_nm", "sd_nm", "median_nm", "min_nm", "max_nm"])
    )
    return MisevResult(
        items=items,
        score=score,
        reviewer_asks=asks,
        markers=mk,
        tem_sizes=tem,
        params={"checklist_version": check["version"], "citation": check["citation"]},
    )
