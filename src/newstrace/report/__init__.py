"""The HTML report: page models, templates and the static writer (`newstrace report`); the
web app (`newstrace serve`) renders the same pages live."""

from newstrace.report.source import ReportSource
from newstrace.report.write import ReportSummary, write_report

__all__ = ["ReportSource", "ReportSummary", "write_report"]
