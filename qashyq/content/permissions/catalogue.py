"""Who may see and keep the didactic catalogue and the e-learning methodical complexes (rules 14, 17).

The didactic-means service keeps the catalogue and reviews e-UMKs; teachers, tutors, the administration
service and the head read the catalogue. An e-UMK is seen by the didactic-means service, the administration
service and the head (all of them), and by the teachers and tutors of courses of its discipline; it is built by
the didactic-means service or by a teacher of a course of its discipline. "Not yours" and "does not exist" both
give 404.
"""

from typing import Any

from django.db.models import Q
from django.http import Http404

from qashyq.accounts.api import Role, acting_roles
from qashyq.content.data import EumkStatus, StaffRole
from qashyq.content.models import CourseStaff, DidacticResource, Eumk

SEE_CATALOGUE = frozenset({Role.DIDACTICS, Role.TEACHER, Role.TUTOR, Role.ADMINISTRATION, Role.HEAD})
SEE_ALL_EUMKS = frozenset({Role.DIDACTICS, Role.ADMINISTRATION, Role.HEAD})
SEE_OWN_EUMKS = frozenset({Role.TEACHER, Role.TUTOR})
SEE_COVERAGE = frozenset({Role.DIDACTICS, Role.ADMINISTRATION, Role.HEAD})


_roles = acting_roles


# --- Catalogue ----------------------------------------------------------------------------------


def can_manage_catalogue(*, user: Any) -> bool:
    """Add and edit catalogue entries: the didactic-means service."""
    return Role.DIDACTICS in _roles(user)


def can_see_catalogue(*, user: Any) -> bool:
    """Read the catalogue (and download its files): the didactic-means service, teachers, tutors, the
    administration service and the head."""
    return bool(_roles(user) & SEE_CATALOGUE)


def access_resource(*, user: Any, resource_id: int) -> DidacticResource:
    """A catalogue entry, for those who may read the catalogue; anyone else gets 404."""
    if not can_see_catalogue(user=user):
        raise Http404
    try:
        return DidacticResource.objects.select_related("asset").get(pk=resource_id)
    except DidacticResource.DoesNotExist:
        raise Http404 from None


# --- e-UMK --------------------------------------------------------------------------------------


def can_review_eumk(*, user: Any) -> bool:
    """Comment on, return and approve e-UMKs: the didactic-means service."""
    return Role.DIDACTICS in _roles(user)


def can_configure_eumk(*, user: Any) -> bool:
    """Change the list of e-UMK components (add, rename, reorder, required/optional, in use): the
    didactic-means service."""
    return Role.DIDACTICS in _roles(user)


def can_see_coverage(*, user: Any) -> bool:
    """The coverage report of a programme: the didactic-means service, the administration service, the head."""
    return bool(_roles(user) & SEE_COVERAGE)


def staffed_discipline_ids(*, user: Any, teachers_only: bool = False) -> frozenset[int]:
    """The disciplines of the courses `user` teaches (or tutors, unless `teachers_only`), for a user who holds
    the teacher (or tutor) role; empty otherwise. One query when the user holds such a role."""
    roles = _roles(user)
    staff_roles = []
    if Role.TEACHER in roles:
        staff_roles.append(StaffRole.TEACHER)
    if Role.TUTOR in roles and not teachers_only:
        staff_roles.append(StaffRole.TUTOR)
    if not staff_roles:
        return frozenset()
    return frozenset(
        CourseStaff.objects.filter(user_id=user.pk, role__in=staff_roles)
        .values_list("course__discipline_id", flat=True)
        .distinct()
    )


def can_list_eumks(*, user: Any) -> bool:
    """The e-UMK list (each sees only the e-UMKs visible to them)."""
    return bool(_roles(user) & (SEE_ALL_EUMKS | SEE_OWN_EUMKS))


def eumks_visible_to(*, user: Any) -> Q | None:
    """The e-UMKs `user` may see, as a filter; None when they may see none."""
    roles = _roles(user)
    if roles & SEE_ALL_EUMKS:
        return Q()
    if roles & SEE_OWN_EUMKS:
        disciplines = staffed_discipline_ids(user=user)
        return Q(discipline_id__in=sorted(disciplines)) if disciplines else None
    return None


def access_eumk(*, user: Any, eumk_id: int) -> Eumk:
    """An e-UMK: the didactic-means service, the administration service and the head see all; a teacher or
    tutor those of the disciplines of the courses they staff. Anyone else gets 404."""
    visible = eumks_visible_to(user=user)
    if visible is None:
        raise Http404
    try:
        return (
            Eumk.objects.select_related("discipline", "year", "approved_by", "created_by", "based_on__year")
            .filter(visible)
            .get(pk=eumk_id)
        )
    except Eumk.DoesNotExist:
        raise Http404 from None


def can_create_eumk(*, user: Any, discipline_id: int) -> bool:
    """Start an e-UMK of a discipline: the didactic-means service, or a teacher of a course of it."""
    if Role.DIDACTICS in _roles(user):
        return True
    return discipline_id in staffed_discipline_ids(user=user, teachers_only=True)


def can_edit_eumk(*, user: Any, eumk: Eumk) -> bool:
    """Fill an e-UMK and submit it: those who may create one of its discipline (the status decides when)."""
    return can_create_eumk(user=user, discipline_id=eumk.discipline_id)


def eumk_frozen(eumk: Eumk) -> bool:
    """Materials change only while an e-UMK is incomplete: under review and approved ones are frozen (an
    approved one changes after the didactic-means service returns it, or in next year's version)."""
    return eumk.status != EumkStatus.INCOMPLETE
