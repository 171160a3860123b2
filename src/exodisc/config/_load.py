"""Loading and validating the study file, reporting every problem at once."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from io import StringIO
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from exodisc.config._limits import get_limits, limit_hint
from exodisc.config._study import Study
from exodisc.errors import Problem, StudyFileError

__all__ = ["dump_study", "load_study", "parse_study", "validate_study_file"]

_Loc = tuple[str | int, ...]

#: The rule of output names (exodisc.report): assay ids become table and figure names.
_OUTPUT_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


class _TooLarge(Exception):
    """The study file expands to more values than the yaml_nodes limit allows."""


def _to_plain(
    node: Any,
    loc: _Loc,
    lines: dict[_Loc, int],
    budget: list[int] | None = None,
    stack: frozenset[int] = frozenset(),
) -> Any:
    """Convert ruamel nodes to plain dict/list, recording the line of every key path.

    ``budget`` counts down the values still allowed (YAML aliases are expanded here, so a
    nine-line "billion laughs" file would otherwise expand to 10⁹ values); ``stack`` holds the
    containers being converted, to refuse an alias that contains itself.
    """
    if budget is None:
        budget = [get_limits().yaml_nodes]
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge
    if isinstance(node, dict | list):
        if id(node) in stack:
            msg = f"a YAML alias refers to itself at {_key(loc) or '(top level)'}"
            raise ValueError(msg)
        stack = stack | {id(node)}
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        lc = getattr(node, "lc", None)
        for key, value in node.items():
            k = str(key)
            if lc is not None:
                with contextlib.suppress(KeyError, TypeError):
                    lines[(*loc, k)] = int(lc.key(key)[0]) + 1
            out[k] = _to_plain(value, (*loc, k), lines, budget, stack)
        return out
    if isinstance(node, list):
        items = []
        lc = getattr(node, "lc", None)
        for i, value in enumerate(node):
            if lc is not None:
                with contextlib.suppress(KeyError, TypeError, IndexError):
                    lines[(*loc, i)] = int(lc.item(i)[0]) + 1
            items.append(_to_plain(value, (*loc, i), lines, budget, stack))
        return items
    if node is None or isinstance(node, bool | int | float):
        return node
    if isinstance(node, str):
        return str(node)
    return str(node)


def _line_for(loc: _Loc, lines: dict[_Loc, int]) -> int | None:
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return None


def _key(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _known_keys(model: type[BaseModel] | None, loc: _Loc) -> list[str]:
    """The keys the model accepts at ``loc`` (the location of an unknown key)."""
    from typing import get_args

    def models_in(annotation: Any) -> list[type[BaseModel]]:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return [annotation]
        return [m for a in get_args(annotation) for m in models_in(a)]

    current: list[type[BaseModel]] = [model] if model is not None else []
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        nxt: list[type[BaseModel]] = []
        for m in current:
            field = m.model_fields.get(part)
            if field is not None:
                nxt += models_in(field.annotation)
        current = nxt
    return sorted({k for m in current for k, f in m.model_fields.items() if not f.exclude})


def _describe(err: dict[str, Any], known: list[str] | None = None) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        import difflib

        loc = err.get("loc") or ()
        key = str(loc[-1]) if loc else ""
        close = difflib.get_close_matches(key, known or [], n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        allowed = f"allowed here: {', '.join(known)}; " if known else ""
        return f"unknown key ({hint}{allowed}see docs/study-file.md)"
    if kind == "missing":
        return "required key is missing"
    msg = str(err.get("msg", "invalid value"))
    msg = msg.removeprefix("Value error, ")
    value = err.get("input")
    if kind not in {"missing"} and not isinstance(value, dict | list) and value is not None:
        return f"{msg} (found {value!r})"
    return msg


def _pydantic_problems(
    exc: ValidationError,
    prefix: _Loc,
    lines: dict[_Loc, int],
    model: type[BaseModel] | None = None,
) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = (*prefix, *err["loc"])
        extra = err.get("type") == "extra_forbidden"
        known = _known_keys(model, tuple(err["loc"])) if extra else None
        problems.append(Problem(_key(loc), _describe(dict(err), known), _line_for(loc, lines)))
    return problems


def _read_yaml(path: Path) -> tuple[Any, dict[_Loc, int]]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    limit = get_limits().study_file_bytes
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise StudyFileError(path, [Problem("", "is a folder; expected the study file (YAML)")])
        if size > limit:
            hint = limit_hint("study_file_bytes")
            what = f"the study file is {size:,} bytes, larger than expected; {hint}"
            raise StudyFileError(path, [Problem("", what)])
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StudyFileError(path, [Problem("", "the study file does not exist")]) from None
    except PermissionError:
        raise StudyFileError(path, [Problem("", "no permission to read the study file")]) from None
    except UnicodeDecodeError as exc:
        raise StudyFileError(path, [Problem("", f"not UTF-8 text ({exc.reason})")]) from None
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        data = yaml.load(StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = (exc.problem or str(exc)).strip()
        raise StudyFileError(path, [Problem("", f"not valid YAML: {what}", line)]) from None
    except Exception as exc:  # ruamel raises several unrelated classes for bad YAML
        raise StudyFileError(path, [Problem("", f"not valid YAML: {exc}")]) from None
    lines: dict[_Loc, int] = {}
    try:
        plain = _to_plain(data, (), lines)
    except _TooLarge:
        what = (
            "the study file expands to more values than expected (YAML aliases `*name` are "
            f"expanded); {limit_hint('yaml_nodes')}"
        )
        raise StudyFileError(path, [Problem("", what)]) from None
    except ValueError as exc:
        raise StudyFileError(path, [Problem("", f"not valid YAML: {exc}")]) from None
    return plain, lines


def _size_problems(raw: dict[str, Any], lines: dict[_Loc, int]) -> list[Problem]:
    """Replicate and sample counts beyond the limits (checked before any sample is made)."""
    lim = get_limits()
    problems = []
    reps = raw.get("replicates")
    groups = raw.get("groups")
    n_groups = len(groups) if isinstance(groups, list) else 0
    if isinstance(reps, int) and not isinstance(reps, bool):
        if reps > lim.replicates:
            what = (
                f"{reps:,} replicates per group is more than expected; {limit_hint('replicates')}"
            )
            problems.append(Problem("replicates", what, _line_for(("replicates",), lines)))
        elif reps * n_groups > lim.samples:
            what = (
                f"{n_groups} groups x {reps:,} replicates = {reps * n_groups:,} samples; "
                f"{limit_hint('samples')}"
            )
            problems.append(Problem("replicates", what, _line_for(("replicates",), lines)))
    samples = raw.get("samples")
    if isinstance(samples, list) and len(samples) > lim.samples:
        what = f"{len(samples):,} samples is more than expected; {limit_hint('samples')}"
        problems.append(Problem("samples", what, _line_for(("samples",), lines)))
    return problems


def _cross_checks(raw: dict[str, Any], base_dir: Path, lines: dict[_Loc, int]) -> list[Problem]:
    """Checks across sections, made on the raw data so they run even when other keys fail."""
    from exodisc.registry import assay_kinds, get_assay

    problems: list[Problem] = []

    def add(loc: _Loc, msg: str) -> None:
        problems.append(Problem(_key(loc), msg, _line_for(loc, lines)))

    groups = _as_list(raw.get("groups"))
    ids: list[str] = []
    for i, g in enumerate(groups):
        if isinstance(g, dict) and isinstance(g.get("id"), str):
            if g["id"] in ids:
                add(("groups", i, "id"), f"duplicate group id {g['id']!r}")
            ids.append(g["id"])
    known = ", ".join(repr(x) for x in ids) or "none"

    if raw.get("samples") == [] and not raw.get("replicates"):
        add(("samples",), "the list is empty; list the samples, or give 'replicates: N' instead")
    if raw.get("assays") == []:
        names = ", ".join(sorted(assay_kinds()))
        add(("assays",), f"the list is empty: nothing to analyse; add at least one assay ({names})")
    samples = _as_list(raw.get("samples"))
    seen_samples: set[str] = set()
    for i, s in enumerate(samples):
        if not isinstance(s, dict):
            continue
        if isinstance(s.get("group"), str) and ids and s["group"] not in ids:
            add(("samples", i, "group"), f"unknown group {s['group']!r}; expected one of {known}")
        sid = s.get("id")
        if isinstance(sid, str):
            if sid in seen_samples:
                add(("samples", i, "id"), f"duplicate sample id {sid!r}")
            seen_samples.add(sid)
    if raw.get("samples") and raw.get("replicates"):
        add(("replicates",), "give either 'replicates' or an explicit 'samples' list, not both")
    if raw.get("paired") and isinstance(samples, list):
        for i, s in enumerate(samples):
            if isinstance(s, dict) and not s.get("donor"):
                add(("samples", i), "paired design: every sample needs a 'donor'")

    comparisons = _as_list(raw.get("comparisons"))
    mark_ref: dict[str, str] = {}
    pairs: set[frozenset[str]] = set()
    for i, c in enumerate(comparisons):
        if not isinstance(c, dict):
            continue
        for key in ("test", "reference"):
            v = c.get(key)
            if isinstance(v, str) and ids and v not in ids:
                add(("comparisons", i, key), f"unknown group {v!r}; expected one of {known}")
        t, r = c.get("test"), c.get("reference")
        if isinstance(t, str) and t == r:
            add(("comparisons", i), f"a group cannot be compared with itself ({t!r})")
        if isinstance(t, str) and isinstance(r, str):
            pair = frozenset((t, r))
            if pair in pairs:
                add(("comparisons", i), f"comparison {t!r} vs {r!r} is declared twice")
            pairs.add(pair)
        mark = c.get("mark", "*")
        if isinstance(mark, str) and isinstance(r, str):
            if mark in mark_ref and mark_ref[mark] != r:
                add(
                    ("comparisons", i, "mark"),
                    f"mark {mark!r} already means 'vs {mark_ref[mark]}'; "
                    f"use another mark for comparisons against {r!r}",
                )
            mark_ref.setdefault(mark, r)

    assays = _as_list(raw.get("assays"))
    assay_ids: set[str] = set()
    for i, a in enumerate(assays):
        if not isinstance(a, dict):
            continue
        if isinstance(a.get("id"), str):
            if a["id"] in assay_ids:
                add(("assays", i, "id"), f"duplicate assay id {a['id']!r}")
            assay_ids.add(a["id"])
            if not _OUTPUT_NAME.match(a["id"]):
                add(
                    ("assays", i, "id"),
                    f"assay id {a['id']!r} names output files and tables: use lowercase "
                    f"letters, digits, '_', '.' or '-', starting with a letter or digit "
                    f"(e.g. {re.sub(r'[^a-z0-9_.-]', '_', a['id'].lower())!r})",
                )
        if isinstance(a.get("files"), list) and not a["files"] and _reads_files(a.get("kind")):
            add(("assays", i, "files"), "an empty list; name the assay's input files")
        kind = a.get("kind")
        if isinstance(kind, str):
            kinds = assay_kinds()
            if kind not in kinds:
                add(
                    ("assays", i, "kind"),
                    f"unknown assay kind {kind!r}; expected one of "
                    f"{', '.join(sorted(kinds)) or '(none installed)'}",
                )
            else:
                spec = get_assay(kind)
                options = a.get("options") or {}
                if isinstance(options, dict):
                    try:
                        spec.options_model.model_validate(options)
                    except ValidationError as exc:
                        problems += _pydantic_problems(
                            exc, ("assays", i, "options"), lines, spec.options_model
                        )
        files = a.get("files")
        if isinstance(files, list):
            for j, f in enumerate(files):
                if isinstance(f, str) and not _resolve(base_dir, f).exists():
                    add(("assays", i, "files", j), f"file not found: {_resolve(base_dir, f)}")
        layout = a.get("layout")
        if isinstance(layout, str) and not _resolve(base_dir, layout).exists():
            add(("assays", i, "layout"), f"layout file not found: {_resolve(base_dir, layout)}")
    return problems


def _assay_checks(study: Study, lines: dict[_Loc, int]) -> list[Problem]:
    """Each assay kind's registered cheap input checks (what the run would refuse)."""
    from exodisc.errors import ExodiscError
    from exodisc.registry import assay_checks, get_assay

    checks = assay_checks()
    problems: list[Problem] = []
    for i, a in enumerate(study.assays):
        check = checks.get(a.kind)
        if check is None:
            continue
        opts = get_assay(a.kind).options_model.model_validate(a.options or {})
        try:
            found = check(study, a, opts)
        except ExodiscError as exc:
            found = [("", str(exc))]
        for key, msg in found:
            if f"assay {a.id!r}" not in msg:  # every problem names its assay
                msg = f"assay {a.id!r}: {msg}"
            loc: _Loc = ("assays", i, *_key_path(key))
            problems.append(Problem(_key(loc), msg, _line_for(loc, lines)))
    from exodisc.pipeline import plan

    try:  # an assay needing what no assay of the study produces (e.g. a DE table)
        plan(study)
    except StudyFileError as exc:
        for p in exc.problems:
            problems.append(Problem(p.key, p.message, _line_for(_key_path(p.key), lines)))
    return problems


