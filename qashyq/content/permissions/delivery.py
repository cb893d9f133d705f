"""Who may manage delivery on paper and build case packages (rules 2, 8.2). "Not yours" and "does not exist"
both give 404.

- The administration service sets each student's delivery channel and records dispatches and receipts.
- A case package of a course is built (and downloaded) by the administration service or a teacher of the course.
"""

from typing import Any

from django.http import Http404

from qashyq.accounts.api import Role, acting_roles
from qashyq.content.models import CasePackage, Course, Dispatch, Enrolment
from qashyq.content.permissions.courses import can_edit_course

_roles = acting_roles


def can_manage_delivery(*, user: Any) -> bool:
    """Delivery channels of students, dispatch and receipt records: the administration service."""
    return Role.ADMINISTRATION in _roles(user)


def can_build_case_package(*, user: Any, course: Course) -> bool:
    """Build a course's case package and download it: the administration service or a teacher of the course."""
    return can_manage_delivery(user=user) or can_edit_course(user=user, course=course)


def access_case_package(*, user: Any, package_id: int) -> CasePackage:
    """A case package (with its course and file) for those who may build the course's packages; else 404."""
    if not _roles(user):
        raise Http404
    try:
        package = CasePackage.objects.select_related("course", "asset").get(pk=package_id)
    except CasePackage.DoesNotExist:
        raise Http404 from None
    if not can_build_case_package(user=user, course=package.course):
        raise Http404
    return package


def access_dispatch(*, user: Any, dispatch_id: int) -> Dispatch:
    """A dispatch record, for the administration service (recording its receipt); anyone else gets 404."""
    if not can_manage_delivery(user=user):
        raise Http404
    try:
        return Dispatch.objects.select_related("enrolment__course", "enrolment__student").get(pk=dispatch_id)
    except Dispatch.DoesNotExist:
        raise Http404 from None


def access_delivery_enrolment(*, user: Any, enrolment_id: int) -> Enrolment:
    """An active enrolment (with its course and student), for the administration service setting its delivery
    channel or recording a dispatch; anyone else gets 404."""
    if not can_manage_delivery(user=user):
        raise Http404
    try:
        return Enrolment.objects.select_related("course", "student", "student__group").get(pk=enrolment_id, active=True)
    except Enrolment.DoesNotExist:
        raise Http404 from None
