"""The sponsor progress report: the progress figures and charts as a PDF (WeasyPrint
through core.pdf, which fetches nothing but the report's own stylesheet)."""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string

from collaboratives.models import Collaborative

from .progress import progress_figures
from .progress_charts import progress_charts

STYLESHEET = "static:dashboards/progress-report.css"


def progress_report_html(*, collaborative: Collaborative, figures: dict) -> str:
    """The report's HTML: every chart of the page with its sentence and table."""
    months = figures["months"]
    return render_to_string(
        "dashboards/pdf/progress_report_pdf.html",
        {
            "figures": figures,
            "charts": progress_charts(figures),
            "program_name": collaborative.program.name,
            "as_of": date.fromisoformat(figures["as_of"]),
            "first_month": date.fromisoformat(months[0]),
            "last_month": date.fromisoformat(months[-1]),
        },
    )


def render_progress_report(*, collaborative: Collaborative) -> bytes:
    """PDF bytes of the collaborative's progress now."""
    # Imported here: loading WeasyPrint is slow, and only the worker renders.
    from core.pdf import html_to_pdf

    html = progress_report_html(
        collaborative=collaborative, figures=progress_figures(collaborative=collaborative)
    )
    return html_to_pdf(html, stylesheet_url=STYLESHEET)