def _key_path(key: str) -> _Loc:
    """``"options.blots[0].lanes[2]"`` -> ``("options", "blots", 0, "lanes", 2)``."""
    out: list[str | int] = []
    for part in (k for k in key.split(".") if k):
        name, *idx = re.split(r"\[(\d+)\]", part)
        if name:
            out.append(name)
        out += [int(x) for x in idx if x.isdigit()]
    return tuple(out)


def _reads_files(kind: Any) -> bool:
    """Whether an assay of ``kind`` analyses files of its own: it produces artefacts and
    consumes none (a DE assay may take a reads assay's counts, enrichment a DE table, and a
    model or a plan needs no input file)."""
    from exodisc.registry import assay_kinds

    spec = assay_kinds().get(kind) if isinstance(kind, str) else None
    return spec is not None and bool(spec.produces) and not spec.consumes


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _resolve(base: Path, p: str) -> Path:
    path = Path(p)
    return path if path.is_absolute() else base / path


def parse_study(
    raw: Any,
    *,
    path: Path,
    lines: dict[_Loc, int] | None = None,
    check_inputs: bool = False,
) -> Study:
    """Validate already-loaded study data; raise :class:`StudyFileError` listing every problem.

    With ``check_inputs`` (as :func:`load_study`, ``exodisc validate`` and ``exodisc run`` do),
    each assay kind's registered cross-checks also read the inputs' headers and layouts for
    what the analysis would refuse; without it the analyses themselves refuse the same inputs
    with the same words (when they run).

    Examples
    --------
    >>> from pathlib import Path
    >>> from exodisc.config import parse_study
    >>> raw = {"title": "SA-β-gal", "replicates": 2,
    ...        "groups": [{"id": "ctrl", "label": "Control"}, {"id": "il1b", "label": "IL-1β"}]}
    >>> study = parse_study(raw, path=Path("study.yaml"))
    >>> [(s.id, s.group) for s in study.samples]
    [('ctrl_1', 'ctrl'), ('ctrl_2', 'ctrl'), ('il1b_1', 'il1b'), ('il1b_2', 'il1b')]
    """
    lines = lines or {}
    base_dir = path.parent.resolve()
    if not isinstance(raw, dict):
        found = "an empty file" if raw is None else type(raw).__name__
        raise StudyFileError(path, [Problem("", f"expected a mapping of keys, found {found}")])
    sizes = _size_problems(raw, lines)
    if sizes:
        raise StudyFileError(path, sizes)
    problems: list[Problem] = []
    study: Study | None = None
    try:
        study = Study.model_validate({**raw, "base_dir": base_dir})
    except ValidationError as exc:
        problems += _pydantic_problems(exc, (), lines, Study)
    problems += _cross_checks(raw, base_dir, lines)
    if study is not None and not problems and check_inputs:
        problems += _assay_checks(study, lines)
    if problems or study is None:
        uniq = list(dict.fromkeys(problems))
        uniq.sort(key=lambda p: (p.line if p.line is not None else 10**9, p.key))
        raise StudyFileError(path, uniq)
    return study


