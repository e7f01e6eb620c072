"""The main job's summary report (Markdown and standalone HTML) and its analytics sections."""

from graphmodel.report.context import (
    TABLE_ROWS,
    TIMELINE_LABELS,
    TIMELINE_ROWS,
    ReportContext,
    meeting_label,
    meeting_marker,
    prepare_report,
    render_report,
    report_context,
    timeline_svg,
    write_report,
)
from graphmodel.report.sections import analytics_sections

__all__ = [
    "ReportContext", "TABLE_ROWS", "TIMELINE_LABELS", "TIMELINE_ROWS", "analytics_sections", "meeting_label",
    "meeting_marker", "prepare_report", "render_report", "report_context", "timeline_svg", "write_report",
]
