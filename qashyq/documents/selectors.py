"""documents: reads."""

import hashlib
from typing import IO

from django.urls import reverse

from qashyq.documents.data import VERIFICATION_ALPHABET, VERIFICATION_CODE_LENGTH, DocumentData
from qashyq.documents.models import Document


def code_normalize(code: str) -> str | None:
    """A code as typed or scanned (any case, with spaces or dashes) in its stored form; None if it cannot be one."""
    cleaned = "".join(code.split()).replace("-", "").upper()
    if len(cleaned) != VERIFICATION_CODE_LENGTH or any(c not in VERIFICATION_ALPHABET for c in cleaned):
        return None
    return cleaned


def document_get_by_code(*, code: str) -> Document | None:
    cleaned = code_normalize(code)
    if cleaned is None:
        return None
    return Document.objects.filter(verification_code=cleaned).first()


def document_get(*, document_id: int) -> Document:
    return Document.objects.get(pk=document_id)


def document_list_for_target(*, target_type: str, target_id: str) -> list[Document]:
    """Documents issued for a target and not revoked, oldest first."""
    return list(
        Document.objects.filter(target_type=target_type, target_id=target_id, revoked_at__isnull=True).order_by(
            "created_at", "id"
        )
    )


def document_data(document: Document) -> DocumentData:
    return DocumentData(
        id=document.pk,
        verification_code=document.verification_code,
        sha256=document.sha256,
        title=document.title,
        number=document.number,
        issued_on=document.issued_on,
        language=document.language,
        url=reverse("documents:document-download", kwargs={"document_id": document.pk}),
        issued_at=document.created_at,
    )


def file_sha256(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()
