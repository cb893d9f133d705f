"""services/progress.py `progress_record`: an upsert that never downgrades, keeps its first moments and scores,
and refuses what does not belong together."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qashyq.content.models import ItemProgress
from qashyq.content.services.progress import progress_record
from qashyq.content.tests.course_helpers import item_in
from qashyq.content.tests.factories import CourseFactory, enrolled_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    course = CourseFactory()
    return {"course": course, "enrolment": enrolled_student(course), "item": item_in(course)}


def test_first_view_creates_a_row(setup):
    progress = progress_record(enrolment=setup["enrolment"], item=setup["item"], status="viewed")
    assert (progress.status, progress.score, progress.completed_at) == ("viewed", None, None)
    assert progress.viewed_at is not None
    assert ItemProgress.objects.count() == 1


def test_completion_sets_both_moments_once_and_never_goes_back(setup):
    enrolment, item = setup["enrolment"], setup["item"]
    viewed = progress_record(enrolment=enrolment, item=item, status="viewed")
    first_view = viewed.viewed_at
    completed = progress_record(enrolment=enrolment, item=item, status="completed")
    assert completed.pk == viewed.pk
    assert completed.status == "completed"
    assert completed.viewed_at == first_view
    first_completion = completed.completed_at
    assert first_completion is not None
    assert first_completion >= first_view
    # A later view, a repeated completion and "not started" change nothing.
    for status in ("viewed", "completed", "not_started"):
        again = progress_record(enrolment=enrolment, item=item, status=status)
        assert (again.status, again.viewed_at, again.completed_at) == ("completed", first_view, first_completion)
    assert ItemProgress.objects.count() == 1


def test_completing_directly_counts_as_viewing(setup):
    progress = progress_record(enrolment=setup["enrolment"], item=setup["item"], status="completed")
    assert progress.viewed_at == progress.completed_at is not None


def test_not_started_creates_a_row_without_moments(setup):
    progress = progress_record(enrolment=setup["enrolment"], item=setup["item"], status="not_started")
    assert (progress.status, progress.viewed_at, progress.completed_at) == ("not_started", None, None)


def test_a_given_score_replaces_the_kept_one_and_no_score_keeps_it(setup):
    enrolment, item = setup["enrolment"], setup["item"]
    assert progress_record(enrolment=enrolment, item=item, status="viewed", score=Decimal("40.5")).score == Decimal(
        "40.50"
    )
    assert progress_record(enrolment=enrolment, item=item, status="completed").score == Decimal("40.50")
    assert progress_record(enrolment=enrolment, item=item, status="viewed", score=Decimal("85")).score == Decimal(
        "85.00"
    )
    stored = ItemProgress.objects.get()
    assert (stored.status, stored.score) == ("completed", Decimal("85.00"))


@pytest.mark.parametrize("case", ["status", "other_course", "ended", "score"])
def test_refusals_write_nothing(setup, case):
    enrolment, item = setup["enrolment"], setup["item"]
    kwargs = {"enrolment": enrolment, "item": item, "status": "viewed"}
    if case == "status":
        kwargs["status"] = "mastered"
    elif case == "other_course":
        kwargs["item"] = item_in(CourseFactory(period=setup["course"].period))
    elif case == "ended":
        enrolment.active = False
        enrolment.ended_at = timezone.now() - timedelta(days=1)
        enrolment.save()
    else:
        kwargs["score"] = Decimal("100000")
    with pytest.raises(ValidationError):
        progress_record(**kwargs)
    assert not ItemProgress.objects.exists()
