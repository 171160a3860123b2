"""Assay kinds declare the artefacts they produce and consume; the run order follows them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

from exodisc.config import parse_study
from exodisc.errors import StudyFileError
from exodisc.registry import ARTEFACTS, AssayContext, assay_kinds, register_assay


class _Opts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    need: bool = True


@register_assay("testing_producer", title="produces a DE table", produces=("de_table",))
def _producer(ctx: AssayContext) -> str:
    return "table"


@register_assay(
    "testing_consumer",
    title="reads a DE table",
    options=_Opts,
    consumes=("de_table",),
    requires=lambda o: ("de_table",) if o.need else (),
)
def _consumer(ctx: AssayContext) -> list[str]:
    return list(ctx.results)  # what had run before it


def _study(tmp_path: Path, assays: list[dict[str, Any]]) -> Any:
    data = {"title": "t", "groups": [{"id": "a", "label": "A"}], "replicates": 2,
            "assays": assays}  # fmt: skip
    return parse_study(data, path=tmp_path / "study.yaml")


def test_consumer_runs_after_its_producer_whatever_the_file_order(tmp_path: Path) -> None:
    from exodisc.pipeline import analyse, plan

    study = _study(tmp_path, [
        {"id": "enrich", "kind": "testing_consumer"},
        {"id": "other", "kind": "testing_consumer", "options": {"need": False}},
        {"id": "de", "kind": "testing_producer"},
    ])  # fmt: skip
    assert [a.id for a, _, _ in plan(study)] == ["de", "enrich", "other"]
    _, results = analyse(study)
    assert results["enrich"] == ["de"]


def test_missing_producer_is_a_study_file_error_naming_the_consumer(tmp_path: Path) -> None:
    from exodisc.pipeline import analyse

    study = _study(tmp_path, [{"id": "enrich", "kind": "testing_consumer"}])
    with pytest.raises(StudyFileError, match=r"assays\[0\]: assay 'enrich' \(kind "
                       r"testing_consumer\) needs a differential-expression table.*"
                       r"add an assay of kind .*testing_producer"):  # fmt: skip
        analyse(study)
    # not needed with these options: runs, and nothing ran before it
    ok = _study(tmp_path, [{"id": "enrich", "kind": "testing_consumer", "options": {"need": 0}}])
    assert analyse(ok)[1]["enrich"] == []


def test_real_kinds_declare_their_artefacts(tmp_path: Path) -> None:
    from exodisc.pipeline import analyse

    kinds = assay_kinds()
    assert "de_table" in kinds["mrna_counts"].produces
    assert "de_table" in kinds["enrichment"].consumes
    assert {"marker_calls", "nta_summary"} <= set(kinds["ev_characterisation"].consumes)
    for k in ("cck8", "sabgal", "qpcr", "flow_apoptosis", "western"):
        assert "group_comparisons" in kinds[k].produces, k
    for spec in kinds.values():
        assert set(spec.produces) | set(spec.consumes) <= set(ARTEFACTS)
    # enrichment of DE genes in a study without a DE assay: refused before anything runs
    opts = {"gene_sets": {"x": "x.gmt"}, "genes_from": "de"}
    study = _study(tmp_path, [{"id": "go", "kind": "enrichment", "options": opts}])
    with pytest.raises(StudyFileError, match=r"assay 'go' \(kind enrichment\) needs"):
        analyse(study)
