"""What ``exodisc run`` of the EV assay kinds would refuse, found before any analysis.

``nta``: every ``options.per_file`` entry names a file of the assay. ``ev_characterisation``:
the TEM diameters table is readable and the TEM images exist. ``usc_identity``: the
trilineage images exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from exodisc.registry import register_check

if TYPE_CHECKING:
    from exodisc.config import Study

__all__ = ["check_ev", "check_identity", "check_nta"]


@register_check("nta")
def check_nta(study: Study, assay: Any, opts: Any) -> list[tuple[str, str]]:
    """``options.per_file`` keys against the assay's files."""
    names = {study.resolve(f).name for f in assay.files}
    unknown = sorted(set(opts.per_file) - names)
    if not unknown:
        return []
    msg = (
        f"options.per_file names files that are not in the assay's files: {unknown}; "
        f"the files are {sorted(names)}"
    )
    return [("options.per_file", msg)]


@register_check("ev_characterisation")
def check_ev(study: Study, assay: Any, decl: Any) -> list[tuple[str, str]]:
    """The TEM diameters table (read: it is small) and the TEM images."""
    from exodisc.assays.vesicles._misev import read_diameters
    from exodisc.errors import ExodiscError

    out: list[tuple[str, str]] = []
    if decl.tem.diameters_file:
        try:
            read_diameters(study.resolve(decl.tem.diameters_file))
        except ExodiscError as exc:
            out.append(("options.tem.diameters_file", str(exc)))
    for i, image in enumerate(decl.tem.images):
        path = study.resolve(image)
        if not path.is_file():
            out.append((f"options.tem.images[{i}]", f"{path}: image file not found"))
    return out


@register_check("usc_identity")
def check_identity(study: Study, assay: Any, decl: Any) -> list[tuple[str, str]]:
    """The trilineage images the declaration names."""
    out: list[tuple[str, str]] = []
    for i, stain in enumerate(decl.trilineage):
        if stain.image and not (path := study.resolve(stain.image)).is_file():
            out.append((f"options.trilineage[{i}].image", f"{path}: image file not found"))
    return out
