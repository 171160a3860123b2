"""Write the small synthetic inputs of the ceRNA reference (run once; outputs committed)."""

from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
rng = np.random.default_rng(8)
samples = [f"S{i}" for i in range(1, 10)]
mirs = [f"hsa-miR-{100 + i}-{'5p' if i % 2 else '3p'}" for i in range(30)]
lnc = [f"LNC{i:02d}" for i in range(12)]
pc = [f"PC{i:02d}" for i in range(25)]
latent = rng.normal(size=9)


def write(path: Path, ids: list[str], x: np.ndarray) -> None:
    with path.open("w") as fh:
        fh.write("\t".join(["feature", *samples]) + "\n")
        for i, f in enumerate(ids):
            fh.write("\t".join([f, *(repr(float(v)) for v in x[i])]) + "\n")


write(
    HERE / "expr_lnc.tsv", lnc, 5 + np.outer(rng.normal(size=12), latent) + rng.normal(size=(12, 9))
)
write(
    HERE / "expr_pc.tsv", pc, 6 + np.outer(rng.normal(size=25), latent) + rng.normal(size=(25, 9))
)
write(
    HERE / "expr_mir.tsv",
    mirs[:24],
    4 + np.outer(rng.normal(size=24), latent) + rng.normal(size=(24, 9)),
)
lnc_t = {g: list(rng.choice(mirs, size=int(rng.integers(1, 9)), replace=False)) for g in lnc}
pc_t = {g: list(rng.choice(mirs, size=int(rng.integers(1, 12)), replace=False)) for g in pc}
# planted: PC00-PC05 share the targets of LNC00-LNC02 (two mRNAs each) plus one other miRNA
for i in range(6):
    src = lnc_t[lnc[i // 2]]
    pc_t[pc[i]] = sorted(set(src) | {mirs[(7 * i) % 30]})
    lnc_t[lnc[i // 2]] = sorted(set(src) | set(rng.choice(mirs, size=4, replace=False)))
    pc_t[pc[i]] = sorted(set(pc_t[pc[i]]) | set(lnc_t[lnc[i // 2]]))
for name, table in (("targets_lnc.tsv", lnc_t), ("targets_pc.tsv", pc_t)):
    with (HERE / name).open("w") as fh:
        fh.write("gene\tmirna\n")
        for g, ms in table.items():
            for m in ms:
                fh.write(f"{g}\t{m}\n")
