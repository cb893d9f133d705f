"""Who may see and do what with courses, their staff, enrolments and progress.

- A course is visible to its staff (a teacher or tutor on `CourseStaff` who still holds that role), to the
  student of an active enrolment (who still holds the student role), and, read-only, to the administration
  service, the head and the didactic-means service. Anyone else gets 404, as for a missing course.
- Only the administration service creates courses, sets their staff and enrols students.
- A teacher on the course's staff edits its content; staff, administration, head and didactics see drafts.
- Progress: course staff (a tutor limited to some groups sees the students of those groups only),
  the administration service and the head.

The staff rows and the enrolment of a user are read once per course object (cached on it), so a page
that asks several of these questions costs the same few queries whatever it shows.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from qashyq.accounts.api import Role, acting_roles
from qashyq.content.data import StaffRole
from qashyq.content.models import Course, CourseStaff, Enrolment

SEE_ALL_COURSES = frozenset({Role.ADMINISTRATION, Role.HEAD, Role.DIDACTICS})
SEE_DRAFTS = SEE_ALL_COURSES
SEE_ALL_PROGRESS = frozenset({Role.ADMINISTRATION, Role.HEAD})
# The role a user must still hold for a staff row of each kind to count.
STAFF_ROLE_NEEDS = {StaffRole.TEACHER.value: Role.TEACHER, StaffRole.TUTOR.value: Role.TUTOR}

_STAFF_CACHE = "_qashyq_staff_of"
_ENROLMENT_CACHE = "_qashyq_enrolment_of"


_roles = acting_roles


def _staff_kinds(roles: frozenset[Role]) -> list[str]:
    """The staff row kinds that count for a holder of `roles`."""
    return [kind for kind, role in STAFF_ROLE_NEEDS.items() if role in roles]


def courses_visible_to(*, user: Any) -> Q | None:
    """The courses `user` may open, as a filter on Course; None when they may open none."""
    roles = _roles(user)
    if not roles:
        return None
    if roles & SEE_ALL_COURSES:
        return Q()
    visible = Q(pk__in=[])
    kinds = _staff_kinds(roles)
    if kinds:
        visible |= Q(Exists(CourseStaff.objects.filter(course=OuterRef("pk"), user_id=user.pk, role__in=kinds)))
    if Role.STUDENT in roles:
        visible |= Q(Exists(Enrolment.objects.filter(course=OuterRef("pk"), active=True, student__user_id=user.pk)))
    return visible


def access_course(*, user: Any, course_id: int) -> Course:
    """The course, with its discipline and period, if `user` may open it (one query); else 404."""
    visible = courses_visible_to(user=user)
    if visible is None:
        raise Http404
    try:
        return Course.objects.select_related("discipline", "period", "period__year").filter(visible).get(pk=course_id)
    except Course.DoesNotExist:
        raise Http404 from None


def staff_of(*, user: Any, course: Course) -> dict[str, frozenset[int]]:
    """The user's places on the course's staff: {"teacher": frozenset(), "tutor": {group ids}} — only the
    kinds whose role the user still holds; a tutor's empty set means every group of the course."""
    roles = _roles(user)
    kinds = _staff_kinds(roles)
    if not kinds:
        return {}
    cache: dict[int, dict[str, frozenset[int]]] = course.__dict__.setdefault(_STAFF_CACHE, {})
    if user.pk not in cache:
        found: dict[str, set[int]] = {}
        rows = CourseStaff.objects.filter(course_id=course.pk, user_id=user.pk).values_list("role", "groups")
        for role, group_id in rows:
            groups = found.setdefault(role, set())
            if group_id is not None:
                groups.add(group_id)
        cache[user.pk] = {role: frozenset(groups) for role, groups in found.items()}
    return {role: groups for role, groups in cache[user.pk].items() if role in kinds}


def is_course_staff(*, user: Any, course: Course) -> bool:
    return bool(staff_of(user=user, course=course))


def can_manage_courses(*, user: Any) -> bool:
    """Create and edit courses, set their teachers and tutors, enrol and end enrolments: the administration."""
    return Role.ADMINISTRATION in _roles(user)


def can_edit_course(*, user: Any, course: Course) -> bool:
    """Author the course's sections and items: a teacher on its staff."""
    return StaffRole.TEACHER.value in staff_of(user=user, course=course)


def can_see_drafts(*, user: Any, course: Course) -> bool:
    """Unpublished items and drafts: course staff, the administration, the head and the didactic-means service."""
    return bool(_roles(user) & SEE_DRAFTS) or is_course_staff(user=user, course=course)


def can_see_progress(*, user: Any, course: Course) -> bool:
    """The progress of the course's students: its staff (a tutor only of their groups), administration, head."""
    return bool(_roles(user) & SEE_ALL_PROGRESS) or is_course_staff(user=user, course=course)


def progress_group_ids(*, user: Any, course: Course) -> frozenset[int] | None:
    """Whose progress `user` may see on the course: None for every student, or the ids of the groups whose
    students only (a tutor limited to some groups). An empty set: nobody (not allowed at all)."""
    if _roles(user) & SEE_ALL_PROGRESS:
        return None
    staff = staff_of(user=user, course=course)
    if StaffRole.TEACHER.value in staff:
        return None
    if StaffRole.TUTOR.value in staff:
        groups = staff[StaffRole.TUTOR.value]
        return groups or None
    return frozenset()


def enrolment_for(*, user: Any, course: Course) -> Enrolment | None:
    """The user's active enrolment in the course (None if they are not its student). One query, cached."""
    if Role.STUDENT not in _roles(user):
        return None
    cache: dict[int, Enrolment | None] = course.__dict__.setdefault(_ENROLMENT_CACHE, {})
    if user.pk not in cache:
        cache[user.pk] = (
            Enrolment.objects.filter(course_id=course.pk, active=True, student__user_id=user.pk)
            .select_related("student")
            .first()
        )
    return cache[user.pk]


def access_enrolment(*, user: Any, enrolment_id: int) -> Enrolment:
    """An enrolment, for the administration service (ending it); anyone else gets 404."""
    if not can_manage_courses(user=user):
        raise Http404
    try:
        return Enrolment.objects.select_related("course", "student").get(pk=enrolment_id)
    except Enrolment.DoesNotExist:
        raise Http404 from None
