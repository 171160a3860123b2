"""The report: an explicit object analyses add sections to, and the only writer of outputs."""

from exodisc.report._atomic import (
    check_output_path,
    check_writable_parent,
    render_folder,
    staging_folder,
)
from exodisc.report._blocks import group_comparison_block
from exodisc.report._provenance import file_record, package_versions, platform_record, sha256_file
from exodisc.report._report import (
    FigureItem,
    FileItem,
    HtmlItem,
    MethodUse,
    Report,
    Section,
    TableItem,
)
from exodisc.report._writer import (
    OutputExistsError,
    RenderAhead,
    figure_jobs,
    write_output,
    write_table,
)

__all__ = [
    "FigureItem",
    "FileItem",
    "HtmlItem",
    "MethodUse",
    "OutputExistsError",
    "RenderAhead",
    "Report",
    "Section",
    "TableItem",
    "check_output_path",
    "check_writable_parent",
    "figure_jobs",
    "file_record",
    "group_comparison_block",
    "package_versions",
    "platform_record",
    "render_folder",
    "sha256_file",
    "staging_folder",
    "write_output",
    "write_table",
]
