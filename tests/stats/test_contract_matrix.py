"""The analysis → presentation contract, end to end on the example study.

For every statistics setting the study file allows (and a paired design), every assay that
compares groups must say in its methods paragraph, its figure captions and its pairs tables
exactly what the statistics engine computed. The demo's raw files are written once; each
setting re-analyses them in memory (no output folder), so the matrix stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from exodisc.stats import ERROR_WORDS, POSTHOCS, TESTS, method_keys

pytestmark = pytest.mark.slow

#: assay kinds whose sections compare groups, and the simulator writing their raw files
COMPARING = {
    "cck8": "cck8",
    "sabgal": "sabgal",
    "qpcr": "qpcr",
    "flow_apoptosis": "flow",
    "western": "western",
}

SETTINGS = [
    pytest.param({"test": "anova", "posthoc": "bonferroni", "error_bars": "sd"}, False,
                 id="anova-bonferroni-sd"),
    pytest.param({"test": "welch_anova", "posthoc": "games_howell", "error_bars": "sem"}, False,
                 id="welch-gameshowell-sem"),
    pytest.param({"test": "kruskal", "posthoc": "dunn", "error_bars": "ci95"}, False,
                 id="kruskal-dunn-ci95"),
    pytest.param({"test": "rm_anova", "posthoc": "bonferroni", "error_bars": "sem"}, True,
                 id="rm_anova-paired-sem"),
]  # fmt: skip

#: the pairwise test each omnibus test runs, and the correction its post-hoc test applies
PAIRWISE = {"anova": "t (pooled ANOVA MSE)", "welch_anova": "Welch's t", "kruskal": "Dunn's z",
            "rm_anova": "paired t"}  # fmt: skip
CORRECTION = {"bonferroni": "bonferroni", "games_howell": "games_howell", "dunn": "bonferroni"}


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The example study's design and the raw files of the comparing assays (written once)."""
    from exodisc.config import parse_study
    from exodisc.demo import demo_design
    from exodisc.registry import DemoContext, demo_simulators

    folder = tmp_path_factory.mktemp("contract")
    design = demo_design()
    ctx = DemoContext(folder=folder, study=parse_study(design, path=folder / "study.yaml"))
    assays: list[dict[str, Any]] = []
    for spec in demo_simulators():
        if spec.name in set(COMPARING.values()):
            # the EV-marker blot (``targets: []``) calls markers, it compares no groups
            assays += [
                a for a in spec.simulate(ctx)
                if a["kind"] in COMPARING and a.get("options", {}).get("targets") != []
            ]  # fmt: skip
    assert {a["kind"] for a in assays} == set(COMPARING)
    return folder, {**design, "assays": assays}


def _analyse(folder: Path, data: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    from exodisc.config import parse_study
    from exodisc.pipeline import analyse

    return analyse(parse_study(data, path=folder / "study.yaml"))


@pytest.mark.parametrize(("statistics", "paired"), SETTINGS)
def test_report_says_what_was_computed(demo_files, statistics, paired) -> None:
    folder, design = demo_files
    report, results = _analyse(folder, {**design, "statistics": statistics, "paired": paired})
    test, posthoc, bars = statistics["test"], statistics["posthoc"], statistics["error_bars"]
    expected_keys = list(method_keys(test, posthoc))
    words = f"{TESTS[test].title} with {POSTHOCS[posthoc].title} post hoc test"
    sections = {s.id: s for s in report.sections}
    for assay in design["assays"]:
        sec = sections[assay["id"]]
        where = f"{assay['kind']} ({statistics}, paired={paired})"
        # methods paragraph: the registered entries of the test and post-hoc test used
        keys = [m.meta.key for m in sec.methods]
        stat_keys = [k for k in keys if k.startswith("stats.") and k not in
                     {"stats.assumptions", "stats.two_way_anova"}]  # fmt: skip
        assert set(stat_keys) == set(expected_keys), where
        sentences = " ".join(m.sentence() for m in sec.methods)
        if test != "anova":
            assert "Bonferroni's post-hoc test as SPSS" not in sentences, where
        # every figure caption naming error bars names the ones drawn and the test used
        legends = [i.caption for i in sec.items if "Data are mean ±" in getattr(i, "caption", "")]
        assert legends, f"{where}: no figure caption states the statistics"
        for caption in legends:
            assert f"Data are mean ± {ERROR_WORDS[bars]} of" in caption, where
            assert words in caption, where
            assert ("paired by donor" in caption) == (test == "rm_anova"), where
        for item in sec.items:
            cap = getattr(item, "caption", "")
            for other in set(ERROR_WORDS) - {bars}:
                assert f"mean ± {ERROR_WORDS[other]} " not in cap, (where, item.name, cap)
        # pairs tables: the pairwise test and correction that were computed
        tables = [i.frame for i in sec.items if isinstance(getattr(i, "frame", None), pd.DataFrame)
                  and "pairwise_test" in i.frame.columns]  # fmt: skip
        assert tables, f"{where}: no pairs table"
        for t in tables:
            assert set(t["pairwise_test"]) == {PAIRWISE[test]}, where
            assert set(t["correction"]) == {CORRECTION[posthoc]}, where
    # and the results carry the parameters actually used
    for res in _comparison_results(results):
        assert (res.params["test"], res.params["posthoc"]) == (test, posthoc)
        assert res.params["error_bars"] == bars
        assert res.params["subject"] == ("donor" if test == "rm_anova" else None)
        assert dict(res.params["n_per_group"]) == dict.fromkeys(res.params["groups"], 3)


def _comparison_results(results: dict[str, Any]) -> list[Any]:
    from exodisc.stats import ComparisonResult

    found: list[Any] = []

    def walk(obj: Any, depth: int = 0) -> None:
        if isinstance(obj, ComparisonResult):
            found.append(obj)
        elif depth < 3 and isinstance(obj, dict):
            for v in obj.values():
                walk(v, depth + 1)
        elif depth < 3 and hasattr(obj, "__dataclass_fields__"):
            for name in obj.__dataclass_fields__:
                walk(getattr(obj, name), depth + 1)

    for r in results.values():
        walk(r)
    return found


def test_paired_test_without_donors_is_a_study_file_error(demo_files) -> None:
    from exodisc.errors import DesignError

    folder, design = demo_files
    samples = [{k: v for k, v in s.items() if k != "donor"} for s in design["samples"]]
    # (``paired: true`` without donors is refused by the study-file loader already)
    data = {**design, "samples": samples, "paired": False,
            "statistics": {"test": "rm_anova", "posthoc": "bonferroni"},
            "assays": [a for a in design["assays"] if a["kind"] == "sabgal"]}  # fmt: skip
    with pytest.raises(DesignError, match="have no 'donor' in the study file"):
        _analyse(folder, data)
