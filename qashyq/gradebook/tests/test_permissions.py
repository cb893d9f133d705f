"""The full access matrix of every access_* and can_* function of the gradebook: every role, own and another's
course, group and record. "Not yours" and "missing" are both 404."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from qashyq.accounts.tests.factories import UserFactory
from qashyq.content.data import StaffRole
from qashyq.content.tests.factories import add_staff
from qashyq.gradebook import permissions
from qashyq.gradebook.models import GradeChangeRequest
from qashyq.gradebook.tests.factories import gradebook_world

pytestmark = pytest.mark.django_db

ROLES = [
    "student",
    "student_other",
    "teacher",
    "tutor",
    "outsider_teacher",
    "outsider_tutor",
    "admin",
    "head",
    "didactics",
    "it_support",
    "anonymous",
]


@pytest.fixture
def world():
    return gradebook_world()


# (course, role) → None for 404, else (group_ids as group indexes or None, can_enter, can_manage, is_admin, is_head)
OWN, OTHER = "own", "other"
COURSE_MATRIX = {
    (OWN, "student"): None,
    (OWN, "student_other"): None,
    (OWN, "teacher"): (None, True, True, False, False),
    (OWN, "tutor"): ((1,), True, False, False, False),
    (OWN, "outsider_teacher"): None,
    (OWN, "outsider_tutor"): None,
    (OWN, "admin"): (None, True, True, True, False),
    (OWN, "head"): (None, False, False, False, True),
    (OWN, "didactics"): None,
    (OWN, "it_support"): None,
    (OWN, "anonymous"): None,
    (OTHER, "student"): None,
    (OTHER, "student_other"): None,
    (OTHER, "teacher"): None,
    (OTHER, "tutor"): None,
    (OTHER, "outsider_teacher"): (None, True, True, False, False),
    (OTHER, "outsider_tutor"): (None, True, False, False, False),  # a tutor of every group of that course
    (OTHER, "admin"): (None, True, True, True, False),
    (OTHER, "head"): (None, False, False, False, True),
    (OTHER, "didactics"): None,
    (OTHER, "it_support"): None,
    (OTHER, "anonymous"): None,
}


@pytest.mark.parametrize(("course", "role"), list(COURSE_MATRIX))
def test_access_course_gradebook(world, course, role):
    course_obj = world.course if course == OWN else world.other_course
    expected = COURSE_MATRIX[(course, role)]
    if expected is None:
        with pytest.raises(Http404):
            permissions.access_course_gradebook(user=world.user(role), course_id=course_obj.pk)
        return
    access = permissions.access_course_gradebook(user=world.user(role), course_id=course_obj.pk)
    groups, can_enter, can_manage, is_admin, is_head = expected
    assert access.course.id == course_obj.pk
    assert access.group_ids == (None if groups is None else frozenset(world.groups[i].pk for i in groups))
    assert (access.can_enter, access.can_manage_measures, access.is_administration, access.is_head) == (
        can_enter,
        can_manage,
        is_admin,
        is_head,
    )


@pytest.mark.parametrize("role", ROLES)
def test_a_missing_course_is_404_for_everyone(world, role):
    with pytest.raises(Http404):
        permissions.access_course_gradebook(user=world.user(role), course_id=999_999)


def test_a_teacher_limited_to_a_group_sees_that_group(world):
    teacher = UserFactory.create(roles=["teacher"])
    add_staff(world.course, teacher, StaffRole.TEACHER).groups.set([world.groups[0]])
    access = permissions.access_course_gradebook(user=teacher, course_id=world.course.pk)
    assert access.group_ids == frozenset({world.groups[0].pk})
    assert (access.can_enter, access.can_manage_measures) == (True, True)
    assert access.sees_group(world.groups[0].pk)
    assert not access.sees_group(world.groups[1].pk)
    assert not access.sees_group(None)


def test_a_teacher_and_tutor_of_both_kinds_sees_the_union(world):
    user = UserFactory.create(roles=["teacher", "tutor"])
    add_staff(world.course, user, StaffRole.TEACHER).groups.set([world.groups[0]])
    add_staff(world.course, user, StaffRole.TUTOR).groups.set([world.groups[1]])
    access = permissions.access_course_gradebook(user=user, course_id=world.course.pk)
    assert access.group_ids == frozenset({world.groups[0].pk, world.groups[1].pk})


def test_a_staff_row_without_the_role_counts_for_nothing(world):
    world.teacher.groups.clear()
    world.teacher.__dict__.pop("_qashyq_roles", None)
    with pytest.raises(Http404):
        permissions.access_course_gradebook(user=world.teacher, course_id=world.course.pk)


def test_a_deactivated_account_sees_nothing(world):
    world.admin.is_active = False
    with pytest.raises(Http404):
        permissions.access_course_gradebook(user=world.admin, course_id=world.course.pk)


def test_a_head_who_tutors_the_course_enters_for_their_group(world):
    head = UserFactory.create(roles=["head", "tutor"])
    add_staff(world.course, head, StaffRole.TUTOR).groups.set([world.groups[1]])
    access = permissions.access_course_gradebook(user=head, course_id=world.course.pk)
    assert (access.group_ids, access.can_enter, access.is_head) == (frozenset({world.groups[1].pk}), True, True)


def test_the_course_gradebook_costs_a_fixed_number_of_queries(world, django_assert_num_queries):
    teacher = UserFactory.create(roles=["teacher"])
    add_staff(world.course, teacher, StaffRole.TEACHER)
    with django_assert_num_queries(5):  # roles, course, its groups, staff rows, their groups
        permissions.access_course_gradebook(user=teacher, course_id=world.course.pk)
    admin = UserFactory.create(roles=["administration"])
    with django_assert_num_queries(3):  # roles, course, its groups
        permissions.access_course_gradebook(user=admin, course_id=world.course.pk)


# role → outcome for [student of group 0, student of group 1]: "ok", "denied" (PermissionDenied) or 404.
ENTRY_MATRIX = {
    "student": (404, 404),
    "student_other": (404, 404),
    "teacher": ("ok", "ok"),
    "tutor": ("denied", "ok"),
    "outsider_teacher": (404, 404),
    "outsider_tutor": (404, 404),
    "admin": ("ok", "ok"),
    "head": ("denied", "denied"),
    "didactics": (404, 404),
    "it_support": (404, 404),
    "anonymous": (404, 404),
}


@pytest.mark.parametrize("role", list(ENTRY_MATRIX))
@pytest.mark.parametrize("key", ["tk1", "exam"])
def test_access_grade_entry(world, role, key):
    measure = world.measures[key]
    for index, expected in zip((0, 2), ENTRY_MATRIX[role], strict=True):
        student = world.students[index]
        call = lambda s=student: permissions.access_grade_entry(  # noqa: E731
            user=world.user(role), measure_id=measure.pk, student_id=s.pk
        )
        if expected == "ok":
            found, student_id = call()
            assert (found.pk, student_id) == (measure.pk, student.pk)
        elif expected == "denied":
            with pytest.raises(PermissionDenied):
                call()
        else:
            with pytest.raises(Http404):
                call()


@pytest.mark.parametrize("role", ["teacher", "tutor", "admin", "head", "student"])
def test_a_missing_measure_or_student_is_404(world, role):
    with pytest.raises(Http404):
        permissions.access_grade_entry(user=world.user(role), measure_id=999_999, student_id=world.students[2].pk)
    with pytest.raises(Http404):
        permissions.access_grade_entry(user=world.user(role), measure_id=world.measures["tk1"].pk, student_id=999_999)


def test_a_measure_of_another_course_is_404_for_its_outsiders(world):
    from qashyq.gradebook.tests.factories import make_measure

    other = make_measure(world.other_course, "tk1")
    with pytest.raises(Http404):
        permissions.access_grade_entry(user=world.teacher, measure_id=other.pk, student_id=world.students[0].pk)
    found, _student = permissions.access_grade_entry(
        user=world.outsider_teacher, measure_id=other.pk, student_id=world.students[0].pk
    )
    assert found.pk == other.pk


OWN_MATRIX = {
    "student": 0,
    "student_other": 2,
    "teacher": None,
    "tutor": None,
    "outsider_teacher": None,
    "outsider_tutor": None,
    "admin": None,
    "head": None,
    "didactics": None,
    "it_support": None,
    "anonymous": None,
}


@pytest.mark.parametrize("role", list(OWN_MATRIX))
def test_access_own_gradebook(world, role):
    expected = OWN_MATRIX[role]
    if expected is None:
        with pytest.raises(Http404):
            permissions.access_own_gradebook(user=world.user(role))
    else:
        assert permissions.access_own_gradebook(user=world.user(role)) == world.students[expected].pk


def test_a_student_account_without_a_record_is_404(world):
    with pytest.raises(Http404):
        permissions.access_own_gradebook(user=UserFactory.create(roles=["student"]))


def test_a_record_without_the_student_role_is_404(world):
    user = world.students[0].user
    user.groups.clear()
    user.__dict__.pop("_qashyq_roles", None)
    with pytest.raises(Http404):
        permissions.access_own_gradebook(user=user)


REQUEST_MATRIX = {role: role in {"admin", "head"} for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
def test_access_change_request(world, role):
    change = GradeChangeRequest.objects.create(
        measure=world.measures["tk1"],
        student=world.students[0],
        score=Decimal("80"),
        reason="Қате",
        requested_by=world.teacher,
    )
    if REQUEST_MATRIX[role]:
        assert permissions.access_change_request(user=world.user(role), request_id=change.pk).pk == change.pk
        with pytest.raises(Http404):
            permissions.access_change_request(user=world.user(role), request_id=999_999)
    else:
        with pytest.raises(Http404):
            permissions.access_change_request(user=world.user(role), request_id=change.pk)


CAN_MATRIX = {
    # role: (can_reopen_entry, can_close_period, can_decide_change)
    "student": (False, False, False),
    "student_other": (False, False, False),
    "teacher": (False, False, False),
    "tutor": (False, False, False),
    "outsider_teacher": (False, False, False),
    "outsider_tutor": (False, False, False),
    "admin": (True, True, False),
    "head": (False, True, True),
    "didactics": (False, False, False),
    "it_support": (False, False, False),
    "anonymous": (False, False, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_the_can_functions(world, role):
    user = world.user(role)
    assert (
        permissions.can_reopen_entry(user=user),
        permissions.can_close_period(user=user),
        permissions.can_decide_change(user=user),
    ) == CAN_MATRIX[role]
