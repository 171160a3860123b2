"""Make ``src/exodisc/knowledge/data/interaction_support.csv`` from the shared interaction tables.

For every curated miRNA → target pair of the review (cargo.csv: each miRBase v21 mature name x
each HGNC target / text symbol), list which databases bundled in GDCRNATools (miRTarBase =
experimentally validated; starBase, miRcode = predicted) hold the pair. Gene symbols are mapped
to Ensembl gene ids with the GDCRNATools GENCODE biotype table.

Run from the repository root:
    PYTHONPATH=src python tests/reference/knowledge/make_interaction_support.py
(needs ../shared/data or EXODISC_SHARED).
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pandas as pd

from exodisc.knowledge import load_knowledge

REPO = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("EXODISC_SHARED", REPO.parent / "shared")) / "data"


def main() -> int:
    inter_path = SHARED / "mirna_targets" / "gdcrnatools_mRNA_miRNA_interactions.tsv.gz"
    biotype_path = SHARED / "gene_annotation" / "gdcrnatools_gencode_biotype.tsv.gz"
    inter = pd.read_csv(inter_path, sep="\t")
    biotype = pd.read_csv(biotype_path, sep="\t", usecols=["ensemblID", "geneSymbol"])
    sym2ens = biotype.groupby("geneSymbol")["ensemblID"].apply(set).to_dict()
    kb = load_knowledge()
    rows = []
    for _, r in kb.cargo.iterrows():
        if r["rna_class"] != "miRNA":
            continue
        for mirna in r["mirbase_v21"]:
            for sym in dict.fromkeys(r["target_symbols"] + r["text_symbols"]):
                ens = sym2ens.get(sym, set())
                hit = inter[inter["mirna"].eq(mirna) & inter["ensembl_gene_id"].isin(ens)]
                dbs = sorted(set(hit["database"]))
                rows.append(
                    {
                        "entry_id": r["id"],
                        "mirna": mirna,
                        "target": sym,
                        "ensembl_gene_id": ";".join(sorted(ens)),
                        "databases": ";".join(dbs),
                        "validated": "mirTarBase" in dbs,
                    }
                )
    out = pd.DataFrame(rows)
    dest = REPO / "src" / "exodisc" / "knowledge" / "data" / "interaction_support.csv"
    out.to_csv(dest, index=False, lineterminator="\n")
    sha = hashlib.sha256(inter_path.read_bytes()).hexdigest()
    print(f"{len(out)} pairs written to {dest}; source sha256 {sha}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
