"""A student's attempt: start, save answers, log events, submit, grade, and closing at the deadline.

The server owns the clock: the deadline is fixed at the start (the effective window of the student, see
rules/timing.py); saves are refused after `hard_deadline` (the deadline plus the test's grace period), and an
attempt past it is closed and graded when next touched (page, save, submit) and by the sweep
(`attempts_close_overdue`, Celery beat every minute).

Starting is cheap: three queries for the blueprint's rules and candidate ids (services/tests.py
`blueprint_pools`), one for the chosen questions' current versions, then the attempt, one bulk insert of its
questions and one event. Starting is logged as an AttemptEvent (audit records are for staff actions).

`answer_save` is the hot path of exam day: one conditional UPDATE that checks owner, status, deadline and
sequence number, so a race cannot store an older or a late answer (the attempt's layouts are read once per
attempt and process, `_slots`). Only a refusal costs more (finding out why, and an AttemptEvent). Answers are checked
against the attempt question's layout (which holds every id it shows), so no question data is read; a layout
without ids (made elsewhere) falls back to the version's data, cached per version id (shown versions never
change)."""

import contextlib
import hmac
import random
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from qashyq.assessment.data import (
    CLIENT_EVENTS,
    MANUAL_TYPES,
    AttemptEventKind,
    AttemptStatus,
    FinishedBy,
    IdentityCheck,
)
from qashyq.assessment.models import (
    Accommodation,
    Attempt,
    AttemptEvent,
    AttemptQuestion,
    Question,
    QuestionVersion,
    Test,
)
from qashyq.assessment.rules import drawing, grading, network, timing
from qashyq.assessment.services.tests import blueprint_pools
from qashyq.content import api as content_api
from qashyq.core.tasks import enqueue
from qashyq.gradebook import api as gradebook_api
from qashyq.gradebook.data import ResultSource


@dataclass(frozen=True)
class SaveAck:
    seq: int
    saved_at: datetime


class AnswerRefused(Exception):
    """A save that was not stored: `code` is one of not_found, closed, deadline, stale, conflict, invalid."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- The window of one student ---------------------------------------------------------------------


def student_window(test: Test, *, student_id: int) -> tuple[timing.Window, Accommodation | None]:
    """The test's window for this student, with their accommodation (one query)."""
    accommodation = Accommodation.objects.filter(test=test, student_id=student_id).first()
    window = timing.effective_window(
        opens_at=test.opens_at,
        closes_at=test.closes_at,
        time_limit_minutes=test.time_limit_minutes,
        attempts_allowed=test.attempts_allowed,
        extra_time_percent=accommodation.extra_time_percent if accommodation else 0,
        extra_attempts=accommodation.extra_attempts if accommodation else 0,
        acc_opens_at=accommodation.opens_at if accommodation else None,
        acc_closes_at=accommodation.closes_at if accommodation else None,
    )
    return window, accommodation


# --- Start -----------------------------------------------------------------------------------------


