"""What ``exodisc run`` of a ``sabgal`` assay would refuse, found without counting a cell.

``exodisc validate`` (and ``exodisc run`` before any analysis) runs these: counts tables read
and their sample names, image names against ``options.name_pattern`` and the study's samples,
tables and images not mixed, ``measure: area`` only with images.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from exodisc.registry import register_check

if TYPE_CHECKING:
    from exodisc.config import Study

__all__ = ["check_sabgal"]


@register_check("sabgal")
def check_sabgal(study: Study, assay: Any, opts: Any) -> list[tuple[str, str]]:
    """Counts tables / image names against the study's samples; options that need images."""
    from exodisc.assays.senescence._counts import read_counts, unknown_sample_message
    from exodisc.assays.senescence._run import _IMAGE_SUFFIXES
    from exodisc.errors import ExodiscError

    files = [study.resolve(f) for f in assay.files]
    images = [f for f in files if f.suffix.lower() in _IMAGE_SUFFIXES]
    tables = [f for f in files if f not in images]
    out: list[tuple[str, str]] = []
    if images and tables:
        out.append(("files", f"assay {assay.id!r}: give either counts tables or images, not both"))
        return out
    if opts.measure == "area" and tables:
        msg = f"assay {assay.id!r}: measure 'area' needs images, not counts tables"
        out.append(("options.measure", msg))
    if images:
        pattern = re.compile(opts.name_pattern)
        unknown: list[str] = []
        for j, path in enumerate(files):
            m = pattern.match(path.stem)
            if m is None:
                msg = (
                    f"{path}: image name {path.stem!r} does not match options.name_pattern "
                    f"{opts.name_pattern!r} (default: '<sample>__<field>', e.g. 'ctrl_1__f1')"
                )
                out.append((f"files[{j}]", msg))
            elif study.sample_for(m.group("sample")) is None:
                unknown.append(m.group("sample"))
        if unknown:
            out.append(("files", f"image names: {unknown_sample_message(unknown, study)}"))
        return out
    for j, path in enumerate(tables):
        if not path.is_file():
            continue  # the study-file check names it
        try:
            counts = read_counts(path)
        except ExodiscError as exc:
            out.append((f"files[{j}]", str(exc)))
            continue
        unknown = [str(n) for n in counts["sample"] if study.sample_for(str(n)) is None]
        if unknown:
            msg = unknown_sample_message(unknown, study)
            out.append((f"files[{j}]", f"{path}: column 'sample': {msg}"))
    return out
