"""``kind: power`` inside ``exodisc run``: the section for group assays and mRNA DE."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
import pytest

from exodisc.config import AssayConfig, Study
from exodisc.registry import AssayContext, get_assay
from exodisc.report import Report


def _study(tmp_path: Path) -> Study:
    return Study.model_validate(
        {
            "title": "t",
            "groups": [
                {"id": "ctrl", "label": "Control", "role": "control"},
                {"id": "il1b", "label": "IL-1β", "role": "model"},
                {"id": "exo", "label": "IL-1β + exo", "role": "treatment"},
            ],
            "replicates": 3,
            "base_dir": tmp_path,
            "assays": [
                {"id": "sabgal", "kind": "sabgal"},
                {"id": "de_mrna", "kind": "mrna_counts"},
            ],
        }
    )


def _de_result() -> object:
    from exodisc.omics.de import DEClassResult, counts_to_anndata, run_de

    rng = np.random.default_rng(4)
    g, n = 300, 3
    mu = np.exp(rng.normal(5, 1, g))
    lfc = np.where(np.arange(g) < 30, 2.0, 0.0)
    size = 1 / (0.05 + 1 / mu)
    means = np.hstack([np.repeat(mu[:, None], n, 1), np.repeat((mu * 2**lfc)[:, None], n, 1)])
    counts = rng.negative_binomial(size[:, None], size[:, None] / (size[:, None] + means))
    sheet = pd.DataFrame(
        {"group": ["ctrl"] * n + ["exo"] * n},
        index=[f"ctrl_{i + 1}" for i in range(n)] + [f"exo_{i + 1}" for i in range(n)],
    )
    frame = pd.DataFrame(counts, index=[f"g{i}" for i in range(g)], columns=sheet.index)
    res = run_de(counts_to_anndata(frame, sheet), "~ group", ("group", "exo", "ctrl"), alpha=0.05)
    return DEClassResult("mRNA", MappingProxyType({"exo_vs_ctrl": res}), frame, 0.05, 1.0)


@pytest.mark.slow
def test_power_section_for_group_assay_and_mrna(tmp_path: Path) -> None:
    from exodisc.assays.senescence._counts import SenescenceResult
    from exodisc.power import plan_from_comparison
    from exodisc.stats import compare_groups

    study = _study(tmp_path)
    reps = pd.DataFrame(
        {
            "group": ["ctrl"] * 3 + ["il1b"] * 3 + ["exo"] * 3,
            "sample": [f"{g}_{i}" for g in ("ctrl", "il1b", "exo") for i in (1, 2, 3)],
            "pct_positive": [10, 12, 9, 40, 35, 44, 20, 25, 18.0],
        }
    )
    sabgal = SenescenceResult(pd.DataFrame(), reps, {})
    assay = AssayConfig.model_validate(
        {
            "id": "power",
            "kind": "power",
            "options": {"n_sim": 500, "curve_max": 6, "rnaseq_n": [2, 4], "rnaseq_n_sim": 1},
        }
    )
    spec = get_assay("power")
    report = Report("t")
    ctx = AssayContext(
        study=study,
        assay=assay,
        options=spec.options_model.model_validate(assay.options),
        report=report,
        results={"sabgal": sabgal, "de_mrna": _de_result()},
    )
    res = spec.run(ctx)
    names = set(report.names())
    assert "power_sabgal_pct_positive" in names
    assert "power_sabgal_pct_positive_curves" in names
    assert {"power_de_mrna_rnaseq_summary", "power_de_mrna_rnaseq_found"} <= names
    # the section's numbers are those of the library on the engine's own comparison
    (item, plan) = next(iter(res.plans.values()))
    direct = plan_from_comparison(
        compare_groups(reps, value="pct_positive", group="group",
                       comparisons=[(c.test, c.reference, c.mark)
                                    for c in study.comparisons_or_all_pairs(
                                        ["ctrl", "il1b", "exo"])],
                       order=["ctrl", "il1b", "exo"]),
        power=(0.8, 0.9), n_sim=500, curve_max=6,
    )  # fmt: skip
    pd.testing.assert_frame_equal(plan.table, direct.table)
    assert item.assay_id == "sabgal"
    rna = next(iter(res.rnaseq.values()))
    assert list(rna.summary["n"]) == [2, 4]
    assert rna.summary["true_de"].iloc[0] > 0
    text = " ".join(report.sections[0].paragraphs)
    assert "observed power" in text


def test_rnaseq_worker_processes_only_for_long_simulations(monkeypatch: pytest.MonkeyPatch) -> None:
    from exodisc.power._run import PowerOptions, _rnaseq_jobs

    monkeypatch.setenv("EXODISC_JOBS", "3")
    assert _rnaseq_jobs(PowerOptions(rnaseq_n_sim=2, rnaseq_n=[2, 3])) == 1  # 4 studies
    assert _rnaseq_jobs(PowerOptions()) == 3  # 100 x 9 studies
    assert _rnaseq_jobs(PowerOptions(rnaseq_jobs=2, rnaseq_n_sim=2)) == 2  # as set
