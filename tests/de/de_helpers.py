"""Loading the reference datasets the DE tests share."""

from __future__ import annotations

from pathlib import Path

import anndata as ad
import numpy as np
import pandas as pd

REF = Path(__file__).resolve().parents[1] / "reference" / "de"


def as_anndata(counts: pd.DataFrame, sheet: pd.DataFrame) -> ad.AnnData:
    a = ad.AnnData(counts.T.to_numpy(dtype=float), obs=sheet.loc[counts.columns].astype(str))
    a.obs_names = [str(c) for c in counts.columns]
    a.var_names = [str(i) for i in counts.index]
    return a


def airway(data: Path) -> tuple[ad.AnnData, str, str]:
    c = pd.read_csv(data / "rnaseq" / "airway" / "airway_rawcounts.csv", index_col=0)
    md = pd.read_csv(data / "rnaseq" / "airway" / "airway_metadata.csv", index_col=0)
    return as_anndata(c[md.index], md), "~ celltype + dex", "dex,treated,control"


def pasilla(data: Path) -> tuple[ad.AnnData, str, str]:
    c = pd.read_csv(data / "rnaseq" / "pasilla" / "pasilla_gene_counts.tsv", sep="\t", index_col=0)
    md = pd.read_csv(data / "rnaseq" / "pasilla" / "pasilla_sample_annotation.csv", index_col=0)
    md.index = md.index.str.replace("fb$", "", regex=True)
    md = md.loc[c.columns, ["condition", "type"]]
    md["type"] = md["type"].str.replace("-", "_")
    a = as_anndata(c, md)
    # the R reference releveled condition to untreated (R's default level order is sorted)
    a.obs["condition"] = pd.Categorical(a.obs["condition"], categories=["untreated", "treated"])
    return a, "~ type + condition", "condition,treated,untreated"


def synthetic(case: str) -> tuple[ad.AnnData, str, str]:
    c = pd.read_csv(REF / f"synthetic_{case}_counts.tsv", sep="\t", index_col=0)
    md = pd.read_csv(REF / f"synthetic_{case}_samples.csv", index_col=0)
    design = "~ condition" if case.startswith("twogroup") else "~ donor + condition"
    return as_anndata(c, md), design, "condition,il1b,ctrl"


def reference(name: str) -> tuple[pd.DataFrame, pd.Series]:
    res = pd.read_csv(REF / f"{name}_results.tsv.gz", sep="\t")
    meta = pd.read_csv(REF / f"{name}_meta.tsv", sep="\t", index_col=0)["value"]
    return res, meta


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


__all__ = ["REF", "airway", "as_anndata", "jaccard", "np", "pasilla", "reference", "synthetic"]
