"""VST and PCA against R (varianceStabilizingTransformation(blind = FALSE), plotPCA)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from exodisc.omics.de import pca_coordinates, run_de, vst
from tests.de.de_helpers import REF, synthetic


def test_vst_and_pca_match_r() -> None:
    adata, design, con = synthetic("paired9")
    res = run_de(adata, design, con)
    ours = vst(res)
    ref = pd.read_csv(REF / "synthetic_paired9_vst.tsv.gz", sep="\t", index_col=0)
    np.testing.assert_allclose(ours.loc[ref.index, ref.columns], ref, rtol=1e-8)
    scores, frac = pca_coordinates(ours, n_top=500)
    rp = pd.read_csv(REF / "synthetic_paired9_pca.tsv", sep="\t", index_col=0)
    for pc in ("PC1", "PC2"):  # signs are arbitrary
        a, b = scores.loc[rp.index, pc].to_numpy(), rp[pc].to_numpy()
        sign = np.sign(np.dot(a, b))
        np.testing.assert_allclose(sign * a, b, rtol=1e-6, atol=1e-8)
    pv = np.loadtxt(REF / "synthetic_paired9_pca_percentvar.txt")
    np.testing.assert_allclose(frac[:2], pv, rtol=1e-6)


def test_sample_distances_match_r_vst() -> None:
    """Distances drawn by pl.sample_distances equal dist(t(assay(vsd))) from R's VST."""
    from scipy.spatial.distance import pdist, squareform

    from exodisc.pl import sample_distances

    adata, design, con = synthetic("paired9")
    res = run_de(adata, design, con)
    ref = pd.read_csv(REF / "synthetic_paired9_vst.tsv.gz", sep="\t", index_col=0)
    fig, dist = sample_distances(vst(res), adata.obs["condition"])
    expected = squareform(pdist(ref[dist.columns].to_numpy().T))
    np.testing.assert_allclose(dist.to_numpy(), expected, rtol=1e-8)
    assert fig.axes
