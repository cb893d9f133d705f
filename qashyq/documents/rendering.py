"""HTML → PDF: Django templates drawn by WeasyPrint as tagged PDF/UA with fonts that hold Kazakh letters.

A document template extends "documents/pdf/base.html"; the base print stylesheet (A4, margins, "Noto Sans" /
"DejaVu Sans", the footer with the QR code and the verification code) is parsed once per process.
"""

import ssl
import threading
from functools import cache
from pathlib import Path
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration

STYLESHEET = Path(__file__).resolve().parent / "assets" / "print.css"
PDF_VARIANT = "pdf/ua-1"


@cache
def _ssl_context() -> ssl.SSLContext:
    """Never used (only data: URIs are fetched), but each fetcher would otherwise load the CA store."""
    return ssl.create_default_context()


@cache
def _stylesheet() -> CSS:
    """Parsed once per process (it holds no @font-face: the fonts are the system's)."""
    return CSS(filename=str(STYLESHEET))


def _fetcher() -> URLFetcher:
    return URLFetcher(allowed_protocols={"data"}, ssl_context=_ssl_context())


def qr_data_uri(url: str) -> str:
    """The URL as a QR code: an SVG data URI (drawn as vectors, sharp at any print resolution)."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=0)


def html_render(*, template_name: str, context: dict[str, Any], language: str) -> str:
    with translation.override(language):
        return render_to_string(template_name, {**context, "lang": language})


_per_thread = threading.local()


def _font_config() -> FontConfiguration:
    """One font configuration per thread, reused from document to document: building it (fontconfig's view of
    the system fonts) costs several milliseconds, and our stylesheets declare no @font-face that would make it
    hold a document's own fonts. Nothing of Pango's is shared between threads."""
    config = getattr(_per_thread, "font_config", None)
    if config is None:
        config = _per_thread.font_config = FontConfiguration()
    return config


def pdf_render(*, template_name: str, context: dict[str, Any], language: str) -> bytes:
    """The template in `language` as PDF bytes (tagged, with the document language set from <html lang>)."""
    html = html_render(template_name=template_name, context=context, language=language)
    # Only data: URIs (the QR code) are fetched: nothing from the network or the file system.
    document = HTML(string=html, base_url=str(STYLESHEET.parent), url_fetcher=_fetcher())
    pdf = document.write_pdf(stylesheets=[_stylesheet()], font_config=_font_config(), pdf_variant=PDF_VARIANT)
    assert pdf is not None  # write_pdf without a target returns the bytes
    return pdf
