"""Who may see and do what in the student body. "Not yours" and "does not exist" both give 404."""

from typing import Any

from django.db.models import Q
from django.http import Http404

from qashyq.academics import api as academics_api
from qashyq.accounts.api import Role, acting_roles, user_roles
from qashyq.core.iin import iin_mask
from qashyq.records.models import Order, Student

# --- Students -----------------------------------------------------------------------------------

SEE_ALL_STUDENTS = frozenset({Role.ADMINISTRATION, Role.HEAD})
SEE_GROUP_STUDENTS = frozenset({Role.TEACHER, Role.TUTOR})


_roles = acting_roles


def can_manage_students(*, user: Any) -> bool:
    """Create records, edit contacts, import: the administration service."""
    return Role.ADMINISTRATION in _roles(user)


def can_list_students(*, user: Any) -> bool:
    """The student list (each sees only the students visible to them)."""
    return bool(_roles(user) & (SEE_ALL_STUDENTS | SEE_GROUP_STUDENTS))


def can_see_iin(*, user: Any, student: Student) -> bool:
    """The full IIN: the student themselves, the administration service and the head."""
    roles = _roles(user)
    if roles & SEE_ALL_STUDENTS:
        return True
    return bool(user.is_authenticated and user.is_active and student.user_id is not None and student.user_id == user.pk)


def iin_shown(*, user: Any, student: Student) -> str:
    """The IIN as `user` may see it: in full (can_see_iin) or masked."""
    return student.iin if can_see_iin(user=user, student=student) else iin_mask(student.iin)


def can_see_disability(*, user: Any) -> bool:
    """Disability status is sensitive: the administration service and the head only."""
    return bool(_roles(user) & SEE_ALL_STUDENTS)


def students_visible_to(*, user: Any) -> Q | None:
    """The students `user` may see, as a filter; None when they may see none."""
    if not user.is_authenticated or not user.is_active:
        return None
    roles = user_roles(user)
    if roles & SEE_ALL_STUDENTS:
        return Q()
    visible = Q(user_id=user.pk)
    if roles & SEE_GROUP_STUDENTS:
        groups = academics_api.groups_taught_by(user_id=user.pk)
        if groups:
            visible |= Q(group_id__in=sorted(groups))
    return visible


def access_student(*, user: Any, student_id: int) -> Student:
    """A student's record: administration and head see all; a teacher or tutor the students of the
    groups they teach; a student their own record (Student.user). Anyone else gets 404."""
    visible = students_visible_to(user=user)
    if visible is None:
        raise Http404
    try:
        return Student.objects.select_related("programme", "group").filter(visible).get(pk=student_id)
    except Student.DoesNotExist:
        raise Http404 from None


# --- Orders -------------------------------------------------------------------------------------

SEE_ORDERS = frozenset({Role.ADMINISTRATION, Role.HEAD})


def can_prepare_orders(*, user: Any) -> bool:
    """Draft orders, add and remove students, start a cancellation: the administration service."""
    return Role.ADMINISTRATION in _roles(user)


def can_sign_orders(*, user: Any) -> bool:
    """Sign orders: the head only."""
    return Role.HEAD in _roles(user)


def can_view_orders(*, user: Any) -> bool:
    """Orders are internal papers: the administration service and the head see all of them."""
    return bool(_roles(user) & SEE_ORDERS)


def access_order(*, user: Any, order_id: int) -> Order:
    """An order, for the administration service and the head; anyone else gets 404."""
    if not can_view_orders(user=user):
        raise Http404
    try:
        return Order.objects.get(pk=order_id)
    except Order.DoesNotExist:
        raise Http404 from None
