"""What ``exodisc run`` of a ``cerna`` assay would refuse, before any network is built.

``exodisc validate`` (and ``exodisc run`` before any analysis) runs these: the option files
exist, the expression matrices' sample columns are samples of the study, the tested groups
have samples there, and every ``options.de`` value is an assay of the study or a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from exodisc.registry import register_check

if TYPE_CHECKING:
    from exodisc.config import Study

__all__ = ["check_cerna"]


def _expression_columns(path: Path) -> list[str]:
    """Sample columns of an expression matrix (:func:`exodisc.omics.cerna.read_expression`),
    from its header line alone; a header too short for a matrix goes to the reader, which
    names the problem."""
    import gzip

    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            head = fh.readline()
    except (OSError, UnicodeDecodeError, EOFError):
        head = ""
    names = [c.strip() for c in head.rstrip("\r\n").split("\t")]
    if len(names) < 3:
        from exodisc.omics.cerna import read_expression

        return [str(c) for c in read_expression(path).columns]
    return names[1:]


@register_check("cerna")
def check_cerna(study: Study, assay: Any, opts: Any) -> list[tuple[str, str]]:
    """Option files, expression columns vs samples, tested groups, DE sources."""
    from exodisc.errors import ExodiscError
    from exodisc.registry import option_file_problems

    keys = ("expr_cerna", "expr_mrna", "expr_mirna", "targets_cerna", "targets_mrna", "mirbase",
            "id_map")  # fmt: skip
    out = option_file_problems(study, opts, keys)
    ids = {a.id for a in study.assays}
    for cls, ref in opts.de.items():
        if ref not in ids and not study.resolve(ref).is_file():
            msg = (
                f"assay {assay.id!r}: options.de value {ref!r} is neither an assay id of the "
                f"study ({', '.join(sorted(ids))}) nor an existing file"
            )
            out.append((f"options.de.{cls}", msg))
    if out:
        return out
    groups: set[str] = set()
    for key in ("expr_cerna", "expr_mrna", "expr_mirna"):
        value = getattr(opts, key)
        if value is None:
            continue
        path = study.resolve(value)
        try:
            columns = _expression_columns(path)
        except ExodiscError as exc:
            out.append((f"options.{key}", str(exc)))
            continue
        unknown = []
        for col in columns:
            s = study.sample_for(str(col))
            if s is None:
                unknown.append(str(col))
            else:
                groups.add(s.group)
        if unknown:  # the run's words (exodisc.omics.cerna's run)
            msg = (
                f"{path}: column(s) {', '.join(unknown)} match no sample of the study "
                "(add them as samples or aliases)"
            )
            out.append((f"options.{key}", msg))
    present = [g for g in study.group_ids if g in groups]
    if opts.test and opts.reference:
        for key, g in (("test", opts.test), ("reference", opts.reference)):
            if g not in present:
                msg = (
                    f"assay {assay.id!r}: group {g!r} has no sample in the expression matrices"
                    f" (groups there: {present})"
                )
                out.append((f"options.{key}", msg))
    elif present and not study.comparisons_or_all_pairs(present):
        msg = f"assay {assay.id!r}: no comparison among groups {', '.join(present)}"
        out.append(("options", msg))
    return out
