"""What ``exodisc run`` of a ``western`` assay would refuse, found without measuring a band.

``exodisc validate`` (and ``exodisc run`` before any analysis) runs these: every file described
by a blot entry and every blot entry naming a file, lane names against the study's samples
(band tables are read: they are small), the loading control and targets among the bands, a
control-group lane for the ratios, EV markers only from images.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from exodisc.registry import register_check

if TYPE_CHECKING:
    from exodisc.config import Study

__all__ = ["check_western", "lane_message"]


def lane_message(lane: int, name: str) -> str:
    """The run's words for a lane naming no sample of the study."""
    return f"lane {lane} names {name!r}, which is no sample id or alias of the study"


@register_check("western")
def check_western(study: Study, assay: Any, opts: Any) -> list[tuple[str, str]]:
    """Files vs blot entries, lane names, bands the options name, a control lane."""
    from exodisc.errors import ExodiscError
    from exodisc.io.western import TABLE_SUFFIXES, read_band_table

    out: list[tuple[str, str]] = []
    files = {Path(f).name: study.resolve(f) for f in assay.files}
    described = {Path(b.file).name for b in opts.blots}
    unused = sorted(set(files) - described)
    if unused:
        msg = (
            f"assay {assay.id!r}: file(s) {unused} are listed but no entry of options.blots "
            "describes them (lanes, bands); add one per file or remove the file"
        )
        out.append(("options.blots", msg))
    band_names: set[str] = set()
    bands_known = True  # False once an image's bands are found by the run (band_1, band_2 …)
    table_bands: set[str] = set()
    groups_seen: set[str] = set()
    for bi, blot in enumerate(opts.blots):
        key = f"options.blots[{bi}]"
        path = files.get(Path(blot.file).name)
        if path is None:
            msg = f"{key}.file {blot.file!r} is not among the assay's files {sorted(files)}"
            out.append((f"{key}.file", msg))
            continue
        names: list[tuple[str, str, str]] = []  # (key, name, the run's words when unknown)
        if path.suffix.lower() in TABLE_SUFFIXES:
            if not path.is_file():
                continue  # the study-file check names it
            try:
                bt = read_band_table(
                    path, bands=blot.bands if isinstance(blot.bands, list) else None
                )
            except ExodiscError as exc:
                out.append((f"{key}.file", str(exc)))
                continue
            frame = bt.frame
            here = {str(b) for b in frame["band"]}
            band_names |= here
            table_bands |= here
            for lane, sample, row in zip(frame["lane"], frame["sample"], frame["row"], strict=True):
                if lane is None or lane != lane:  # NA: the table names the sample
                    what = f"{path}: line {int(row)}: sample {str(sample)!r} is no sample id or "
                    names.append((f"{key}.file", str(sample), what + "alias of the study"))
                    continue
                lane = int(lane)
                if blot.lanes is None or lane > len(blot.lanes):
                    n = 0 if blot.lanes is None else len(blot.lanes)
                    msg = f"lane {lane} is measured but {key}.lanes names {n} lane(s)"
                    out.append((f"{key}.lanes", f"{path.name}: {msg}"))
                    break
            if blot.lanes is not None:
                lanes_used = sorted({int(x) for x in frame["lane"] if x == x and x is not None})
                names += [
                    (
                        f"{key}.lanes[{k - 1}]",
                        blot.lanes[k - 1],
                        f"{path}: {key}.lanes[{k - 1}]: {lane_message(k, blot.lanes[k - 1])}",
                    )
                    for k in lanes_used
                    if k <= len(blot.lanes)
                ]
        else:
            if blot.lanes is None:
                out.append(
                    (f"{key}.lanes", f"{key}.lanes: a blot image needs the sample of every lane")
                )
                continue
            if blot.bands is None:
                bands_known = False
            else:
                band_names |= {str(b) for b in blot.bands}
            names += [
                (
                    f"{key}.lanes[{k}]",
                    name,
                    f"{path}: {key}.lanes[{k}]: {lane_message(k + 1, name)}",
                )
                for k, name in enumerate(blot.lanes)
            ]
        for name_key, name, unknown_msg in names:
            if name == "-":
                continue
            sample = study.sample_for(name)
            if sample is None:
                out.append((name_key, unknown_msg))
            else:
                groups_seen.add(sample.group)
    if not bands_known:
        return out
    markers = list(opts.markers)
    targets = (
        opts.targets
        if opts.targets is not None
        else sorted(b for b in band_names if b != opts.loading_control and b not in markers)
    )
    if targets:
        if opts.loading_control not in band_names:
            msg = (
                f"loading control {opts.loading_control!r} is not among the bands "
                f"{sorted(band_names)}; set options.loading_control"
            )
            out.append(("options.loading_control", msg))
        unknown = sorted(set(targets) - band_names)
        if unknown:
            msg = f"target band(s) {unknown} not measured; bands are {sorted(band_names)}"
            out.append(("options.targets", msg))
        control = next(
            (g.id for g in study.ordered_groups if g.role == "control"), study.group_ids[0]
        )
        if groups_seen and control not in groups_seen:
            msg = (
                f"no {control!r} sample has a {targets[0]} ratio; cannot express it relative "
                f"(no lane of the control group; groups on the blots: {sorted(groups_seen)})"
            )
            out.append(("options.blots", msg))
    from_tables = sorted(set(markers) & table_bands)
    if from_tables:
        msg = (
            "EV markers are called detected from the band profile of an image; "
            f"{from_tables} are bands of band tables (list those bands under targets instead)"
        )
        out.append(("options.markers", msg))
    return out
