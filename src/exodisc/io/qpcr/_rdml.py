"""RDML 1.0–1.3 (Real-time PCR Data Markup Language, Lefever et al. 2009)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from exodisc.errors import InputFormatError
from exodisc.io.qpcr._table import parse_ct

__all__ = ["read_rdml"]


def _xml_bytes(path: Path) -> bytes:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.lower().endswith(".xml")]
            # the standard name first; some exporters (Bio-Rad) use another name
            names.sort(key=lambda n: n != "rdml_data.xml")
            if not names:
                msg = f"the RDML zip holds no .xml file (members {zf.namelist()})"
                raise InputFormatError(msg, path=path)
            return zf.read(names[0])
    return path.read_bytes()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el: ET.Element, name: str) -> ET.Element | None:
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _text(el: ET.Element | None) -> str | None:
    return None if el is None or el.text is None else el.text.strip()


def read_rdml(path: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Every reaction × target of every run of an RDML file (zipped or plain XML).

    Well names: RDML numbers reactions 1…N row-wise; with the run's ``pcrFormat``
    (rows × columns, labels ``ABC``/``123``) they become ``A1`` … as on the plate.
    """
    try:
        root = ET.fromstring(_xml_bytes(path))
    except ET.ParseError as exc:
        raise InputFormatError(f"not valid RDML XML ({exc})", path=path) from None
    if _local(root.tag) != "rdml":
        msg = f"root element is <{_local(root.tag)}>, expected <rdml>"
        raise InputFormatError(msg, path=path)
    version = root.get("version", "")
    samples: dict[str, dict[str, Any]] = {}
    for s in _children(root, "sample"):
        sid = s.get("id", "")
        qty = _child(s, "quantity")
        samples[sid] = {
            "type": _text(_child(s, "type")) or "unkn",
            "quantity": _text(_child(qty, "value")) if qty is not None else None,
            "description": _text(_child(s, "description")),
        }
    dyes = {t.get("id", ""): _text(_child(t, "dyeId")) or "" for t in _children(root, "target")}
    for t in _children(root, "target"):
        dye = _child(t, "dyeId")
        if dye is not None and dye.get("id"):
            dyes[t.get("id", "")] = dye.get("id", "")
    rows: list[dict[str, Any]] = []
    meta = {"rdml_version": version}
    for exp in _children(root, "experiment"):
        for run in _children(exp, "run"):
            meta.setdefault("instrument", _text(_child(run, "instrument")) or "")
            fmt = _child(run, "pcrFormat")
            ncol = int(_text(_child(fmt, "columns")) or 0) if fmt is not None else 0
            rlab = _text(_child(fmt, "rowLabel")) if fmt is not None else None
            for react in _children(run, "react"):
                rid = react.get("id", "")
                well = rid
                if rid.isdigit() and ncol and rlab == "ABC":
                    n = int(rid) - 1
                    well = f"{chr(ord('A') + n // ncol)}{n % ncol + 1}"
                s_el = _child(react, "sample")
                sid = s_el.get("id", "") if s_el is not None else ""
                info = samples.get(sid, {"type": "unkn", "quantity": None})
                for data in _children(react, "data"):
                    tar = _child(data, "tar")
                    tid = tar.get("id", "") if tar is not None else ""
                    ct, undetermined = parse_ct(
                        _text(_child(data, "cq")),
                        path=path,
                        where=f"run {run.get('id')!r}, react {rid}, target {tid!r}, <cq>",
                    )
                    excl = _text(_child(data, "excl"))
                    rows.append(
                        {
                            "well": well,
                            "sample": sid,
                            "target": tid,
                            "task": info["type"],
                            "ct": ct,
                            "undetermined": undetermined,
                            "quantity": info["quantity"],
                            "omit": bool(excl),
                            "reporter": dyes.get(tid, ""),
                            "_run": run.get("id"),
                            "_where": f"run {run.get('id')!r}, react {rid}",
                        }
                    )
    return rows, meta
