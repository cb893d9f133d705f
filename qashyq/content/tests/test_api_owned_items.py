"""content.api for apps that own an item kind (assessment owns tests): item_access, item_link,
item_progress_record, course_enrolments, staffed_disciplines."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from qashyq.accounts.api import Role
from qashyq.accounts.tests.factories import UserFactory
from qashyq.content import api
from qashyq.content.data import ItemKind, ProgressStatus, StaffRole
from qashyq.content.models import ItemProgress
from qashyq.content.services.items import item_publish
from qashyq.content.tests.factories import CourseFactory, ItemFactory, SectionFactory, add_staff, enrolled_student
from qashyq.content.tests.files_helpers import png, upload
from qashyq.records.tests.student_helpers import make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    course = CourseFactory.create()
    first = enrolled_student(course)
    group_a = first.student.group
    group_b = make_group("G-B", group_a.programme)
    course.groups.add(group_b)
    second = enrolled_student(course)
    second.student.group = group_b
    second.student.save(update_fields=["group"])
    teacher = UserFactory.create(roles=["teacher"])
    tutor = UserFactory.create(roles=["tutor"])
    add_staff(course, teacher, StaffRole.TEACHER)
    add_staff(course, tutor, StaffRole.TUTOR).groups.set([group_b])
    section = SectionFactory.create(course=course)
    item = ItemFactory.create(section=section, course=course, kind=ItemKind.TEST)
    return {
        "course": course,
        "item": item,
        "teacher": teacher,
        "tutor": tutor,
        "enrolments": [first, second],
        "groups": [group_a, group_b],
    }


def test_item_access_of_staff_and_students(world, enrol_totp):
    item, course = world["item"], world["course"]
    student = world["enrolments"][0].student
    # A draft: staff and the administration see it; the student does not.
    teacher = api.item_access(user=world["teacher"], item_id=item.pk)
    assert (teacher.can_edit, teacher.is_staff, teacher.sees_drafts, teacher.sees_results) == (True, True, True, True)
    assert teacher.tutor_group_ids is None
    assert teacher.published is False
    assert teacher.course_id == course.pk
    assert teacher.discipline_id == course.discipline_id
    tutor = api.item_access(user=world["tutor"], item_id=item.pk)
    assert (tutor.can_edit, tutor.is_staff, tutor.tutor_group_ids) == (False, True, frozenset({world["groups"][1].pk}))
    with pytest.raises(Http404):
        api.item_access(user=student.user, item_id=item.pk)
    admin = UserFactory.create(roles=["administration"])
    seen = api.item_access(user=admin, item_id=item.pk)
    assert (seen.is_staff, seen.sees_results, seen.tutor_group_ids, seen.enrolment_id) == (False, True, None, None)
    didactics = api.item_access(user=UserFactory.create(roles=["didactics"]), item_id=item.pk)
    assert (didactics.sees_drafts, didactics.sees_results, didactics.tutor_group_ids) == (True, False, frozenset())

    item_publish(actor=world["teacher"], item=item)
    mine = api.item_access(user=student.user, item_id=item.pk)
    assert (mine.published, mine.enrolment_id, mine.student_id) == (True, world["enrolments"][0].pk, student.pk)
    assert (mine.is_staff, mine.sees_results, mine.tutor_group_ids) == (False, False, frozenset())
    with pytest.raises(Http404):
        api.item_access(user=UserFactory.create(roles=["teacher"]), item_id=item.pk)
    with pytest.raises(Http404):
        api.item_access(user=world["teacher"], item_id=item.pk + 1000)


def test_item_link_is_what_the_owner_registered(world):
    # assessment registers tests when Django starts.
    assert api.item_link(kind=ItemKind.TEST, item_id=world["item"].pk) == f"/assessment/items/{world['item'].pk}/"
    assert api.item_link(kind=ItemKind.PAGE, item_id=world["item"].pk) == ""


def test_item_progress_record(world):
    item, enrolment = world["item"], world["enrolments"][0]
    item_publish(actor=world["teacher"], item=item)
    api.item_progress_record(item_id=item.pk, enrolment_id=enrolment.pk, score=None, completed=False)
    progress = ItemProgress.objects.get(item=item, enrolment=enrolment)
    assert (progress.status, progress.score) == (ProgressStatus.VIEWED, None)
    api.item_progress_record(item_id=item.pk, enrolment_id=enrolment.pk, score=Decimal("87.5"), completed=True)
    progress.refresh_from_db()
    assert (progress.status, progress.score) == (ProgressStatus.COMPLETED, Decimal("87.50"))
    # An ended enrolment or a missing item records nothing.
    other = world["enrolments"][1]
    other.active = False
    other.save(update_fields=["active"])
    api.item_progress_record(item_id=item.pk, enrolment_id=other.pk, score=Decimal(50), completed=True)
    api.item_progress_record(item_id=item.pk + 1000, enrolment_id=enrolment.pk, score=Decimal(50), completed=True)
    assert ItemProgress.objects.count() == 1


def test_course_enrolments_by_name_and_group(world, django_assert_num_queries):
    course = world["course"]
    with django_assert_num_queries(1):
        rows = api.course_enrolments(course_id=course.pk)
    students = sorted((e.student for e in world["enrolments"]), key=lambda s: s.name_key)
    assert [r.student_id for r in rows] == [s.pk for s in students]
    assert {r.full_name for r in rows} == {s.full_name for s in students}
    only_b = api.course_enrolments(course_id=course.pk, group_ids=[world["groups"][1].pk])
    assert [(r.student_id, r.group_id) for r in only_b] == [(world["enrolments"][1].student_id, world["groups"][1].pk)]


def test_staffed_disciplines(world):
    discipline = world["course"].discipline_id
    assert api.staffed_disciplines(user=world["teacher"]) == frozenset({discipline})
    assert api.staffed_disciplines(user=world["tutor"]) == frozenset({discipline})
    assert api.staffed_disciplines(user=world["tutor"], teachers_only=True) == frozenset()


def test_the_item_page_links_to_the_owner(world, client):
    item = world["item"]
    item_publish(actor=world["teacher"], item=item)
    client.force_login(world["enrolments"][0].student.user)
    page = client.get(f"/content/items/{item.pk}/")
    assert page.status_code == 200
    assert f'href="/assessment/items/{item.pk}/"' in page.content.decode()
    page_item = ItemFactory.create(section=item.section, course=item.course, kind=ItemKind.PAGE)
    item_publish(actor=world["teacher"], item=page_item)
    assert 'id="item-owner-link"' not in client.get(f"/content/items/{page_item.pk}/").content.decode()


def test_file_read_gives_back_the_stored_bytes(world):
    image = png()
    stored = api.file_store(upload=upload("figure.png", image), actor=world["teacher"])
    assert api.file_read(file_id=stored.id) == image


def test_item_access_queries(world, django_assert_num_queries):
    item_publish(actor=world["teacher"], item=world["item"])
    fresh = type(world["teacher"]).objects.get  # users whose roles have not been read yet
    student = fresh(pk=world["enrolments"][0].student.user_id)
    # The user's roles, the item, its course and the student's enrolment (no staff rows: not staff).
    with django_assert_num_queries(4):
        api.item_access(user=student, item_id=world["item"].pk)
    teacher = fresh(pk=world["teacher"].pk)
    with django_assert_num_queries(4):  # the roles, the item, its course and the teacher's staff rows
        api.item_access(user=teacher, item_id=world["item"].pk)


def test_staff_item_access_is_for_the_course_staff_and_the_kind_asked(world):
    item = world["item"]
    access = api.staff_item_access(user=world["teacher"], item_id=item.pk, kind=item.kind, refusal="no", wrong_kind="k")
    assert (access.item_id, access.course_id, access.is_staff) == (item.pk, item.course_id, True)
    other_kind = next(k for k in ItemKind if k != item.kind)
    with pytest.raises(ValidationError) as wrong:
        api.staff_item_access(user=world["teacher"], item_id=item.pk, kind=other_kind, refusal="no", wrong_kind="k")
    assert wrong.value.message_dict == {"item": ["k"]}
    student = world["enrolments"][0].student.user
    for outsider in (student, UserFactory(roles=[Role.TEACHER])):
        with pytest.raises(PermissionDenied, match="no"):
            api.staff_item_access(user=outsider, item_id=item.pk, kind=item.kind, refusal="no", wrong_kind="k")
    with pytest.raises(PermissionDenied, match="no"):
        api.staff_item_access(user=world["teacher"], item_id=0, kind=item.kind, refusal="no", wrong_kind="k")
