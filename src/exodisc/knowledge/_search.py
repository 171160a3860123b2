"""Searching the curated knowledge by RNA, target, pathway, effect or strategy."""

from __future__ import annotations

import re
from typing import Literal

import pandas as pd

from exodisc.knowledge._data import KnowledgeBase, load_knowledge

__all__ = ["HIT_COLUMNS", "normalise_rna", "search"]

SearchField = Literal["any", "rna", "target", "pathway", "effect", "strategy", "finding"]

HIT_COLUMNS = [
    "source",
    "id",
    "name",
    "targets",
    "pathway",
    "differentiation",
    "ecm",
    "inflammation",
    "reference",
    "note",
]

_GREEK = str.maketrans({"β": "b", "α": "a", "κ": "k", "γ": "g", "µ": "u", "μ": "u"})
_EFFECT_COLS = {
    "differentiation": "effect_differentiation",
    "ecm": "effect_ecm",
    "inflammation": "effect_inflammation",
}
_EFFECT_VALUES = ("promotion", "repression", "not_stated")


def _plain(text: str) -> str:
    return " ".join(text.translate(_GREEK).lower().split())


def normalise_rna(name: str) -> str:
    """A comparable key for an RNA name in any of the spellings the literature uses.

    ``miRNA-199a``, ``hsa-miR-199a`` and ``mir199a`` give ``mir-199a``; ``cirRNA0050205``,
    ``circ_0050205`` and ``hsa_circ_0050205`` give ``circ0050205``.

    Examples
    --------
    >>> normalise_rna("miRNA-140-3p"), normalise_rna("hsa_circ_0072464")
    ('mir-140-3p', 'circ0072464')
    """
    key = _plain(name).replace(" ", "")
    key = re.sub(r"^(hsa[-_])", "", key)
    key = re.sub(r"^(microrna|mirna|mir)[-_]?", "mir-", key)
    key = re.sub(r"^(circrna|cirrna|circ)[-_]?", "circ", key)
    key = re.sub(r"^lncrna[-_]?", "", key)
    return key


def _rna_matches(term: str, names: list[str]) -> bool:
    t = normalise_rna(term)
    for n in names:
        k = normalise_rna(n)
        if not k:
            continue
        if t == k or k.startswith(t + "-") or t.startswith(k + "-"):
            return True
    return False


def _contains(term: str, *texts: str) -> bool:
    t = _plain(term)
    return any(t in _plain(x) for x in texts if x)


def _symbol_in(term: str, symbols: tuple[str, ...]) -> bool:
    t = term.strip().upper()
    return any(t == s.upper() for s in symbols)


def _reference(row: pd.Series) -> str:
    ref = f"{row['first_author_table']} et al[{row['ref_table']}]"
    text_refs = tuple(row["refs_text"])
    if text_refs and text_refs != (row["ref_table"],):
        ref += f"; text [{','.join(map(str, text_refs))}]"
    elif not text_refs:
        ref += "; text: no reference"
    return ref


def _cargo_hits(kb: KnowledgeBase, term: str, by: str) -> pd.DataFrame:
    rows = []
    disc = kb.discrepancies.set_index("id")
    effect_term = _plain(term).replace(" ", "")
    for _, r in kb.cargo.iterrows():
        names = [r["rna"], r["rna_table"], r["rna_text"], *r["mirbase_v21"], *r["rna_gene_symbols"]]
        hit = False
        if by in ("any", "rna"):
            hit |= _rna_matches(term, names)
        if by in ("any", "target"):
            hit |= _symbol_in(term, r["target_symbols"] + r["text_symbols"])
            hit |= by == "target" and _contains(term, r["target_table"])
        if by in ("any", "pathway"):
            hit |= _contains(term, r["pathway"]) if len(term) > 2 else False
        if by == "effect":
            hit |= _effect_match(effect_term, r)
        if not hit:
            continue
        notes = [r["notes"]] if r["notes"] else []
        notes += [f"{d}: {disc.loc[d, 'note']}" for d in r["discrepancy_ids"] if d in disc.index]
        targets = ";".join(r["target_symbols"]) or r["target_table"]
        rows.append(
            {
                "source": "review: exosomal RNA",
                "id": r["id"],
                "name": f"{r['rna']} (table: {r['rna_table']}; text: {r['rna_text']})",
                "targets": targets,
                "pathway": r["pathway"],
                "differentiation": r["effect_differentiation"],
                "ecm": r["effect_ecm"],
                "inflammation": r["effect_inflammation"],
                "reference": _reference(r),
                "note": " | ".join(notes),
            }
        )
    return pd.DataFrame(rows, columns=HIT_COLUMNS)


