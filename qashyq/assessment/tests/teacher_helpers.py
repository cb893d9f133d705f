"""Finished attempts for the teacher's side tests: started through the attempts' service, answered straight in
the database, then submitted (graded automatically, essays await a person)."""

from typing import Any

from qashyq.assessment.data import QuestionType
from qashyq.assessment.models import Attempt, AttemptQuestion, Test
from qashyq.assessment.services import attempts as attempt_services
from qashyq.assessment.tests.helpers import RIGHT_ANSWERS, ExamWorld


def started_attempt(world: ExamWorld, test: Test, *, student: int = 0) -> Attempt:
    """An attempt of `world.students[student]` in progress, started through the attempts' service."""
    person = world.students[student]
    return attempt_services.attempt_start(
        test=test,
        user=person.user,
        student_id=person.pk,
        enrolment_id=world.enrolments[student].pk,
        ip="127.0.0.1",
        user_agent="pytest",
    )


def finished_attempt(
    world: ExamWorld, test: Test, *, student: int = 0, answers: dict[str, Any] | None = None, right: bool = True
) -> Attempt:
    """An attempt of `world.students[student]`, answered with `answers` by question type (else every right
    answer when `right`, no answer otherwise), submitted."""
    person = world.students[student]
    attempt = started_attempt(world, test, student=student)
    given = answers if answers is not None else (dict(RIGHT_ANSWERS) if right else {})
    for slot in AttemptQuestion.objects.filter(attempt=attempt):
        if slot.type in given:
            slot.answer = given[slot.type]
            slot.seq = 1
            slot.save(update_fields=["answer", "seq"])
    return attempt_services.attempt_submit(attempt=attempt, actor=person.user)


def essay_slot(attempt: Attempt) -> AttemptQuestion:
    return AttemptQuestion.objects.select_related("attempt", "version").get(attempt=attempt, type=QuestionType.ESSAY)
