"""Inputs where GDCRNATools' definitions and exodisc's former ones differ (run once).

From the small reference inputs: ``gdc_expr_mir.tsv`` lacks samples S4 and S7 (the miRNA
matrix shares 7 of the 9 RNA samples), and ``gdc_targets_lnc.tsv`` / ``gdc_targets_pc.tsv``
add target-table entries for features that are not in the expression matrices, with miRNAs
found nowhere else (they enlarge the miRNA population N of GDCRNATools' hyperTestFun, which
counts every miRNA of the full target lists). Run from the repository root:
    python tests/reference/cerna/make_gdc_inputs.py
"""

from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
mir = pd.read_csv(HERE / "expr_mir.tsv", sep="\t", index_col=0)
mir.drop(columns=["S4", "S7"]).to_csv(HERE / "gdc_expr_mir.tsv", sep="\t", float_format="%.17g")
tl = pd.read_csv(HERE / "targets_lnc.tsv", sep="\t")
tp = pd.read_csv(HERE / "targets_pc.tsv", sep="\t")
extra_l = [("LNCX1", f"hsa-miR-9{i:02d}-5p") for i in range(6)] + [("LNCX2", "hsa-miR-103-5p")]
extra_p = [("PCX1", f"hsa-miR-9{i:02d}-3p") for i in range(4)] + [("PCX1", "hsa-miR-900-5p")]
tl = pd.concat([tl, pd.DataFrame(extra_l, columns=["gene", "mirna"])], ignore_index=True)
tp = pd.concat([tp, pd.DataFrame(extra_p, columns=["gene", "mirna"])], ignore_index=True)
tl.to_csv(HERE / "gdc_targets_lnc.tsv", sep="\t", index=False)
tp.to_csv(HERE / "gdc_targets_pc.tsv", sep="\t", index=False)
