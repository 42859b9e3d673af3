"""PDF rendering with WeasyPrint. One warm renderer per process: the font configuration and
the stylesheet are built once and reused for every document."""

from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from core.storage import private_storage


@cache
def _renderer() -> tuple[FontConfiguration, CSS]:
    fonts = FontConfiguration()
    stylesheet = CSS(filename=finders.find("css/certificate.css"), font_config=fonts)
    return fonts, stylesheet


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1) with subset fonts embedded, from our own HTML."""
    fonts, stylesheet = _renderer()
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[stylesheet],
        font_config=fonts,
        pdf_variant="pdf/ua-1",
    )


def certificate_pdf_response(name: str, *, number: str) -> FileResponse:
    """A stored certificate PDF as a download, read from the private storage (which has no
    URL to redirect to: the file always passes through the view that checked who asks)."""
    try:
        handle = private_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"certificaat-{number}.pdf",
        content_type="application/pdf",
    )
    # A personal file: no shared cache keeps a copy.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
