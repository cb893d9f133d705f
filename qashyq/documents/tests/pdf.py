"""Reading issued PDFs back in tests: their text (poppler's pdftotext) and their document properties."""

import re
import shutil
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest


def stored_bytes(document: Any) -> bytes:
    """The bytes of an issued document's file (opened and closed again)."""
    with document.file.open("rb") as file:
        return file.read()


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text in the order it was drawn (WeasyPrint draws in document order; list numbers come last),
    with all whitespace runs made single spaces (table cells wrap lines)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("These tests read PDFs with pdftotext: install poppler-utils (apt-get install poppler-utils).")
    source = tmp_path / "read.pdf"
    source.write_bytes(pdf)
    result = subprocess.run([pdftotext, "-raw", "-enc", "UTF-8", str(source), "-"], capture_output=True, check=True)  # noqa: S603
    return " ".join(result.stdout.decode("utf-8").split())


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's bytes with every compressed stream inflated (WeasyPrint packs the catalog in object streams)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)
