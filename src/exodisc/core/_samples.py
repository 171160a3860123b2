"""The one sample mapper: instrument sample names → the study's samples, never guessing."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["map_samples"]


def map_samples(
    names: Iterable[Any],
    study: Any,
    *,
    path: str | Path | Iterable[str | Path] | None = None,
    what: str = "sample name",
) -> dict[str, str]:
    """Map instrument sample names to study sample ids; refuse names the study lacks.

    Parameters
    ----------
    names
        Sample names as the instrument export writes them (duplicates allowed).
    study
        :class:`exodisc.config.Study`; a name maps through a sample's ``id`` or ``aliases``
        (``study.sample_for``).
    path
        The file(s) the names come from, named in the error.
    what
        What a name is, for the error (``"FCS file"``, ``"lane name"`` …).

    Returns
    -------
    dict
        ``{name: sample id}`` for every distinct name.

    Raises
    ------
    exodisc.errors.DesignError
        Some names are no sample id or alias of the study: the file(s) and the names are
        listed, with the study's samples and how to fix it.

    Examples
    --------
    >>> from exodisc.config import Study
    >>> study = Study.model_validate({"title": "t", "groups": [{"id": "a", "label": "A"}],
    ...     "samples": [{"id": "a_1", "group": "a", "replicate": 1, "aliases": ["A1"]}]})
    >>> map_samples(["A1", "a_1"], study)
    {'A1': 'a_1', 'a_1': 'a_1'}
    """
    from exodisc.errors import DesignError

    mapping: dict[str, str] = {}
    unknown: list[str] = []
    for raw in dict.fromkeys(str(n) for n in names):
        s = study.sample_for(raw)
        if s is None:
            unknown.append(raw)
        else:
            mapping[raw] = s.id
    if unknown:
        if path is None:
            where = ""
        elif isinstance(path, str | Path):
            where = f"{path}: "
        else:
            where = f"{', '.join(str(p) for p in path)}: "
        known = ", ".join(s.id for s in study.samples)
        msg = (
            f"{where}{what}(s) {unknown} are not samples of the study; name them after a "
            f"sample id or add them to a sample's 'aliases' (samples: {known})"
        )
        raise DesignError(msg)
    return mapping
