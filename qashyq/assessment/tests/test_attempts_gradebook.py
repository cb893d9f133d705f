"""A test that feeds a control measure: its result goes into the gradebook (R17), and a test that is a course's
exam refuses a student the gradebook does not admit (rule 29), on the service and on the test's page."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qashyq.assessment.data import AttemptStatus, QuestionType
from qashyq.assessment.models import Attempt, AttemptEvent, AttemptQuestion
from qashyq.assessment.services import attempts as services
from qashyq.assessment.tests.helpers import RIGHT_ANSWERS, exam_world, make_test
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


def test_a_graded_attempt_enters_its_result_into_the_measure_of_its_item(world, django_capture_on_commit_callbacks):
    rk1 = measure(world, RatingPart.RK1, item=world.item)
    test = make_test(world)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = services.attempt_submit(attempt=start(world, test), actor=world.students[0].user)
        assert not Grade.objects.exists()  # the submit does not wait for the gradebook: a task after the commit
    assert attempt.status == AttemptStatus.GRADED

    stored = Grade.objects.get(measure=rk1, student=world.students[0])
    assert (stored.score, stored.source, stored.attempt) == (attempt.percent, ResultSource.TEST, 1)
    assert Event.objects.filter(action="gradebook.grade_entered", target_id=str(stored.pk)).count() == 1


def test_a_test_without_a_measure_enters_nothing(world, django_capture_on_commit_callbacks):
    test = make_test(world)
    with django_capture_on_commit_callbacks(execute=True) as published:
        services.attempt_submit(attempt=start(world, test), actor=world.students[0].user)
    assert len(published) == 1
    assert not Grade.objects.exists()


def test_publishing_is_done_once_and_again_after_a_regrade_with_who_graded(world):
    from qashyq.assessment.tasks import attempt_publish

    rk1 = measure(world, RatingPart.RK1, item=world.item)
    attempt = services.attempt_submit(attempt=start(world, make_test(world)), actor=world.students[0].user)
    assert attempt.published_at is None
    assert not Grade.objects.exists()

    assert attempt_publish(attempt.pk) is True
    assert attempt_publish(attempt.pk) is False  # already published: nothing is written twice
    first = Grade.objects.get(measure=rk1)
    assert first.score == Decimal("0.00")  # nothing answered
    assert first.entered_by_id is None
    assert Event.objects.filter(action="gradebook.grade_entered").count() == 1

    # A regrade by the teacher (every answer now right, say) publishes again, under the teacher's name.
    for question in AttemptQuestion.objects.filter(attempt=attempt):
        question.answer = RIGHT_ANSWERS[question.type]
        question.save(update_fields=["answer"])
    regraded = services.attempt_grade(Attempt.objects.get(pk=attempt.pk), actor=world.teacher)
    assert regraded.published_at is None
    assert attempt_publish(attempt.pk, world.teacher.pk) is True
    stored = Grade.objects.get(measure=rk1)
    assert stored.score == Decimal("100.00")
    assert stored.entered_by_id == world.teacher.pk


def test_the_sweep_publishes_a_result_whose_task_was_lost(world):
    from qashyq.assessment.tasks import attempts_sweep

    rk1 = measure(world, RatingPart.RK1, item=world.item)
    attempt = services.attempt_submit(attempt=start(world, make_test(world)), actor=world.students[0].user)
    assert attempts_sweep() == {"closed": 0, "published": 1}  # no commit here: its task never ran
    assert attempts_sweep() == {"closed": 0, "published": 0}
    assert Attempt.objects.get(pk=attempt.pk).published_at is not None
    assert Grade.objects.filter(measure=rk1).count() == 1


def test_an_attempt_in_progress_or_without_an_enrolment_is_not_published(world):
    measure(world, RatingPart.RK1, item=world.item)
    test = make_test(world)
    in_progress = start(world, test)
    assert services.attempt_publish(attempt_id=in_progress.pk) is False
    other = start(world, test, student=1)
    Attempt.objects.filter(pk=other.pk).update(enrolment_id=None)
    services.attempt_submit(attempt=Attempt.objects.get(pk=other.pk), actor=other.user)
    assert services.attempt_publish(attempt_id=other.pk) is False
    assert services.attempts_publish_pending() == 0
    assert not Grade.objects.exists()


def test_a_closed_period_keeps_the_submission_and_enters_nothing(world, django_capture_on_commit_callbacks):
    rk1 = measure(world, RatingPart.RK1, item=world.item)
    test = make_test(world)
    PeriodClosure.objects.create(period=world.course.period, closed_by=world.admin)
    with django_capture_on_commit_callbacks(execute=True):
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
