"""Loading and validating the curated knowledge files shipped in ``exodisc/knowledge/data``."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from exodisc.errors import SchemaError

__all__ = ["KnowledgeBase", "load_knowledge", "validate_table"]

_TABLES = ("cargo", "strategies", "findings", "discrepancies")


@dataclass(frozen=True)
class KnowledgeBase:
    """The curated knowledge, validated against ``data/manifest.yaml``.

    Attributes
    ----------
    version
        Version of the data files (``manifest.yaml``).
    cargo
        One row per exosomal / vesicular RNA of the review (Table 1 and text).
    strategies
        The review's other strategies and the harsh-environment factors.
    findings
        The seed study's own findings.
    discrepancies
        Where the review's text and its Table 1 disagree; both readings are kept.
    sources
        Source descriptions by key (``review``, ``seed_study``).

    Notes
    -----
    List-valued columns (HGNC symbols, reference numbers, discrepancy ids) hold tuples.
    """

    version: str
    cargo: pd.DataFrame
    strategies: pd.DataFrame
    findings: pd.DataFrame
    discrepancies: pd.DataFrame
    sources: dict[str, str]

    def table(self, name: str) -> pd.DataFrame:
        """A copy of one table: ``cargo``, ``strategies``, ``findings`` or ``discrepancies``."""
        if name not in _TABLES:
            msg = f"unknown knowledge table {name!r}; expected one of {', '.join(_TABLES)}"
            raise KeyError(msg)
        frame: pd.DataFrame = getattr(self, name)
        return frame.copy()


def _read_manifest(folder: Any) -> dict[str, Any]:
    from ruamel.yaml import YAML

    text = (folder / "manifest.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = YAML(typ="safe").load(text)
    return data


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(";") if v.strip())


def validate_table(
    raw: pd.DataFrame, spec: dict[str, Any], enums: dict[str, list[str]], *, name: str
) -> pd.DataFrame:
    """Check one raw (all-string) table against its manifest entry and convert its types.

    Every problem is collected and raised at once as :class:`exodisc.errors.SchemaError`
    naming the file, row (1-based data row, header is line 1) and column.
    """
    columns: dict[str, dict[str, Any]] = spec["columns"]
    problems: list[str] = []
    missing = [c for c in columns if c not in raw.columns]
    extra = [c for c in raw.columns if c not in columns]
    if missing:
        problems.append(f"missing column(s) {missing}")
    if extra:
        problems.append(f"unexpected column(s) {extra}")
    if problems:
        raise SchemaError(f"{name}: " + "; ".join(problems))
    out: dict[str, list[Any]] = {c: [] for c in columns}
    for i, row in enumerate(raw.itertuples(index=False), start=2):
        values = dict(zip(raw.columns, row, strict=True))
        for col, rule in columns.items():
            text = str(values[col]).strip()
            where = f"line {i}, column {col!r}"
            if rule.get("required") and not text:
                problems.append(f"{where}: empty, a value is required")
            enum = rule.get("enum")
            if enum and text and text not in enums[enum]:
                problems.append(f"{where}: {text!r} is not one of {enums[enum]}")
            kind = rule.get("type", "str")
            converted: Any = text
            if kind == "list":
                converted = _split(text)
            elif kind in ("int", "intlist"):
                parts = _split(text)
                bad = [p for p in parts if not p.isdigit()]
                if bad:
                    problems.append(f"{where}: {bad} are not whole numbers")
                    parts = ()
                nums = tuple(int(p) for p in parts)
                converted = nums if kind == "intlist" else (nums[0] if nums else None)
            elif kind == "bool":
                if text not in ("true", "false"):
                    problems.append(f"{where}: {text!r} is not true/false")
                converted = text == "true"
            out[col].append(converted)
    frame = pd.DataFrame(out, columns=list(columns))
    for col, rule in columns.items():
        if rule.get("unique") and frame[col].duplicated().any():
            dups = sorted(set(frame.loc[frame[col].duplicated(), col]))
            problems.append(f"column {col!r}: duplicated value(s) {dups}")
    if problems:
        raise SchemaError(f"{name}: {len(problems)} problem(s)\n  - " + "\n  - ".join(problems))
    return frame


def _load(folder: Any) -> KnowledgeBase:
    manifest = _read_manifest(folder)
    frames: dict[str, pd.DataFrame] = {}
    for name in _TABLES:
        spec = manifest["tables"][name]
        text = (folder / spec["file"]).read_text(encoding="utf-8")
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        frames[name] = validate_table(raw, spec, manifest["enums"], name=str(spec["file"]))
    return KnowledgeBase(
        version=str(manifest["version"]),
        sources={k: " ".join(str(v).split()) for k, v in manifest["sources"].items()},
        **frames,
    )


@functools.cache
def _packaged() -> KnowledgeBase:
    return _load(resources.files("exodisc.knowledge") / "data")


def load_knowledge(folder: str | Path | None = None) -> KnowledgeBase:
    """Load the curated knowledge (the packaged data files, or a folder of the same layout).

    Parameters
    ----------
    folder
        A folder holding ``manifest.yaml`` and the CSV files; by default the data shipped
        inside the package.

    Returns
    -------
    KnowledgeBase
        Validated tables; the packaged one is loaded once per process.

    Raises
    ------
    SchemaError
        A data file breaks the manifest's schema (every problem is listed).

    Notes
    -----
    No R package holds this; it is the review's Table 1 and text typed as data.

    Examples
    --------
    >>> kb = load_knowledge()
    >>> int(kb.cargo["in_table1"].sum())
    16
    """
    if folder is None:
        return _packaged()
    return _load(Path(folder))
