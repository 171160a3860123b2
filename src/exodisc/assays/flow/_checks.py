"""What ``exodisc run`` of a flow assay would refuse, found from the FCS headers alone.

``exodisc validate`` (and ``exodisc run`` before any analysis) runs these: the sample each FCS
file names, the channels the options name, and the option files. Events are never read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from exodisc.registry import register_check

if TYPE_CHECKING:
    from exodisc.config import Study

__all__ = ["check_flow", "fcs_channel_problem", "unknown_fcs_message"]


def unknown_fcs_message(assay_id: str, unknown: list[str]) -> str:
    """The run's words for FCS files whose sample name is no sample of the study."""
    return (
        f"assay {assay_id!r}: FCS file(s) {unknown} match no study sample; name each file "
        "after a sample id (or add the file name to the sample's aliases)"
    )


def fcs_channel_problem(keywords: dict[str, str], name_or_label: str) -> str | None:
    """None when ``name_or_label`` is a channel ($PnN) or one channel's label ($PnS), else
    the words :meth:`exodisc.io.fcs.FcsData.channel` uses."""
    try:
        n_par = int(keywords.get("par", "0").strip() or 0)
    except ValueError:
        n_par = 0
    pnn = [keywords.get(f"p{i}n", "").strip() for i in range(1, n_par + 1)]
    pns = [keywords.get(f"p{i}s", "").strip() for i in range(1, n_par + 1)]
    if name_or_label in pnn or sum(1 for s in pns if s and s == name_or_label) == 1:
        return None
    described = ", ".join(f"{n} ({s})" if s else n for n, s in zip(pnn, pns, strict=True))
    return (
        f"channel {name_or_label!r} not found; the file's channels ($PnN ($PnS)) are: {described}"
    )


def _option_paths(opts: Any) -> list[tuple[str, Any]]:
    """``(key, path)`` of every file an option names."""
    out: list[tuple[str, Any]] = []
    for key in ("gatingml", "workspace"):
        if getattr(opts, key, None) is not None:
            out.append((f"options.{key}", getattr(opts, key)))
    comp = opts.compensation
    if isinstance(comp, str):
        if comp not in ("file", "none"):
            out.append(("options.compensation", comp))
    else:
        out.append(("options.compensation.unstained", comp.unstained))
        out += [(f"options.compensation.singles.{d}", p) for d, p in comp.singles.items()]
    control = getattr(opts, "control", None)
    if isinstance(control, dict):
        out += [(f"options.control.{k}", p) for k, p in control.items()]
    elif control is not None:
        out.append(("options.control", control))
    return out


def check_flow(study: Study, assay: Any, opts: Any) -> list[tuple[str, str]]:
    """Sample names of the FCS files, channels named by the options, option files."""
    from exodisc.errors import ExodiscError
    from exodisc.io.fcs import read_fcs_keywords

    out: list[tuple[str, str]] = []
    for key, p in _option_paths(opts):
        path = study.resolve(p)
        if not Path(path).is_file():
            out.append((key, f"file not found: {path}"))
    control = opts.control
    ctrl_paths = (
        {study.resolve(p).resolve() for p in control.values()}
        if isinstance(control, dict)
        else ({study.resolve(control).resolve()} if control is not None else set())
    )
    files = [(j, study.resolve(f)) for j, f in enumerate(assay.files)]
    samples = [(j, f) for j, f in files if f.resolve() not in ctrl_paths]
    if ctrl_paths and not samples:
        what = "control" if len(ctrl_paths) == 1 else "controls"
        out.append(("files", f"assay {assay.id!r}: no FCS files besides the {what}"))
    channels = (
        [("options.annexin", opts.annexin), ("options.pi", opts.pi)]
        if assay.kind == "flow_apoptosis"
        else [(f"options.channels[{i}]", c) for i, c in enumerate(opts.channels)]
    )
    preparations = set(getattr(opts, "preparations", []) or [])
    unknown: list[str] = []
    unknown_paths: list[Path] = []
    seen: dict[str, str] = {}
    channel_problems: dict[str, list[str]] = {}
    for j, f in files:
        if not f.is_file():
            continue  # the study-file check names it
        try:
            kw = read_fcs_keywords(f)
        except ExodiscError as exc:
            out.append((f"files[{j}]", str(exc)))
            continue
        for key, ch in channels:
            problem = fcs_channel_problem(kw, ch)
            if problem is not None:
                channel_problems.setdefault(key, []).append(f"{f}: {problem}")
        if f.resolve() in ctrl_paths:
            continue
        if opts.sample_keyword is None:
            name = f.stem
        else:
            k = opts.sample_keyword.lstrip("$").lower()
            if k not in kw:
                msg = f"keyword {opts.sample_keyword!r} (sample_keyword) is not in the file"
                out.append((f"files[{j}]", f"{f} (TEXT keywords): {msg}"))
                continue
            name = str(kw[k]).strip()
        if name in preparations:
            sid = name
        else:
            s = study.sample_for(name)
            if s is None:
                unknown.append(f.name if assay.kind == "flow_apoptosis" else name)
                unknown_paths.append(f)
                continue
            sid = s.id
        if sid in seen:
            msg = f"assay {assay.id!r}: two FCS files map to sample {sid!r}"
            out.append((f"files[{j}]", f"{msg} ({seen[sid]} and {f.name})"))
        seen[sid] = f.name
    for key, problems in channel_problems.items():
        first = problems[0]
        more = f" (and {len(problems) - 1} more file(s))" if len(problems) > 1 else ""
        out.append((key, first + more))
    if unknown:
        if assay.kind == "flow_apoptosis":
            out.append(("files", unknown_fcs_message(assay.id, unknown)))
        else:
            from exodisc.core import map_samples
            from exodisc.errors import DesignError

            try:
                map_samples(unknown, study, path=unknown_paths, what="FCS sample name")
            except DesignError as exc:
                msg = str(exc)
                out.append(
                    ("files", f"{msg}; or list them under options.preparations if they are "
                              "cell preparations, not samples of the study")
                )  # fmt: skip
    return out


register_check("flow_apoptosis")(check_flow)
register_check("flow_markers")(check_flow)
