"""Who may see and change the institution profile and its structure. "Not yours" and "does not exist"
both give 404.

- Every signed-in account may read the institution's profile.
- The head and the administration service change the profile, see the structure and staff it.
- Only the head appoints to positions that grant the head's or IT support's role (services.HEAD_APPOINTS).
"""

from typing import Any

from django.http import Http404

from qashyq.accounts.api import Role, user_roles
from qashyq.organization.models import Institution, Position, StaffMember, Unit
from qashyq.organization.selectors import institution_current

MANAGERS = frozenset({Role.HEAD, Role.ADMINISTRATION})


def _signed_in(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_manage_organization(*, user: Any) -> bool:
    """Change the profile and the structure: units, positions and staff."""
    return _signed_in(user) and bool(user_roles(user) & MANAGERS)


def access_institution(*, user: Any, edit: bool = False) -> Institution | None:
    """The profile to read (any signed-in account) or to change (head, administration service).
    None when nobody has filled it in yet (editors then create it; readers see that it is missing)."""
    if not _signed_in(user) or (edit and not can_manage_organization(user=user)):
        raise Http404
    return institution_current()


def access_structure(*, user: Any) -> None:
    """The tree of units, positions and staff."""
    if not can_manage_organization(user=user):
        raise Http404


def access_unit(*, user: Any, unit_id: int) -> Unit:
    if not can_manage_organization(user=user):
        raise Http404
    try:
        return Unit.objects.select_related("parent").get(pk=unit_id)
    except Unit.DoesNotExist:
        raise Http404 from None


def access_position(*, user: Any, position_id: int) -> Position:
    """A position to appoint someone to."""
    if not can_manage_organization(user=user):
        raise Http404
    try:
        return Position.objects.select_related("unit").get(pk=position_id)
    except Position.DoesNotExist:
        raise Http404 from None


def access_staff_member(*, user: Any, staff_member_id: int) -> StaffMember:
    """An appointment to end."""
    if not can_manage_organization(user=user):
        raise Http404
    try:
        return StaffMember.objects.select_related("user", "position__unit").get(pk=staff_member_id)
    except StaffMember.DoesNotExist:
        raise Http404 from None
