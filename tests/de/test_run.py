"""The DE assays inside ``exodisc run`` on the simulated example counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from exodisc.config import parse_study
from exodisc.demo import demo_design
from exodisc.omics.de import DEClassResult
from exodisc.omics.de._demo import simulate
from exodisc.pipeline import analyse
from exodisc.registry import DemoContext


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, dict[str, object]]:
    folder = tmp_path_factory.mktemp("study")
    design = demo_design()
    ctx = DemoContext(folder=folder, study=parse_study(design, path=folder / "study.yaml"))
    assays = simulate(ctx)
    study = parse_study({**design, "assays": assays}, path=folder / "study.yaml")
    return analyse(study)


def test_four_rna_classes_reported(demo_run: tuple[object, dict[str, object]]) -> None:
    report, results = demo_run
    ids = [s.id for s in report.sections]  # type: ignore[attr-defined]
    for kind in ("mrna", "lncrna", "circrna", "mirna"):
        assert f"de_{kind}" in ids
        res = results[f"de_{kind}"]
        assert isinstance(res, DEClassResult)
        assert set(res.results) == {"il1b_vs_ctrl", "exo_vs_il1b"}
        names = report.names()  # type: ignore[attr-defined]
        for fig in (
            "pca",
            "heatmap",
            "sample_distances",
            "il1b_vs_ctrl_volcano",
            "exo_vs_il1b_volcano",
            "il1b_vs_ctrl_ma",
        ):
            assert f"de_{kind}_{fig}" in names


def test_effects_follow_the_paper(demo_run: tuple[object, dict[str, object]]) -> None:
    _, results = demo_run
    res = results["de_mrna"]
    assert isinstance(res, DEClassResult)
    model = res.significant("il1b_vs_ctrl")
    rescue = res.significant("exo_vs_il1b")
    assert len(model) > 20
    common = set(model["feature_id"]) & set(rescue["feature_id"])
    assert common
    lfc_model = model.set_index("feature_id").loc[sorted(common), "log2_fold_change"]
    lfc_rescue = rescue.set_index("feature_id").loc[sorted(common), "log2_fold_change"]
    assert ((lfc_model * lfc_rescue) < 0).mean() > 0.9  # exosomes reverse IL-1β changes
    assert res.results["il1b_vs_ctrl"].design.formula == "~ donor + group"


def test_demo_files_are_real_formats(tmp_path: Path) -> None:
    design = demo_design()
    ctx = DemoContext(folder=tmp_path, study=parse_study(design, path=tmp_path / "s.yaml"))
    entries = simulate(ctx)
    fc = (tmp_path / entries[0]["files"][0]).read_text().splitlines()
    assert fc[0].startswith("# Program:featureCounts")
    assert fc[1].startswith("Geneid\tChr\tStart\tEnd\tStrand\tLength\taligned/ctrl_1.bam")


def test_limma_voom_method_option(tmp_path: Path) -> None:
    design = demo_design()
    ctx = DemoContext(folder=tmp_path, study=parse_study(design, path=tmp_path / "s.yaml"))
    assays = [a for a in simulate(ctx) if a["kind"] == "mirna_counts"]
    assays[0]["options"] = {"method": "limma-voom"}
    study = parse_study({**design, "assays": assays}, path=tmp_path / "s.yaml")
    report, results = analyse(study)
    res = results["de_mirna"]
    assert isinstance(res, DEClassResult)
    assert res.results["il1b_vs_ctrl"].params["method"] == "limma-voom"
    sec = next(s for s in report.sections if s.id == "de_mirna")
    assert any(m.meta.key == "de.limma_voom" for m in sec.methods)
    assert len(res.significant("il1b_vs_ctrl")) > 5


def test_demo_writes_tool_formats(tmp_path: Path) -> None:
    """circRNA as one CIRIquant GTF per sample, miRNA as miRge3 miR.Counts.csv; the merged
    matrices have every sample and sniff as those formats."""
    from exodisc.omics.de import load_counts
    from exodisc.omics.de._io import sniff_counts

    design = demo_design()
    ctx = DemoContext(folder=tmp_path, study=parse_study(design, path=tmp_path / "study.yaml"))
    entries = {e["kind"]: e for e in simulate(ctx)}
    circ = [tmp_path / f for f in entries["circrna_counts"]["files"]]
    assert len(circ) == 9 and all(f.suffix == ".gtf" for f in circ)
    assert {sniff_counts(f) for f in circ} == {"ciriquant"}
    mirna = tmp_path / entries["mirna_counts"]["files"][0]
    assert sniff_counts(mirna) == "mirge3"
    m = load_counts([mirna])
    assert "miRNAtotal" not in m.index and m.shape[1] == 9
    assert load_counts(circ).shape[1] == 9
