"""Time ``exodisc run`` on the built-in example study: analysis, then writing the output.

Usage: ``.venv/bin/python benchmarks/bench_run.py [--src OTHER_CHECKOUT/src] [--rounds 3]``

Runs the example study in fresh processes and prints wall times and ratios:
``EXODISC_JOBS=1`` (everything in one process, one step after another), the default (the
figures of finished assays written by forked processes while later assays run, the rest on
every usable core at the end), and, with ``--src``,
another checkout's code (e.g. a worktree of an older commit). With ``--src`` the older code
runs on the example study *it* writes (``demo --no-run``), and today's code (default jobs)
on the very same study and data files (made valid for today's checks where the study-file
rules have grown stricter, :func:`_as_today`), so the ratio is the speed-up on one study;
the two are timed ``--rounds`` times, alternately, and the median ratio printed.
The tables and figures of the first two runs must be byte-identical; the script says whether
they are.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _run(study: Path, out: Path, *, env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from exodisc.cli import main; main()",
            "run",
            str(study),
            "-o",
            str(out),
            "-q",
            "--force",
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    return time.perf_counter() - t0


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.parent.name in {"tables", "figures", "files"}
    }


def _demo_study(folder: Path, env: dict[str, str]) -> Path:
    """The example study as the code on ``env``'s path writes it (``demo --no-run``)."""
    cmd = [sys.executable, "-c", "from exodisc.cli import main; main()", "demo", "--no-run"]
    subprocess.run([*cmd, "-o", str(folder), "-q"], check=True, capture_output=True, env=env)
    return folder / "study" / "study.yaml"


def _as_today(study: Path) -> Path:
    """The older example study, valid for today's code: since 2026-12, FCS files of cell
    preparations that are not samples of the study are listed under the flow_markers
    assay's ``options.preparations`` (the older study named them nowhere)."""
    from ruamel.yaml import YAML

    yaml = YAML()
    data = yaml.load(study.read_text())
    for assay in data["assays"]:
        options = assay.get("options") or {}
        if assay["kind"] == "flow_markers" and "preparations" not in options:
            control = Path(str(options.get("control", ""))).stem
            stems = [Path(str(f)).stem for f in assay.get("files", [])]
            options["preparations"] = [s for s in stems if s != control]
    out = study.with_name("study_today.yaml")
    with out.open("w") as fh:
        yaml.dump(data, fh)
    return out


def _n_assays(study: Path) -> int:
    return sum(1 for line in study.read_text().splitlines() if line.startswith("  kind: "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--src", type=Path, help="another checkout's src/ to time as well")
    parser.add_argument(
        "--rounds", type=int, default=3, help="timings of --src and today's code (alternated)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base_env = dict(os.environ)
        study = _demo_study(work / "demo", base_env)
        serial = _run(study, work / "serial", env={**base_env, "EXODISC_JOBS": "1"})
        default = _run(
            study, work / "parallel", env={k: v for k, v in base_env.items() if k != "EXODISC_JOBS"}
        )
        same = _digest(work / "serial") == _digest(work / "parallel")
        cores = len(os.sched_getaffinity(0))
        print(f"exodisc run, example study, {_n_assays(study)} assays ({cores} usable cores)")
        print(f"  EXODISC_JOBS=1           {serial:7.1f} s")
        print(f"  default (parallel)       {default:7.1f} s   ratio {serial / default:.2f}x")
        print(f"  tables and figures byte-identical: {same}")
        if args.src is not None:
            # the other code on the example study it writes itself (an older release's study
            # may not be valid today, e.g. FCS names that are not samples of the study)
            other_env = {**base_env, "PYTHONPATH": str(args.src.resolve())}
            other_study = _demo_study(work / "demo_other", other_env)
            today_env = {k: v for k, v in base_env.items() if k != "EXODISC_JOBS"}
            today_study = _as_today(other_study)
            # alternated, so a slow spell of a shared machine falls on both
            pairs = []
            for k in range(args.rounds):
                other = _run(other_study, work / f"other{k}", env=other_env)
                today = _run(today_study, work / f"today{k}", env=today_env)
                pairs.append((other, today))
                print(
                    f"  round {k + 1}: {args.src} {other:5.1f} s on its own example study "
                    f"({_n_assays(other_study)} assays); today's code on the same study "
                    f"{today:5.1f} s: {other / today:.2f}x"
                )
            ratios = sorted(o / t for o, t in pairs)
            print(f"  median ratio over {args.rounds} round(s): {ratios[len(ratios) // 2]:.2f}x")


if __name__ == "__main__":
    main()
