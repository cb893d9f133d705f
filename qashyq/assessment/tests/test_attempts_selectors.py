"""selectors/attempts.py `question_page`: one statement gives what the ORM gives (values converted the same
way on PostgreSQL and SQLite), and nothing of another user's attempt."""

import pytest

from qashyq.assessment.models import AttemptQuestion
from qashyq.assessment.selectors.attempts import attempt_slots, question_page
from qashyq.assessment.services import attempts as services
from qashyq.assessment.tests.helpers import exam_world, make_test

pytestmark = pytest.mark.django_db

QUESTION_FIELDS = ("id", "attempt_id", "version_id", "position", "type", "layout", "answer", "seq", "saved_at")


@pytest.fixture
def attempt():
    services.caches_clear()
    world = exam_world()
    test = make_test(world, time_limit_minutes=30)
    student = world.students[0]
    attempt = services.attempt_start(
        test=test, user=student.user, student_id=student.pk, enrolment_id=world.enrolments[0].pk, ip="", user_agent=""
    )
    first = AttemptQuestion.objects.get(attempt=attempt, position=1)
    services.answer_save(
        attempt_id=attempt.pk, user_id=attempt.user_id, position=1, seq=3, answer={"choice": first.layout["options"][0]}
    )
    services.question_flag(attempt=attempt, position=2, flagged=True)
    attempt.other_user = world.students[1].user
    return attempt


def test_the_page_reads_what_the_orm_reads_in_one_query(attempt, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = question_page(user_id=attempt.user_id, attempt_id=attempt.pk, position=1)
    expected = AttemptQuestion.objects.select_related("version").get(attempt=attempt, position=1)
    assert page is not None
    assert page.question is not None
    assert {f: getattr(page.question, f) for f in QUESTION_FIELDS} == {f: getattr(expected, f) for f in QUESTION_FIELDS}
    assert page.question.answer == {"choice": expected.layout["options"][0]}
    assert page.question.saved_at is not None
    assert page.question.saved_at.tzinfo is not None
    assert (page.question.version.stem, page.question.version.data) == (expected.version.stem, expected.version.data)
    assert (page.attempt.status, page.attempt.deadline, page.attempt.hard_deadline) == (
        attempt.status,
        attempt.deadline,
        attempt.hard_deadline,
    )
    assert page.slots == attempt_slots(attempt=attempt)
    assert [(s["answered"], s["flagged"]) for s in page.slots[:3]] == [(True, False), (False, True), (False, False)]


def test_another_users_attempt_reads_nothing(attempt):
    assert question_page(user_id=attempt.other_user.pk, attempt_id=attempt.pk, position=1) is None
    assert question_page(user_id=attempt.user_id, attempt_id=attempt.pk + 1000, position=1) is None
