"""A student's result in a test and their attempts (the grading method over finished attempts)."""

from decimal import ROUND_HALF_UP, Decimal

from qashyq.assessment.data import AttemptStatus, GradingMethod, TestResultData
from qashyq.assessment.models import Attempt, Test

CENT = Decimal("0.01")


def student_attempts(*, test: Test, student_id: int) -> list[Attempt]:
    """The student's attempts of the test, first to last (one query)."""
    return list(Attempt.objects.filter(test=test, student_id=student_id).order_by("number"))


def result_of(test: Test, attempts: list[Attempt], *, student_id: int) -> TestResultData:
    """The result by the test's grading method over these attempts (the finished ones count; an attempt
    awaiting grading makes the result `pending`; percent None while no attempt is graded). Attempts granted
    by an accommodation count like the others."""
    finished = [a for a in attempts if a.status != AttemptStatus.IN_PROGRESS]
    graded = [a for a in finished if a.status == AttemptStatus.GRADED and a.percent is not None]
    percent: Decimal | None = None
    if graded:
        if test.grading_method == GradingMethod.LAST:
            percent = max(graded, key=lambda a: a.number).percent
        elif test.grading_method == GradingMethod.AVERAGE:
            total = sum((a.percent or Decimal(0) for a in graded), Decimal(0))
            percent = (total / len(graded)).quantize(CENT, rounding=ROUND_HALF_UP)
        else:
            percent = max(a.percent or Decimal(0) for a in graded)
    return TestResultData(
        test_id=test.pk,
        item_id=test.item_id,
        student_id=student_id,
        percent=percent,
        attempts=len(finished),
        pending=any(a.status == AttemptStatus.NEEDS_GRADING for a in finished),
        attempt_ids=tuple(a.pk for a in finished),
    )


def test_result(*, test: Test, student_id: int) -> TestResultData:
    """The student's result in the test (one query)."""
    return result_of(test, student_attempts(test=test, student_id=student_id), student_id=student_id)
