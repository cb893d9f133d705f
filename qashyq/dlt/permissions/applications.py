"""Who may see and do what with DLT applications (rule 11).

- A student writes, changes (as a draft or when returned), deletes (as a draft) and submits their own
  application, and sees it at every step. An account is the student's when the student record is linked to it.
- The administration service and the head see every submitted application (a draft is the student's own until
  it is submitted); the administration service reviews them (takes them up, returns, rejects, accepts). The
  head reads them.
- Nobody reviews an application of their own student record (a staff member who is also a student), and a
  deactivated account does nothing. "Not yours" and "does not exist" both give 404.
"""

from typing import Any

from django.db.models import Q
from django.http import Http404

from qashyq.accounts.api import Role, acting_roles
from qashyq.dlt.data import EDITABLE_STATUSES, ApplicationStatus
from qashyq.dlt.models import Application, SupportingDocument
from qashyq.dlt.permissions import STAFF_ROLES, is_administration, sees_everything
from qashyq.dlt.selectors.applications import student_of


def applications_visible_to(*, user: Any) -> Q | None:
    """The applications `user` may see, as a filter; None when they may see none."""
    roles = acting_roles(user)
    if not roles:
        return None
    visible = Q(student__user_id=user.pk)
    if roles & STAFF_ROLES:
        visible |= ~Q(status=ApplicationStatus.DRAFT)
    return visible


def access_application(*, user: Any, application_id: int) -> Application:
    """An application the user may see (see `applications_visible_to`), with its student, programme, group,
    reviewer and decider; anyone else gets 404."""
    visible = applications_visible_to(user=user)
    if visible is None:
        raise Http404
    try:
        return (
            Application.objects.select_related(
                "student", "student__programme", "student__group", "reviewer", "decided_by"
            )
            .filter(visible)
            .get(pk=application_id)
        )
    except Application.DoesNotExist:
        raise Http404 from None


def access_supporting_document(*, user: Any, document_id: int) -> SupportingDocument:
    """A supporting document of an application the user may see; anyone else gets 404."""
    visible = applications_visible_to(user=user)
    if visible is None:
        raise Http404
    allowed = Application.objects.filter(visible).values("pk")
    try:
        return SupportingDocument.objects.select_related("file", "application").get(
            pk=document_id, application_id__in=allowed
        )
    except SupportingDocument.DoesNotExist:
        raise Http404 from None


def is_own(*, user: Any, application: Application) -> bool:
    """The application is of the student record linked to this (active) account."""
    return bool(acting_roles(user)) and application.student.user_id == user.pk


def can_apply(*, user: Any) -> bool:
    """May write applications: a student whose account is linked to a student record (one query)."""
    return Role.STUDENT in acting_roles(user) and student_of(user=user) is not None


def can_see_own(*, user: Any) -> bool:
    """ "My applications": an active account linked to a student record (one query)."""
    return bool(acting_roles(user)) and student_of(user=user) is not None


def _student_owner(user: Any, application: Application) -> bool:
    return Role.STUDENT in acting_roles(user) and application.student.user_id == user.pk


def can_edit(*, user: Any, application: Application) -> bool:
    """Change it and its documents, or submit it: its student, while it is a draft or returned for changes."""
    return _student_owner(user, application) and application.status in EDITABLE_STATUSES


def can_submit(*, user: Any, application: Application) -> bool:
    return can_edit(user=user, application=application)


def can_delete(*, user: Any, application: Application) -> bool:
    """Delete it: its student, while it is a draft."""
    return _student_owner(user, application) and application.status == ApplicationStatus.DRAFT


def can_see_queue(*, user: Any) -> bool:
    """The review queue: the administration service and the head."""
    return sees_everything(user)


def can_review(*, user: Any, application: Application) -> bool:
    """Review it at all: the administration service, unless it is the reviewer's own application."""
    return is_administration(user) and application.student.user_id != user.pk


def can_take_for_review(*, user: Any, application: Application) -> bool:
    return can_review(user=user, application=application) and application.status == ApplicationStatus.SUBMITTED


def can_decide(*, user: Any, application: Application) -> bool:
    """Return, reject or accept it: a reviewer, while it is under review."""
    return can_review(user=user, application=application) and application.status == ApplicationStatus.UNDER_REVIEW


def can_print(*, user: Any, application: Application) -> bool:
    """The application as a document (PDF addressed to the head): whoever sees it, once it is submitted."""
    return application.status != ApplicationStatus.DRAFT and (
        is_own(user=user, application=application) or sees_everything(user)
    )
