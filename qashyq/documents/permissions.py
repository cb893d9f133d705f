"""Who may download an issued document. "Not allowed" and "does not exist" both give 404.

The app that a document belongs to decides: it registers one check per target type (e.g. records registers
"records.order" in its AppConfig.ready). A target type with no check registered is downloadable by nobody here.
"""

from typing import Any

from django.http import Http404

from qashyq.documents.data import AccessCheck
from qashyq.documents.models import Document

_ACCESS_CHECKS: dict[str, AccessCheck] = {}


def register_access_check(target_type: str, check: AccessCheck) -> None:
    """`check(user, target_id) -> bool` decides who downloads documents issued for `target_type` targets."""
    _ACCESS_CHECKS[target_type] = check


def access_check_for(target_type: str) -> AccessCheck | None:
    return _ACCESS_CHECKS.get(target_type)


def can_download(*, user: Any, document: Document) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    check = _ACCESS_CHECKS.get(document.target_type)
    return check is not None and bool(check(user, document.target_id))


def access_document(*, user: Any, document_id: int) -> Document:
    """The document `user` may download: only through the check registered for its target type."""
    if not user.is_authenticated:
        raise Http404
    document = Document.objects.filter(pk=document_id).first()
    if document is None or not can_download(user=user, document=document):
        raise Http404
    return document
