"""The full access matrix of permissions/courses.py: every kind of person × this course, another course and
a missing one."""

import pytest
from django.http import Http404

from qashyq.content.models import Course, Enrolment
from qashyq.content.permissions import courses as permissions
from qashyq.content.tests.course_helpers import PEOPLE, assert_matrix_names_everyone, fresh, make_world

pytestmark = pytest.mark.django_db

SEE_COURSE = {"student_enrolled", "teacher", "tutor_all", "tutor_limited", "administration", "head", "didactics"}
MANAGE = {"administration"}
EDIT = {"teacher"}
DRAFTS = {"teacher", "tutor_all", "tutor_limited", "administration", "head", "didactics"}
PROGRESS = {"teacher", "tutor_all", "tutor_limited", "administration", "head"}
SEE_OTHER_COURSE = {"other_teacher", "other_tutor", "administration", "head", "didactics"}


@pytest.fixture
def world():
    return make_world()


def test_the_matrix_names_everyone():
    assert_matrix_names_everyone(SEE_COURSE, MANAGE, EDIT, DRAFTS, PROGRESS, SEE_OTHER_COURSE)


@pytest.mark.parametrize("who", PEOPLE)
def test_access_course(world, who):
    user = fresh(world.people[who])
    if who in SEE_COURSE:
        course = permissions.access_course(user=user, course_id=world.course.pk)
        assert course == world.course
        assert course.discipline_id == world.course.discipline_id
    else:
        with pytest.raises(Http404):
            permissions.access_course(user=user, course_id=world.course.pk)


@pytest.mark.parametrize("who", PEOPLE)
def test_access_another_course(world, who):
    user = fresh(world.people[who])
    if who in SEE_OTHER_COURSE:
        assert permissions.access_course(user=user, course_id=world.other_course.pk) == world.other_course
    else:
        with pytest.raises(Http404):
            permissions.access_course(user=user, course_id=world.other_course.pk)


@pytest.mark.parametrize("who", PEOPLE)
def test_a_missing_course_is_404_for_everyone(world, who):
    missing = Course.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    with pytest.raises(Http404):
        permissions.access_course(user=fresh(world.people[who]), course_id=missing)


@pytest.mark.parametrize("who", PEOPLE)
def test_can_manage_courses(world, who):
    assert permissions.can_manage_courses(user=fresh(world.people[who])) is (who in MANAGE)


@pytest.mark.parametrize("who", PEOPLE)
def test_can_edit_course(world, who):
    user = fresh(world.people[who])
    assert permissions.can_edit_course(user=user, course=world.course) is (who in EDIT)
    # The teacher of another course edits that one only.
    assert permissions.can_edit_course(user=user, course=world.other_course) is (who == "other_teacher")


@pytest.mark.parametrize("who", PEOPLE)
def test_can_see_drafts(world, who):
    assert permissions.can_see_drafts(user=fresh(world.people[who]), course=world.course) is (who in DRAFTS)


@pytest.mark.parametrize("who", PEOPLE)
def test_can_see_progress(world, who):
    assert permissions.can_see_progress(user=fresh(world.people[who]), course=world.course) is (who in PROGRESS)


@pytest.mark.parametrize("who", PEOPLE)
def test_progress_group_ids(world, who):
    groups = permissions.progress_group_ids(user=fresh(world.people[who]), course=world.course)
    if who == "tutor_limited":
        assert groups == frozenset({world.group_b.pk})
    elif who in PROGRESS:
        assert groups is None  # every student of the course
    else:
        assert groups == frozenset()


@pytest.mark.parametrize("who", PEOPLE)
def test_enrolment_for(world, who):
    found = permissions.enrolment_for(user=fresh(world.people[who]), course=world.course)
    if who == "student_enrolled":
        assert found == world.enrolment
    else:
        assert found is None


@pytest.mark.parametrize("who", PEOPLE)
def test_access_enrolment(world, who):
    user = fresh(world.people[who])
    missing = Enrolment.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    if who in MANAGE:
        assert permissions.access_enrolment(user=user, enrolment_id=world.enrolment.pk) == world.enrolment
        with pytest.raises(Http404):
            permissions.access_enrolment(user=user, enrolment_id=missing)
    else:
        with pytest.raises(Http404):
            permissions.access_enrolment(user=user, enrolment_id=world.enrolment.pk)


def test_an_ended_enrolment_closes_the_course_and_a_new_one_opens_it(world):
    student = fresh(world.people["student_enrolled"])
    world.enrolment.active = False
    world.enrolment.save()
    with pytest.raises(Http404):
        permissions.access_course(user=student, course_id=world.course.pk)
    world.enrolment.active = True
    world.enrolment.save()
    assert permissions.access_course(user=fresh(student), course_id=world.course.pk) == world.course


def test_staff_answers_are_read_once_per_course_object(world, django_assert_num_queries):
    teacher = fresh(world.people["teacher"])
    course = Course.objects.get(pk=world.course.pk)
    permissions.can_edit_course(user=teacher, course=course)  # the roles, then the staff rows
    with django_assert_num_queries(0):
        assert permissions.can_see_drafts(user=teacher, course=course)
        assert permissions.can_see_progress(user=teacher, course=course)
        assert permissions.progress_group_ids(user=teacher, course=course) is None
