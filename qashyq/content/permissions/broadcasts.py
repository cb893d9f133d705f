"""Who may see and keep the TV broadcast schedule (rule 2: TV technology), and whose calendar shows it.

- The administration service keeps the whole schedule; a teacher keeps the broadcasts of the courses they
  teach (a TEACHER on the course's staff).
- The schedule is read by the administration service and the head (all of it) and by the teachers and tutors
  of a course (its broadcasts).
- A student sees the broadcasts of the courses of their active enrolments in their calendar.
"Not yours" and "does not exist" both give 404.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from qashyq.accounts.api import Role, acting_roles
from qashyq.content.data import StaffRole
from qashyq.content.models import Broadcast, Course, CourseStaff, Enrolment

SEE_ALL = frozenset({Role.ADMINISTRATION, Role.HEAD})
SEE_OWN_COURSES = frozenset({Role.TEACHER, Role.TUTOR})


_roles = acting_roles


def can_see_schedule(*, user: Any) -> bool:
    """The broadcast schedule page: the administration service and the head (everything), teachers and
    tutors (the broadcasts of the courses they staff)."""
    return bool(_roles(user) & (SEE_ALL | SEE_OWN_COURSES))


def can_schedule(*, user: Any) -> bool:
    """May add broadcasts to some course: the administration service, or a teacher on some course's staff."""
    roles = _roles(user)
    if Role.ADMINISTRATION in roles:
        return True
    return Role.TEACHER in roles and CourseStaff.objects.filter(user_id=user.pk, role=StaffRole.TEACHER).exists()


def can_schedule_for(*, user: Any, course: Course) -> bool:
    """May add, change and delete the broadcasts of `course`: the administration service, or a teacher of it."""
    roles = _roles(user)
    if Role.ADMINISTRATION in roles:
        return True
    return (
        Role.TEACHER in roles
        and CourseStaff.objects.filter(course_id=course.pk, user_id=user.pk, role=StaffRole.TEACHER).exists()
    )


def can_edit_broadcast(*, user: Any, broadcast: Broadcast) -> bool:
    return can_schedule_for(user=user, course=broadcast.course)


def courses_for_scheduling(*, user: Any) -> QuerySet[Course]:
    """The courses `user` may add broadcasts to (none for anyone else)."""
    roles = _roles(user)
    courses = Course.objects.select_related("period", "period__year").order_by("-period__start_date", "code")
    if Role.ADMINISTRATION in roles:
        return courses
    if Role.TEACHER in roles:
        taught = CourseStaff.objects.filter(user_id=user.pk, role=StaffRole.TEACHER).values("course_id")
        return courses.filter(pk__in=taught)
    return courses.none()


def scheduling_course_ids(*, user: Any) -> frozenset[int] | None:
    """The ids of the courses whose broadcasts `user` may change; None: every course (one query at most)."""
    roles = _roles(user)
    if Role.ADMINISTRATION in roles:
        return None
    if Role.TEACHER not in roles:
        return frozenset()
    return frozenset(
        CourseStaff.objects.filter(user_id=user.pk, role=StaffRole.TEACHER).values_list("course_id", flat=True)
    )


def broadcasts_visible_to(*, user: Any) -> Q | None:
    """The broadcasts `user` may see, as a filter; None when they may see none."""
    roles = _roles(user)
    if not roles:
        return None
    if roles & SEE_ALL:
        return Q()
    visible = Q(pk__in=[])
    if roles & SEE_OWN_COURSES:
        visible |= Q(course_id__in=CourseStaff.objects.filter(user_id=user.pk).values("course_id"))
    if Role.STUDENT in roles:
        visible |= Q(course_id__in=Enrolment.objects.filter(student__user_id=user.pk, active=True).values("course_id"))
    return visible


def access_broadcast(*, user: Any, broadcast_id: int) -> Broadcast:
    """A broadcast the user may see (see `broadcasts_visible_to`); anyone else gets 404."""
    visible = broadcasts_visible_to(user=user)
    if visible is None:
        raise Http404
    try:
        return Broadcast.objects.select_related("course", "recording_item").filter(visible).get(pk=broadcast_id)
    except Broadcast.DoesNotExist:
        raise Http404 from None


def can_see_calendar(*, user: Any) -> bool:
    """ "My calendar": a student (it shows the broadcasts and the material dates of their courses)."""
    return Role.STUDENT in _roles(user)
