"""Reading a study's own results (DE, qPCR, enrichment, ceRNA) against the curated knowledge."""

from __future__ import annotations

import dataclasses
import functools
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from exodisc.knowledge._data import KnowledgeBase, load_knowledge
from exodisc.knowledge._search import normalise_rna

__all__ = ["AXES_COLUMNS", "CrossLinkResult", "collect_tables", "crosslink", "interaction_support"]

AXES_COLUMNS = [
    "axis",
    "entry_id",
    "feature",
    "role",
    "source_table",
    "contrast",
    "log2_fc",
    "p_adj",
    "observed_direction",
    "expected_direction",
    "agrees",
    "interaction_support",
    "in_cerna_network",
]

_FEATURE_COLS = ("gene", "symbol", "gene_symbol", "gene_name", "feature", "target", "mirna", "rna")
_LFC_COLS = ("log2_fc", "log2fc", "log2foldchange", "logfc", "lfc", "log2_fold_change")
_P_COLS = ("p_adj", "padj", "fdr", "adj.p.val", "qvalue", "p_value", "pvalue", "p")
_TERM_COLS = ("term", "pathway", "description", "name", "term_name")
_EDGE_PAIRS = (("mirna", "target"), ("mirna", "mrna"), ("mirna", "gene"), ("source", "target"))


@dataclass(frozen=True)
class CrossLinkResult:
    """Curated therapeutic axes found in a study's own results.

    Attributes
    ----------
    axes
        One row per curated RNA / target / seed-study gene observed in a result table, with
        columns :data:`AXES_COLUMNS`.
    pathways
        Seed-study pathways (IL-17, TNF, Toll-like receptor, NF-κB, Notch) and curated
        pathways found in the study's enrichment tables.
    scanned
        Tables looked at, with the columns used (or why a table was skipped).
    params
        Knowledge version and settings.
    """

    axes: pd.DataFrame
    pathways: pd.DataFrame
    scanned: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)


@functools.cache
def interaction_support() -> pd.DataFrame:
    """miRNA → target support of the curated pairs in miRTarBase / starBase / miRcode.

    Precomputed by ``tests/reference/knowledge/make_interaction_support.py`` from the
    interaction tables bundled in the Bioconductor package GDCRNATools.
    """
    text = (resources.files("exodisc.knowledge") / "data" / "interaction_support.csv").read_text(
        encoding="utf-8"
    )
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def _frames_of(obj: Any, prefix: str, out: dict[str, pd.DataFrame], depth: int = 0) -> None:
    if depth > 2:
        return
    if isinstance(obj, pd.DataFrame):
        out[prefix] = obj
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            _frames_of(getattr(obj, f.name), f"{prefix}.{f.name}", out, depth + 1)
    elif isinstance(obj, Mapping):
        for k, v in obj.items():
            _frames_of(v, f"{prefix}.{k}", out, depth + 1)
    elif hasattr(obj, "table") and isinstance(obj.table, pd.DataFrame):
        out[f"{prefix}.table"] = obj.table


