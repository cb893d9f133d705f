"""The access matrix of permissions/attempts.py: only the student who took an attempt opens it as a student."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from qashyq.assessment.models import AttemptQuestion
from qashyq.assessment.permissions.attempts import access_own_attempt, access_own_question_page
from qashyq.assessment.services.attempts import attempt_start
from qashyq.assessment.tests.helpers import exam_world, make_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = exam_world()
    world.test = make_test(world)
    student = world.students[0]
    world.attempt = attempt_start(
        test=world.test,
        user=student.user,
        student_id=student.pk,
        enrolment_id=world.enrolments[0].pk,
        ip="10.0.0.1",
        user_agent="test",
    )
    return world


def opens(user, attempt_id) -> bool:
    try:
        access_own_attempt(user=user, attempt_id=attempt_id)
    except Http404:
        return False
    return True


def opens_page(user, attempt_id, position=1) -> bool:
    try:
        access_own_question_page(user=user, attempt_id=attempt_id, position=position)
    except Http404:
        return False
    return True


PEOPLE = {
    "own student": lambda w: w.students[0].user,
    "other student": lambda w: w.students[1].user,
    "teacher": lambda w: w.teacher,
    "tutor of the other group": lambda w: w.tutor,
    "outsider teacher": lambda w: w.outsider_teacher,
    "administration": lambda w: w.admin,
    "head": lambda w: w.head,
    "didactics": lambda w: w.didactics,
    "it support": lambda w: w.it_support,
    "anonymous": lambda w: AnonymousUser(),
    "nobody": lambda w: None,
}


@pytest.mark.parametrize("who", list(PEOPLE))
def test_only_the_student_who_took_it_opens_an_attempt(world, who):
    user = PEOPLE[who](world)
    assert opens(user, world.attempt.pk) is (who == "own student")
    assert not opens(user, 987_654)
    assert opens_page(user, world.attempt.pk) is (who == "own student")
    assert not opens_page(user, 987_654)


def test_a_position_the_attempt_lacks_opens_the_page_without_a_question(world):
    user = world.students[0].user
    count = AttemptQuestion.objects.filter(attempt=world.attempt).count()
    page = access_own_question_page(user=user, attempt_id=world.attempt.pk, position=count + 1)
    assert page.question is None
    assert page.attempt.pk == world.attempt.pk
    assert [slot["position"] for slot in page.slots] == list(range(1, count + 1))


def test_staff_of_the_student_group_do_not_open_it_as_a_student(world):
    # The tutor of the second group and the second student's attempt: staff use access_attempt_staff.
    other = world.students[1]
    attempt = attempt_start(
        test=world.test,
        user=other.user,
        student_id=other.pk,
        enrolment_id=world.enrolments[1].pk,
        ip="10.0.0.2",
        user_agent="test",
    )
    assert opens(other.user, attempt.pk)
    assert not opens(world.tutor, attempt.pk)
    assert not opens(world.students[0].user, attempt.pk)
    assert access_own_attempt(user=other.user, attempt_id=attempt.pk).test == world.test
