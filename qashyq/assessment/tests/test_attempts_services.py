"""services/attempts.py: starting (each refusal), saving (idempotent, ordered, before the deadline), events,
submitting, grading and the sweep."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.utils import timezone

from qashyq.assessment.data import AttemptEventKind, AttemptStatus, FinishedBy, QuestionType
from qashyq.assessment.models import Accommodation, Attempt, AttemptEvent, AttemptQuestion, BlueprintRule, Question
from qashyq.assessment.selectors import results
from qashyq.assessment.services import attempts as services
from qashyq.assessment.services.attempts import AnswerRefused
from qashyq.assessment.tests.helpers import RIGHT_ANSWERS, SAMPLES, exam_world, make_question, make_test
from qashyq.content.models import ItemProgress

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def world():
    services.caches_clear()
    return exam_world()


def start(world, test, *, student=0, now=None, **kwargs):
    s = world.students[student]
    options = {"ip": "10.0.0.1", "user_agent": "pytest"} | kwargs
    return services.attempt_start(
        test=test, user=s.user, student_id=s.pk, enrolment_id=world.enrolments[student].pk, now=now, **options
    )


def refusal(call) -> tuple[str, str | None]:
    with pytest.raises(ValidationError) as caught:
        call()
    ((field, errors),) = caught.value.error_dict.items()
    return field, errors[0].code


def slot(attempt, qtype):
    return AttemptQuestion.objects.get(attempt=attempt, type=qtype)


def save(attempt, position, seq, answer, *, user=None, now=None):
    return services.answer_save(
        attempt_id=attempt.pk, user_id=(user or attempt.user).pk, position=position, seq=seq, answer=answer, now=now
    )


def refused_code(call) -> str:
    with pytest.raises(AnswerRefused) as caught:
        call()
    assert caught.value.message
    return caught.value.code


# --- start ---


def test_start_draws_every_question_with_its_current_version_and_fixes_the_deadline(world):
    now = timezone.now()
    test = make_test(world, time_limit_minutes=30, grace_seconds=45, closes_at=now + timedelta(hours=2))
    attempt = start(world, test, now=now)
    assert attempt.number == 1
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert attempt.deadline == now + timedelta(minutes=30)
    assert attempt.hard_deadline == now + timedelta(minutes=30, seconds=45)
    questions = list(attempt.questions.order_by("position"))
    assert [q.position for q in questions] == list(range(1, len(SAMPLES) + 1))
    assert {q.question_id for q in questions} == {q.pk for q in world.questions.values()}
    assert all(q.version_id == world.questions[q.type].current_id for q in questions)
    assert attempt.max_points == Decimal(len(SAMPLES))
    assert [e.kind for e in attempt.events.all()] == [AttemptEventKind.STARTED]


def test_start_is_cheap(world, django_assert_max_num_queries):
    test = make_test(world)
    s = world.students[0]
    with django_assert_max_num_queries(13):  # 12, and whether the test is a course's exam (the gradebook)
        services.attempt_start(
            test=test, user=s.user, student_id=s.pk, enrolment_id=None, ip="10.0.0.1", user_agent="x"
        )


def test_the_deadline_never_passes_the_closing_time_and_accommodations_add_time(world):
    now = timezone.now()
    test = make_test(world, time_limit_minutes=60, closes_at=now + timedelta(minutes=20))
    assert start(world, test, now=now).deadline == now + timedelta(minutes=20)
    Accommodation.objects.create(
        test=test,
        student=world.students[1],
        extra_time_percent=50,
        reason="R",
        granted_by=world.teacher,
        closes_at=now + timedelta(hours=5),
    )
    assert start(world, test, student=1, now=now).deadline == now + timedelta(minutes=90)


def test_an_attempt_in_progress_is_returned_not_duplicated(world):
    test = make_test(world)
    first = start(world, test)
    assert start(world, test) == first
    assert Attempt.objects.filter(test=test).count() == 1


def test_archived_questions_and_rules_by_topic_and_difficulty(world):
    test = make_test(world, count=1)
    rule = BlueprintRule.objects.get(test=test)
    hard = make_question(world.bank, QuestionType.TRUE_FALSE, difficulty=3, category=world.category)
    make_question(world.bank, QuestionType.TRUE_FALSE, difficulty=3, category=world.category).__class__.objects.filter(
        pk=Question.objects.latest("pk").pk
    ).update(archived=True)
    rule.difficulty = 3
    rule.save()
    rule.categories.set([world.category])
    attempt = start(world, test)
    assert list(attempt.questions.values_list("question_id", flat=True)) == [hard.pk]


@pytest.mark.parametrize(
    ("options", "kwargs", "field", "code"),
    [
        ({"opens_at": timezone.now() + timedelta(days=1)}, {}, "test", "not_open"),
        ({"closes_at": timezone.now() - timedelta(minutes=1)}, {}, "test", "closed"),
        ({"access_code": "QAZAQ-26"}, {"access_code": "qazaq"}, "access_code", "access_code"),
        ({"allowed_networks": "192.168.0.0/16"}, {"ip": "10.0.0.1"}, "ip", "ip"),
        ({"identity_check": "webcam"}, {}, "identity", "identity"),
        ({"identity_check": "id_document"}, {}, "identity", "identity"),
    ],
)
def test_start_refusals_store_nothing(world, options, kwargs, field, code):
    test = make_test(world, **options)
    assert refusal(lambda: start(world, test, **kwargs)) == (field, code)
    assert not Attempt.objects.exists()
    assert not AttemptEvent.objects.exists()


def test_the_right_access_code_and_address_start(world):
    test = make_test(world, access_code="QAZAQ-26", allowed_networks="10.0.0.0/8\n2001:db8::/32")
    assert start(world, test, access_code=" QAZAQ-26 ", ip="10.1.2.3").pk


def test_no_attempts_left_then_an_extra_attempt(world):
    test = make_test(world, attempts_allowed=1)
    services.attempt_submit(attempt=start(world, test), actor=world.students[0].user)
    assert refusal(lambda: start(world, test)) == ("test", "no_attempts_left")
    Accommodation.objects.create(
        test=test, student=world.students[0], extra_attempts=1, reason="R", granted_by=world.teacher
    )
    assert start(world, test).number == 2


def test_a_blueprint_that_cannot_be_drawn_is_refused(world):
    test = make_test(world, count=50)
    assert refusal(lambda: start(world, test)) == ("test", "draw")
    BlueprintRule.objects.all().delete()
    assert refusal(lambda: start(world, test)) == ("test", "no_questions")
    assert not Attempt.objects.exists()


def test_the_identity_snapshot_is_stored_with_the_attempt(world):
    test = make_test(world, identity_check="webcam")
    attempt = start(world, test, identity=SimpleUploadedFile("snapshot.png", PNG, content_type="image/png"))
    assert attempt.identity_file_id
    assert list(attempt.events.values_list("kind", flat=True)) == ["started", "identity"]


def test_an_overdue_attempt_in_progress_is_closed_before_a_new_one_starts(world):
    now = timezone.now()
    test = make_test(world, time_limit_minutes=10, attempts_allowed=2)
    first = start(world, test, now=now)
    second = start(world, test, now=now + timedelta(minutes=20))
    first.refresh_from_db()
    assert first.status == AttemptStatus.NEEDS_GRADING
    assert first.finished_by == FinishedBy.DEADLINE
    assert second.number == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_make_one_attempt():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serializes writers; the race needs PostgreSQL")
    world = exam_world()
    test = make_test(world)
    results: list[object] = []

    def run():
        try:
            results.append(start(world, test).pk)
        except Exception as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1
    assert Attempt.objects.count() == 1


def test_a_second_start_after_a_lost_race_returns_the_same_attempt(world, monkeypatch):
    test = make_test(world, attempts_allowed=0)
    winner = start(world, test)
    # The first query of a racing request saw no attempt in progress: the insert hits the constraint.
    real_filter = Attempt.objects.filter
    calls = {"n": 0}

    def first_sees_nothing(*args, **kwargs):
        calls["n"] += 1
        result = real_filter(*args, **kwargs)
        return result.none() if calls["n"] == 1 else result

    monkeypatch.setattr(Attempt.objects, "filter", first_sees_nothing)
    assert start(world, test) == winner
    assert Attempt.objects.count() == 1


# --- save ---


@pytest.fixture
def attempt(world):
    return start(world, make_test(world, time_limit_minutes=30))


def stored(attempt, position):
    return AttemptQuestion.objects.values("answer", "seq").get(attempt=attempt, position=position)


def test_a_save_is_stored_and_acknowledged(attempt):
    ack = save(attempt, 1, 1, {"choice": "b"})
    assert ack.seq == 1
    assert ack.saved_at
    assert stored(attempt, 1) == {"answer": {"choice": "b"}, "seq": 1}
    save(attempt, 1, 5, {"choice": "a"})
    assert stored(attempt, 1) == {"answer": {"choice": "a"}, "seq": 5}
    save(attempt, 1, 6, None)
    assert stored(attempt, 1) == {"answer": None, "seq": 6}


def test_a_replay_is_acknowledged_again_and_changes_nothing(attempt):
    first = save(attempt, 1, 3, {"choice": "b"})
    again = save(attempt, 1, 3, {"choice": "b"})
    assert again == first
    assert not AttemptEvent.objects.filter(kind=AttemptEventKind.SAVE_REFUSED).exists()


@pytest.mark.parametrize(
    ("seq", "answer", "code"),
    [
        (3, {"choice": "c"}, "conflict"),
        (2, {"choice": "c"}, "stale"),
        (4, {"choice": "z"}, "invalid"),
        (4, {"choices": ["a"]}, "invalid"),
        (4, "a", "invalid"),
        (0, {"choice": "c"}, "invalid"),
        (True, {"choice": "c"}, "invalid"),
        ("4", {"choice": "c"}, "invalid"),
    ],
)
def test_refused_saves_store_nothing_and_are_logged(attempt, seq, answer, code):
    save(attempt, 1, 3, {"choice": "b"})
    assert refused_code(lambda: save(attempt, 1, seq, answer)) == code
    assert stored(attempt, 1) == {"answer": {"choice": "b"}, "seq": 3}
    if code in ("conflict", "stale") or (isinstance(seq, int) and seq > 0 and not isinstance(seq, bool)):
        event = AttemptEvent.objects.get(kind=AttemptEventKind.SAVE_REFUSED)
        assert event.detail["code"] == code
        assert event.detail["position"] == 1


def test_another_students_attempt_and_a_missing_question_are_not_found(world, attempt):
    assert refused_code(lambda: save(attempt, 1, 1, {"choice": "a"}, user=world.students[1].user)) == "not_found"
    assert refused_code(lambda: save(attempt, 99, 1, {"choice": "a"})) == "not_found"
    assert stored(attempt, 1) == {"answer": None, "seq": 0}
    assert not AttemptEvent.objects.filter(kind=AttemptEventKind.SAVE_REFUSED).exists()


def test_a_save_after_the_hard_deadline_is_refused_and_closes_and_grades_the_attempt(attempt):
    save(attempt, 1, 1, {"choice": "a"})
    within_grace = attempt.deadline + timedelta(seconds=30)
    save(attempt, 2, 1, {"choices": ["a", "b"]}, now=within_grace)
    late = attempt.hard_deadline + timedelta(seconds=1)
    assert refused_code(lambda: save(attempt, 3, 1, {"value": True}, now=late)) == "deadline"
    assert stored(attempt, 3) == {"answer": None, "seq": 0}
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.NEEDS_GRADING  # the essay awaits a person
    assert attempt.finished_by == FinishedBy.DEADLINE
    assert attempt.finished_at == attempt.deadline
    assert attempt.points == Decimal("2.00")
    assert refused_code(lambda: save(attempt, 3, 2, {"value": True})) == "closed"


def test_saves_to_a_submitted_attempt_are_refused(attempt):
    services.attempt_submit(attempt=attempt, actor=attempt.user)
    assert refused_code(lambda: save(attempt, 1, 1, {"choice": "a"})) == "closed"


def test_answer_save_queries(attempt, django_assert_num_queries):
    with django_assert_num_queries(2):  # the attempt's layouts (then cached), the UPDATE
        save(attempt, 1, 1, {"choice": "a"})
    with django_assert_num_queries(1):
        save(attempt, 1, 2, {"choice": "b"})
    with django_assert_num_queries(2):
        save(attempt, 1, 2, {"choice": "b"})  # a replay: the UPDATE matches nothing, one query says why


def test_a_layout_without_ids_is_checked_against_the_cached_version_data(attempt, django_assert_num_queries):
    AttemptQuestion.objects.filter(attempt=attempt, position=1).update(layout={})
    with django_assert_num_queries(3):
        save(attempt, 1, 1, {"choice": "a"})
    with django_assert_num_queries(1):
        save(attempt, 1, 2, {"choice": "b"})
    assert refused_code(lambda: save(attempt, 1, 3, {"choice": "zz"})) == "invalid"


def test_with_the_layouts_cached_another_student_still_gets_not_found(world, attempt):
    save(attempt, 1, 1, {"choice": "a"})
    other = world.students[1].user
    assert refused_code(lambda: save(attempt, 1, 2, {"choice": "zz"}, user=other)) == "not_found"
    assert refused_code(lambda: save(attempt, 1, 2, {"choice": "b"}, user=other)) == "not_found"
    assert stored(attempt, 1) == {"answer": {"choice": "a"}, "seq": 1}
    assert not AttemptEvent.objects.filter(kind=AttemptEventKind.SAVE_REFUSED).exists()


# --- events ---


def test_client_events_are_logged_on_the_own_attempt_only(world, attempt):
    event = services.attempt_event(
        attempt_id=attempt.pk, user_id=attempt.user_id, kind="tab_hidden", detail={"at": "x" * 500, "o": [1]}
    )
    assert event is not None
    assert event.detail == {"at": "x" * 200}
    with pytest.raises(ValidationError):
        services.attempt_event(attempt_id=attempt.pk, user_id=attempt.user_id, kind="submitted")
    with pytest.raises(Http404):
        services.attempt_event(attempt_id=attempt.pk, user_id=world.students[1].user.pk, kind="offline")
    services.attempt_submit(attempt=attempt, actor=attempt.user)
    assert services.attempt_event(attempt_id=attempt.pk, user_id=attempt.user_id, kind="offline") is None
    assert AttemptEvent.objects.filter(kind__in=["tab_hidden", "offline"]).count() == 1


# --- submit and grade ---


def answer_all(attempt, answers):
    for question in attempt.questions.all():
        if question.type in answers:
            save(attempt, question.position, 1, answers[question.type])


def test_right_answers_of_every_type_earn_full_marks_and_the_essay_waits(
    world, attempt, django_capture_on_commit_callbacks
):
    answer_all(attempt, RIGHT_ANSWERS)
    finished = services.attempt_submit(attempt=attempt, actor=attempt.user)
    assert finished.status == AttemptStatus.NEEDS_GRADING
    assert finished.finished_by == FinishedBy.STUDENT
    scores = dict(finished.questions.values_list("type", "score"))
    assert scores == {t: (None if t == QuestionType.ESSAY else Decimal("1.00")) for t in SAMPLES}
    assert finished.points == Decimal("8.00")
    assert finished.max_points == Decimal("9.00")
    assert slot(finished, QuestionType.ESSAY).needs_grading
    assert results.test_result(test=attempt.test, student_id=attempt.student_id).pending
    assert not ItemProgress.objects.exists()
    # The teacher grades the essay: then the attempt is graded and, after the commit, the course's progress
    # records it.
    AttemptQuestion.objects.filter(attempt=attempt, type=QuestionType.ESSAY).update(
        score=Decimal("0.5"), graded_by=world.teacher, graded_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True) as published:
        graded = services.attempt_grade(Attempt.objects.get(pk=attempt.pk), actor=world.teacher)
        assert not ItemProgress.objects.exists()
    assert len(published) == 1
    assert Attempt.objects.get(pk=attempt.pk).published_at is not None
    assert graded.status == AttemptStatus.GRADED
    assert graded.points == Decimal("8.50")
    assert graded.percent == Decimal("94.44")
    progress = ItemProgress.objects.get(enrolment=world.enrolments[0], item=world.item)
    assert progress.score == Decimal("94.44")
    assert progress.status == "completed"


def test_wrong_answers_earn_nothing(attempt):
    wrong = {
        QuestionType.SINGLE: {"choice": "b"},
        QuestionType.MULTIPLE: {"choices": ["c", "d"]},
        QuestionType.TRUE_FALSE: {"value": False},
        QuestionType.MATCHING: {"pairs": {"p1": "p2", "p2": "p1", "p3": "x1"}},
        QuestionType.ORDERING: {"order": ["i3", "i1", "i2"]},
        QuestionType.SHORT: {"text": "Abai"},
        QuestionType.NUMERIC: {"text": "9.9"},
        QuestionType.CLOZE: {"gaps": {"1": "Almaty", "2": "5", "3": "b"}},
    }
    answer_all(attempt, wrong)
    finished = services.attempt_submit(attempt=attempt, actor=attempt.user)
    assert finished.points == Decimal("0.00")
    assert all(s in (None, Decimal("0.00")) for s in finished.questions.values_list("score", flat=True))


def test_partial_answers_earn_their_share_of_the_points(world):
    BlueprintRule.objects.filter(test__item=world.item).delete()
    test = make_test(world)
    BlueprintRule.objects.filter(test=test).update(points=Decimal("3"))
    attempt = start(world, test)
    answer_all(
        attempt,
        {
            QuestionType.MULTIPLE: {"choices": ["a"]},
            QuestionType.MATCHING: {"pairs": {"p1": "p1", "p2": "p3", "p3": "p2"}},
            QuestionType.ORDERING: {"order": ["i1", "i3", "i2"]},
            QuestionType.CLOZE: {"gaps": {"1": "Astana", "2": "4"}},
        },
    )
    finished = services.attempt_submit(attempt=attempt, actor=attempt.user)
    scores = dict(finished.questions.values_list("type", "score"))
    assert scores[QuestionType.MULTIPLE] == Decimal("1.50")
    assert scores[QuestionType.MATCHING] == Decimal("1.00")
    assert scores[QuestionType.ORDERING] == Decimal("1.00")
    assert scores[QuestionType.CLOZE] == Decimal("2.00")
    assert finished.max_points == Decimal("27.00")


def test_a_second_submit_changes_nothing_and_a_late_submit_closes_at_the_deadline(world, attempt):
    first = services.attempt_submit(attempt=attempt, actor=attempt.user)
    again = services.attempt_submit(attempt=attempt, actor=attempt.user)
    assert again.finished_at == first.finished_at
    assert AttemptEvent.objects.filter(kind=AttemptEventKind.SUBMITTED).count() == 1
    other = start(world, attempt.test, student=1)
    late = services.attempt_submit(attempt=other, actor=other.user, now=other.hard_deadline + timedelta(seconds=1))
    assert late.finished_by == FinishedBy.DEADLINE
    assert late.finished_at == other.deadline


def test_the_sweep_closes_overdue_attempts_only(world):
    now = timezone.now()
    test = make_test(world, time_limit_minutes=10)
    overdue = start(world, test, now=now - timedelta(minutes=30))
    current = start(world, test, student=1, now=now)
    from qashyq.assessment.tasks import attempts_sweep

    assert services.attempts_close_overdue(now=now) == 1
    assert attempts_sweep() == {"closed": 0, "published": 0}  # its essay awaits a person
    overdue.refresh_from_db()
    current.refresh_from_db()
    assert overdue.status != AttemptStatus.IN_PROGRESS
    assert overdue.finished_by == FinishedBy.DEADLINE
    assert current.status == AttemptStatus.IN_PROGRESS
    assert AttemptEvent.objects.filter(attempt=overdue, kind=AttemptEventKind.CLOSED).count() == 1


def test_touching_an_overdue_attempt_closes_it(world):
    now = timezone.now()
    attempt = start(world, make_test(world, time_limit_minutes=5), now=now - timedelta(minutes=10))
    assert services.attempt_touch(attempt, now=now).status != AttemptStatus.IN_PROGRESS
    assert services.attempt_touch(attempt, now=now).status != AttemptStatus.IN_PROGRESS


def test_flags_are_set_on_attempts_in_progress_only(attempt):
    services.question_flag(attempt=attempt, position=2, flagged=True)
    assert AttemptQuestion.objects.get(attempt=attempt, position=2).flagged
    services.attempt_submit(attempt=attempt, actor=attempt.user)
    with pytest.raises(ValidationError):
        services.question_flag(attempt=attempt, position=2, flagged=False)


# --- results ---


@pytest.mark.parametrize(("method", "expected"), [("highest", "100.00"), ("last", "50.00"), ("average", "75.00")])
def test_the_result_follows_the_grading_method(world, method, expected):
    BlueprintRule.objects.all().delete()
    for q in Question.objects.exclude(type=QuestionType.TRUE_FALSE):
        q.archived = True
        q.save()
    make_question(world.bank, QuestionType.TRUE_FALSE)
    test = make_test(world, count=2, attempts_allowed=2, grading_method=method)
    first = start(world, test)
    for q in first.questions.all():
        save(first, q.position, 1, {"value": True})
    services.attempt_submit(attempt=first, actor=first.user)
    second = start(world, test)
    positions = list(second.questions.values_list("position", flat=True))
    save(second, positions[0], 1, {"value": True})
    services.attempt_submit(attempt=second, actor=second.user)
    result = results.test_result(test=test, student_id=world.students[0].pk)
    assert result.percent == Decimal(expected)
    assert result.attempts == 2
    assert not result.pending
    assert [a.number for a in results.student_attempts(test=test, student_id=world.students[0].pk)] == [1, 2]
