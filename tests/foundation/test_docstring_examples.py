"""Every public function a user calls has a numpydoc ``Examples`` section, and it runs.

The doctests are the examples of the docstrings themselves, run with :mod:`doctest` on each
module that defines a public function of the packages below (issue 15). Examples that need a
file on disk are marked ``# doctest: +SKIP`` in the docstring.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
from types import ModuleType

import pytest

PACKAGES = [
    "exodisc.stats",
    "exodisc.omics.de",
    "exodisc.omics.enrichment",
    "exodisc.omics.cerna",
    "exodisc.assays.flow",
    "exodisc.assays.senescence",
    "exodisc.assays.western",
    "exodisc.assays.vesicles",
    "exodisc.io.fcs",
    "exodisc.io.nta",
    "exodisc.io.western",
    "exodisc.knowledge",
    "exodisc.config",
]


def _public_functions(package: str) -> dict[str, object]:
    mod = importlib.import_module(package)
    return {name: obj for name in mod.__all__ if inspect.isfunction(obj := getattr(mod, name))}


def _defining_modules() -> list[str]:
    names = {
        f.__module__  # type: ignore[attr-defined]
        for package in PACKAGES
        for f in _public_functions(package).values()
    }
    return sorted(names)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_function_has_an_examples_section(package: str) -> None:
    missing = [
        name
        for name, f in _public_functions(package).items()
        if "Examples\n" not in inspect.cleandoc(f.__doc__ or "") + "\n"
    ]
    assert not missing, f"{package}: no numpydoc Examples section in {missing}"


@pytest.mark.parametrize("module_name", _defining_modules())
def test_docstring_examples_run(module_name: str) -> None:
    module: ModuleType = importlib.import_module(module_name)
    result = doctest.testmod(
        module,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        report=False,
    )
    assert result.failed == 0, f"{result.failed} doctest example(s) failed in {module_name}"
