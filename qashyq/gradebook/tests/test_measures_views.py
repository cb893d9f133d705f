"""The control measures pages: the list (everyone who opens the journal), creating, editing and deleting (a
teacher of the course and the administration service), with the services' refusals shown on the form."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from qashyq.audit.models import Event
from qashyq.content.data import ItemKind
from qashyq.content.tests.course_helpers import publish
from qashyq.content.tests.factories import ItemFactory, SectionFactory
from qashyq.gradebook.models import ControlMeasure, PeriodClosure
from qashyq.gradebook.tests.factories import ALMATY, grade, gradebook_world
from qashyq.gradebook.tests.journal_helpers import large_journal
from qashyq.gradebook.tests.pages_helpers import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return gradebook_world()


@pytest.fixture
def as_(client, world, enrol_totp):
    def sign(role):
        return sign_in(client, world, role, enrol_totp)

    return sign


def list_url(world):
    return reverse("gradebook:measure-list", args=[world.course.pk])


def create_url(world):
    return reverse("gradebook:measure-create", args=[world.course.pk])


def edit_url(world, measure):
    return reverse("gradebook:measure-edit", args=[world.course.pk, measure.pk])


def delete_url(world, measure):
    return reverse("gradebook:measure-delete", args=[world.course.pk, measure.pk])


def form_data(**fields):
    data = {
        "name_kk": "Эссе",
        "name_ru": "Эссе",
        "name_en": "Essay",
        "kind": "essay",
        "part": "tk2",
        "mode": "case",
        "week": "",
        "weight": "2",
        "due_at": "2026-11-20T18:00",
        "item": "",
        "required": "on",
        "pass_points": "40",
        "late_allowed": "",
        "position": "7",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v != ""}


# --- The list -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("teacher", 200),
        ("tutor", 200),
        ("admin", 200),
        ("head", 200),
        ("student", 404),
        ("outsider_teacher", 404),
        ("didactics", 404),
        ("it_support", 404),
        ("anonymous", 302),
    ],
)
def test_who_opens_the_list(as_, world, role, status):
    assert as_(role).get(list_url(world)).status_code == status


def test_the_list_shows_every_measure_in_journal_order_with_its_actions_for_who_manages(as_, world):
    grade(world.measure("tk1"), world.students[0], "80", by=world.teacher)
    response = as_("teacher").get(list_url(world))
    assert [m.pk for m in response.context["measures"]] == [world.measure(k).pk for k in world.measures]
    assert [m.graded for m in response.context["measures"]] == [1, 0, 0, 0, 0]
    html = response.content.decode()
    assert edit_url(world, world.measure("tk1")) in html
    assert delete_url(world, world.measure("tk1")) not in html  # graded: not deletable
    assert delete_url(world, world.measure("rk1")) in html
    tutor = as_("tutor").get(list_url(world)).content.decode()
    assert edit_url(world, world.measure("tk1")) not in tutor
    assert create_url(world) not in tutor


@pytest.mark.parametrize(("measures", "students"), [(3, 2), (40, 30)])
def test_the_list_costs_a_fixed_number_of_queries(client, django_assert_num_queries, measures, students):
    big = large_journal(students=students, columns=measures)
    client.force_login(big.teacher)
    url = reverse("gradebook:measure-list", args=[big.course.pk])
    with django_assert_num_queries(7):
        response = client.get(url)
    assert len(response.context["measures"]) == measures - 1


# --- Creating ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("teacher", 200),
        ("admin", 200),
        ("tutor", 403),
        ("head", 403),
        ("student", 404),
        ("outsider_teacher", 404),
        ("anonymous", 302),
    ],
)
def test_who_may_open_the_form(as_, world, role, status):
    assert as_(role).get(create_url(world)).status_code == status


def test_a_teacher_creates_a_measure_fed_by_a_test_of_the_course(as_, world):
    # given: a published test of the course, and a test of another course
    section = SectionFactory.create(course=world.course)
    test = ItemFactory.create(section=section, course=world.course, kind=ItemKind.TEST, name_kk="Тест 1")
    publish(test)
    foreign = ItemFactory.create(
        section=SectionFactory.create(course=world.other_course), course=world.other_course, kind=ItemKind.TEST
    )
    publish(foreign)
    client = as_("teacher")
    page = client.get(create_url(world))
    choices = [value for value, _label in page.context["form"].fields["item"].choices]
    assert test.pk in choices
    assert foreign.pk not in choices
    # when
    response = client.post(create_url(world), form_data(item=str(test.pk)))
    # then
    assert response.status_code == 302
    assert response["Location"] == list_url(world)
    measure = ControlMeasure.objects.get(name_kk="Эссе")
    assert (measure.kind, measure.part, measure.mode, measure.week) == ("essay", "tk2", "case", None)
    assert (measure.weight, measure.pass_points, measure.required, measure.late_allowed) == (
        Decimal("2.00"),
        Decimal("40.00"),
        True,
        False,
    )
    assert measure.due_at == datetime(2026, 11, 20, 18, 0, tzinfo=ALMATY)
    assert (measure.item_id, measure.position, measure.course_id) == (test.pk, 7, world.course.pk)
    assert Event.objects.filter(action="gradebook.measure_created").count() == 1


def test_a_due_date_outside_the_period_is_refused_on_its_field(as_, world):
    count = ControlMeasure.objects.count()
    response = as_("teacher").post(create_url(world), form_data(due_at="2027-03-01T10:00"))
    assert response.status_code == 400
    assert "must fall inside the course's academic period" in " ".join(response.context["form"].errors["due_at"])
    assert ControlMeasure.objects.count() == count


def test_a_second_exam_and_a_bad_form_are_refused(as_, world):
    count = ControlMeasure.objects.count()
    client = as_("admin")
    second = client.post(create_url(world), form_data(kind="exam", part="exam"))
    assert second.status_code == 400
    assert second.context["form"].errors["part"] == ["The course already has its exam."]
    bad = client.post(create_url(world), form_data(weight="-1", kind="nonsense", name_kk=""))
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"weight", "kind", "name_kk"}
    foreign = client.post(create_url(world), form_data(item="999999"))
    assert foreign.status_code == 400
    assert "item" in foreign.context["form"].errors
    assert ControlMeasure.objects.count() == count


def test_creating_is_refused_to_a_tutor_and_once_the_period_is_closed(as_, world):
    count = ControlMeasure.objects.count()
    assert as_("tutor").post(create_url(world), form_data()).status_code == 403
    PeriodClosure.objects.create(period=world.period, closed_by=world.admin)
    closed = as_("teacher").post(create_url(world), form_data())
    assert closed.status_code == 400
    assert "The period is closed" in closed.content.decode()
    assert ControlMeasure.objects.count() == count


# --- Editing and deleting -------------------------------------------------------------------------------------------


def test_editing_a_measure(as_, world):
    measure = world.measure("rk1")
    client = as_("teacher")
    page = client.get(edit_url(world, measure))
    assert page.status_code == 200
    assert page.context["form"].initial["part"] == "rk1"
    response = client.post(
        edit_url(world, measure), form_data(kind="midterm", part="rk1", name_kk="АБ1", due_at="2026-10-25T12:00")
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.name_kk, measure.weight, measure.due_at) == (
        "АБ1",
        Decimal("2.00"),
        datetime(2026, 10, 25, 12, 0, tzinfo=ALMATY),
    )
    assert Event.objects.filter(action="gradebook.measure_updated").count() == 1


def test_a_graded_measure_keeps_its_part(as_, world):
    measure = world.measure("tk1")
    grade(measure, world.students[0], "80", by=world.teacher)
    response = as_("teacher").post(edit_url(world, measure), form_data(kind="current", part="tk2"))
    assert response.status_code == 400
    assert response.context["form"].errors["part"] == ["The measure is graded: its part of the rating cannot change."]
    measure.refresh_from_db()
    assert measure.part == "tk1"


def test_editing_is_404_for_a_measure_of_another_course_and_403_for_the_head(as_, world):
    foreign = ControlMeasure.objects.create(course=world.other_course, name_kk="X", kind="current", part="tk1")
    assert as_("teacher").get(edit_url(world, foreign)).status_code == 404
    assert as_("teacher").get(reverse("gradebook:measure-edit", args=[world.course.pk, 999999])).status_code == 404
    assert as_("head").get(edit_url(world, world.measure("tk1"))).status_code == 403


def test_deleting_a_measure(as_, world):
    measure = world.measure("rk2")
    client = as_("teacher")
    assert client.get(delete_url(world, measure)).status_code == 200
    response = client.post(delete_url(world, measure))
    assert response.status_code == 302
    assert not ControlMeasure.objects.filter(pk=measure.pk).exists()
    assert Event.objects.filter(action="gradebook.measure_deleted").count() == 1


def test_a_graded_measure_cannot_be_deleted(as_, world):
    measure = world.measure("tk1")
    grade(measure, world.students[0], "80", by=world.teacher)
    response = as_("admin").post(delete_url(world, measure))
    assert response.status_code == 400
    assert "The measure is graded: it cannot be deleted." in response.content.decode()
    assert ControlMeasure.objects.filter(pk=measure.pk).exists()
    assert as_("tutor").post(delete_url(world, world.measure("rk1"))).status_code == 403
    assert ControlMeasure.objects.filter(pk=world.measure("rk1").pk).exists()
