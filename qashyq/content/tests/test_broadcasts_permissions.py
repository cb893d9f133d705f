"""The full access matrix of permissions/broadcasts.py: every role, with and without a tie to the course,
a missing broadcast, anonymous and inactive users."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from qashyq.accounts.data import Role
from qashyq.content.data import StaffRole
from qashyq.content.permissions.broadcasts import (
    access_broadcast,
    broadcasts_visible_to,
    can_edit_broadcast,
    can_schedule,
    can_schedule_for,
    can_see_calendar,
    can_see_schedule,
    courses_for_scheduling,
    scheduling_course_ids,
)
from qashyq.content.tests.broadcast_helpers import broadcast, course
from qashyq.content.tests.factories import add_staff, enrolled_student

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)
SEE_ALL = {Role.ADMINISTRATION, Role.HEAD}
TIES = ["own", "other"]


def tied_user(make_user, role, the_course, tie):
    """A user of `role`; "own": tied to the course the way the role can be (teacher or tutor on its staff,
    student enrolled in it); "other": tied the same way to another course only."""
    user = make_user(role)
    target = the_course if tie == "own" else course()
    if role == Role.TEACHER:
        add_staff(target, user, StaffRole.TEACHER)
    elif role == Role.TUTOR:
        add_staff(target, user, StaffRole.TUTOR)
    elif role == Role.STUDENT:
        enrolled_student(target, user=user)
    return user


@pytest.fixture
def the_course():
    return course()


@pytest.fixture
def the_broadcast(the_course):
    return broadcast(the_course, timezone.now() + timedelta(days=2))


@pytest.mark.parametrize("role", ALL_ROLES)
def test_can_see_schedule(make_user, role):
    assert can_see_schedule(user=make_user(role)) is (role in SEE_ALL | {Role.TEACHER, Role.TUTOR})


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("tie", TIES)
def test_can_schedule_for(make_user, the_course, role, tie):
    user = tied_user(make_user, role, the_course, tie)
    expected = role == Role.ADMINISTRATION or (role == Role.TEACHER and tie == "own")
    assert can_schedule_for(user=user, course=the_course) is expected


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("tie", TIES)
def test_can_edit_broadcast(make_user, the_course, the_broadcast, role, tie):
    user = tied_user(make_user, role, the_course, tie)
    expected = role == Role.ADMINISTRATION or (role == Role.TEACHER and tie == "own")
    assert can_edit_broadcast(user=user, broadcast=the_broadcast) is expected


@pytest.mark.parametrize("role", ALL_ROLES)
def test_can_schedule_needs_a_course_to_teach_unless_administration(make_user, the_course, role):
    user = make_user(role)
    assert can_schedule(user=user) is (role == Role.ADMINISTRATION)
    add_staff(the_course, user, StaffRole.TEACHER)
    assert can_schedule(user=user) is (role in {Role.ADMINISTRATION, Role.TEACHER})


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("tie", TIES)
def test_access_broadcast(make_user, the_course, the_broadcast, role, tie):
    user = tied_user(make_user, role, the_course, tie)
    sees = role in SEE_ALL or (tie == "own" and role in {Role.TEACHER, Role.TUTOR, Role.STUDENT})
    if sees:
        assert access_broadcast(user=user, broadcast_id=the_broadcast.pk) == the_broadcast
    else:
        with pytest.raises(Http404):
            access_broadcast(user=user, broadcast_id=the_broadcast.pk)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_access_broadcast_missing_is_404(make_user, the_course, the_broadcast, role):
    user = tied_user(make_user, role, the_course, "own")
    with pytest.raises(Http404):
        access_broadcast(user=user, broadcast_id=the_broadcast.pk + 1000)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_can_see_calendar(make_user, role):
    assert can_see_calendar(user=make_user(role)) is (role == Role.STUDENT)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("tie", TIES)
def test_courses_for_scheduling(make_user, the_course, role, tie):
    user = tied_user(make_user, role, the_course, tie)
    courses = set(courses_for_scheduling(user=user))
    ids = scheduling_course_ids(user=user)
    if role == Role.ADMINISTRATION:
        assert the_course in courses
        assert ids is None
    elif role == Role.TEACHER:
        assert (the_course in courses) is (tie == "own")
        assert len(courses) == 1
        assert ids == {c.pk for c in courses}
    else:
        assert courses == set()
        assert ids == frozenset()


def test_an_ended_enrolment_hides_the_broadcasts(make_user, the_course, the_broadcast):
    user = make_user(Role.STUDENT)
    enrolment = enrolled_student(the_course, user=user)
    assert access_broadcast(user=user, broadcast_id=the_broadcast.pk) == the_broadcast
    enrolment.active = False
    enrolment.save()
    with pytest.raises(Http404):
        access_broadcast(user=user, broadcast_id=the_broadcast.pk)


def test_staff_without_the_teacher_role_does_not_schedule(make_user, the_course):
    """A course's staff row is not enough: the account must also hold the teacher role."""
    user = make_user(Role.TUTOR)
    add_staff(the_course, user, StaffRole.TEACHER)
    assert not can_schedule_for(user=user, course=the_course)
    assert not can_schedule(user=user)


def test_a_tutor_on_the_staff_sees_but_does_not_schedule(make_user, the_course, the_broadcast):
    user = make_user(Role.TEACHER, Role.TUTOR)
    add_staff(the_course, user, StaffRole.TUTOR)
    assert access_broadcast(user=user, broadcast_id=the_broadcast.pk) == the_broadcast
    assert not can_schedule_for(user=user, course=the_course)


def test_anonymous_inactive_and_roleless(make_user, the_course, the_broadcast):
    inactive = make_user(Role.ADMINISTRATION)
    inactive.is_active = False
    inactive.save()
    for user in (AnonymousUser(), inactive, make_user()):
        assert not can_see_schedule(user=user)
        assert not can_schedule(user=user)
        assert not can_schedule_for(user=user, course=the_course)
        assert not can_see_calendar(user=user)
        assert broadcasts_visible_to(user=user) is None
        with pytest.raises(Http404):
            access_broadcast(user=user, broadcast_id=the_broadcast.pk)
