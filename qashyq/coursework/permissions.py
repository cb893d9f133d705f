"""Who may see and do what with assignments, submissions, the collection and the tutors' workload. "Not yours"
and "does not exist" both give 404.

- An assignment is visible to whoever may open its course item (content's `item_access`): the course's staff,
  its students once the item is published, and, read-only, the administration, the head and the didactic-means
  service. A teacher of the course changes its settings.
- A submission is visible to its student, to the course's staff who see the student's group (a teacher: every
  group; a tutor: their groups), to the tutor it is handed to, and to the administration and the head.
- The administration service registers paper works, sees the collection and hands works over (R16); the head
  sees the collection and the workload read-only.
- The tutor a submission is handed to (while still on the course's staff for the student's group) confirms
  receiving it and reviews it. Nobody else grades it.
- The workload of a tutor: the tutor (or teacher) themselves, the administration and the head.
"""

from typing import Any

from django.http import Http404

from qashyq.accounts.api import Role, acting_roles
from qashyq.content import api as content_api
from qashyq.content.data import ItemAccessData, ItemKind
from qashyq.coursework.models import Assignment, Submission

COLLECTION_ROLES = frozenset({Role.ADMINISTRATION, Role.HEAD})
HAND_OVER_ROLES = frozenset({Role.ADMINISTRATION})
RECIPIENT_ROLES = frozenset({Role.TUTOR, Role.TEACHER})

_ACCESS_CACHE = "_qashyq_item_access"


def access_assignment_for_item(*, user: Any, item_id: int) -> ItemAccessData:
    """What `user` may do with an assignment item of a course; 404 when they may not open it or it is not an
    assignment."""
    access = content_api.item_access(user=user, item_id=item_id)
    if access.kind != ItemKind.ASSIGNMENT:
        raise Http404
    return access


def access_assignment(*, user: Any, assignment_id: int) -> tuple[Assignment, ItemAccessData]:
    """The assignment (with its item and course) and what `user` may do with its item; else 404."""
    assignment = Assignment.objects.select_related("item", "course").filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404
    return assignment, access_assignment_for_item(user=user, item_id=assignment.item_id)


def can_manage_assignment(access: ItemAccessData) -> bool:
    """Instructions, due date, late policy, files, rubric: a teacher of the course."""
    return access.can_edit


def sees_group(access: ItemAccessData, group_id: int | None) -> bool:
    """Whether the works of a student of `group_id` are open to the holder of `access`: staff of that group
    (a teacher: every group), the administration and the head."""
    if not access.sees_results or access.tutor_group_ids == frozenset():
        return False
    return access.tutor_group_ids is None or group_id in access.tutor_group_ids


def is_collection_staff(*, user: Any) -> bool:
    """The collection dashboard and the tutors' workload: the administration service and the head."""
    return bool(acting_roles(user) & COLLECTION_ROLES)


def can_hand_over(*, user: Any) -> bool:
    """Register paper works and hand works over to tutors: the administration service."""
    return bool(acting_roles(user) & HAND_OVER_ROLES)


def access_collection(*, user: Any) -> None:
    """The collection dashboard: the administration service and the head; anyone else 404."""
    if not is_collection_staff(user=user):
        raise Http404


def submission_item_access(submission: Submission) -> ItemAccessData:
    """The item access `access_submission` found for the submission it returned."""
    return submission.__dict__[_ACCESS_CACHE][1]


def _cached_access(*, user: Any, submission: Submission) -> ItemAccessData | None:
    cached = submission.__dict__.get(_ACCESS_CACHE)
    if cached is not None and cached[0] == getattr(user, "pk", None):
        return cached[1]
    try:
        access = content_api.item_access(user=user, item_id=submission.assignment.item_id)
    except Http404:
        return None
    submission.__dict__[_ACCESS_CACHE] = (getattr(user, "pk", None), access)
    return access


def is_own(access: ItemAccessData, submission: Submission) -> bool:
    return access.student_id is not None and access.student_id == submission.student_id


def is_recipient(*, user: Any, submission: Submission) -> bool:
    """The submission is handed to `user` now (whatever their rights on the course today)."""
    handover = submission.handover
    return handover is not None and handover.tutor_id == getattr(user, "pk", None)


def access_submission(*, user: Any, submission_id: int) -> Submission:
    """A submission (with its assignment, item, course, student and current hand-over) for its student, the
    staff of the student's group, the tutor it is handed to, the administration and the head; else 404.
    `submission_item_access` gives what the user may do with the assignment's item."""
    submission = (
        Submission.objects.select_related(
            "assignment", "assignment__item", "assignment__course", "student", "handover", "handover__tutor"
        )
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise Http404
    access = _cached_access(user=user, submission=submission)
    if access is None:
        raise Http404
    if not (
        is_own(access, submission)
        or sees_group(access, submission.student.group_id)
        or (access.is_staff and is_recipient(user=user, submission=submission))
    ):
        raise Http404
    return submission


def can_review(*, user: Any, submission: Submission) -> bool:
    """Confirm receipt and review: the tutor the submission is handed to, while they are on the course's staff
    for the student's group."""
    if not is_recipient(user=user, submission=submission):
        return False
    access = _cached_access(user=user, submission=submission)
    if access is None or not access.is_staff:
        return False
    return access.tutor_group_ids is None or submission.student.group_id in access.tutor_group_ids


def access_workload(*, user: Any, tutor_id: int) -> None:
    """The workload of the tutor `tutor_id`: that tutor or teacher, the administration and the head; else 404."""
    if is_collection_staff(user=user):
        return
    if getattr(user, "pk", None) == tutor_id and acting_roles(user) & RECIPIENT_ROLES:
        return
    raise Http404
