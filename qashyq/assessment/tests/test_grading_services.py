"""services/grading.py: grading essays by hand, regrading after a question fix, reopening an attempt."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qashyq.assessment import models
from qashyq.assessment.data import AttemptEventKind, AttemptStatus, QuestionType
from qashyq.assessment.services import attempts as attempt_services
from qashyq.assessment.services import grading
from qashyq.assessment.tests.helpers import SAMPLES, exam_world, make_test
from qashyq.assessment.tests.teacher_helpers import essay_slot, finished_attempt, started_attempt
from qashyq.audit import api as audit_api

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return exam_world()


def _events(target, action):
    events = audit_api.events_for(target_type=target._meta.label_lower, target_id=str(target.pk))
    return [e for e in events if e["action"] == action]


def _state(slot):
    return models.AttemptQuestion.objects.filter(pk=slot.pk).values().get(), models.Attempt.objects.filter(
        pk=slot.attempt_id
    ).values().get()


# --- Grading by hand ---------------------------------------------------------------------


def test_an_essay_graded_with_the_rubric(world):
    attempt = finished_attempt(world, make_test(world))
    assert (attempt.status, attempt.points) == (AttemptStatus.NEEDS_GRADING, Decimal("8.00"))
    slot = essay_slot(attempt)
    graded = grading.question_grade(
        actor=world.teacher, attempt_question=slot, rubric_scores={"0": "2", "1": 2}, feedback=" Clear. "
    )
    slot.refresh_from_db()
    # 2 + 2 of the rubric's 5, scaled to the question's 1 point
    assert slot.score == Decimal("0.80")
    assert slot.rubric_scores == {"0": "2", "1": "2"}
    assert (slot.feedback, slot.graded_by, slot.needs_grading) == ("Clear.", world.teacher, False)
    assert slot.graded_at is not None
    attempt.refresh_from_db()
    assert (attempt.status, attempt.points, attempt.percent) == (
        AttemptStatus.GRADED,
        Decimal("8.80"),
        Decimal("97.78"),
    )
    assert graded.attempt.status == AttemptStatus.GRADED
    event = models.AttemptEvent.objects.get(attempt=attempt, kind=AttemptEventKind.GRADED)
    assert event.actor == world.teacher
    assert event.detail["after"] == "0.80"
    (audit,) = _events(attempt, "assessment.question_graded")
    assert audit["before"]["score"] is None
    assert audit["after"]["score"] == "0.80"
    assert audit["after"]["rubric_scores"] == {"0": "2", "1": "2"}


def test_an_essay_graded_with_one_score_by_the_tutor_of_the_group(world):
    attempt = finished_attempt(world, make_test(world), student=1)
    grading.question_grade(actor=world.tutor, attempt_question=essay_slot(attempt), score="0,5")
    slot = essay_slot(attempt)
    assert (slot.score, slot.graded_by, slot.rubric_scores) == (Decimal("0.50"), world.tutor, {})
    attempt.refresh_from_db()
    assert attempt.points == Decimal("8.50")


def test_changing_a_grade_needs_a_reason(world):
    attempt = finished_attempt(world, make_test(world))
    grading.question_grade(actor=world.teacher, attempt_question=essay_slot(attempt), score=1)
    slot = essay_slot(attempt)
    before = _state(slot)
    with pytest.raises(ValidationError) as error:
        grading.question_grade(actor=world.teacher, attempt_question=slot, score="0.25")
    assert "reason" in error.value.message_dict
    assert _state(slot) == before
    # The same score with new feedback is no change of grade.
    grading.question_grade(actor=world.teacher, attempt_question=essay_slot(attempt), score=1, feedback="Good")
    grading.question_grade(
        actor=world.teacher, attempt_question=essay_slot(attempt), score="0.25", reason="Copied from a classmate"
    )
    slot = essay_slot(attempt)
    assert slot.score == Decimal("0.25")
    attempt.refresh_from_db()
    assert attempt.points == Decimal("8.25")
    audits = _events(attempt, "assessment.question_graded")
    assert len(audits) == 3
    assert (audits[-1]["before"]["score"], audits[-1]["after"]["score"]) == ("1.00", "0.25")
    assert audits[-1]["reason"] == "Copied from a classmate"


@pytest.mark.parametrize(
    "arguments",
    [
        {"score": "1.5"},
        {"score": -1},
        {"score": "many"},
        {"score": "0.333"},
        {"score": None},
        {"score": True},
        {"rubric_scores": {"0": 4, "1": 1}},  # Content is out of 3
        {"rubric_scores": {"0": 1}},  # Language missing
        {"rubric_scores": {"0": 1, "1": 1, "7": 1}},
        {"rubric_scores": {"0": "x", "1": 1}},
        {"rubric_scores": {"0": -1, "1": 1}},
    ],
)
def test_bad_grades_change_nothing(world, arguments):
    attempt = finished_attempt(world, make_test(world))
    slot = essay_slot(attempt)
    before = _state(slot)
    with pytest.raises(ValidationError):
        grading.question_grade(actor=world.teacher, attempt_question=slot, **arguments)
    assert _state(slot) == before
    assert not models.AttemptEvent.objects.filter(kind=AttemptEventKind.GRADED).exists()
    assert not _events(attempt, "assessment.question_graded")


def test_the_rubric_errors_name_the_criterion(world):
    slot = essay_slot(finished_attempt(world, make_test(world)))
    with pytest.raises(ValidationError) as error:
        grading.question_grade(actor=world.teacher, attempt_question=slot, rubric_scores={"0": 4})
    assert error.value.message_dict["rubric"] == [
        "The points for “Content” must be from 0 to 3.",
        "Give the points for “Language”.",
    ]


def test_an_essay_without_a_rubric_takes_a_single_score_only(world):
    _stem, data = SAMPLES[QuestionType.ESSAY]
    version = world.questions[QuestionType.ESSAY].current
    version.data = data | {"rubric": []}
    version.save()
    slot = essay_slot(finished_attempt(world, make_test(world)))
    with pytest.raises(ValidationError) as error:
        grading.question_grade(actor=world.teacher, attempt_question=slot, rubric_scores={"0": 1})
    assert "score" in error.value.message_dict


@pytest.mark.parametrize("who", ["tutor", "admin", "head", "didactics", "outsider_teacher"])
def test_only_the_teacher_or_the_tutor_of_the_group_grades(world, who):
    slot = essay_slot(finished_attempt(world, make_test(world)))  # a student of the first group
    with pytest.raises(PermissionDenied):
        grading.question_grade(actor=getattr(world, who), attempt_question=slot, score=1)
    assert essay_slot(slot.attempt).score is None


def test_automatic_questions_and_attempts_in_progress_are_not_graded_by_hand(world):
    test = make_test(world)
    attempt = finished_attempt(world, test)
    single = models.AttemptQuestion.objects.get(attempt=attempt, type=QuestionType.SINGLE)
    with pytest.raises(ValidationError, match="automatically"):
        grading.question_grade(actor=world.teacher, attempt_question=single, score=0)
    running = started_attempt(world, test, student=1)
    with pytest.raises(ValidationError, match="in progress"):
        grading.question_grade(actor=world.teacher, attempt_question=essay_slot(running), score=1)
    assert essay_slot(running).score is None


# --- Regrading ---------------------------------------------------------------------


def _fix_single_question(world):
    """The single-choice question had its key wrong: option "b" is right. A new version says so."""
    question = world.questions[QuestionType.SINGLE]
    stem, data = SAMPLES[QuestionType.SINGLE]
    options = [dict(o, fraction=1.0 if o["id"] == "b" else 0.0) for o in data["options"]]
    version = models.QuestionVersion.objects.create(
        question=question,
        number=2,
        type=question.type,
        stem=stem,
        data=data | {"options": options},
        points=Decimal(1),
        created_by=world.teacher,
    )
    question.current = version
    question.save(update_fields=["current"])
    return version


def test_regrade_after_a_question_fix(world):
    test = make_test(world)
    chose_b = finished_attempt(world, test, answers={QuestionType.SINGLE: {"choice": "b"}})
    chose_a = finished_attempt(world, test, student=1, answers={QuestionType.SINGLE: {"choice": "a"}})
    assert (chose_b.points, chose_a.points) == (Decimal("0.00"), Decimal("1.00"))
    assert grading.test_regrade(actor=world.teacher, test=test, reason="Nothing fixed yet") == 0
    version = _fix_single_question(world)
    assert grading.test_regrade(actor=world.teacher, test=test, reason="The key of question 1 was wrong") == 2
    chose_b.refresh_from_db()
    chose_a.refresh_from_db()
    assert (chose_b.points, chose_a.points) == (Decimal("1.00"), Decimal("0.00"))
    slot = models.AttemptQuestion.objects.get(attempt=chose_b, type=QuestionType.SINGLE)
    assert (slot.version, slot.score) == (version, Decimal("1.00"))
    event = models.AttemptEvent.objects.get(attempt=chose_b, kind=AttemptEventKind.REGRADED)
    assert event.detail["before"]["points"] == "0.00"
    assert event.detail["after"]["points"] == "1.00"
    (audit,) = _events(chose_b, "assessment.attempt_regraded")
    assert audit["reason"] == "The key of question 1 was wrong"
    assert audit["after"]["questions"] == [
        {"position": slot.position, "version_before": 1, "version_after": 2, "before": "0.00", "after": "1.00"}
    ]
    # Once fixed, a second regrade changes nothing; nor does grading the essay bring the old key back.
    assert grading.test_regrade(actor=world.teacher, test=test, reason="Again") == 0
    grading.question_grade(actor=world.teacher, attempt_question=essay_slot(chose_b), score=1)
    chose_b.refresh_from_db()
    assert chose_b.points == Decimal("2.00")


def test_regrade_needs_a_reason_and_a_teacher(world):
    test = make_test(world)
    attempt = finished_attempt(world, test, answers={QuestionType.SINGLE: {"choice": "b"}})
    _fix_single_question(world)
    with pytest.raises(ValidationError) as error:
        grading.test_regrade(actor=world.teacher, test=test, reason=" ")
    assert "reason" in error.value.message_dict
    for who in ("tutor", "admin", "outsider_teacher"):
        with pytest.raises(PermissionDenied):
            grading.test_regrade(actor=getattr(world, who), test=test, reason="Fix")
    attempt.refresh_from_db()
    assert attempt.points == Decimal("0.00")
    assert not models.AttemptEvent.objects.filter(kind=AttemptEventKind.REGRADED).exists()


def test_regrade_skips_attempts_in_progress(world):
    test = make_test(world)
    running = started_attempt(world, test, student=0)
    _fix_single_question(world)
    assert grading.test_regrade(actor=world.teacher, test=test, reason="Fix") == 0
    assert models.AttemptQuestion.objects.get(attempt=running, type=QuestionType.SINGLE).version.number == 1


# --- Reopening ---------------------------------------------------------------------


def test_reopen_a_finished_attempt(world):
    attempt = finished_attempt(world, make_test(world, grace_seconds=30), student=1)
    before = timezone.now()
    grading.attempt_reopen(actor=world.tutor, attempt=attempt, reason="Power cut in the exam room", extra_minutes=15)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert attempt.finished_at is None
    assert attempt.finished_by == ""
    assert before + timedelta(minutes=15) <= attempt.deadline <= timezone.now() + timedelta(minutes=15)
    assert attempt.hard_deadline == attempt.deadline + timedelta(seconds=30)
    event = models.AttemptEvent.objects.get(attempt=attempt, kind=AttemptEventKind.REOPENED)
    assert event.detail["extra_minutes"] == 15
    assert event.detail["reason"] == "Power cut in the exam room"
    (audit,) = _events(attempt, "assessment.attempt_reopened")
    assert audit["before"]["status"] == AttemptStatus.NEEDS_GRADING
    assert audit["after"]["status"] == AttemptStatus.IN_PROGRESS
    # The student can submit it again.
    again = attempt_services.attempt_submit(attempt=attempt, actor=world.students[1].user)
    assert again.status == AttemptStatus.NEEDS_GRADING


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"reason": "", "extra_minutes": 10}, "reason"),
        ({"reason": "Power cut", "extra_minutes": 0}, "extra_minutes"),
        ({"reason": "Power cut", "extra_minutes": 601}, "extra_minutes"),
        ({"reason": "Power cut", "extra_minutes": "10"}, "extra_minutes"),
    ],
)
def test_reopen_refuses_bad_input(world, arguments, field):
    attempt = finished_attempt(world, make_test(world))
    with pytest.raises(ValidationError) as error:
        grading.attempt_reopen(actor=world.teacher, attempt=attempt, **arguments)
    assert field in error.value.message_dict
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.NEEDS_GRADING


def test_reopen_refuses_an_attempt_in_progress_and_a_second_active_one(world):
    test = make_test(world, attempts_allowed=2)
    first = finished_attempt(world, test)
    second = started_attempt(world, test, student=0)
    with pytest.raises(ValidationError, match="in progress already"):
        grading.attempt_reopen(actor=world.teacher, attempt=second, reason="x", extra_minutes=5)
    with pytest.raises(ValidationError, match="another attempt in progress"):
        grading.attempt_reopen(actor=world.teacher, attempt=first, reason="x", extra_minutes=5)
    first.refresh_from_db()
    assert first.status == AttemptStatus.NEEDS_GRADING
    assert not models.AttemptEvent.objects.filter(kind=AttemptEventKind.REOPENED).exists()


def test_reopen_only_by_those_who_grade(world):
    attempt = finished_attempt(world, make_test(world))  # the first group's student
    for who in ("tutor", "admin", "head"):
        with pytest.raises(PermissionDenied):
            grading.attempt_reopen(actor=getattr(world, who), attempt=attempt, reason="x", extra_minutes=5)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.NEEDS_GRADING
