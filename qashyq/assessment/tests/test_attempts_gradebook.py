"""A test that feeds a control measure: its result goes into the gradebook (R17), and a test that is a course's
exam refuses a student the gradebook does not admit (rule 29), on the service and on the test's page."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qashyq.assessment.data import AttemptStatus, QuestionType
from qashyq.assessment.models import Attempt, AttemptEvent
from qashyq.assessment.services import attempts as services
from qashyq.assessment.tests.helpers import exam_world, make_test
from qashyq.audit.models import Event
from qashyq.gradebook.data import MeasureKind, MeasureMode, RatingPart, ResultSource
from qashyq.gradebook.models import ControlMeasure, Grade, PeriodClosure
from qashyq.gradebook.tests.factories import default_policy, grade

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    services.caches_clear()
    default_policy()
    world = exam_world()
    world.questions.pop(QuestionType.ESSAY).delete()  # graded by a person: the attempt would wait for them
    return world


def measure(world, part: str, *, item=None, kind: str = MeasureKind.TEST) -> ControlMeasure:
    return ControlMeasure.objects.create(
        course=world.course, kind=kind, part=part, mode=MeasureMode.TEST, item=item, name_kk=part.upper()
    )


def start(world, test, student: int = 0):
    s = world.students[student]
    return services.attempt_start(
        test=test,
        user=s.user,
        student_id=s.pk,
        enrolment_id=world.enrolments[student].pk,
        ip="10.0.0.1",
        user_agent="pytest",
    )


def test_a_graded_attempt_enters_its_result_into_the_measure_of_its_item(world):
    rk1 = measure(world, RatingPart.RK1, item=world.item)
    test = make_test(world)
    attempt = services.attempt_submit(attempt=start(world, test), actor=world.students[0].user)
    assert attempt.status == AttemptStatus.GRADED

    stored = Grade.objects.get(measure=rk1, student=world.students[0])
    assert (stored.score, stored.source, stored.attempt) == (attempt.percent, ResultSource.TEST, 1)
    assert Event.objects.filter(action="gradebook.grade_entered", target_id=str(stored.pk)).count() == 1


def test_a_test_without_a_measure_enters_nothing(world):
    test = make_test(world)
    services.attempt_submit(attempt=start(world, test), actor=world.students[0].user)
    assert not Grade.objects.exists()


def test_a_closed_period_keeps_the_submission_and_enters_nothing(world):
    rk1 = measure(world, RatingPart.RK1, item=world.item)
    test = make_test(world)
    PeriodClosure.objects.create(period=world.course.period, closed_by=world.admin)
    attempt = services.attempt_submit(attempt=start(world, test), actor=world.students[0].user)

    assert attempt.status == AttemptStatus.GRADED
    assert not Grade.objects.filter(measure=rk1).exists()
    assert Event.objects.filter(action="gradebook.grade_refused").exists()


def test_an_exam_refuses_a_student_who_is_not_admitted_and_stores_nothing(world):
    measure(world, RatingPart.RK1, kind=MeasureKind.MIDTERM)  # required, never graded
    measure(world, RatingPart.EXAM, item=world.item, kind=MeasureKind.EXAM)
    test = make_test(world)

    with pytest.raises(ValidationError) as caught:
        start(world, test)
    ((field, errors),) = caught.value.error_dict.items()
    assert (field, errors[0].code) == ("test", "not_admitted")
    assert "RK1" in errors[0].message % (errors[0].params or {})
    assert not Attempt.objects.exists()
    assert not AttemptEvent.objects.exists()


def test_an_admitted_student_starts_the_exam(world):
    rk1 = measure(world, RatingPart.RK1, kind=MeasureKind.MIDTERM)
    measure(world, RatingPart.EXAM, item=world.item, kind=MeasureKind.EXAM)
    grade(rk1, world.students[0], Decimal("80"), by=world.teacher)
    test = make_test(world)
    assert start(world, test).pk


def test_the_exam_page_says_why_the_student_may_not_start(world, client):
    measure(world, RatingPart.RK1, kind=MeasureKind.MIDTERM)
    measure(world, RatingPart.EXAM, item=world.item, kind=MeasureKind.EXAM)
    make_test(world)
    client.force_login(world.students[0].user)

    response = client.get(reverse("assessment:test-for-item", args=[world.item.pk]), follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="attempt-start"' not in page
    assert reverse("gradebook:own-gradebook") in page
    assert "RK1" in page
