"""The shared core: one significance rule, one multiple-testing module, one sample mapper."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exodisc.core import is_significant, map_samples, p_adjust, sha256_bytes, sha256_file
from exodisc.errors import DesignError


def _study():
    from exodisc.config import Study

    return Study.model_validate(
        {
            "title": "t",
            "groups": [{"id": "ctrl", "label": "Control"}, {"id": "il1b", "label": "IL-1β"}],
            "replicates": 2,
        }
    )


# ---------------------------------------------------------------------------- significance
def test_is_significant_is_strict_on_both_cut_offs_as_deseq2() -> None:
    padj = np.array([0.01, 0.01, 0.05, 0.049, np.nan, 0.01])
    lfc = np.array([1.0001, 1.0, 3.0, -1.5, 5.0, np.nan])
    # R: !is.na(padj) & padj < 0.05 & abs(lfc) > 1
    assert is_significant(padj, lfc, fdr=0.05, lfc=1.0).tolist() == [
        True, False, False, True, False, False
    ]  # fmt: skip
    s = is_significant(pd.Series(padj, index=list("abcdef")), lfc, fdr=0.05, lfc=1.0)
    assert list(s.index) == list("abcdef") and s.dtype == bool


def test_enrichment_and_deseq2_use_the_same_rule() -> None:
    """A gene at exactly |LFC| = threshold was an enrichment input but not a DE call."""
    from exodisc.omics.enrichment._run import EnrichmentOptions, _de_genes

    table = pd.DataFrame(
        {
            "feature_id": ["G1", "G2", "G3", "G4"],
            "log2_fold_change": [1.0, 1.5, -2.0, 0.5],
            "padj": [0.001, 0.001, 0.2, 0.001],
        }
    )
    genes, background, _, _ = _de_genes(
        table, EnrichmentOptions(gene_sets={"x": "x.gmt"}), fdr=0.05, lfc=1.0
    )
    expected = table.loc[is_significant(table["padj"], table["log2_fold_change"]), "feature_id"]
    assert genes == list(expected) == ["G2"]
    assert background == ["G1", "G2", "G3", "G4"]


# ---------------------------------------------------------------------------- multiple testing
@pytest.mark.parametrize(
    ("ours", "theirs"),
    [("bh", "fdr_bh"), ("bonferroni", "bonferroni"), ("holm", "holm"), ("sidak", "sidak")],
)
def test_p_adjust_matches_statsmodels_and_keeps_nan(ours, theirs) -> None:
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(3)
    p = rng.uniform(0, 0.2, 40)
    p[[3, 17]] = p[5]  # ties
    with_nan = np.insert(p, [0, 10], np.nan)
    got = p_adjust(with_nan, ours)
    assert np.isnan(got[[0, 11]]).all()
    np.testing.assert_allclose(got[~np.isnan(got)], multipletests(p, method=theirs)[1],
                               rtol=1e-12, atol=0)  # fmt: skip


def test_p_adjust_bh_matches_r_worked_example() -> None:
    # R 4.x: p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05, 0.5), "BH")
    got = p_adjust([0.01, 0.02, 0.03, 0.04, 0.05, 0.5], "bh")
    np.testing.assert_allclose(got, [0.06, 0.06, 0.06, 0.06, 0.06, 0.5], rtol=1e-12)
    with pytest.raises(ValueError, match="unknown correction"):
        p_adjust([0.1], "fdr")  # type: ignore[arg-type]


def test_bh_has_one_implementation() -> None:
    from exodisc.omics.de._engine import bh_adjust
    from exodisc.stats._pvalues import p_adjust as stats_adjust

    p = np.array([0.2, np.nan, 0.01, 0.04])
    np.testing.assert_array_equal(bh_adjust(p), p_adjust(p, "bh"))
    np.testing.assert_array_equal(
        stats_adjust(p[[0, 2, 3]], "holm"), p_adjust(p[[0, 2, 3]], "holm")
    )


# ---------------------------------------------------------------------------- samples, hashing
def test_map_samples_refuses_unknown_names_naming_file_and_name(tmp_path: Path) -> None:
    study = _study()
    assert map_samples(["ctrl_1", "il1b_2", "ctrl_1"], study) == {
        "ctrl_1": "ctrl_1",
        "il1b_2": "il1b_2",
    }
    with pytest.raises(DesignError, match=r"plate\.csv: sample name\(s\) \['Ctrl 1'\] are not"):
        map_samples(["ctrl_1", "Ctrl 1"], study, path=tmp_path / "plate.csv")


@pytest.mark.slow
def test_flow_markers_refuse_an_unknown_fcs_sample_name(tmp_path: Path) -> None:
    """It used to keep the unknown name as a sample of its own."""
    from exodisc.assays.flow._demo import _apoptosis_file
    from exodisc.config import parse_study
    from exodisc.pipeline import analyse

    rng = np.random.default_rng(1)
    _apoptosis_file(rng, tmp_path / "iso.fcs", None, "isotype")
    _apoptosis_file(rng, tmp_path / "a.fcs", (0.1, 0.1, 0.0), "ctrl_1")
    _apoptosis_file(rng, tmp_path / "b.fcs", (0.1, 0.1, 0.0), "mystery tube")
    data = {
        "title": "t",
        "groups": [{"id": "ctrl", "label": "Control"}],
        "replicates": 2,
        "assays": [
            {
                "id": "markers",
                "kind": "flow_markers",
                "files": ["iso.fcs", "a.fcs", "b.fcs"],
                "options": {"control": "iso.fcs", "channels": ["Annexin V-FITC"],
                            "sample_keyword": "TUBE NAME"},
            }
        ],
    }  # fmt: skip
    with pytest.raises(DesignError, match=r"b\.fcs: FCS sample name\(s\) \['mystery tube'\]"):
        analyse(parse_study(data, path=tmp_path / "study.yaml"))


def test_one_hashing_helper(tmp_path: Path) -> None:
    import hashlib

    from exodisc.report import sha256_file as report_sha

    f = tmp_path / "x.bin"
    f.write_bytes(b"exodisc" * 1000)
    want = hashlib.sha256(b"exodisc" * 1000).hexdigest()
    assert sha256_file(f) == report_sha(f) == sha256_bytes(f.read_bytes()) == want


# ------------------------------------------------------------------------------------- heap
def test_heap_checkpoints_collect_then_freeze_and_unfreeze_on_exit() -> None:
    """A checkpoint frees the garbage cycles made so far (they are not frozen with the rest),
    hides what survives from the collector, and the block's end gives it back."""
    import gc
    import weakref

    from exodisc.core import heap_checkpoints

    class Node:
        def __init__(self) -> None:
            self.me = self  # a reference cycle: only the collector frees it

    assert gc.get_freeze_count() == 0
    with heap_checkpoints() as checkpoint:
        garbage = Node()
        dead = weakref.ref(garbage)
        kept = [Node() for _ in range(100)]
        del garbage
        checkpoint()
        assert dead() is None
        assert gc.get_freeze_count() >= len(kept)
        assert all(o is not kept for o in gc.get_objects(generation=2))  # out of sight
    assert gc.get_freeze_count() == 0
