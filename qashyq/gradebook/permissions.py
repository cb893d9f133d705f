"""Who may see and change which grades (rule 28). "Not yours" and "does not exist" both give 404.

- A course's gradebook is open to its teachers and tutors (a `CourseStaff` row whose role the user still
  holds; limited to the row's groups when it names some), to the administration service (every course, and
  it enters grades and manages measures everywhere) and to the head (every course, read-only). Students and
  everyone else get 404.
- Teachers and tutors enter grades for the students of the groups they see; a teacher of the course manages
  its control measures.
- A student sees their own gradebook only.
- The administration service reopens entry windows; the administration service and the head close periods;
  the head decides change requests (the administration service sees them too).
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from qashyq.accounts.api import Role, acting_roles
from qashyq.content import api as content_api
from qashyq.content.data import CourseData, StaffRole
from qashyq.gradebook.models import ControlMeasure, GradeChangeRequest
from qashyq.records import api as records_api
from qashyq.records.data import StudentData

# The role a user must still hold for a staff row of each kind to count.
STAFF_ROLE_NEEDS = {StaffRole.TEACHER.value: Role.TEACHER, StaffRole.TUTOR.value: Role.TUTOR}
SEE_ALL = frozenset({Role.ADMINISTRATION, Role.HEAD})


@dataclass(frozen=True)
class CourseGradebook:
    """What a user may do with one course's gradebook. `group_ids` is None for every group of the course."""

    course: CourseData
    group_ids: frozenset[int] | None
    can_enter: bool
    can_manage_measures: bool
    is_administration: bool
    is_head: bool

    def sees_group(self, group_id: int | None) -> bool:
        return self.group_ids is None or group_id in self.group_ids


def access_course_gradebook(*, user: Any, course_id: int) -> CourseGradebook:
    """The course's gradebook as `user` may use it; else 404. Three queries for the administration (roles, the
    course and its groups), five for a teacher or tutor (and their staff rows with groups)."""
    roles = acting_roles(user)
    if not roles:
        raise Http404
    course = content_api.course_get(course_id=course_id)
    if course is None:
        raise Http404
    is_administration = Role.ADMINISTRATION in roles
    is_head = Role.HEAD in roles
    if is_administration:
        return CourseGradebook(
            course=course,
            group_ids=None,
            can_enter=True,
            can_manage_measures=True,
            is_administration=True,
            is_head=is_head,
        )
    kinds = {kind for kind, role in STAFF_ROLE_NEEDS.items() if role in roles}
    rows = (
        [s for s in content_api.course_staff(course_ids=[course_id]) if s.user_id == user.pk and s.role in kinds]
        if kinds
        else []
    )
    if not rows and not is_head:
        raise Http404
    # A head who also teaches the course enters grades as its staff: for the groups of their rows.
    group_ids: frozenset[int] | None = None
    if rows and all(row.group_ids for row in rows):
        group_ids = frozenset(g for row in rows for g in row.group_ids)
    return CourseGradebook(
        course=course,
        group_ids=group_ids,
        can_enter=bool(rows),
        can_manage_measures=any(row.role == StaffRole.TEACHER for row in rows),
        is_administration=False,
        is_head=is_head,
    )


def grade_entry(*, user: Any, measure_id: int, student_id: int) -> tuple[ControlMeasure, StudentData, CourseGradebook]:
    """`access_grade_entry` with the student's record and the user's access to the course, for the services."""
    measure = ControlMeasure.objects.filter(pk=measure_id).first()
    if measure is None:
        raise Http404
    access = access_course_gradebook(user=user, course_id=measure.course_id)
    student = records_api.student_get(student_id=student_id)
    if student is None:
        raise Http404
    check_student_entry(access, group_id=student.group_id)
    return measure, student, access


def check_student_entry(access: CourseGradebook, *, group_id: int | None) -> None:
    """PermissionDenied unless the user of `access` enters grades for a student of the group `group_id`."""
    if not access.can_enter:
        raise PermissionDenied(_("You may not enter grades in this course."))
    if not access.sees_group(group_id):
        raise PermissionDenied(_("You may enter grades only for the students of your groups."))


def access_grade_entry(*, user: Any, measure_id: int, student_id: int) -> tuple[ControlMeasure, int]:
    """The measure and the student's id when `user` may enter the student's grade on it: a teacher or tutor of
    the course for a student of their groups, or the administration service. 404 when the user does not see
    the course (or the measure or student does not exist); PermissionDenied when they see it but may not
    enter this grade (the head, a tutor of another group)."""
    measure, student, _access = grade_entry(user=user, measure_id=measure_id, student_id=student_id)
    return measure, student.id


def access_own_gradebook(*, user: Any) -> int:
    """The id of the student record of `user`, a student; else 404."""
    if Role.STUDENT not in acting_roles(user):
        raise Http404
    student_id = records_api.student_for_user(user_id=user.pk)
    if student_id is None:
        raise Http404
    return student_id


def access_change_request(*, user: Any, request_id: int) -> GradeChangeRequest:
    """A change request (with its measure), for the head and the administration service; else 404."""
    if not acting_roles(user) & SEE_ALL:
        raise Http404
    request = GradeChangeRequest.objects.select_related("measure").filter(pk=request_id).first()
    if request is None:
        raise Http404
    return request


def can_reopen_entry(*, user: Any) -> bool:
    """Reopen a closed entry window for a student: the administration service."""
    return Role.ADMINISTRATION in acting_roles(user)


def can_close_period(*, user: Any) -> bool:
    """Close an academic period, locking its grades: the administration service and the head."""
    return bool(acting_roles(user) & SEE_ALL)


def can_decide_change(*, user: Any) -> bool:
    """Approve or reject a change to a locked grade: the head."""
    return Role.HEAD in acting_roles(user)


def can_add_policy(*, user: Any) -> bool:
    """Add a dated version of the grading policy: the administration service and the head."""
    return bool(acting_roles(user) & SEE_ALL)
