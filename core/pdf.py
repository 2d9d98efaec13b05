"""PDFs from templates (WeasyPrint), and the download response that carries one."""

from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    # Imported when a PDF is made: WeasyPrint takes 1.8 s to import, which every web process and
    # worker would otherwise pay at start.
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    base = request.build_absolute_uri("/") if request is not None else None
    return HTML(string=html, base_url=base).write_pdf()


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """A PDF as a download, never shown inline from the portal's origin."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