def _refuse(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _build_questions(test: Test, *, seed: int) -> list[AttemptQuestion]:
    """The attempt's questions (not saved yet) drawn by the blueprint; ValidationError when it cannot be drawn."""
    pools = [(ids, rule.count, rule.points) for rule, ids in blueprint_pools(test)]
    if not pools or sum(count for _ids, count, _points in pools) == 0:
        raise _refuse("test", _("This test has no questions yet. Tell your teacher."), "no_questions")
    try:
        ids = drawing.draw([(ids, count) for ids, count, _points in pools], seed=seed)
    except ValueError:
        raise _refuse(
            "test", _("The test's questions cannot be drawn: a bank has too few questions. Tell your teacher."), "draw"
        ) from None
    points_of: dict[int, Decimal | None] = {}
    for pool_ids, _count, points in pools:
        for question_id in pool_ids:
            points_of.setdefault(question_id, points)
    rows = {
        row[0]: row
        for row in Question.objects.filter(pk__in=ids).values_list(
            "pk", "current_id", "current__type", "current__points", "current__data"
        )
    }
    rng = random.Random(seed)  # noqa: S311 - a repeatable shuffle, not a secret
    if test.shuffle_questions:
        ids = list(ids)
        rng.shuffle(ids)
    questions = []
    for position, question_id in enumerate(ids, start=1):
        _pk, version_id, qtype, version_points, data = rows[question_id]
        points = points_of.get(question_id)
        questions.append(
            AttemptQuestion(
                position=position,
                question_id=question_id,
                version_id=version_id,
                type=qtype,
                points=points if points is not None else version_points,
                layout=drawing.layout_for(qtype, data or {}, shuffle=test.shuffle_options, rng=rng),
            )
        )
    return questions


def admission_refusal(reasons: tuple[str, ...]) -> str:
    """Why a student may not sit an exam (rule 29), in one message with every reason the gradebook gives."""
    return _("You are not admitted to this exam: %(reasons)s.") % {"reasons": "; ".join(reasons)}


def attempt_start(
    *,
    test: Test,
    user: Any,
    student_id: int,
    enrolment_id: int | None,
    ip: str,
    user_agent: str,
    access_code: str = "",
    identity: Any = None,
    now: datetime | None = None,
) -> Attempt:
    """Start an attempt, or return the student's attempt in progress. ValidationError by field ("test",
    "access_code", "ip", "identity") with a code: not_open, closed, no_attempts_left, access_code, ip,
    identity, no_questions, draw, not_admitted (the test is a course's exam and the gradebook does not admit the
    student). Nothing is stored on a refusal."""
    now = now or timezone.now()
    active = Attempt.objects.filter(test=test, student_id=student_id, status=AttemptStatus.IN_PROGRESS).first()
    if active is not None:
        if not _overdue(active, now):
            return active
        attempt_close(active, now=now)
    window, _accommodation = student_window(test, student_id=student_id)
    state = window.state(now)
    if state == "not_open":
        raise _refuse("test", _("The test is not open yet."), "not_open")
    if state == "closed":
        raise _refuse("test", _("The test is closed."), "closed")
    used = Attempt.objects.filter(test=test, student_id=student_id).count()
    if window.attempts_left(used) == 0:
        raise _refuse("test", _("You have no attempts left."), "no_attempts_left")
    admission = gradebook_api.exam_admission(item_id=test.item_id, student_id=student_id)
    if admission is not None and not admission.admitted:
        raise _refuse("test", admission_refusal(admission.reasons), "not_admitted")
    if test.access_code and not hmac.compare_digest(access_code.strip().encode(), test.access_code.strip().encode()):
        raise _refuse("access_code", _("The access code is wrong."), "access_code")
    if not network.ip_allowed(ip, test.allowed_networks):
        raise _refuse(
            "ip",
            _("This test may be taken only from the university's network; your address %(ip)s is not in it.")
            % {"ip": ip or "?"},
            "ip",
        )
    if test.identity_check != IdentityCheck.NONE and identity is None:
        message = (
            _("Take a webcam snapshot before you start.")
            if test.identity_check == IdentityCheck.WEBCAM
            else _("Upload a photo of your identity document before you start.")
        )
        raise _refuse("identity", message, "identity")
    seed = random.SystemRandom().getrandbits(62)
    questions = _build_questions(test, seed=seed)
    deadline = timing.deadline_for(window, now)
    try:
        with transaction.atomic():
            identity_file_id = ""
            if identity is not None:
                identity_file_id = content_api.file_store(upload=identity, actor=user, field="identity").id
            attempt = Attempt.objects.create(
                test=test,
                student_id=student_id,
                user=user,
                enrolment_id=enrolment_id,
                number=used + 1,
                started_at=now,
                deadline=deadline,
                hard_deadline=timing.hard_deadline_for(deadline, test.grace_seconds),
                max_points=sum((q.points for q in questions), Decimal(0)),
                ip=ip or None,
                user_agent=(user_agent or "")[:300],
                identity_file_id=identity_file_id,
                seed=seed,
            )
            for question in questions:
                question.attempt = attempt
            AttemptQuestion.objects.bulk_create(questions)
            events = [AttemptEvent(attempt=attempt, kind=AttemptEventKind.STARTED, actor=user, detail={"ip": ip})]
            if identity_file_id:
                events.append(
                    AttemptEvent(
                        attempt=attempt,
                        kind=AttemptEventKind.IDENTITY,
                        actor=user,
                        detail={"file_id": identity_file_id, "check": test.identity_check},
                    )
                )
            AttemptEvent.objects.bulk_create(events)
        _SLOTS.pop(attempt.pk, None)  # an id reused after a rollback (tests) must not find old layouts
    except IntegrityError:
        # Another request of the same student started first (assessment_one_active_attempt or the number).
        active = Attempt.objects.filter(test=test, student_id=student_id, status=AttemptStatus.IN_PROGRESS).first()
        if active is None:
            raise _refuse("test", _("The attempt could not start; try again."), "race") from None
        return active
    return attempt


# --- Saving answers (the hot path) -----------------------------------------------------------------

_VERSION_DATA: dict[int, dict[str, Any]] = {}
_VERSION_DATA_LIMIT = 10_000


def version_data(version_id: int) -> dict[str, Any]:
    """A question version's data, cached in this process (shown versions never change)."""
    data = _VERSION_DATA.get(version_id)
    if data is None:
        if len(_VERSION_DATA) >= _VERSION_DATA_LIMIT:
            _VERSION_DATA.clear()
        data = QuestionVersion.objects.filter(pk=version_id).values_list("data", flat=True).first() or {}
        _VERSION_DATA[version_id] = data
    return data


def _refused_event(attempt_id: int, user_id: int, position: int, seq: int, code: str) -> None:
    AttemptEvent.objects.create(
        attempt_id=attempt_id,
        kind=AttemptEventKind.SAVE_REFUSED,
        actor_id=user_id,
        detail={"position": position, "seq": seq, "code": code},
    )


def _past(hard_deadline: datetime | None, now: datetime) -> bool:
    return hard_deadline is not None and now >= hard_deadline


def _overdue(attempt: Attempt, now: datetime) -> bool:
    return attempt.status == AttemptStatus.IN_PROGRESS and _past(attempt.hard_deadline, now)


_SLOTS: dict[int, dict[int, tuple[str, dict[str, Any], int]]] = {}
_SLOTS_LIMIT = 20_000


def _slots(attempt_id: int, user_id: int) -> dict[int, tuple[str, dict[str, Any], int]] | None:
    """{position: (type, layout, version id)} of the user's attempt, cached in this process (an attempt's
    questions and layouts never change); None when the attempt is not theirs. One query on a miss."""
    slots = _SLOTS.get(attempt_id)
    if slots is None:
        rows = AttemptQuestion.objects.filter(attempt_id=attempt_id, attempt__user_id=user_id).values_list(
            "position", "type", "layout", "version_id"
        )
        slots = {position: (qtype, layout or {}, version_id) for position, qtype, layout, version_id in rows}
        if not slots:
            return None
        if len(_SLOTS) >= _SLOTS_LIMIT:
            _SLOTS.clear()
        _SLOTS[attempt_id] = slots
    return slots


def caches_clear() -> None:
    """Forget the cached layouts and version data (tests: ids are reused after a rollback)."""
    _SLOTS.clear()
    _VERSION_DATA.clear()


def answer_save(
    *, attempt_id: int, user_id: int, position: int, seq: int, answer: Any, now: datetime | None = None
) -> SaveAck:
    """Store the answer at `position` if `seq` is newer than the stored one; AnswerRefused otherwise (a replay
    of the stored seq with the same answer is acknowledged again).

    The answer is checked against the question's layout (cached per attempt), then one conditional UPDATE
    stores it only while the attempt is the user's, in progress, before its hard deadline and `seq` is newer
    than the stored one. Only when it matches nothing does one more query say why (a replay is acknowledged)."""
    now = now or timezone.now()
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1 or seq > 2_000_000_000:
        raise AnswerRefused("invalid", _("The save has no valid sequence number."))
    slots = _slots(attempt_id, user_id)
    slot = slots.get(position) if slots is not None else None
    if slot is None:
        raise AnswerRefused("not_found", _("There is no such question in your attempts."))
    qtype, layout, version_id = slot
    data = {} if grading.layout_is_complete(qtype, layout) else version_data(version_id)
    problem = grading.answer_problem(qtype, data, layout, answer)
    if problem is None and _store(
        attempt_id=attempt_id, user_id=user_id, position=position, seq=seq, answer=answer, now=now
    ):
        return SaveAck(seq=seq, saved_at=now)
    return _why_not(
        attempt_id=attempt_id, user_id=user_id, position=position, seq=seq, answer=answer, problem=problem, now=now
    )


# The conditional UPDATE of `answer_save` (table names from the models, every value a parameter).
_STORE_SQL = (
    f'UPDATE "{AttemptQuestion._meta.db_table}" SET "answer" = %s, "seq" = %s, "saved_at" = %s'  # noqa: S608
    f' WHERE "attempt_id" = %s AND "position" = %s AND "seq" < %s'
    f' AND EXISTS (SELECT 1 FROM "{Attempt._meta.db_table}" WHERE "id" = %s AND "user_id" = %s AND "status" = %s'
    f' AND ("hard_deadline" IS NULL OR "hard_deadline" > %s))'
)


def _store(*, attempt_id: int, user_id: int, position: int, seq: int, answer: Any, now: datetime) -> bool:
    """Store the answer unless the attempt is not the user's, not in progress, past its hard deadline, or
    `seq` is not newer than the stored one; True when stored. In SQL, not the ORM: composing this UPDATE
    (a filter across the attempt, turned into `id IN (SELECT …)`) cost about 1.7 ms of CPU per save, running
    it a fraction of that — the hot path of exam day (docs/benchmarks.md, "Exam day"). Portable SQL
    (PostgreSQL and SQLite); the values go through the fields' own adapters, as the ORM sends them."""
    connection = connections[router.db_for_write(AttemptQuestion)]
    stamp = connection.ops.adapt_datetimefield_value(now)
    value = AttemptQuestion._meta.get_field("answer").get_db_prep_save(answer, connection)
    params = [value, seq, stamp, attempt_id, position, seq, attempt_id, user_id, AttemptStatus.IN_PROGRESS.value, stamp]
    with connection.cursor() as cursor:
        cursor.execute(_STORE_SQL, params)
        return cursor.rowcount == 1


def _why_not(
    *, attempt_id: int, user_id: int, position: int, seq: int, answer: Any, problem: str | None, now: datetime
) -> SaveAck:
    """Why a save was not stored: acknowledge a replay, else log the refusal (closing an attempt past its
    deadline first) and raise it."""
    row = (
        AttemptQuestion.objects.filter(attempt_id=attempt_id, position=position, attempt__user_id=user_id)
        .values_list("seq", "answer", "saved_at", "attempt__status", "attempt__hard_deadline")
        .first()
    )
    if row is None:
        raise AnswerRefused("not_found", _("There is no such question in your attempts."))
    stored_seq, stored_answer, saved_at, status, hard_deadline = row
    if seq == stored_seq and answer == stored_answer and saved_at is not None:
        return SaveAck(seq=seq, saved_at=saved_at)  # a replay: acknowledged again, nothing changes
    if status != AttemptStatus.IN_PROGRESS:
        refusal = AnswerRefused("closed", _("This attempt is finished; answers can no longer be changed."))
    elif _past(hard_deadline, now):
        refusal = AnswerRefused("deadline", _("The time is up; the answer was not saved."))
        attempt = Attempt.objects.select_related("test").filter(pk=attempt_id).first()
        if attempt is not None:
            attempt_close(attempt, now=now)
    elif problem is not None:
        refusal = AnswerRefused("invalid", problem)
    elif seq < stored_seq:
        refusal = AnswerRefused("stale", _("A newer answer to this question is already saved."))
    else:
        refusal = AnswerRefused("conflict", _("Another answer was saved with the same number; reload the page."))
    _refused_event(attempt_id, user_id, position, seq, refusal.code)
    raise refusal


def question_flag(*, attempt: Attempt, position: int, flagged: bool) -> None:
    """Mark a question of an attempt in progress for review (or unmark it). ValidationError when finished."""
    updated = AttemptQuestion.objects.filter(
        attempt_id=attempt.pk, position=position, attempt__status=AttemptStatus.IN_PROGRESS
    ).update(flagged=flagged)
    if not updated:
        raise ValidationError(_("This attempt is finished."))


# --- Events ----------------------------------------------------------------------------------------


def _clean_detail(detail: Any) -> dict[str, Any]:
    if not isinstance(detail, dict):
        return {}
    clean: dict[str, Any] = {}
    for key, value in list(detail.items())[:5]:
        if isinstance(value, bool | int | float) or value is None:
            clean[str(key)[:30]] = value
        elif isinstance(value, str):
            clean[str(key)[:30]] = value[:200]
    return clean


def attempt_event(*, attempt_id: int, user_id: int, kind: str, detail: Any = None) -> AttemptEvent | None:
    """Log what the browser reports (tab hidden/visible, offline/reconnected) on the student's attempt in
    progress; ValidationError for another kind, Http404 for an attempt that is not theirs, None (nothing
    logged) once the attempt is finished."""
    if kind not in CLIENT_EVENTS:
        raise ValidationError({"kind": _("Unknown event.")})
    status = Attempt.objects.filter(pk=attempt_id, user_id=user_id).values_list("status", flat=True).first()
    if status is None:
        raise Http404
    if status != AttemptStatus.IN_PROGRESS:
        return None
    return AttemptEvent.objects.create(attempt_id=attempt_id, kind=kind, actor_id=user_id, detail=_clean_detail(detail))


def attempt_resumed(*, attempt: Attempt, user: Any) -> None:
    AttemptEvent.objects.create(attempt=attempt, kind=AttemptEventKind.RESUMED, actor=user)


# --- Submit, close, grade --------------------------------------------------------------------------


def attempt_locked() -> QuerySet[Attempt]:
    """Attempts read FOR UPDATE with their test: only the attempt's row is locked (`of=("self",)`), not the
    test's, which every attempt of an exam shares; locking it made the 500 submits of an exam wait for each
    other."""
    return Attempt.objects.select_for_update(of=("self",)).select_related("test")


def attempt_touch(attempt: Attempt, *, now: datetime | None = None) -> Attempt:
    """Close and grade the attempt when it is past its hard deadline (pages call this when they open it)."""
    now = now or timezone.now()
    if _overdue(attempt, now):
        return attempt_close(attempt, now=now)
    return attempt


def attempt_close(attempt: Attempt, *, now: datetime | None = None) -> Attempt:
    """Close an attempt in progress at its deadline and grade it (nothing happens to a finished one)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = attempt_locked().get(pk=attempt.pk)
        if locked.status != AttemptStatus.IN_PROGRESS:
            return locked
        locked.finished_at = min(now, locked.deadline) if locked.deadline else now
        locked.finished_by = FinishedBy.DEADLINE
        AttemptEvent.objects.create(attempt=locked, kind=AttemptEventKind.CLOSED, detail={})
        return attempt_grade(locked)


def attempt_submit(*, attempt: Attempt, actor: Any, now: datetime | None = None) -> Attempt:
    """The student finishes the attempt; it is graded at once. An attempt past its hard deadline is closed
    at the deadline instead; a finished attempt is returned as it is (a second click changes nothing)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = attempt_locked().get(pk=attempt.pk)
        if locked.status != AttemptStatus.IN_PROGRESS:
            return locked
        if _past(locked.hard_deadline, now):
            return attempt_close(locked, now=now)
        locked.finished_at = now
        locked.finished_by = FinishedBy.STUDENT
        AttemptEvent.objects.create(attempt=locked, kind=AttemptEventKind.SUBMITTED, actor=actor, detail={})
        return attempt_grade(locked)


def attempt_grade(attempt: Attempt, *, actor: Any = None) -> Attempt:
    """Score every automatic question from its saved answer with the version it showed, keep the scores of
    essays graded by a person (the others await grading), sum points and percent, set the status and, once
    nothing awaits a person, schedule the publishing of the test's result to the course (`attempt_publish`,
    after the commit). Also called by the teacher's side after manual grading and regrading (which audit their
    own changes). The attempt must be finished or being finished (finished_at set)."""
    with transaction.atomic():
        questions = list(AttemptQuestion.objects.filter(attempt=attempt).select_related("version"))
        changed = []
        total = Decimal(0)
        pending = False
        for question in questions:
            if question.type in MANUAL_TYPES:
                if question.graded_by_id is None and question.graded_at is None:
                    pending = True
                    if not question.needs_grading or question.score is not None:
                        question.needs_grading, question.score = True, None
                        changed.append(question)
                elif question.score is not None:
                    total += question.score
                continue
            share = grading.score(question.type, question.version.data or {}, question.answer) or 0.0
            value = grading.points_for(share, question.points)
            if question.score != value or question.needs_grading:
                question.score, question.needs_grading = value, False
                changed.append(question)
            total += value
        # One UPDATE per distinct (score, needs grading), usually two (right and wrong): cheaper than
        # bulk_update's CASE of every question, which was 40 % of a submit's CPU.
        alike: dict[tuple[Decimal | None, bool], list[int]] = {}
        for question in changed:
            alike.setdefault((question.score, question.needs_grading), []).append(question.pk)
        for (score, needs_grading), ids in alike.items():
            AttemptQuestion.objects.filter(pk__in=ids).update(score=score, needs_grading=needs_grading)
        attempt.points = grading.cents(total)
        attempt.max_points = sum((q.points for q in questions), Decimal(0))
        attempt.percent = grading.cents(total * 100 / attempt.max_points) if attempt.max_points else Decimal(0)
        attempt.status = AttemptStatus.NEEDS_GRADING if pending else AttemptStatus.GRADED
        publish = attempt.status == AttemptStatus.GRADED and attempt.enrolment_id is not None
        attempt.published_at = None
        attempt.save(
            update_fields=[
                "status",
                "finished_at",
                "finished_by",
                "points",
                "max_points",
                "percent",
                "published_at",
                "updated_at",
            ]
        )
        if publish:
            from qashyq.assessment.tasks import attempt_publish as publish_task

            enqueue(publish_task, attempt.pk, getattr(actor, "pk", None))
    return attempt


def attempt_publish(*, attempt_id: int, actor: Any = None, now: datetime | None = None) -> bool:
    """Pass a graded attempt's test result on to the course: the item's progress and the control measure the
    item feeds (the test's result over all the student's attempts, by its grading method). Runs after the
    grading commits (a task, so that a submit does not wait for the gradebook) and from the sweep; True when
    it published, False when there was nothing to do (not graded, not enrolled, already published)."""
    from qashyq.assessment.selectors.results import test_result

    with transaction.atomic():
        attempt = attempt_locked().filter(pk=attempt_id, status=AttemptStatus.GRADED, published_at=None).first()
        if attempt is None or attempt.enrolment_id is None:
            return False
        result = test_result(test=attempt.test, student_id=attempt.student_id)
        content_api.item_progress_record(
            item_id=attempt.test.item_id,
            enrolment_id=attempt.enrolment_id,
            score=result.percent,
            completed=True,
        )
        if result.percent is not None:
            _result_to_gradebook(attempt, result.percent, actor=actor)
        Attempt.objects.filter(pk=attempt.pk).update(published_at=now or timezone.now())
    return True


def _result_to_gradebook(attempt: Attempt, percent: Decimal, *, actor: Any) -> None:
    """Enter the test's result into the control measure it feeds. A refusal (the period is closed) must not
    undo the student's submission; the gradebook has written the refused entry into the audit ledger."""
    with contextlib.suppress(ValidationError):
        gradebook_api.record_result(
            item_id=attempt.test.item_id,
            student_id=attempt.student_id,
            score=percent,
            source=ResultSource.TEST,
            actor=actor,
        )


def attempts_publish_pending() -> int:
    """Publish every graded attempt whose result has not been passed on (its task was lost); returns how many."""
    ids = Attempt.objects.filter(status=AttemptStatus.GRADED, published_at=None, enrolment_id__isnull=False)
    return sum(attempt_publish(attempt_id=pk) for pk in ids.order_by("finished_at").values_list("pk", flat=True))


def attempts_close_overdue(*, now: datetime | None = None) -> int:
    """Close and grade every attempt in progress past its hard deadline; returns how many."""
    now = now or timezone.now()
    closed = 0
    ids = list(
        Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS, hard_deadline__lte=now).values_list("pk", flat=True)
    )
    for attempt in Attempt.objects.filter(pk__in=ids).select_related("test"):
        if attempt_close(attempt, now=now).finished_by == FinishedBy.DEADLINE:
            closed += 1
    return closed
