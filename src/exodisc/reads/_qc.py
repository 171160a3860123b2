"""QC tables of a reads run, parsed from the tools' own reports (fastp, cutadapt, …)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from exodisc.reads._steps import read_fastp_json

__all__ = ["qc_tables"]


def _cutadapt(path: Path) -> dict[str, object]:
    d = json.loads(path.read_text())
    rc = d["read_counts"]
    filt = rc.get("filtered", {})
    return {
        "reads_in": int(rc["input"]),
        "with_adapter": int(rc["read1_with_adapter"]),
        "too_short": int(filt.get("too_short", 0) or 0),
        "too_long": int(filt.get("too_long", 0) or 0),
        "discarded_untrimmed": int(filt.get("discard_untrimmed", 0) or 0),
        "reads_out": int(rc["output"]),
    }


def qc_tables(qc: str | Path) -> dict[str, pd.DataFrame]:
    """``reads_fastp``, ``reads_strandedness``, ``reads_small_rna`` tables from ``qc/``.

    Each has a ``sample`` column; missing sources give no table.
    """
    qc = Path(qc)
    out: dict[str, pd.DataFrame] = {}
    rows = []
    for p in sorted((qc / "fastp").glob("*.fastp.json")):
        name = p.name.removesuffix(".fastp.json")
        lib = "small" if name.endswith("_small") else "total"
        rows.append({"sample": name.removesuffix("_small"), "library": lib, **read_fastp_json(p)})
    if rows:
        out["reads_fastp"] = pd.DataFrame(rows)
    rows = []
    for p in sorted((qc / "strandedness").glob("*.json")):
        d = json.loads(p.read_text())
        rows.append({"sample": p.stem, **d})
    if rows:
        out["reads_strandedness"] = pd.DataFrame(rows)
    rows = []
    for p in sorted((qc / "cutadapt").glob("*.cutadapt.json")):
        sample = p.name.removesuffix(".cutadapt.json")
        ad = json.loads((qc / "adapter" / f"{sample}.json").read_text())
        mi_path = qc / "mirna" / f"{sample}.json"
        mi = json.loads(mi_path.read_text()) if mi_path.is_file() else {}
        rows.append(
            {
                "sample": sample,
                "adapter": ad["adapter"],
                "adapter_source": ad["source"],
                **_cutadapt(p),
                "mature_mirna_reads": mi.get("assigned", 0),
                "hairpin_not_mature": mi.get("not_mature", 0),
                "no_hairpin": mi.get("unmapped", 0),
                "ambiguous": mi.get("ambiguous", 0),
            }
        )
    if rows:
        out["reads_small_rna"] = pd.DataFrame(rows)
    return out
