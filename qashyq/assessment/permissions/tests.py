"""Who may see and change a test, its results and its attempts. "Not yours" and "does not exist" both give 404.

- A test is visible to whoever may open its course item (content's `item_access`): the course's staff,
  its students once the item is published, and, read-only, the administration, the head and the
  didactic-means service.
- A teacher of the course manages the test: settings, blueprint, accommodations, regrading.
- Results and attempts: the course's staff (a tutor limited to some groups sees the students of those
  groups only), the administration and the head.
- A teacher of the course grades every attempt, a tutor the attempts of the students of their groups.
"""

from typing import Any

from django.http import Http404

from qashyq.assessment.models import Attempt, Test
from qashyq.content import api as content_api
from qashyq.content.data import ItemAccessData, ItemKind

_ACCESS_CACHE = "_qashyq_item_access"


def attempt_item_access(attempt: Attempt) -> ItemAccessData:
    """The item access `access_attempt_staff` found for the attempt it returned."""
    return attempt.__dict__[_ACCESS_CACHE][1]


def access_test_for_item(*, user: Any, item_id: int) -> ItemAccessData:
    """What `user` may do with a test item of a course; 404 when they may not open it or it is not a test."""
    access = content_api.item_access(user=user, item_id=item_id)
    if access.kind != ItemKind.TEST:
        raise Http404
    return access


def access_test(*, user: Any, test_id: int) -> tuple[Test, ItemAccessData]:
    """The test (with its course) and what `user` may do with its item; else 404."""
    test = Test.objects.select_related("course").filter(pk=test_id).first()
    if test is None:
        raise Http404
    return test, access_test_for_item(user=user, item_id=test.item_id)


def can_manage_test(access: ItemAccessData) -> bool:
    """Settings, blueprint, accommodations and regrading: a teacher of the course."""
    return access.can_edit


def can_see_results(access: ItemAccessData) -> bool:
    """Results, attempts and item analysis: staff (a tutor: their groups), administration, head."""
    return access.sees_results and access.tutor_group_ids != frozenset()


def sees_group(access: ItemAccessData, group_id: int | None) -> bool:
    """Whether the results of a student of `group_id` are open to the holder of `access`."""
    if not can_see_results(access):
        return False
    return access.tutor_group_ids is None or group_id in access.tutor_group_ids


def access_attempt_staff(*, user: Any, attempt_id: int) -> Attempt:
    """An attempt (with its test, course and student), for the staff of the course (a tutor: the students of
    their groups), the administration and the head; else 404. `attempt_item_access` gives what the user may do."""
    attempt = Attempt.objects.select_related("test", "test__course", "student").filter(pk=attempt_id).first()
    if attempt is None:
        raise Http404
    access = access_test_for_item(user=user, item_id=attempt.test.item_id)
    if not sees_group(access, attempt.student.group_id):
        raise Http404
    attempt.__dict__[_ACCESS_CACHE] = (getattr(user, "pk", None), access)
    return attempt


def can_grade(*, user: Any, attempt: Attempt, access: ItemAccessData | None = None) -> bool:
    """Grade the attempt's essays, reopen it: a teacher of the course, a tutor of the student's group."""
    if access is None:
        cached = attempt.__dict__.get(_ACCESS_CACHE)
        if cached is not None and cached[0] == getattr(user, "pk", None):
            access = cached[1]
    if access is None:
        try:
            access = content_api.item_access(user=user, item_id=attempt.test.item_id)
        except Http404:
            return False
    if not access.is_staff:
        return False
    return access.tutor_group_ids is None or attempt.student.group_id in access.tutor_group_ids
