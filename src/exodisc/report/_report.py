"""The report object analyses add sections to; the writer turns it into the output folder."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from exodisc.registry import MethodMeta

__all__ = [
    "VENDOR_SCRIPTS",
    "FigureItem",
    "FileItem",
    "HtmlItem",
    "MethodUse",
    "Report",
    "Section",
    "TableItem",
]

#: Browser libraries under ``report/vendor/`` a section may ask ``report.html`` to inline.
VENDOR_SCRIPTS = {"cytoscape": "cytoscape.min.js"}

_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.[A-Za-z0-9]+$")


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        msg = f"output name {name!r} must be lower-case letters, digits, '_', '.', '-'"
        raise ValueError(msg)
    return name


@dataclass(frozen=True)
class TableItem:
    """A result table: written to ``tables/<name>.tsv`` and a sheet of ``results.xlsx``."""

    name: str
    frame: pd.DataFrame
    caption: str = ""
    show: bool = True  # also render in the HTML report (large tables: False)
    max_rows: int = 50
    empty: str = ""  # why the table has no rows (shown in its place in report.html)


@dataclass(frozen=True)
class FigureItem:
    """A figure, written as ``figures/<name>.svg`` and ``.png`` beside ``figures/<name>.tsv``.

    ``data`` is exactly what the figure plots.
    """

    name: str
    figure: Figure
    data: pd.DataFrame
    caption: str = ""


@dataclass(frozen=True)
class FileItem:
    """Another result file (a network as GraphML or Cytoscape.js JSON …): ``files/<name>``."""

    name: str
    content: bytes
    caption: str = ""


@dataclass(frozen=True)
class HtmlItem:
    """An HTML fragment shown in ``report.html`` only (an interactive view …).

    ``scripts`` names vendored libraries (keys of ``VENDOR_SCRIPTS``) the fragment needs; the
    renderer inlines each one once per report, before the first fragment that needs it.
    The fragment must be deterministic and must not load anything from the network.
    """

    name: str
    html: str
    caption: str = ""
    scripts: tuple[str, ...] = ()


@dataclass(frozen=True)
class MethodUse:
    """One use of a registered method with the parameters the analysis used."""

    meta: MethodMeta
    params: dict[str, Any]

    def sentence(self) -> str:
        try:
            return self.meta.template.format(**self.params)
        except KeyError as exc:
            msg = f"method {self.meta.key!r} template needs parameter {exc.args[0]!r}"
            raise KeyError(msg) from None


@dataclass
class Section:
    """One section of the report (usually one assay)."""

    id: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[TableItem | FigureItem | FileItem | HtmlItem] = field(default_factory=list)
    methods: list[MethodUse] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add_text(self, text: str) -> Section:
        self.paragraphs.append(text)
        return self

    def add_table(
        self,
        name: str,
        frame: pd.DataFrame,
        *,
        caption: str = "",
        show: bool = True,
        empty: str = "",
    ) -> Section:
        """Write ``frame`` to ``tables/<name>.tsv`` and a workbook sheet; show it when ``show``.

        ``empty`` says why the table can have no rows (e.g. "no term passed min_size"); a table
        without rows shows that reason in report.html instead of a header-only table.
        """
        self.items.append(TableItem(_check_name(name), frame, caption, show, empty=empty))
        return self

    def add_figure(
        self, name: str, figure: Figure, data: pd.DataFrame, *, caption: str = ""
    ) -> Section:
        self.items.append(FigureItem(_check_name(name), figure, data, caption))
        return self

    def add_file(self, name: str, content: bytes | str, *, caption: str = "") -> Section:
        """Write ``content`` to ``files/<name>`` (``name`` with its extension, e.g. ``.graphml``).

        For results that are neither tables nor figures, such as networks for Cytoscape.
        Text is written as UTF-8; the content must be deterministic for byte-identical re-runs.
        """
        if not _FILE_NAME.match(name):
            msg = f"file name {name!r} must be letters, digits, '_', '.', '-' with an extension"
            raise ValueError(msg)
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        self.items.append(FileItem(name, data, caption))
        return self

    def add_html(
        self, name: str, html: str, *, caption: str = "", scripts: tuple[str, ...] = ()
    ) -> Section:
        """Show the HTML fragment ``html`` in ``report.html`` (nothing else is written).

        ``scripts`` names vendored libraries to inline once per report (``"cytoscape"``).
        A ``</script`` inside the fragment's own inline scripts must be written ``<\\/script``.
        """
        unknown = [s for s in scripts if s not in VENDOR_SCRIPTS]
        if unknown:
            msg = f"unknown report script(s) {unknown}; known: {sorted(VENDOR_SCRIPTS)}"
            raise ValueError(msg)
        self.items.append(HtmlItem(_check_name(name), html, caption, tuple(scripts)))
        return self

    def add_method(self, key: str, **params: Any) -> Section:
        """Record that method ``key`` was used with ``params`` (fills its template)."""
        from exodisc.registry import get_method

        use = MethodUse(get_method(key), params)
        use.sentence()  # fail early when a parameter is missing
        self.methods.append(use)
        return self

    def add_warning(self, text: str) -> Section:
        """A QC flag or caveat the reader must see (shown highlighted)."""
        self.warnings.append(text)
        return self


@dataclass
class Report:
    """The whole report: title, sections in order, and what the run recorded.

    Examples
    --------
    >>> r = Report("Demo")
    >>> s = r.add_section("cck8", "Cell viability (CCK-8)")
    >>> _ = s.add_text("IL-1β lowered viability.")
    >>> [x.id for x in r.sections]
    ['cck8']
    """

    title: str
    simulated: bool = False
    sections: list[Section] = field(default_factory=list)
    records: dict[str, Any] = field(default_factory=dict)

    def record(self, key: str, value: Any) -> None:
        """Add ``value`` (JSON-able) to ``provenance.json`` under ``records[key]``.

        Use it for what the provenance must name beyond files and versions, e.g. the exact
        resources (gene sets, interaction tables) with their versions and checksums.
        """
        self.records[key] = value

    def add_section(self, id: str, title: str) -> Section:
        if any(s.id == id for s in self.sections):
            msg = f"report section {id!r} exists already"
            raise ValueError(msg)
        section = Section(_check_name(id), title)
        self.sections.append(section)
        return section

    def names(self) -> list[str]:
        return [i.name for s in self.sections for i in s.items]

    def check_unique_names(self) -> None:
        seen: dict[tuple[str, str], str] = {}
        for s in self.sections:
            for i in s.items:
                kind = type(i).__name__
                if (kind, i.name) in seen:
                    msg = (
                        f"{kind} name {i.name!r} is used by sections "
                        f"{seen[(kind, i.name)]!r} and {s.id!r}"
                    )
                    raise ValueError(msg)
                seen[(kind, i.name)] = s.id
