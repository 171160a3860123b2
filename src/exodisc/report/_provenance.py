"""Provenance: inputs with checksums, resolved study, parameters, versions, platform, times."""

from __future__ import annotations

import platform
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["file_record", "package_versions", "sha256_file"]

# Distributions whose versions are recorded (those installed; missing ones are skipped).
_DISTRIBUTIONS = (
    "exodisc",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "anndata",
    "pydantic",
    "ruamel.yaml",
    "typer",
    "rich",
    "matplotlib",
    "openpyxl",
    "scikit-image",
    "tifffile",
    "flowkit",
    "flowio",
    "networkx",
    "pooch",
    "platformdirs",
)


def sha256_file(path: Path, *, chunk: int = 1 << 20) -> str:
    """Hex SHA-256 of a file (:func:`exodisc.core.sha256_file`)."""
    from exodisc.core import sha256_file as _sha

    return _sha(path, chunk=chunk)


def file_record(path: Path) -> dict[str, Any]:
    """Path, size and sha256 of one input file."""
    return {"path": str(path), "size": path.stat().st_size, "sha256": sha256_file(path)}


def package_versions(extra: Iterable[str] = ()) -> dict[str, str]:
    """Installed versions of exodisc and its scientific dependencies."""
    out: dict[str, str] = {}
    for name in (*_DISTRIBUTIONS, *extra):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    if "exodisc" not in out:
        from exodisc import __version__

        out["exodisc"] = __version__
    return out


def platform_record() -> dict[str, str]:
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "system": platform.system(),
        "release": platform.release(),
        "machine": platform.machine(),
    }
