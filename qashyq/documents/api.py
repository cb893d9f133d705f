"""What other apps may use of documents: issue a verifiable PDF, list a target's documents, decide downloads."""

from datetime import date
from typing import Any

from qashyq.documents import selectors, services
from qashyq.documents.data import AccessCheck, DocumentData
from qashyq.documents.permissions import register_access_check
from qashyq.documents.words import (
    DLT_TYPE_WORDS,
    FORM_OF_STUDY,
    date_from_words,
    date_numeric,
    date_of_words,
    date_until_words,
    date_words,
    person_name,
)

__all__ = [
    "DLT_TYPE_WORDS",
    "FORM_OF_STUDY",
    "AccessCheck",
    "DocumentData",
    "date_from_words",
    "date_numeric",
    "date_of_words",
    "date_until_words",
    "date_words",
    "document_content",
    "document_issue",
    "documents_for",
    "person_name",
    "register_access_check",
]


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
) -> DocumentData:
    """Render the template (extending "documents/pdf/base.html") to a tagged PDF in `language` with a
    verification code and QR code, store it privately, record its SHA-256 and the audit event
    "documents.issued". `title` is public on the verification page (name no person in it); `issuer` is the
    institution's name at issue time; `target` is ("app_label.model", id) of what the document is about."""
    document = services.document_issue(
        kind=kind,
        title=title,
        number=number,
        issued_on=issued_on,
        language=language,
        template_name=template_name,
        context=context,
        target=target,
        issued_by=issued_by,
        issuer=issuer,
    )
    return selectors.document_data(document)


def documents_for(*, target: tuple[str, str]) -> list[DocumentData]:
    """The documents issued for `target` that are not revoked, oldest first."""
    return [
        selectors.document_data(d)
        for d in selectors.document_list_for_target(target_type=str(target[0]), target_id=str(target[1]))
    ]


def document_content(*, document_id: int) -> bytes:
    """The stored PDF of an issued document, e.g. to pack it into an archive (the caller has checked access)."""
    document = selectors.document_get(document_id=document_id)
    with document.file.open("rb") as file:
        return file.read()
