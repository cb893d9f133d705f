"""assessment.api: the results other apps (the gradebook) read — by the test's grading method over finished
attempts, pending while an essay awaits grading, nothing for an item without a test."""

from decimal import Decimal

import pytest

from qashyq.assessment import api
from qashyq.assessment.data import AttemptStatus, GradingMethod
from qashyq.assessment.data import TestResultData as ResultData
from qashyq.assessment.models import Test as ExamTest
from qashyq.assessment.tests.helpers import exam_world, make_test
from qashyq.assessment.tests.test_api_tests import make_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = exam_world()
    world.test = make_test(world, attempts_allowed=0)
    world.a1 = make_attempt(world, world.test, 0, number=1, percent=Decimal("55.50"))
    world.a2 = make_attempt(world, world.test, 0, number=2, percent=Decimal("90.00"))
    world.a3 = make_attempt(world, world.test, 0, number=3, percent=Decimal("70.25"))
    world.b1 = make_attempt(world, world.test, 1, number=1, status=AttemptStatus.NEEDS_GRADING)
    return world


def test_results_of_every_student_with_a_finished_attempt(world, django_assert_max_num_queries):
    s0, s1 = (s.pk for s in world.students)
    with django_assert_max_num_queries(2):
        results = api.test_results(item_id=world.item.pk)
    assert results == [
        ResultData(
            test_id=world.test.pk,
            item_id=world.item.pk,
            student_id=s0,
            percent=Decimal("90.00"),
            attempts=3,
            pending=False,
            attempt_ids=(world.a1.pk, world.a2.pk, world.a3.pk),
        ),
        ResultData(
            test_id=world.test.pk,
            item_id=world.item.pk,
            student_id=s1,
            percent=None,
            attempts=1,
            pending=True,
            attempt_ids=(world.b1.pk,),
        ),
    ]


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (GradingMethod.HIGHEST, Decimal("90.00")),
        (GradingMethod.LAST, Decimal("70.25")),
        (GradingMethod.AVERAGE, Decimal("71.92")),  # (55.50 + 90.00 + 70.25) / 3 = 71.9166…
    ],
)
def test_the_grading_method_decides(world, method, expected):
    ExamTest.objects.filter(pk=world.test.pk).update(grading_method=method)
    one = api.test_result(item_id=world.item.pk, student_id=world.students[0].pk)
    assert one.percent == expected
    assert next(r.percent for r in api.test_results(item_id=world.item.pk)) == expected


def test_an_attempt_in_progress_does_not_count(world):
    make_attempt(world, world.test, 1, number=2, status=AttemptStatus.IN_PROGRESS)
    result = api.test_result(item_id=world.item.pk, student_id=world.students[1].pk)
    assert (result.attempts, result.pending, result.attempt_ids) == (1, True, (world.b1.pk,))


def test_grading_the_essay_gives_the_result(world):
    world.b1.status = AttemptStatus.GRADED
    world.b1.percent = Decimal("100.00")
    world.b1.save()
    result = api.test_result(item_id=world.item.pk, student_id=world.students[1].pk)
    assert (result.percent, result.pending) == (Decimal("100.00"), False)


def test_a_student_without_attempts(world, django_assert_max_num_queries):
    from qashyq.records.tests.student_helpers import make_student

    other = make_student(world.groups[0].programme, group=world.groups[0])
    with django_assert_max_num_queries(2):
        result = api.test_result(item_id=world.item.pk, student_id=other.pk)
    assert result == ResultData(
        test_id=world.test.pk, item_id=world.item.pk, student_id=other.pk, percent=None, attempts=0
    )
    assert other.pk not in {r.student_id for r in api.test_results(item_id=world.item.pk)}


def test_an_item_without_a_test(world):
    from qashyq.content.tests.factories import ItemFactory

    bare = ItemFactory.create(section=world.item.section, course=world.course, kind="test")
    assert api.test_results(item_id=bare.pk) == []
    assert api.test_result(item_id=bare.pk, student_id=world.students[0].pk) == ResultData(
        test_id=0, item_id=bare.pk, student_id=world.students[0].pk, percent=None, attempts=0
    )
