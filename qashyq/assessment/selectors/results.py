"""A student's result in a test and their attempts (the grading method over finished attempts)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from qashyq.assessment.data import AttemptStatus, GradingMethod, ReviewWhen, TestResultData
from qashyq.assessment.models import Accommodation, Attempt, Test
from qashyq.assessment.rules import grading


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
            percent = grading.cents(total / len(graded))
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


# --- what a student may see of an attempt (the one review rule: the API and the result page) ---------------


@dataclass(frozen=True)
class Review:
    """What the reader may see of an attempt now: whether its review is open to them, and then their answers,
    the scores, the right answers (with each option's fraction), the feedback."""

    open: bool
    responses: bool
    score: bool
    correct: bool
    feedback: bool


STAFF_REVIEW = Review(open=True, responses=True, score=True, correct=True, feedback=True)
NO_REVIEW = Review(open=False, responses=False, score=False, correct=False, feedback=False)
WORKING = Review(open=False, responses=True, score=False, correct=False, feedback=False)  # an attempt in progress


def review_open(*, test: Test, attempt: Attempt, now: datetime | None = None) -> bool:
    """Whether the review of a finished attempt is open to its student."""
    if attempt.status == AttemptStatus.IN_PROGRESS or test.review_when == ReviewWhen.NEVER:
        return False
    if test.review_when == ReviewWhen.AFTER_SUBMIT:
        return True
    closes = latest_close(test)
    return closes is not None and (now or timezone.now()) >= closes


def latest_close(test: Test) -> datetime | None:
    """When the test has closed for everyone: its closing time, or an accommodation's later one (None: it never
    closes). One query, remembered on the test object."""
    cache = test.__dict__
    if "_qashyq_latest_close" not in cache:
        closes = test.closes_at
        if closes is not None:
            later = (
                Accommodation.objects.filter(test=test, closes_at__gt=closes)
                .order_by("-closes_at")
                .values_list("closes_at", flat=True)
                .first()
            )
            closes = later or closes
        cache["_qashyq_latest_close"] = closes
    return cache["_qashyq_latest_close"]


def student_review(*, test: Test, attempt: Attempt, now: datetime | None = None) -> Review:
    """What the student may see of their own attempt now."""
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return WORKING
    if not review_open(test=test, attempt=attempt, now=now):
        return NO_REVIEW
    return Review(
        open=True,
        responses=test.review_responses,
        score=test.review_score,
        correct=test.review_correct,
        feedback=test.review_feedback,
    )