def _effect_match(term: str, r: pd.Series) -> bool:
    # "ecm", "inflammation=repression", "promotion", "differentiation:promotion"
    parts = re.split(r"[:=]", term)
    if len(parts) == 2:
        col = _EFFECT_COLS.get(parts[0])
        return col is not None and r[col] == parts[1]
    if term in _EFFECT_COLS:
        return r[_EFFECT_COLS[term]] != "not_stated"
    if term in _EFFECT_VALUES:
        return any(r[c] == term for c in _EFFECT_COLS.values())
    return False


def _strategy_hits(kb: KnowledgeBase, term: str, by: str) -> pd.DataFrame:
    rows = []
    effect_term = _plain(term).replace(" ", "")
    for _, r in kb.strategies.iterrows():
        hit = False
        if by in ("any", "strategy"):
            hit |= _contains(term, r["id"], r["name"], r["name_text"], r["category"])
        if by in ("any", "target"):
            hit |= _symbol_in(term, r["symbols"])
        if by in ("any", "pathway"):
            hit |= _contains(term, r["mechanism"]) if len(term) > 2 else False
        if by == "effect":
            hit |= _effect_match(effect_term, r)
        if not hit:
            continue
        rows.append(
            {
                "source": f"review: {r['category'].replace('_', ' ')}",
                "id": r["id"],
                "name": r["name"],
                "targets": ";".join(r["symbols"]),
                "pathway": r["mechanism"],
                "differentiation": r["effect_differentiation"],
                "ecm": r["effect_ecm"],
                "inflammation": r["effect_inflammation"],
                "reference": f"review [{','.join(map(str, r['refs_text']))}]",
                "note": r["notes"],
            }
        )
    return pd.DataFrame(rows, columns=HIT_COLUMNS)


def _finding_hits(kb: KnowledgeBase, term: str, by: str) -> pd.DataFrame:
    rows = []
    for _, r in kb.findings.iterrows():
        hit = False
        if by in ("any", "finding", "target"):
            hit |= _symbol_in(term, r["symbols"])
        if by in ("any", "finding", "pathway"):
            hit |= _contains(term, r["subject"]) if len(term) > 2 else False
        if by == "finding":
            hit |= _contains(term, r["id"], r["kind"], r["evidence"])
        if not hit:
            continue
        rows.append(
            {
                "source": "seed study",
                "id": r["id"],
                "name": r["subject"],
                "targets": ";".join(r["symbols"]),
                "pathway": r["subject"] if r["kind"] == "pathway" else "",
                "differentiation": "",
                "ecm": "",
                "inflammation": "",
                "reference": f"seed study {r['figure']}".strip(),
                "note": (
                    f"{r['comparison']}: {r['direction']} ({r['evidence']}). {r['notes']}"
                ).strip(),
            }
        )
    return pd.DataFrame(rows, columns=HIT_COLUMNS)


def search(term: str, *, by: SearchField = "any", kb: KnowledgeBase | None = None) -> pd.DataFrame:
    """Find curated entries by RNA, target gene, pathway, effect or strategy.

    Parameters
    ----------
    term
        What to look for: an RNA in any spelling (``miR-199a``, ``miRNA-140-3p``,
        ``circ_0050205``), an HGNC symbol (``GREM1``), words of a pathway (``TGF-β``,
        ``NF-kB``), a strategy (``hydrogel``, ``leptin``) or, with ``by="effect"``, an effect
        (``ecm``, ``repression``, ``inflammation=repression``).
    by
        Which fields to search; ``"any"`` searches RNA, target, pathway, strategy and the seed
        study's findings.
    kb
        Knowledge to search; the packaged data by default.

    Returns
    -------
    pandas.DataFrame
        One row per hit with columns :data:`HIT_COLUMNS`; discrepancy notes are in ``note``.

    Notes
    -----
    RNA names match whole names or arms (``miR-199a`` finds ``hsa-miR-199a`` and would find
    ``hsa-miR-199a-5p``; ``miR-21`` does not find ``miR-217``). There is no R equivalent;
    the nearest public resources (ExoCarta, Vesiclepedia) are generic cargo catalogues.

    Examples
    --------
    >>> hits = search("miR-199a")
    >>> hits.loc[0, "targets"], hits.loc[0, "reference"]
    ('GREM1', 'Wen et al[35]')
    """
    if not term.strip():
        msg = "search term is empty; give an RNA, gene symbol, pathway, effect or strategy"
        raise ValueError(msg)
    allowed = ("any", "rna", "target", "pathway", "effect", "strategy", "finding")
    if by not in allowed:
        msg = f"by={by!r} is not one of {allowed}"
        raise ValueError(msg)
    kb = kb or load_knowledge()
    parts = [_cargo_hits(kb, term, by), _strategy_hits(kb, term, by), _finding_hits(kb, term, by)]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=HIT_COLUMNS)
    return pd.concat(parts, ignore_index=True)
