"""The access matrix of permissions/tests.py: every role against a test, its results and its attempts."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from qashyq.accounts.tests.factories import UserFactory
from qashyq.assessment.permissions import tests as permissions
from qashyq.assessment.tests.helpers import exam_world, make_test
from qashyq.assessment.tests.teacher_helpers import finished_attempt
from qashyq.content.tests.factories import ItemFactory, SectionFactory

pytestmark = pytest.mark.django_db

# (role, sees the test, manages it, sees results, sees the attempt of student 0 / of student 1, grades them)
MATRIX = {
    "student_own": (True, False, False, (False, False), (False, False)),
    "student_other_course": (False, False, False, (False, False), (False, False)),
    "teacher": (True, True, True, (True, True), (True, True)),
    "tutor": (True, False, True, (False, True), (False, True)),
    "tutor_other_group": (True, False, True, (True, False), (True, False)),
    "outsider_teacher": (False, False, False, (False, False), (False, False)),
    "admin": (True, False, True, (True, True), (False, False)),
    "head": (True, False, True, (True, True), (False, False)),
    "didactics": (True, False, False, (False, False), (False, False)),
    "it_support": (False, False, False, (False, False), (False, False)),
    "anonymous": (False, False, False, (False, False), (False, False)),
}


@pytest.fixture
def world():
    return exam_world()


def _user(world, who):
    if who == "student_own":
        return world.students[0].user
    if who == "student_other_course":
        return UserFactory.create(roles=["student"])
    if who == "tutor_other_group":
        from qashyq.content.data import StaffRole
        from qashyq.content.tests.factories import add_staff

        tutor = UserFactory.create(roles=["tutor"])
        add_staff(world.course, tutor, StaffRole.TUTOR).groups.set([world.groups[0]])
        return tutor
    if who == "anonymous":
        return AnonymousUser()
    return getattr(world, who if who != "admin" else "admin")


@pytest.mark.parametrize("who", list(MATRIX))
def test_access_matrix(world, who):
    test = make_test(world)
    attempts = [finished_attempt(world, test, student=0), finished_attempt(world, test, student=1)]
    user = _user(world, who)
    sees, manages, results, sees_attempts, grades = MATRIX[who]
    if not sees:
        with pytest.raises(Http404):
            permissions.access_test(user=user, test_id=test.pk)
        with pytest.raises(Http404):
            permissions.access_test_for_item(user=user, item_id=world.item.pk)
    else:
        found, access = permissions.access_test(user=user, test_id=test.pk)
        assert found == test
        assert access.item_id == world.item.pk
        assert permissions.can_manage_test(access) is manages
        assert permissions.can_see_results(access) is results
        assert permissions.access_test_for_item(user=user, item_id=world.item.pk).course_id == world.course.pk
    for attempt, visible, grading in zip(attempts, sees_attempts, grades, strict=True):
        if visible:
            assert permissions.access_attempt_staff(user=user, attempt_id=attempt.pk) == attempt
        else:
            with pytest.raises(Http404):
                permissions.access_attempt_staff(user=user, attempt_id=attempt.pk)
        assert permissions.can_grade(user=user, attempt=attempt) is grading


def test_a_missing_test_or_attempt_is_404(world):
    with pytest.raises(Http404):
        permissions.access_test(user=world.teacher, test_id=999_999)
    with pytest.raises(Http404):
        permissions.access_attempt_staff(user=world.teacher, attempt_id=999_999)


def test_an_item_of_another_kind_is_not_a_test(world):
    page = ItemFactory.create(section=SectionFactory.create(course=world.course), course=world.course)
    with pytest.raises(Http404):
        permissions.access_test_for_item(user=world.teacher, item_id=page.pk)


def test_a_student_does_not_see_an_unpublished_test(db):
    world = exam_world(publish=False)
    with pytest.raises(Http404):
        permissions.access_test_for_item(user=world.students[0].user, item_id=world.item.pk)
    assert permissions.access_test_for_item(user=world.teacher, item_id=world.item.pk).can_edit


def test_a_teacher_who_lost_the_role_neither_sees_nor_grades(world):
    test = make_test(world)
    attempt = finished_attempt(world, test)
    world.teacher.groups.clear()
    teacher = type(world.teacher).objects.get(pk=world.teacher.pk)  # roles are cached on the object
    with pytest.raises(Http404):
        permissions.access_test(user=teacher, test_id=test.pk)
    assert permissions.can_grade(user=teacher, attempt=attempt) is False


def test_the_access_found_for_one_user_is_not_used_for_another(world):
    test = make_test(world)
    attempt = permissions.access_attempt_staff(user=world.teacher, attempt_id=finished_attempt(world, test).pk)
    assert permissions.can_grade(user=world.teacher, attempt=attempt) is True
    assert permissions.can_grade(user=world.admin, attempt=attempt) is False
    assert permissions.attempt_item_access(attempt).can_edit is True
