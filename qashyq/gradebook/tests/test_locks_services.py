"""Reopened entry windows, closed periods and change requests decided by the head: exact values, audit events,
and refusals that change nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from qashyq.academics.tests.factories import AcademicPeriodFactory
from qashyq.audit.models import Event
from qashyq.gradebook.data import ChangeStatus, Outcome
from qashyq.gradebook.models import CourseResult, EntryReopen, Grade, GradeChangeRequest, PeriodClosure
from qashyq.gradebook.services.grades import grade_enter
from qashyq.gradebook.services.locks import (
    change_request_create,
    change_request_decide,
    period_close,
    reopen_create,
)
from qashyq.gradebook.tests.factories import at, gradebook_world

D = Decimal
IN_TK1_WINDOW = at(2026, 9, 30)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return gradebook_world()


def events() -> int:
    return Event.objects.count()


def last_event() -> Event:
    return Event.objects.order_by("-seq")[0]


def tk1(world):
    return world.measures["tk1"].pk


def snapshot():
    return (
        list(EntryReopen.objects.values_list("pk", "until")),
        list(PeriodClosure.objects.values_list("pk", "period_id")),
        list(GradeChangeRequest.objects.order_by("pk").values_list("pk", "status", "score", "decided_by_id")),
        list(Grade.objects.order_by("pk").values_list("pk", "score", "changes")),
        events(),
    )


def unchanged(call, error=ValidationError, code=None):
    """Assert `call()` raises `error` (with `code`) and changes nothing at all, no audit event included."""
    before = snapshot()
    with pytest.raises(error) as caught:
        call()
    if code is not None:
        assert caught.value.code == code
    assert snapshot() == before
    return caught.value


# --- Reopening an entry window ----------------------------------------------------------------------------


def test_the_administration_reopens_a_window_for_one_student(world):
    until = timezone.now() + timedelta(days=5)
    reopen = reopen_create(
        actor=world.admin, measure_id=tk1(world), student_id=world.students[0].pk, until=until, reason=" Ауырды "
    )
    reopen.refresh_from_db()
    assert (reopen.measure_id, reopen.student_id, reopen.until, reopen.reason, reopen.created_by_id) == (
        tk1(world),
        world.students[0].pk,
        until,
        "Ауырды",
        world.admin.pk,
    )
    event = last_event()
    assert (event.action, event.target_type, event.target_id) == (
        "gradebook.entry_reopened",
        "gradebook.entryreopen",
        str(reopen.pk),
    )
    assert event.after == {"measure": tk1(world), "student": world.students[0].pk, "until": until.isoformat()}
    assert event.reason == "Ауырды"


def test_a_reopening_needs_the_administration_a_reason_and_a_future_moment(world):
    student_id = world.students[0].pk
    until = timezone.now() + timedelta(days=5)

    def reopen(actor=world.admin, **kwargs):
        values = {"measure_id": tk1(world), "student_id": student_id, "until": until, "reason": "Ауырды"} | kwargs
        return lambda: reopen_create(actor=actor, **values)

    unchanged(reopen(actor=world.teacher), PermissionDenied)
    unchanged(reopen(actor=world.head), PermissionDenied)
    unchanged(reopen(actor=world.didactics), Http404)
    unchanged(reopen(reason="  "), code="reason")
    unchanged(reopen(until=timezone.now() - timedelta(minutes=1)), code="until")
    unchanged(reopen(measure_id=999_999), Http404)
    PeriodClosure.objects.create(period=world.period, closed_by=world.admin)
    unchanged(reopen(), code="locked")


# --- Closing a period ---------------------------------------------------------------------------------


def test_closing_the_period_locks_it_and_fails_who_has_no_exam(world):
    grade_enter(
        actor=world.teacher, measure_id=tk1(world), student_id=world.students[0].pk, score=D(90), now=IN_TK1_WINDOW
    )
    closure = period_close(actor=world.admin, period_id=world.period.pk)
    assert (closure.period_id, closure.closed_by_id) == (world.period.pk, world.admin.pk)
    event = last_event()
    assert (event.action, event.target_type, event.target_id) == (
        "gradebook.period_closed",
        "gradebook.periodclosure",
        str(closure.pk),
    )
    assert event.after == {"period": world.period.pk, "courses": sorted([world.course.pk, world.other_course.pk])}
    results = CourseResult.objects.filter(course=world.course)
    assert sorted(r.student_id for r in results) == sorted(s.pk for s in world.students)
    assert {r.outcome for r in results} == {Outcome.F}


def test_the_head_closes_a_period_once(world):
    period_close(actor=world.head, period_id=world.period.pk)
    unchanged(lambda: period_close(actor=world.head, period_id=world.period.pk), code="closed")


@pytest.mark.parametrize("role", ["teacher", "tutor", "student", "didactics", "it_support", "anonymous"])
def test_who_may_not_close_a_period(world, role):
    unchanged(lambda: period_close(actor=world.user(role), period_id=world.period.pk), PermissionDenied)


def test_closing_a_missing_period(world):
    unchanged(lambda: period_close(actor=world.admin, period_id=999_999), code="period")


def test_another_period_stays_open(world):
    other = AcademicPeriodFactory.create(number=2, start_date=at(2027, 1, 15).date(), end_date=at(2027, 5, 30).date())
    period_close(actor=world.admin, period_id=other.pk)
    grade_enter(
        actor=world.teacher, measure_id=tk1(world), student_id=world.students[0].pk, score=D(90), now=IN_TK1_WINDOW
    )
    assert Grade.objects.get().score == D("90.00")


# --- Change requests --------------------------------------------------------------------------------


@pytest.fixture
def closed(world):
    """A grade of 70 on TK1 for the first student, then the period closed."""
    grade_enter(
        actor=world.teacher, measure_id=tk1(world), student_id=world.students[0].pk, score=D(70), now=IN_TK1_WINDOW
    )
    period_close(actor=world.admin, period_id=world.period.pk)
    return world


def request(world, actor=None, *, student=0, score="78", reason="Жұмыс қайта тексерілді", **kwargs):
    return change_request_create(
        actor=actor or world.teacher,
        measure_id=tk1(world),
        student_id=world.students[student].pk,
        score=D(score),
        reason=reason,
        **kwargs,
    )


def test_a_teacher_asks_to_change_a_locked_grade(closed):
    world = closed
    change = request(world)
    change.refresh_from_db()
    assert (change.measure_id, change.student_id, change.attempt, change.score, change.status) == (
        tk1(world),
        world.students[0].pk,
        1,
        D("78.00"),
        ChangeStatus.PENDING,
    )
    assert (change.reason, change.requested_by_id, change.decided_by_id) == (
        "Жұмыс қайта тексерілді",
        world.teacher.pk,
        None,
    )
    event = last_event()
    assert (event.action, event.target_type, event.target_id) == (
        "gradebook.change_requested",
        "gradebook.gradechangerequest",
        str(change.pk),
    )
    assert event.before == {"score": "70.00"}
    assert event.after == {"score": "78.00", "measure": tk1(world), "student": world.students[0].pk, "attempt": 1}
    assert Grade.objects.get().score == D("70.00")


def test_a_missing_grade_may_be_requested_too(closed):
    change = request(closed, student=1, score=D("55"))
    assert last_event().before == {"score": None}
    assert change.status == ChangeStatus.PENDING


def test_a_request_is_refused_when_it_makes_no_sense(closed):
    world = closed
    unchanged(lambda: request(world, score=D("100.5")), code="range")
    unchanged(lambda: request(world, reason=" "), code="reason")
    unchanged(lambda: request(world, score=D("70")), code="same")
    request(world)
    unchanged(lambda: request(world, score=D("80")), code="pending")


def test_a_request_while_the_period_is_open_is_refused(world):
    unchanged(lambda: request(world), code="open")


def test_a_request_needs_the_entry_rights(closed):
    world = closed
    before = events()
    with pytest.raises(PermissionDenied):
        request(world, world.tutor, student=0)
    with pytest.raises(PermissionDenied):
        request(world, world.head)
    with pytest.raises(Http404):
        request(world, world.outsider_teacher)
    assert not GradeChangeRequest.objects.exists()
    assert events() == before + 3
    assert {e.after["code"] for e in Event.objects.filter(seq__gt=before)} == {"access"}
    assert request(world, world.tutor, student=2, score=D("51")).status == ChangeStatus.PENDING


def test_an_exam_request_for_a_student_not_admitted_is_refused_and_audited(closed):
    world = closed
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        change_request_create(
            actor=world.teacher,
            measure_id=world.measures["exam"].pk,
            student_id=world.students[1].pk,
            score=D("80"),
            reason="Кешігіп тапсырды",
        )
    assert caught.value.code == "not_admitted"
    after = snapshot()
    assert after[:4] == before[:4]
    assert after[4] == before[4] + 1
    assert last_event().after["code"] == "not_admitted"


def test_the_head_approves_and_the_grade_changes(closed):
    world = closed
    change = request(world)
    decided = change_request_decide(actor=world.head, request_id=change.pk, approve=True, note=" Келісемін ")
    decided.refresh_from_db()
    assert (decided.status, decided.decided_by_id, decided.decision_note) == (
        ChangeStatus.APPROVED,
        world.head.pk,
        "Келісемін",
    )
    grade = Grade.objects.get()
    assert (grade.score, grade.changes, grade.entered_by_id) == (D("78.00"), 1, world.head.pk)
    decision, changed = Event.objects.order_by("-seq")[1], last_event()
    assert (decision.action, decision.after, decision.reason) == (
        "gradebook.change_approved",
        {"status": "approved", "note": "Келісемін"},
        "Жұмыс қайта тексерілді",
    )
    assert (changed.action, changed.target_id, changed.reason) == (
        "gradebook.grade_changed",
        str(grade.pk),
        "Жұмыс қайта тексерілді",
    )
    assert changed.before == {"score": "70.00"}
    assert changed.after == {
        "score": "78.00",
        "measure": tk1(world),
        "student": world.students[0].pk,
        "attempt": 1,
        "request": change.pk,
    }
    assert CourseResult.objects.get(course=world.course, student=world.students[0]).tk1 == D("78.00")
    unchanged(lambda: change_request_decide(actor=world.head, request_id=change.pk, approve=False), code="decided")


def test_the_head_rejects_and_nothing_changes(closed):
    world = closed
    change = request(world)
    change_request_decide(actor=world.head, request_id=change.pk, approve=False, note="Негіз жоқ")
    change.refresh_from_db()
    assert (change.status, change.decided_by_id, change.decision_note) == (
        ChangeStatus.REJECTED,
        world.head.pk,
        "Негіз жоқ",
    )
    assert (Grade.objects.get().score, Grade.objects.get().changes) == (D("70.00"), 0)
    assert last_event().action == "gradebook.change_rejected"
    # A new request may follow a decided one.
    assert request(world, score=D("72")).status == ChangeStatus.PENDING


def test_only_the_head_decides(closed):
    world = closed
    change = request(world)
    unchanged(lambda: change_request_decide(actor=world.admin, request_id=change.pk, approve=True), PermissionDenied)
    for role in ("teacher", "tutor", "student", "didactics", "it_support", "anonymous"):
        unchanged(
            lambda r=role: change_request_decide(actor=world.user(r), request_id=change.pk, approve=True), Http404
        )
    unchanged(lambda: change_request_decide(actor=world.head, request_id=999_999, approve=True), Http404)
