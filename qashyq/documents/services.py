"""documents: issuing a PDF (render, hash, store, audit)."""

import hashlib
import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from qashyq.audit.api import record
from qashyq.documents.data import VERIFICATION_ALPHABET, VERIFICATION_CODE_LENGTH
from qashyq.documents.models import Document
from qashyq.documents.rendering import pdf_render, qr_data_uri


def verification_code_new() -> str:
    """A random code of 12 characters from an alphabet without look-alikes, not given to any document yet."""
    while True:
        code = "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(VERIFICATION_CODE_LENGTH))
        if not Document.objects.filter(verification_code=code).exists():
            return code


def verify_url(code: str) -> str:
    return settings.QASHYQ_PUBLIC_URL.rstrip("/") + reverse("documents:document-verify", kwargs={"code": code})


def document_issue(
    *,
    kind: str,
    title: str,
    number: str,
    issued_on: date,
    language: str,
    template_name: str,
    context: dict[str, Any],
    target: tuple[str, str],
    issued_by: Any,
    issuer: str = "",
) -> Document:
    """Render `template_name` (extending "documents/pdf/base.html") in `language` to PDF with a new
    verification code and its QR code, store the file privately under documents/<year>/<code>.pdf, record
    its SHA-256 and the audit event "documents.issued". `issuer` is the institution's name at issue time.

    The title is shown on the public verification page: it must not name a person.
    """
    code = verification_code_new()
    url = verify_url(code)
    pdf = pdf_render(
        template_name=template_name,
        context={
            **context,
            "document_title": title,
            "issuer": issuer,
            "verification": {"code": code, "url": url, "qr": qr_data_uri(url)},
        },
        language=language,
    )
    sha256 = hashlib.sha256(pdf).hexdigest()
    target_type, target_id = str(target[0]), str(target[1])
    name = default_storage.save(f"documents/{issued_on.year}/{code}.pdf", ContentFile(pdf))
    try:
        with transaction.atomic():
            document = Document(
                kind=kind,
                title=title,
                number=number,
                issuer=issuer,
                issued_on=issued_on,
                language=language,
                target_type=target_type,
                target_id=target_id,
                sha256=sha256,
                verification_code=code,
                issued_by=issued_by if getattr(issued_by, "is_authenticated", False) else None,
            )
            document.file.name = name
            document.full_clean()
            document.save()
            record(
                actor=issued_by,
                action="documents.issued",
                target=document,
                after={
                    "kind": kind,
                    "title": title,
                    "number": number,
                    "issued_on": issued_on.isoformat(),
                    "language": language,
                    "target_type": target_type,
                    "target_id": target_id,
                    "sha256": sha256,
                    "verification_code": code,
                },
            )
    except BaseException:
        default_storage.delete(name)
        raise
    return document
