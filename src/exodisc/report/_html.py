"""Render a Report as one self-contained HTML file (inline CSS and SVG, no network requests)."""

from __future__ import annotations

import html
import math
import re
from typing import Any

import numpy as np
import pandas as pd

from exodisc.report._report import (
    VENDOR_SCRIPTS,
    FigureItem,
    FileItem,
    HtmlItem,
    Report,
    TableItem,
)

__all__ = ["render_html"]

_CSS = """
body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;
margin-top:2em}h3{font-size:1.05em}
.banner{background:#fff3cd;border:1px solid #e0c36b;padding:.6em 1em;border-radius:4px}
.warn{background:#fdecea;border-left:4px solid #d9534f;padding:.3em .8em;margin:.3em 0}
table{border-collapse:collapse;font-size:.82em;margin:.5em 0 1em}
th,td{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#f3f3f3}
td.s{text-align:left}figure{margin:1em 0}figcaption{font-size:.85em;color:#444}
figure svg{max-width:100%;height:auto}.methods p{text-align:justify}
nav ul{columns:2}.tw{overflow-x:auto;max-width:100%}
code{background:#f4f4f4;padding:0 3px}.small{font-size:.8em;color:#666}
"""

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        v = float(value)
        if v == 0:
            return "0"
        if abs(v) < 1e-3 or abs(v) >= 1e6:
            return f"{v:.3g}"
        return f"{v:.4g}"
    return str(value)


def _table_html(frame: pd.DataFrame, max_rows: int) -> str:
    shown = frame.head(max_rows)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    rows = []
    for rec in shown.itertuples(index=False):
        cells = []
        for v in rec:
            cls = ' class="s"' if isinstance(v, str) else ""
            cells.append(f"<td{cls}>{html.escape(_fmt(v))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if len(frame) > max_rows:
        more = f'<p class="small">First {max_rows} of {len(frame)} rows; all in the TSV.</p>'
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return f'<div class="tw">{table}</div>{more}'


def _vendor_script(key: str) -> str:
    """The vendored library ``key`` as an inline ``<script>`` element."""
    from importlib.resources import files

    text = files("exodisc.report").joinpath("vendor", VENDOR_SCRIPTS[key]).read_text("utf-8")
    text = re.sub(r"</(script)", r"<\\/\1", text, flags=re.I)
    return f'<script data-vendor="{html.escape(key)}">\n{text}\n</script>'


def render_html(
    report: Report,
    *,
    svgs: dict[str, str],
    versions: dict[str, str],
    provenance_summary: dict[str, Any],
) -> str:
    """The report as a self-contained HTML page.

    Parameters
    ----------
    report
        The report.
    svgs
        Figure name → SVG text (inlined).
    versions
        Software versions for the methods section.
    provenance_summary
        Start/end time, study file and checksum, shown at the end.
    """
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(report.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(report.title)}</h1>",
        f'<p class="small">exodisc {esc(versions.get("exodisc", ""))} · '
        f"{esc(str(provenance_summary.get('finished', '')))}</p>",
    ]
    if report.simulated:
        out.append(
            '<p class="banner"><strong>Simulated data.</strong> Every number in this report comes '
            "from the built-in simulator of exodisc, not from an experiment. The effects follow "
            "the directions reported in the seed study; they are not measurements.</p>"
        )
    out.append("<nav><h2>Contents</h2><ul>")
    for s in report.sections:
        out.append(f'<li><a href="#{esc(s.id)}">{esc(s.title)}</a></li>')
    out.append('<li><a href="#methods">Methods</a></li><li><a href="#provenance">Provenance</a>')
    out.append("</li></ul></nav>")
    inlined: set[str] = set()
    for s in report.sections:
        out.append(f'<section id="{esc(s.id)}"><h2>{esc(s.title)}</h2>')
        for w in s.warnings:
            out.append(f'<p class="warn">{esc(w)}</p>')
        for p in s.paragraphs:
            out.append(f"<p>{esc(p)}</p>")
        for item in s.items:
            if isinstance(item, FigureItem):
                svg = _XML_DECL.sub("", svgs.get(item.name, ""))
                out.append(
                    f'<figure id="fig-{esc(item.name)}">{svg}<figcaption><strong>'
                    f"{esc(item.name)}</strong>. {esc(item.caption)} "
                    f"(<code>figures/{esc(item.name)}.svg</code>, data in "
                    f"<code>figures/{esc(item.name)}.tsv</code>)</figcaption></figure>"
                )
            elif isinstance(item, HtmlItem):
                for key in item.scripts:
                    if key not in inlined:
                        inlined.add(key)
                        out.append(_vendor_script(key))
                caption = ""
                if item.caption:
                    caption = (
                        f"<figcaption><strong>{esc(item.name)}</strong>. "
                        f"{esc(item.caption)}</figcaption>"
                    )
                out.append(f'<figure id="view-{esc(item.name)}">{item.html}{caption}</figure>')
            elif isinstance(item, FileItem):
                out.append(
                    f'<p class="small">File: <a href="files/{esc(item.name)}">'
                    f"<code>files/{esc(item.name)}</code></a> — {esc(item.caption)}</p>"
                )
            elif isinstance(item, TableItem) and item.show:
                out.append(
                    f"<h3>{esc(item.caption or item.name)}</h3>"
                    f'<p class="small"><code>tables/{esc(item.name)}.tsv</code></p>'
                )
                out.append(_table_html(item.frame, item.max_rows))
        out.append("</section>")
    out.append('<section id="methods" class="methods"><h2>Methods</h2>')
    for s in report.sections:
        if s.methods:
            out.append(f"<h3>{esc(s.title)}</h3>")
            sentences = []
            for use in s.methods:
                text = use.sentence()
                soft = [f"{n} {versions[n]}" for n in use.meta.software if n in versions]
                if soft:
                    text += f" Software: {', '.join(soft)}."
                if use.meta.r_equivalent:
                    text += f" (R equivalent: {use.meta.r_equivalent}.)"
                sentences.append(text)
            out.append("".join(f"<p>{esc(t)}</p>" for t in sentences))
    soft_all = ", ".join(f"{k} {v}" for k, v in sorted(versions.items()))
    out.append(f'<p class="small">Software versions: {esc(soft_all)}.</p></section>')
    out.append('<section id="provenance"><h2>Provenance</h2><table>')
    for k, v in provenance_summary.items():
        out.append(f'<tr><th>{esc(str(k))}</th><td class="s">{esc(str(v))}</td></tr>')
    out.append(
        "</table><p class='small'>Every input with its checksum, the resolved study, the "
        "parameters and versions are in <code>provenance.json</code>.</p></section>"
    )
    out.append("</body></html>")
    return "\n".join(out) + "\n"
