"""Size limits where input sizes enter exodisc, so that no input can exhaust the machine.

Every limit is checked before the memory is spent (from a file header, the study file's size,
the declared counts) and its error names the limit and how to raise it:
``exodisc --limit NAME=VALUE COMMAND …`` on the command line, :func:`set_limits` in Python.
"""

from __future__ import annotations

import contextvars
import dataclasses
from dataclasses import dataclass

__all__ = ["Limits", "get_limits", "limit_hint", "set_limits", "use_limits"]


@dataclass(frozen=True)
class Limits:
    """The limits in force (defaults suit any real study; raise them for the rare exception).

    Attributes
    ----------
    study_file_bytes
        Size of the study file (YAML).
    yaml_nodes
        Values in the study file after YAML aliases (``*name``) are expanded.
    replicates
        ``replicates:`` per group.
    samples
        Samples in a study (explicit, or groups x replicates).
    image_pixels
        Pixels of one image (width x height, read from the header before decoding).
    xlsx_cells
        Cells (rows x columns) of one table in ``results.xlsx``; a larger table is written
        to its TSV only, and the workbook's index says so (a sheet of millions of cells takes
        minutes to write and to open; the TSV holds the same numbers).
    """

    study_file_bytes: int = 10_000_000
    yaml_nodes: int = 1_000_000
    replicates: int = 1_000
    samples: int = 100_000
    image_pixels: int = 200_000_000
    xlsx_cells: int = 2_000_000


_DEFAULT = Limits()
_LIMITS: contextvars.ContextVar[Limits] = contextvars.ContextVar(
    "exodisc_limits",
    default=_DEFAULT,
)


def get_limits() -> Limits:
    """The limits in force.

    Examples
    --------
    >>> from exodisc.config import get_limits
    >>> get_limits().replicates
    1000
    """
    return _LIMITS.get()


def set_limits(**values: int) -> Limits:
    """Change limits by name (e.g. ``set_limits(image_pixels=400_000_000)``); returns the new set.

    Raises
    ------
    ValueError
        For an unknown name or a value that is not a positive integer.

    Examples
    --------
    >>> from exodisc.config import get_limits, set_limits, use_limits
    >>> before = get_limits()
    >>> set_limits(replicates=50).replicates
    50
    >>> use_limits(before)
    >>> get_limits().replicates
    1000
    """
    names = {f.name for f in dataclasses.fields(Limits)}
    for k, v in values.items():
        if k not in names:
            msg = f"unknown limit {k!r}; expected one of {', '.join(sorted(names))}"
            raise ValueError(msg)
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            msg = f"limit {k} must be a positive whole number, got {v!r}"
            raise ValueError(msg)
    new = dataclasses.replace(get_limits(), **values)
    _LIMITS.set(new)
    return new


def use_limits(limits: Limits) -> None:
    """Put a whole set of limits in force (e.g. restore one :func:`get_limits` returned).

    Examples
    --------
    >>> from exodisc.config import get_limits, set_limits, use_limits
    >>> saved = get_limits()
    >>> _ = set_limits(samples=10)
    >>> use_limits(saved)
    >>> get_limits() == saved
    True
    """
    _LIMITS.set(limits)


def limit_hint(name: str) -> str:
    """The sentence every limit error ends with.

    Examples
    --------
    >>> from exodisc.config import limit_hint
    >>> print(limit_hint("samples"))  # doctest: +NORMALIZE_WHITESPACE
    the limit samples is 100,000; if this input is real, raise it with
    `exodisc --limit samples=N …`
    """
    value = getattr(get_limits(), name)
    return (
        f"the limit {name} is {value:,}; if this input is real, raise it with "
        f"`exodisc --limit {name}=N …`"
    )
