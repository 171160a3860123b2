"""House-style checks on the public API: no positional booleans, keyword-only options."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import exodisc

PUBLIC_MODULES = [
    m.name
    for m in pkgutil.walk_packages(exodisc.__path__, prefix="exodisc.")
    if not any(part.startswith("_") for part in m.name.split(".")[1:]) and m.name != "exodisc.cli"
]


def _public_functions():
    for name in PUBLIC_MODULES:
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", []):
            obj = getattr(module, attr)
            if inspect.isfunction(obj):
                yield f"{name}.{attr}", obj


def test_every_public_module_declares_all():
    missing = [n for n in PUBLIC_MODULES if not hasattr(importlib.import_module(n), "__all__")]
    assert missing == []


def test_no_positional_booleans():
    offenders = []
    for qual, fn in _public_functions():
        for p in inspect.signature(fn).parameters.values():
            positional = p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            if positional and (p.annotation in (bool, "bool") or isinstance(p.default, bool)):
                offenders.append(f"{qual}({p.name})")
    assert offenders == []


def test_at_most_three_positional_parameters():
    offenders = []
    for qual, fn in _public_functions():
        params = inspect.signature(fn).parameters.values()
        positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        if len(positional) > 3:
            offenders.append(qual)
    assert offenders == []
