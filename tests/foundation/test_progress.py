"""Progress lines: ✓ first (a narrow terminal keeps it), printed when each step ends."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from rich.progress import Progress, TextColumn

from exodisc.config import parse_study
from exodisc.pipeline import analyse
from exodisc.registry import AssayContext, register_assay

SEEN: list[str] = []


@register_assay("testing_progress_probe", title="Probe")
def _probe(ctx: AssayContext) -> None:
    SEEN.append(ctx.progress.console.file.getvalue())


def test_each_done_line_is_printed_when_it_happens(tmp_path: Path) -> None:
    study = parse_study(
        {
            "title": "p",
            "groups": [{"id": "a", "label": "A"}],
            "replicates": 1,
            "assays": [
                {"id": "first", "kind": "testing_progress_probe"},
                {"id": "second", "kind": "testing_progress_probe"},
            ],
        },
        path=tmp_path / "study.yaml",
    )
    log = io.StringIO()  # not a terminal, as when stderr goes to a log file
    console = Console(file=log, width=40, force_terminal=False)
    SEEN.clear()
    with Progress(TextColumn("{task.description}"), console=console, transient=True) as progress:
        analyse(study, progress=progress)
    assert "✓ first: Probe" not in SEEN[0]
    assert "✓ first: Probe" in SEEN[1]  # printed before the second step started
    lines = [line for line in log.getvalue().splitlines() if line.strip()]
    assert [line.split(" (")[0] for line in lines] == ["✓ first: Probe", "✓ second: Probe"]
    assert all(line.endswith(" s)") for line in lines)


def test_tick_comes_first_so_a_cut_line_keeps_it(tmp_path: Path) -> None:
    study = parse_study(
        {
            "title": "p",
            "groups": [{"id": "a", "label": "A"}],
            "replicates": 1,
            "assays": [
                {
                    "id": "a_rather_long_assay_id_for_a_narrow_terminal",
                    "kind": "testing_progress_probe",
                }
            ],
        },
        path=tmp_path / "study.yaml",
    )
    screen = io.StringIO()
    console = Console(file=screen, width=30, force_terminal=True)
    with Progress(TextColumn("{task.description}"), console=console) as progress:
        analyse(study, progress=progress)
        assert progress.tasks[-1].description.startswith("✓ ")
    assert "✓" in screen.getvalue()