def collect_tables(results: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """Every DataFrame inside earlier assays' results (dataclass fields, mappings, ``.table``).

    Names are ``<assay id>.<field>``; sorted for a deterministic order.

    Examples
    --------
    >>> import pandas as pd
    >>> from exodisc.knowledge import collect_tables
    >>> de = pd.DataFrame({"gene": ["SOX9"], "log2_fc": [1.2]})
    >>> sorted(collect_tables({"rnaseq": {"de": de, "note": "text"}}))
    ['rnaseq.de']
    """
    out: dict[str, pd.DataFrame] = {}
    for key, value in results.items():
        _frames_of(value, str(key), out)
    return dict(sorted(out.items()))


def _find(cols: Mapping[str, str], names: tuple[str, ...]) -> str | None:
    for n in names:
        if n in cols:
            return cols[n]
    return None


def _direction(value: float, p: float | None, alpha: float) -> str:
    if not np.isfinite(value):
        return "not measured"
    if p is not None and np.isfinite(p) and p >= alpha:
        return "not significant"
    return "up" if value > 0 else "down" if value < 0 else "unchanged"


def _orientation(contrast: str, roles: Mapping[str, str]) -> int:
    """+1 treatment vs model, -1 model vs treatment, 0 other / unknown."""
    for sep in (" vs ", "_vs_", "-vs-", " - ", "/"):
        if sep in contrast:
            test, ref = (s.strip() for s in contrast.split(sep, 1))
            rt, rr = roles.get(test, ""), roles.get(ref, "")
            if rt == "treatment" and rr == "model":
                return 1
            if rt == "model" and rr == "treatment":
                return -1
            return 0
    return 0


def _curated_features(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """(key, kind, entry, expected direction, axis label) for every curated feature."""
    feats: list[dict[str, Any]] = []
    for _, r in kb.cargo.iterrows():
        targets = ",".join(r["target_symbols"]) or r["target_table"]
        axis = f"{r['rna']} → {targets}"
        names = [r["rna"], r["rna_table"], r["rna_text"], *r["mirbase_v21"], *r["rna_gene_symbols"]]
        feats.append(
            {
                "keys": {normalise_rna(n) for n in names if n},
                "symbol": None,
                "role": "RNA",
                "entry": r["id"],
                "expected": "up",
                "axis": axis,
                "rna": r,
            }
        )
        for sym in r["target_symbols"]:
            feats.append(
                {
                    "keys": set(),
                    "symbol": sym,
                    "role": "target",
                    "entry": r["id"],
                    "expected": r["expected_target_direction"],
                    "axis": axis,
                    "rna": r,
                }
            )
    seen: set[str] = set()
    for _, f in kb.findings.iterrows():
        if f["kind"] not in ("gene_protein", "top_gene") or f["direction"] not in ("up", "down"):
            continue
        if f["comparison"] in ("il1b vs ctrl", "usc_gw vs usc"):
            continue
        for sym in f["symbols"]:
            if sym in seen:  # markers_usc and markers_exo: one expectation per gene
                continue
            seen.add(sym)
            feats.append(
                {
                    "keys": set(),
                    "symbol": sym,
                    "role": f"seed study ({f['id']})",
                    "entry": f["id"],
                    "expected": f["direction"],
                    "axis": f"seed: {f['subject']}",
                    "rna": None,
                }
            )
    return feats


def _support(rna: pd.Series | None, feature: str, role: str) -> str:
    if rna is None or rna["rna_class"] != "miRNA" or role != "target":
        return "not applicable"
    sup = interaction_support()
    rows = sup[sup["entry_id"].eq(rna["id"]) & sup["target"].eq(feature)]
    dbs = sorted({d for x in rows["databases"] for d in x.split(";") if d})
    if not dbs:
        return "not in miRTarBase / starBase / miRcode"
    kind = "validated" if "mirTarBase" in dbs else "predicted"
    return f"{kind} ({', '.join(dbs)})"


def _edges(tables: Mapping[str, pd.DataFrame]) -> set[str] | None:
    nodes: set[str] = set()
    found = False
    for frame in tables.values():
        cols = {str(c).lower(): str(c) for c in frame.columns}
        for a, b in _EDGE_PAIRS:
            if a in cols and b in cols:
                found = True
                for col in (cols[a], cols[b]):
                    for v in frame[col].astype(str):
                        nodes.add(v.upper())
                        nodes.add(normalise_rna(v))
    return nodes if found else None


def crosslink(
    tables: Mapping[str, pd.DataFrame],
    *,
    roles: Mapping[str, str] | None = None,
    alpha: float = 0.05,
    kb: KnowledgeBase | None = None,
) -> CrossLinkResult:
    """List every curated RNA, target or seed-study gene present in a study's result tables.

    Parameters
    ----------
    tables
        Result tables by name. A table is used when it has a feature column (``gene``,
        ``symbol``, ``feature``, ``target``, ``mirna`` …) and a log2 fold-change column
        (``log2_fc``, ``log2FoldChange``, ``logFC`` …); a ``contrast`` column such as
        ``"usc vs il1b"`` gives the orientation. Tables with ``mirna`` + ``target`` columns are
        read as a ceRNA / interaction network; tables with a ``term`` / ``pathway`` column as
        enrichment results.
    roles
        Group id → role (``model``, ``treatment`` …) from the study, to orient contrasts: the
        expected directions are those of a therapeutic effect, treatment vs disease model.
    alpha
        Adjusted p-value threshold for calling a direction.
    kb
        The knowledge; the packaged data by default.

    Returns
    -------
    CrossLinkResult

    Notes
    -----
    Expected directions: a delivered RNA should be higher in treated cells; a miRNA's target
    lower where the review says it is repressed (``expected_target_direction``); seed-study
    markers (SOX9, COL2A1, ACAN) higher and the reported top genes as reported. Interaction
    support comes from the miRTarBase (validated), starBase and miRcode tables bundled in the
    Bioconductor package GDCRNATools (R: ``GDCRNATools::gdcCEAnalysis`` uses the same data).

    Examples
    --------
    >>> import pandas as pd
    >>> from exodisc.knowledge import crosslink
    >>> de = pd.DataFrame({"gene": ["SOX9", "ACAN", "GAPDH"], "log2_fc": [1.2, 0.8, 0.0],
    ...                    "padj": [0.001, 0.01, 0.9], "contrast": ["usc vs il1b"] * 3})
    >>> res = crosslink({"rnaseq_de": de}, roles={"usc": "treatment", "il1b": "model"})
    >>> sorted(set(res.axes["feature"]))
    ['ACAN', 'SOX9']
    """
    kb = kb or load_knowledge()
    roles = dict(roles or {})
    feats = _curated_features(kb)
    by_symbol: dict[str, list[dict[str, Any]]] = {}
    by_key: dict[str, list[dict[str, Any]]] = {}
    for f in feats:
        if f["symbol"]:
            by_symbol.setdefault(f["symbol"].upper(), []).append(f)
        for k in f["keys"]:
            by_key.setdefault(k, []).append(f)
    network = _edges(tables)
    rows: list[dict[str, Any]] = []
    scanned: list[dict[str, str]] = []
    path_rows: list[dict[str, Any]] = []
    pathway_names = [
        (f["id"], f["subject"]) for _, f in kb.findings.iterrows() if f["kind"] == "pathway"
    ]
    for name, frame in tables.items():
        cols = {str(c).lower(): str(c) for c in frame.columns}
        feat_col = _find(cols, _FEATURE_COLS)
        lfc_col = _find(cols, _LFC_COLS)
        p_col = _find(cols, _P_COLS)
        term_col = _find(cols, _TERM_COLS)
        con_col = _find(cols, ("contrast", "comparison"))
        pair_cols = (cols.get("group1"), cols.get("group2"))
        if lfc_col is None and "mean_diff" in cols and all(pair_cols):
            lfc_col = cols["mean_diff"]
        if term_col and p_col and not lfc_col:
            scanned.append(
                {"table": name, "used_as": "enrichment", "columns": f"{term_col}, {p_col}"}
            )
            for pid, subject in pathway_names:
                core = subject.lower().replace(" signaling pathway", "").replace("κ", "k")
                for _, t in frame.iterrows():
                    term = str(t[term_col]).lower().replace("κ", "k")
                    if core in term:
                        path_rows.append(
                            {
                                "finding": pid,
                                "pathway": subject,
                                "term": t[term_col],
                                "p": float(t[p_col]),
                                "source_table": name,
                            }
                        )
            continue
        if feat_col is None or lfc_col is None:
            scanned.append(
                {
                    "table": name,
                    "used_as": "skipped",
                    "columns": "no feature + log2 fold-change columns",
                }
            )
            continue
        scanned.append(
            {
                "table": name,
                "used_as": "features",
                "columns": f"{feat_col}, {lfc_col}, {p_col or '-'}",
            }
        )
        for _, t in frame.iterrows():
            value = str(t[feat_col])
            matched = by_symbol.get(value.upper(), []) + by_key.get(normalise_rna(value), [])
            if not matched:
                continue
            lfc = pd.to_numeric(t[lfc_col], errors="coerce")
            pv = float(pd.to_numeric(t[p_col], errors="coerce")) if p_col else None
            if con_col:
                contrast = str(t[con_col])
            elif pair_cols[0] and pair_cols[1]:
                contrast = f"{t[pair_cols[0]]} vs {t[pair_cols[1]]}"
            else:
                contrast = ""
            sign = _orientation(contrast, roles) if contrast else 0
            observed = _direction(float(lfc), pv, alpha)
            for f in matched:
                expected = f["expected"]
                if expected == "not_stated":
                    agrees = "no expectation"
                elif observed in ("not significant", "not measured", "unchanged"):
                    agrees = observed
                elif sign == 0:
                    agrees = "contrast not treatment vs model"
                else:
                    oriented = observed if sign > 0 else {"up": "down", "down": "up"}[observed]
                    agrees = "yes" if oriented == expected else "no"
                if network is None:
                    in_net = "no network"
                else:
                    in_net = (
                        "yes"
                        if (value.upper() in network or normalise_rna(value) in network)
                        else "no"
                    )
                rows.append(
                    {
                        "axis": f["axis"],
                        "entry_id": f["entry"],
                        "feature": value,
                        "role": f["role"],
                        "source_table": name,
                        "contrast": contrast,
                        "log2_fc": float(lfc),
                        "p_adj": np.nan if pv is None else pv,
                        "observed_direction": observed,
                        "expected_direction": expected,
                        "agrees": agrees,
                        "interaction_support": _support(f["rna"], value, f["role"]),
                        "in_cerna_network": in_net,
                    }
                )
    axes = pd.DataFrame(rows, columns=AXES_COLUMNS)
    if not axes.empty:
        axes = axes.sort_values(
            ["entry_id", "feature", "source_table", "contrast"], kind="mergesort"
        )
        axes = axes.reset_index(drop=True)
    pathways = pd.DataFrame(path_rows, columns=["finding", "pathway", "term", "p", "source_table"])
    return CrossLinkResult(
        axes=axes,
        pathways=pathways,
        scanned=pd.DataFrame(scanned, columns=["table", "used_as", "columns"]),
        params={"knowledge_version": kb.version, "alpha": alpha, "roles": roles},
    )
