"""The full access matrix of every access_* and can_* function of coursework: every role, own and other's.
"Not yours" and "does not exist" both give 404."""

import pytest
from django.http import Http404

from qashyq.content.data import ItemKind
from qashyq.content.models import CourseStaff
from qashyq.content.tests.factories import ItemFactory
from qashyq.coursework import permissions, services
from qashyq.coursework.models import Submission
from qashyq.coursework.tests.helpers import World, upload

pytestmark = pytest.mark.django_db

ROLES = (
    "student",
    "student_other",
    "teacher",
    "tutor",
    "tutor_other",
    "outsider_teacher",
    "outsider_tutor",
    "admin",
    "head",
    "didactics",
    "it_support",
    "anonymous",
)


def opens(call) -> bool:
    try:
        call()
    except Http404:
        return False
    return True


def a_submission(world: World):
    """The first student's work (group 0), handed to their group's tutor."""
    submission = services.submission_submit(
        actor=world.students[0].user, assignment=world.assignment, uploads=[upload()]
    )
    services.submission_hand_over(actor=world.admin, submission=submission)
    submission.refresh_from_db()
    return submission


ASSIGNMENT_VISIBLE = {
    "student": True,
    "student_other": True,  # the same course, another group
    "teacher": True,
    "tutor": True,
    "tutor_other": True,
    "outsider_teacher": False,
    "outsider_tutor": False,
    "admin": True,
    "head": True,
    "didactics": True,
    "it_support": False,
    "anonymous": False,
}


@pytest.mark.parametrize("role", ROLES)
def test_access_assignment(world, role):
    user = world.user(role)
    assert (
        opens(lambda: permissions.access_assignment(user=user, assignment_id=world.assignment.pk))
        is (ASSIGNMENT_VISIBLE[role])
    )
    assert (
        opens(lambda: permissions.access_assignment_for_item(user=user, item_id=world.item.pk))
        is (ASSIGNMENT_VISIBLE[role])
    )
    # a missing assignment and an item that is not an assignment: 404 for everyone
    assert opens(lambda: permissions.access_assignment(user=user, assignment_id=999_999)) is False
    page = ItemFactory.create(course=world.course, section=world.item.section, kind=ItemKind.PAGE)
    assert opens(lambda: permissions.access_assignment_for_item(user=user, item_id=page.pk)) is False


@pytest.mark.parametrize("role", [r for r in ROLES if ASSIGNMENT_VISIBLE[r]])
def test_can_manage_assignment(world, role):
    _assignment, access = permissions.access_assignment(user=world.user(role), assignment_id=world.assignment.pk)
    assert permissions.can_manage_assignment(access) is (role == "teacher")


SUBMISSION_VISIBLE = {
    "student": True,  # their own
    "student_other": False,
    "teacher": True,
    "tutor": True,  # the tutor of the student's group, and the one it is handed to
    "tutor_other": False,
    "outsider_teacher": False,
    "outsider_tutor": False,
    "admin": True,
    "head": True,
    "didactics": False,
    "it_support": False,
    "anonymous": False,
}


@pytest.mark.parametrize("role", ROLES)
def test_access_submission(world, role):
    submission = a_submission(world)
    user = world.user(role)
    assert (
        opens(lambda: permissions.access_submission(user=user, submission_id=submission.pk))
        is (SUBMISSION_VISIBLE[role])
    )
    assert opens(lambda: permissions.access_submission(user=user, submission_id=999_999)) is False


@pytest.mark.parametrize("role", ROLES)
def test_can_review_only_the_recipient(world, role):
    submission = a_submission(world)
    assert permissions.can_review(user=world.user(role), submission=submission) is (role == "tutor")


def test_the_recipient_loses_the_review_with_their_place_on_the_staff(world):
    submission = a_submission(world)
    assert permissions.can_review(user=world.tutor, submission=submission) is True
    CourseStaff.objects.filter(user=world.tutor).delete()
    submission = Submission.objects.get(pk=submission.pk)
    assert permissions.can_review(user=world.tutor, submission=submission) is False
    assert opens(lambda: permissions.access_submission(user=world.tutor, submission_id=submission.pk)) is False


def test_a_teacher_it_is_handed_to_reviews_it_and_the_tutor_of_the_group_no_longer(world):
    submission = a_submission(world)
    services.submission_hand_over(actor=world.admin, submission=submission, tutor_id=world.teacher.pk)
    submission = Submission.objects.get(pk=submission.pk)
    assert permissions.can_review(user=world.teacher, submission=submission) is True
    assert permissions.can_review(user=world.tutor, submission=submission) is False


COLLECTION = {"admin": True, "head": True}


@pytest.mark.parametrize("role", ROLES)
def test_access_collection_and_hand_over(world, role):
    user = world.user(role)
    assert opens(lambda: permissions.access_collection(user=user)) is COLLECTION.get(role, False)
    assert permissions.is_collection_staff(user=user) is COLLECTION.get(role, False)
    assert permissions.can_hand_over(user=user) is (role == "admin")


WORKLOAD_OF_TUTOR = {"tutor": True, "admin": True, "head": True}


@pytest.mark.parametrize("role", ROLES)
def test_access_workload(world, role):
    user = world.user(role)
    assert opens(lambda: permissions.access_workload(user=user, tutor_id=world.tutor.pk)) is (
        WORKLOAD_OF_TUTOR.get(role, False)
    )
    # one's own list: tutors and teachers (and the administration and head see anyone's)
    own = getattr(user, "pk", None) or 0
    assert opens(lambda: permissions.access_workload(user=user, tutor_id=own)) is (
        role in {"teacher", "tutor", "tutor_other", "outsider_teacher", "outsider_tutor", "admin", "head"}
    )
