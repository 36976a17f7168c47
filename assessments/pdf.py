"""PDF rendering of reports with WeasyPrint.

The PDF is the report page's twin: the same context, a print layout with its CSS
inline, and the same SVG charts embedded inline (WeasyPrint draws SVG), so nothing
is drawn twice. Django's template engine escapes every value, so team text cannot
inject markup.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict[str, Any], *, base_url: str) -> bytes:
    """Render `template_name` to PDF bytes, fetching nothing but data: URLs.

    Reports embed everything they need; refusing other URLs means a link in user
    text can never make the server fetch anything while rendering.
    """
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template_name, context)
    fetcher = URLFetcher(allowed_protocols=("data",))
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
