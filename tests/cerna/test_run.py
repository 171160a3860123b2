"""The ``cerna`` assay's own steps: normalisation, DE inputs, option errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.errors import DesignError, StudyFileError
from exodisc.omics.cerna._run import _log_normalised


def test_size_factors_equal_pydeseq2() -> None:
    from pydeseq2.preprocessing import deseq2_norm

    rng = np.random.default_rng(0)
    counts = pd.DataFrame(
        rng.negative_binomial(5, 0.05, size=(200, 6)), columns=[f"s{i}" for i in range(6)]
    )
    counts.iloc[:5, 2] = 0  # rows with zeros are left out of the geometric means
    ours = _log_normalised(counts)
    normed, _ = deseq2_norm(counts.T.to_numpy())  # samples x genes
    np.testing.assert_allclose(ours.to_numpy(), np.log2(normed.T + 1.0), rtol=1e-12)


def _rewrite(folder: Path, tmp: Path, old: str, new: str) -> Path:
    text = (folder / "study.yaml").read_text()
    assert old in text
    (tmp / "study.yaml").write_text(text.replace(old, new))
    if not (tmp / "raw").exists():
        (tmp / "raw").symlink_to(folder / "raw")
    return tmp / "study.yaml"


def test_de_tables_replace_the_welch_screen(cerna_demo, tmp_path: Path) -> None:
    """DE tables given per class set the directions; only classes without one are screened."""
    from exodisc.config import load_study
    from exodisc.pipeline import analyse

    _, results, folder, _ = cerna_demo
    res = results["cerna_lncrna"]
    d = res.directions
    for cls in ("cerna", "mrna"):
        sub = d[d["rna_class"] == cls]
        pd.DataFrame(
            {
                "feature_id": sub["feature_id"],
                "log2_fold_change": sub["direction"] * 2.0,
                "padj": np.where(sub["direction"] != 0, 0.001, 0.9),
            }
        ).to_csv(tmp_path / f"de_{cls}.tsv", sep="\t", index=False)
    opts = "cerna_class: lncRNA\n"
    path = _rewrite(
        Path(folder),
        tmp_path,
        opts,
        opts + f"    de:\n      cerna: {tmp_path / 'de_cerna.tsv'}\n"
        f"      mrna: {tmp_path / 'de_mrna.tsv'}\n",
    )
    report, res2 = analyse(load_study(path))
    again = res2["cerna_lncrna"]
    pd.testing.assert_frame_equal(again.network.edges, res.network.edges)
    assert again.params["welch"] == ("mirna",)
    sec = next(s for s in report.sections if s.id == "cerna_lncrna")
    welch = next(m for m in sec.methods if m.meta.key == "cerna.direction_welch")
    assert welch.params["classes"] == "mirna"


def test_bad_de_reference(cerna_demo, tmp_path: Path) -> None:
    from exodisc.config import load_study
    from exodisc.pipeline import analyse

    _, _, folder, _ = cerna_demo
    opts = "cerna_class: lncRNA\n"
    path = _rewrite(Path(folder), tmp_path, opts, opts + "    de:\n      mrna: de_nope\n")
    words = "'de_nope' is neither an"  # validation: 'assay id of the study'; run: 'earlier'
    with pytest.raises(StudyFileError, match=words):
        load_study(path)
    with pytest.raises(DesignError, match=words):
        analyse(load_study(path, check_inputs=False))


def test_all_pairs_mode_tests_more(cerna_demo, tmp_path: Path) -> None:
    from exodisc.config import load_study
    from exodisc.pipeline import analyse

    _, results, folder, _ = cerna_demo
    opts = "cerna_class: circRNA\n"
    path = _rewrite(Path(folder), tmp_path, opts, opts + "    mode: all_pairs\n")
    _, res = analyse(load_study(path))
    assert res["cerna_circrna"].pairs.n_tested > 10 * results["cerna_circrna"].pairs.n_tested
