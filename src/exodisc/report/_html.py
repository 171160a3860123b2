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
body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;max-width:1400px;
margin:0 auto;padding:0 1em;color:#222;line-height:1.45}
.layout{display:grid;grid-template-columns:15em minmax(0,1fr);gap:2em}
nav.toc{position:sticky;top:0;align-self:start;max-height:100vh;box-sizing:border-box;overflow-y:auto;
font-size:.85em;padding:1em 0;border-right:1px solid #e5e5e5}
nav.toc ul{list-style:none;padding-left:0;margin:0}nav.toc li{margin:.25em .6em .25em 0}
nav.toc a{text-decoration:none;color:#1f4e79}nav.toc a:hover{text-decoration:underline}
@media (max-width:900px){.layout{display:block}nav.toc{position:static;border:0}}
main{min-width:0;padding-bottom:4em}
h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;
margin-top:2em}h3{font-size:1.05em}
.banner{background:#fff3cd;border:1px solid #e0c36b;padding:.6em 1em;border-radius:4px}
.warn{background:#fdecea;border-left:4px solid #d9534f;padding:.3em .8em;margin:.3em 0}
table{border-collapse:collapse;font-size:.82em;margin:.5em 0 1em}
th,td{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#f3f3f3}
td.s{text-align:left}figure{margin:1em 0}figcaption{font-size:.85em;color:#444}
.figs{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}
.figs figure{flex:1 1 420px;max-width:760px;margin:.5em 0}
.figs figure[id^="view-"]{flex-basis:100%;max-width:none}
figure svg{width:100%;height:auto}.methods p{text-align:justify}
details.tbl{margin:.3em 0;border:1px solid #e5e5e5;border-radius:4px;padding:.2em .6em}
details.tbl summary{cursor:pointer;font-size:.9em}
.tw{overflow-x:auto;max-width:100%}
code{background:#f4f4f4;padding:0 3px}.small{font-size:.8em;color:#666}
main p,main li,figcaption,summary,.warn,.banner,h2,h3{overflow-wrap:anywhere}
.figs figure{min-width:0}main img,main svg,main video{max-width:100%}
"""

#: Rows of a folded table shown in report.html (all rows are in the TSV and the workbook).
_FOLDED_ROWS = 10

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


def _folded_table(item: TableItem) -> str:
    """A table folded in ``<details>``: caption, size and TSV link in the summary."""
    esc = html.escape
    name = esc(item.name)
    rows = min(item.max_rows, _FOLDED_ROWS)
    size = f"{len(item.frame)} row{'s' if len(item.frame) != 1 else ''}"
    if item.frame.empty:  # say why, in the summary a reader sees without unfolding
        why = item.empty or "the analysis produced none"
        size = f'no rows: <span class="why">{esc(why)}</span>'
        body = (
            f'<p class="empty">No rows: {esc(why)}. Columns (in the TSV): '
            f"{esc(', '.join(str(c) for c in item.frame.columns)) or 'none'}.</p>"
        )
    else:
        body = _table_html(item.frame, rows)
    return (
        f'<details class="tbl" id="tbl-{name}"><summary><strong>'
        f'{esc(item.caption or item.name)}</strong> <span class="small">({size}; '
        f'<a href="tables/{name}.tsv"><code>tables/{name}.tsv</code></a>)</span></summary>'
        f"{body}</details>"
    )


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
    toc = ['<nav class="toc" aria-label="Contents"><strong>Contents</strong><ul>']
    for s in report.sections:
        toc.append(f'<li><a href="#{esc(s.id)}">{esc(s.title)}</a></li>')
    toc.append('<li><a href="#methods">Methods</a></li>')
    toc.append('<li><a href="#provenance">Provenance</a></li></ul></nav>')
    header = out[4:]  # title, version line, banner: inside <main>
    out = [*out[:4], '<div class="layout">', *toc, "<main>", *header]
    inlined: set[str] = set()
    for s in report.sections:
        out.append(f'<section id="{esc(s.id)}"><h2>{esc(s.title)}</h2>')
        for w in s.warnings:
            out.append(f'<p class="warn">{esc(w)}</p>')
        # the same shape for every section: figures first, then the result in words,
        # then files and tables (folded, first rows shown, each linked to its TSV)
        figures = [i for i in s.items if isinstance(i, FigureItem | HtmlItem)]
        if figures:
            out.append('<div class="figs">')
        for item in figures:
            if isinstance(item, FigureItem):
                svg = _XML_DECL.sub("", svgs.get(item.name, ""))
                name = esc(item.name)
                out.append(
                    f'<figure id="fig-{name}">{svg}<figcaption><strong>'
                    f'<a href="figures/{name}.svg">{name}</a></strong>. {esc(item.caption)} '
                    f'(<a href="figures/{name}.png">PNG</a>, data in '
                    f'<a href="figures/{name}.tsv"><code>figures/{name}.tsv</code></a>)'
                    "</figcaption></figure>"
                )
            else:
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
        if figures:
            out.append("</div>")
        for p in s.paragraphs:
            out.append(f"<p>{esc(p)}</p>")
        for other in s.items:
            if isinstance(other, FileItem):
                out.append(
                    f'<p class="small">File: <a href="files/{esc(other.name)}">'
                    f"<code>files/{esc(other.name)}</code></a> — {esc(other.caption)}</p>"
                )
            elif isinstance(other, TableItem) and other.show:
                out.append(_folded_table(other))
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
    out.append("</main></div></body></html>")
    return "\n".join(out) + "\n"
