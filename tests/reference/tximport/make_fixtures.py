"""Write the small salmon / kallisto fixtures (run once; outputs are committed)."""

from pathlib import Path

import numpy as np

rng = np.random.default_rng(6)
here = Path(__file__).parent
tx = [f"ENST{i:04d}.{1 + (i % 3 == 0)}" for i in range(1, 9)]
genes = ["GENE_A", "GENE_A", "GENE_B", "GENE_B", "GENE_B", "GENE_C", "GENE_D", "GENE_E"]
length = np.array([1500, 800, 2400, 600, 1200, 950, 3000, 700])
with (here / "tx2gene.csv").open("w") as fh:
    fh.write("TXNAME,GENEID\n")
    for t, g in zip(tx, genes, strict=True):
        fh.write(f"{t},{g}\n")
for kind in ("salmon", "kallisto"):
    for s in range(1, 4):
        counts = rng.negative_binomial(2, 2 / (2 + rng.uniform(5, 400, len(tx)))).astype(float)
        counts[[1, 6]] = counts[[1, 6]] + rng.uniform(0, 1, 2).round(3)  # EM gives fractions
        if s == 2:
            counts[5] = 0.0  # GENE_C has zero TPM in one sample -> tximport's length fill-in
        counts[7] = 0.0  # GENE_E is never expressed -> the other fill-in rule
        eff = np.maximum(length - rng.uniform(150, 250, len(tx)), 1.0).round(3)
        rate = counts / eff
        tpm = rate / rate.sum() * 1e6
        d = here / kind / f"S{s}"
        d.mkdir(parents=True, exist_ok=True)
        if kind == "salmon":
            with (d / "quant.sf").open("w") as fh:
                fh.write("Name\tLength\tEffectiveLength\tTPM\tNumReads\n")
                for i, t in enumerate(tx):
                    fh.write(f"{t}\t{length[i]}\t{eff[i]:.3f}\t{tpm[i]:.6f}\t{counts[i]:.3f}\n")
        else:
            with (d / "abundance.tsv").open("w") as fh:
                fh.write("target_id\tlength\teff_length\test_counts\ttpm\n")
                for i, t in enumerate(tx):
                    fh.write(f"{t}\t{length[i]}\t{eff[i]:g}\t{counts[i]:g}\t{tpm[i]:g}\n")
