"""The full access matrix of the student functions of records.permissions, over every role and anonymous.

Who is asking, about a student of group A whose own account is `owner`:
administration and head see everyone (full IIN, disability); a teacher or tutor of group A sees them
(masked IIN, no disability), of group B does not; the student sees their own record (full IIN, no
disability) and nobody else's; didactics and IT support see nothing; anonymous and inactive accounts
see nothing.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from qashyq.accounts.api import Role
from qashyq.records.models import Student
from qashyq.records.permissions import (
    access_student,
    can_list_students,
    can_manage_students,
    can_see_disability,
    can_see_iin,
    students_visible_to,
)
from qashyq.records.tests.student_helpers import make_group, make_programme, make_student, teach

# Who asks → (sees the student of group A, may see the full IIN, may see disability, lists, manages)
MATRIX = {
    "administration": (True, True, True, True, True),
    "head": (True, True, True, True, False),
    "teacher_of_group": (True, False, False, True, False),
    "tutor_of_group": (True, False, False, True, False),
    "teacher_of_other_group": (False, False, False, True, False),
    "tutor_of_other_group": (False, False, False, True, False),
    "owner": (True, True, False, False, False),
    "other_student": (False, False, False, False, False),
    "didactics": (False, False, False, False, False),
    "it_support": (False, False, False, False, False),
    "no_role": (False, False, False, False, False),
    "inactive_administration": (False, False, False, False, False),
    "anonymous": (False, False, False, False, False),
}


@pytest.fixture
def world(db, make_user):
    programme = make_programme()
    group_a, group_b = make_group("A-1", programme), make_group("B-1", programme)
    owner = make_user(Role.STUDENT)
    other = make_user(Role.STUDENT)
    student = make_student(programme, group=group_a, user=owner, disability="group_2")
    make_student(programme, group=group_b, user=other)
    people = {
        "administration": make_user(Role.ADMINISTRATION),
        "head": make_user(Role.HEAD),
        "teacher_of_group": make_user(Role.TEACHER),
        "tutor_of_group": make_user(Role.TUTOR),
        "teacher_of_other_group": make_user(Role.TEACHER),
        "tutor_of_other_group": make_user(Role.TUTOR),
        "owner": owner,
        "other_student": other,
        "didactics": make_user(Role.DIDACTICS),
        "it_support": make_user(Role.IT_SUPPORT),
        "no_role": make_user(),
        "inactive_administration": make_user(Role.ADMINISTRATION, is_active=False),
        "anonymous": AnonymousUser(),
    }
    teach(people["teacher_of_group"], group_a)
    teach(people["tutor_of_group"], group_a, role="tutor")
    teach(people["teacher_of_other_group"], group_b)
    teach(people["tutor_of_other_group"], group_b, role="tutor")
    return {"student": student, "people": people, "group_b": group_b}


@pytest.mark.parametrize("who", list(MATRIX))
def test_access_student(world, who):
    user, student = world["people"][who], world["student"]
    if MATRIX[who][0]:
        assert access_student(user=user, student_id=student.pk) == student
    else:
        with pytest.raises(Http404):
            access_student(user=user, student_id=student.pk)


@pytest.mark.parametrize("who", list(MATRIX))
def test_access_student_that_does_not_exist_is_404_for_everyone(world, who):
    with pytest.raises(Http404):
        access_student(user=world["people"][who], student_id=world["student"].pk + 10_000)


@pytest.mark.parametrize("who", list(MATRIX))
def test_can_see_iin(world, who):
    assert can_see_iin(user=world["people"][who], student=world["student"]) is MATRIX[who][1]


@pytest.mark.parametrize("who", list(MATRIX))
def test_can_see_disability(world, who):
    assert can_see_disability(user=world["people"][who]) is MATRIX[who][2]


@pytest.mark.parametrize("who", list(MATRIX))
def test_can_list_students(world, who):
    assert can_list_students(user=world["people"][who]) is MATRIX[who][3]


@pytest.mark.parametrize("who", list(MATRIX))
def test_can_manage_students(world, who):
    assert can_manage_students(user=world["people"][who]) is MATRIX[who][4]


@pytest.mark.parametrize("who", list(MATRIX))
def test_students_visible_to(world, who):
    visible = students_visible_to(user=world["people"][who])
    seen = set() if visible is None else set(Student.objects.filter(visible).values_list("group__code", flat=True))
    expected = {
        "administration": {"A-1", "B-1"},
        "head": {"A-1", "B-1"},
        "teacher_of_group": {"A-1"},
        "tutor_of_group": {"A-1"},
        "teacher_of_other_group": {"B-1"},
        "tutor_of_other_group": {"B-1"},
        "owner": {"A-1"},
        "other_student": {"B-1"},
    }.get(who, set())
    assert seen == expected


def test_a_student_without_a_record_sees_nobody(world, make_user):
    loner = make_user(Role.STUDENT)
    with pytest.raises(Http404):
        access_student(user=loner, student_id=world["student"].pk)
    assert can_see_iin(user=loner, student=world["student"]) is False


def test_a_teacher_who_is_also_a_student_sees_both(world, make_user):
    teacher = world["people"]["teacher_of_other_group"]
    programme = world["student"].programme
    own = make_student(programme, group=make_group("C-1", programme), user=teacher)
    assert access_student(user=teacher, student_id=own.pk) == own
    assert can_see_iin(user=teacher, student=own) is True
    with pytest.raises(Http404):
        access_student(user=teacher, student_id=world["student"].pk)


def test_a_student_without_a_group_is_seen_by_no_teacher(world):
    loose = make_student(world["student"].programme, group=None)
    with pytest.raises(Http404):
        access_student(user=world["people"]["teacher_of_group"], student_id=loose.pk)
    assert access_student(user=world["people"]["head"], student_id=loose.pk) == loose
