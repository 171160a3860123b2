"""Gating made elsewhere: GatingML 2.0 and FlowJo 10 workspaces (FlowKit), FACSDiva XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from exodisc.errors import InputFormatError

__all__ = ["apply_gatingml", "apply_workspace", "read_facsdiva_xml", "read_workspace_populations"]


def _flowkit_sample(path: Path) -> Any:
    import warnings

    import flowkit

    from exodisc.io.fcs._read import _check_header

    _check_header(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return flowkit.Sample(str(path), subsample=0)
    except Exception as exc:
        msg = f"not a readable FCS file: {exc}"
        raise InputFormatError(msg, path=path) from None


def apply_gatingml(gatingml: str | Path, fcs: str | Path) -> pd.DataFrame:
    """Apply a GatingML 2.0 document to one FCS file and return every gate's membership.

    Parameters
    ----------
    gatingml
        The GatingML 2.0 XML file (gates, transforms and compensation as declared there).
    fcs
        The FCS file to gate.

    Returns
    -------
    pandas.DataFrame
        Events x gates, boolean; columns are the gate ids (``/``-joined gate path where an
        id occurs under several parents).

    Notes
    -----
    FlowKit ``parse_gating_xml`` + ``GatingStrategy.gate_sample``; R equivalent
    ``flowUtils::read.gatingML`` + ``flowCore::filter``. Validated on the ISAC Gating-ML 2.0
    compliance set (every gate's ground-truth membership).

    Examples
    --------
    >>> from exodisc.io.fcs import apply_gatingml
    >>> membership = apply_gatingml("lab_gates.xml", "tube_01.fcs")  # doctest: +SKIP
    """
    import warnings

    import flowkit

    gml, fcs_path = Path(gatingml), Path(fcs)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            strategy = flowkit.parse_gating_xml(str(gml))
    except Exception as exc:
        msg = f"not a GatingML 2.0 document: {exc}"
        raise InputFormatError(msg, path=gml) from None
    sample = _flowkit_sample(fcs_path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            results = strategy.gate_sample(sample)
    except Exception as exc:
        msg = f"the GatingML gates cannot be applied to {fcs_path.name}: {exc}"
        raise InputFormatError(msg, path=gml) from None
    ids = strategy.get_gate_ids()
    names = [g for g, _ in ids]
    out: dict[str, np.ndarray] = {}
    for gate, parent_path in ids:
        try:
            member = results.get_gate_membership(gate, gate_path=parent_path)
        except KeyError:
            continue  # a quadrant gate is a container; its quadrants are the populations
        key = gate if names.count(gate) == 1 else "/".join((*parent_path, gate))
        out[key] = np.asarray(member, dtype=bool)
    return pd.DataFrame(out)


def apply_workspace(
    wsp: str | Path, fcs_files: Sequence[str | Path], *, group: str = "All Samples"
) -> pd.DataFrame:
    """Re-apply a FlowJo 10 workspace's gates to its FCS files (exactly FlowJo's populations).

    Parameters
    ----------
    wsp
        The FlowJo ``.wsp`` file.
    fcs_files
        The FCS files the workspace refers to.
    group
        The FlowJo sample group whose gates are applied.

    Returns
    -------
    pandas.DataFrame
        ``sample``, ``population`` (``/``-joined path, as :func:`read_workspace_populations`),
        ``gate_type``, ``count``, ``pct_parent``, ``pct_total`` (FlowKit's analysis report).

    Notes
    -----
    FlowKit ``Workspace(..., fcs_samples=...)`` + ``analyze_samples``; R equivalent
    ``CytoML::open_flowjo_xml`` + ``flowjo_to_gatingset``.

    Examples
    --------
    >>> from exodisc.io.fcs import apply_workspace
    >>> table = apply_workspace("apoptosis.wsp", ["tube_01.fcs", "tube_02.fcs"])  # doctest: +SKIP
    """
    import warnings

    import flowkit

    path = Path(wsp)
    known = set(read_workspace_populations(path)["sample"])
    given = [Path(f).name for f in fcs_files]
    if not known.intersection(given):
        msg = (
            f"none of the given FCS files {given} is a sample of the workspace; its samples "
            f"are {sorted(known)}"
        )
        raise InputFormatError(msg, path=path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ws = flowkit.Workspace(str(path), fcs_samples=[str(f) for f in fcs_files])
            ws.analyze_samples(group_name=group)
            report = ws.get_analysis_report(group_name=group)
    except Exception as exc:
        msg = f"FlowJo workspace cannot be applied to the given FCS files: {exc}"
        raise InputFormatError(msg, path=path) from None
    out = pd.DataFrame(
        {
            "sample": report["sample_id"].astype(str),
            "population": [
                "/".join((*tuple(gp)[1:], str(g)))
                for gp, g in zip(report["gate_path"], report["gate_name"], strict=True)
            ],
            "gate_type": report["gate_type"].astype(str),
            "count": report["count"].astype(int),
            "pct_parent": report["relative_percent"].astype(float),
            "pct_total": report["absolute_percent"].astype(float),
        }
    )
    return out.reset_index(drop=True)


def _parse_xml(path: Path) -> ET.Element:
    try:
        return ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        msg = f"not well-formed XML: {exc}"
        raise InputFormatError(msg, path=path) from None


def read_workspace_populations(wsp: str | Path) -> pd.DataFrame:
    """The population tree and the event counts FlowJo stored in a ``.wsp`` workspace.

    Works without the FCS files (the counts are FlowJo's own, saved with the workspace).

    Returns
    -------
    pandas.DataFrame
        ``sample`` (the FCS file name), ``population`` (``/``-joined path from the root),
        ``parent`` (path, ``""`` for the root), ``gate_type``, ``count``, ``pct_parent``
        (``count`` / parent ``count`` x 100; NaN where the parent count is 0),
        ``pct_total`` (of the sample's event count).

    Notes
    -----
    FlowJo's "Freq. of Parent" and "Freq. of Total"; R equivalent
    ``CytoML::open_flowjo_xml`` + ``fj_ws_get_samples`` / ``gs_pop_get_stats`` (which needs
    the FCS files). Population paths are FlowKit's gate paths without ``root``.

    Examples
    --------
    >>> from exodisc.io.fcs import read_workspace_populations
    >>> populations = read_workspace_populations("apoptosis.wsp")  # doctest: +SKIP
    """
    path = Path(wsp)
    root = _parse_xml(path)
    if root.tag != "Workspace":
        msg = f"root element is <{root.tag}>, expected <Workspace> (FlowJo 10 .wsp)"
        raise InputFormatError(msg, path=path)
    rows: list[dict[str, object]] = []
    for node in root.iter("SampleNode"):
        sample = node.get("name", "")
        total = float(node.get("count", "nan"))

        def walk(
            el: ET.Element,
            parent: str,
            parent_count: float,
            sample: str = sample,
            total: float = total,
        ) -> None:
            subs = el.find("Subpopulations")
            if subs is None:
                return
            for pop in subs:
                if pop.tag not in ("Population", "NotNode", "OrNode", "AndNode"):
                    continue
                name = pop.get("name", "")
                count = float(pop.get("count", "nan"))
                gate_type = ""
                gate = pop.find("Gate")
                if gate is not None and len(gate):
                    gate_type = gate[0].tag.split("}")[-1]
                elif pop.tag != "Population":
                    gate_type = pop.tag
                full = f"{parent}/{name}" if parent else name
                rows.append(
                    {
                        "sample": sample,
                        "population": full,
                        "parent": parent,
                        "gate_type": gate_type,
                        "count": count,
                        "pct_parent": 100 * count / parent_count if parent_count else np.nan,
                        "pct_total": 100 * count / total if total else np.nan,
                    }
                )
                walk(pop, full, count)

        walk(node, "", total)
    if not rows:
        raise InputFormatError("workspace has no samples with populations", path=path)
    return pd.DataFrame(rows)


def read_facsdiva_xml(path: str | Path) -> pd.DataFrame:
    """Gate hierarchy and event counts of a BD FACSDiva experiment XML export.

    Returns
    -------
    pandas.DataFrame
        ``specimen``, ``tube``, ``gate`` (short name, e.g. ``Q2``), ``population`` (FACSDiva
        full name, ``All Events\\P1\\…``), ``parent``, ``region_type``, ``x_parameter``,
        ``y_parameter``, ``count``, ``pct_parent`` and ``pct_total`` — the "%Parent" and
        "%Total" FACSDiva shows in its statistics view (NaN where the base count is 0).
        Composite (binner) classifiers, which hold no events, are left out.

    Notes
    -----
    The counts are FACSDiva's own (``num_events`` of each gate); the percentages are what its
    population hierarchy shows. Quadrant gates Q1–Q4 are polygon regions in FACSDiva's
    display scale, so they are not re-applied here (the export has no events).

    Examples
    --------
    >>> from exodisc.io.fcs import read_facsdiva_xml
    >>> gates = read_facsdiva_xml("experiment.xml")  # doctest: +SKIP
    """
    p = Path(path)
    root = _parse_xml(p)
    if root.tag != "bdfacs":
        msg = f"root element is <{root.tag}>, expected <bdfacs> (FACSDiva XML export)"
        raise InputFormatError(msg, path=p)
    rows: list[dict[str, object]] = []
    for specimen in root.iter("specimen"):
        for tube in specimen.findall("tube"):
            gates = tube.find("gates")
            if gates is None:
                continue
            counts: dict[str, float] = {}
            items = []
            for g in gates.findall("gate"):
                full = g.get("fullname", "")
                raw = (g.findtext("num_events") or "").strip()
                try:
                    counts[full] = float(raw)
                except ValueError:
                    msg = f"num_events is {raw!r}, expected a count"
                    raise InputFormatError(
                        msg, path=p, where=f"tube {tube.get('name')!r}, gate {full!r}"
                    ) from None
                items.append(g)
            total = counts.get("All Events", np.nan)
            for g in items:
                if g.get("type") == "Composite_Classifier":
                    continue
                full = g.get("fullname", "")
                parent = (g.findtext("parent") or "").strip()
                region = g.find("region")
                count = counts[full]
                base = counts.get(parent, np.nan) if parent else count
                rows.append(
                    {
                        "specimen": specimen.get("name", ""),
                        "tube": tube.get("name", ""),
                        "gate": (g.findtext("name") or full.rsplit("\\", 1)[-1]).strip(),
                        "population": full,
                        "parent": parent,
                        "region_type": region.get("type", "") if region is not None else "",
                        "x_parameter": region.get("xparm", "") if region is not None else "",
                        "y_parameter": region.get("yparm", "") if region is not None else "",
                        "count": count,
                        "pct_parent": 100 * count / base if base else np.nan,
                        "pct_total": 100 * count / total if total else np.nan,
                    }
                )
    if not rows:
        raise InputFormatError("no tube with gates found", path=p)
    return pd.DataFrame(rows)