def load_study(path: str | Path, *, check_inputs: bool = True) -> Study:
    """Read and validate a study file.

    Parameters
    ----------
    path
        The YAML study file. Relative paths inside it resolve against its folder.
    check_inputs
        Also run each assay kind's cross-checks on its input files (the default, as
        ``exodisc validate`` and ``exodisc run`` do). ``False`` checks the study file's keys
        only; the analyses then refuse the same inputs with the same words when they run.

    Returns
    -------
    Study
        The validated study.

    Raises
    ------
    StudyFileError
        Listing every problem, each with its key path, line and what was expected: the study
        file's keys, then (once those are valid) what each assay's analysis would refuse in
        its inputs (sample names, plate names, reads, reference genes …; see
        :func:`exodisc.registry.register_check`).

    Examples
    --------
    >>> from exodisc.config import load_study
    >>> study = load_study("study.yaml")  # doctest: +SKIP
    >>> [g.id for g in study.groups]  # doctest: +SKIP
    """
    path = Path(path)
    raw, lines = _read_yaml(path)
    return parse_study(raw, path=path, lines=lines, check_inputs=check_inputs)


def validate_study_file(path: str | Path) -> list[Problem]:
    """Every problem of a study file (empty when it is valid).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import yaml
    >>> from exodisc.config import validate_study_file
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "study.yaml"
    ...     study = {"title": "t", "replicates": 3, "groups": [{"id": "ctrl"}]}
    ...     _ = path.write_text(yaml.safe_dump(study, sort_keys=False))
    ...     for problem in validate_study_file(path):
    ...         print(problem)
    line 4: groups[0].label: required key is missing
    """
    try:
        load_study(path)
    except StudyFileError as exc:
        return exc.problems
    return []


def dump_study(study: Study) -> dict[str, Any]:
    """The fully resolved study as plain JSON-able data (for provenance).

    Examples
    --------
    >>> from pathlib import Path
    >>> from exodisc.config import parse_study
    >>> raw = {"title": "SA-β-gal", "replicates": 2,
    ...        "groups": [{"id": "ctrl", "label": "Control"}, {"id": "il1b", "label": "IL-1β"}]}
    >>> study = parse_study(raw, path=Path("study.yaml"))
    >>> from exodisc.config import dump_study
    >>> data = dump_study(study)
    >>> data["title"], len(data["samples"])
    ('SA-β-gal', 4)
    """

    def conv(obj: Any) -> Any:
        if isinstance(obj, BaseModel):
            return conv(obj.model_dump(mode="json"))
        if isinstance(obj, dict):
            return {k: conv(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [conv(v) for v in obj]
        return obj

    data = conv(study)
    data["assays"] = [
        {**a, "files": [str(study.resolve(f)) for f in a["files"]]} for a in data["assays"]
    ]
    return data
