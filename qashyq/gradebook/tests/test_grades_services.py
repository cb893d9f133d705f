"""Entering grades (grade_enter), the system's feed (grade_record_result) and control measures: exact values,
the audit events, and refusals that change nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from qashyq.audit.models import Event
from qashyq.content.data import ItemKind
from qashyq.content.tests.factories import CourseFactory, ItemFactory, SectionFactory
from qashyq.gradebook import api as gradebook_api
from qashyq.gradebook.data import Outcome, RatingPart, ResultSource
from qashyq.gradebook.models import ControlMeasure, CourseResult, EntryReopen, Grade, PeriodClosure
from qashyq.gradebook.services.grades import (
    grade_enter,
    grade_record_result,
    measure_create,
    measure_delete,
    measure_update,
)
from qashyq.gradebook.tests.factories import at, enrol, gradebook_world
from qashyq.records.data import StudentStatus
from qashyq.records.tests.student_helpers import make_student

D = Decimal
# TK1 is held in week 4: its column is open from the start until 9 October 2026, 00:00 (10 days after the
# week ends on 28 September).
IN_TK1_WINDOW = at(2026, 9, 30)
TK1_CLOSES = at(2026, 10, 9, 0)
# The exam is held on 26 December 2026 at 10:00; its column is open until 5 January 2027, 10:00.
AFTER_EXAM = at(2026, 12, 27)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return gradebook_world()


def events() -> int:
    return Event.objects.count()


def last_event() -> Event:
    return Event.objects.order_by("-seq")[0]


def grade_row(world, key="tk1", student=0, attempt=1):
    return (
        Grade.objects.filter(measure=world.measures[key], student=world.students[student], attempt=attempt)
        .values_list("score", "changes", "entered_by_id", "entered_at", "source")
        .first()
    )


def enter(world, actor, score, *, key="tk1", student=0, now=IN_TK1_WINDOW, **kwargs):
    return grade_enter(
        actor=actor,
        measure_id=world.measures[key].pk,
        student_id=world.students[student].pk,
        score=score,
        now=now,
        **kwargs,
    )


def refused(world, actor, score, code, *, audited, key="tk1", student=0, attempt=1, **kwargs):
    """Assert that the entry is refused with `code` and changes nothing but (when `audited`) one refusal event."""
    before_row = grade_row(world, key, student, attempt)
    before_events = events()
    with pytest.raises(ValidationError) as caught:
        enter(world, actor, score, key=key, student=student, attempt=attempt, **kwargs)
    assert caught.value.code == code
    assert grade_row(world, key, student, attempt) == before_row
    if audited:
        assert events() == before_events + 1
        event = last_event()
        assert event.action == "gradebook.grade_refused"
        assert (event.target_type, event.target_id) == ("gradebook.controlmeasure", str(world.measures[key].pk))
        assert event.after["code"] == code
        assert event.after["student"] == world.students[student].pk
    else:
        assert events() == before_events
    return caught.value


def admit(world, student=0, score="60"):
    """Grade every current and midterm measure of the student (admission rating = score)."""
    for key in ("tk1", "rk1", "tk2", "rk2"):
        enter(world, world.admin, D(score), key=key, student=student, now=AFTER_EXAM)


# --- Entering and changing -------------------------------------------------------------------------


def test_the_teacher_enters_a_grade_with_who_and_when(world):
    before = events()
    grade = enter(world, world.teacher, D("87.5"))
    assert grade_row(world) == (D("87.50"), 0, world.teacher.pk, IN_TK1_WINDOW, ResultSource.MANUAL)
    assert grade.score == D("87.50")
    assert events() == before + 1
    event = last_event()
    assert event.action == "gradebook.grade_entered"
    assert (event.target_type, event.target_id) == ("gradebook.grade", str(grade.pk))
    assert (event.actor_id, event.before, event.reason) == (world.teacher.pk, {}, "")
    assert event.after == {
        "score": "87.50",
        "measure": world.measures["tk1"].pk,
        "student": world.students[0].pk,
        "attempt": 1,
    }


def test_an_entry_refreshes_the_students_result(world):
    enter(world, world.teacher, D("87.5"))
    result = CourseResult.objects.get(course=world.course, student=world.students[0])
    assert result.tk1 == D("87.50")
    assert not CourseResult.objects.filter(course=world.course, student=world.students[1]).exists()


def test_a_tutor_enters_for_a_student_of_their_group(world):
    enter(world, world.tutor, D("64"), student=2, ip="10.0.0.7")
    assert grade_row(world, student=2)[:3] == (D("64.00"), 0, world.tutor.pk)
    assert last_event().ip == "10.0.0.7"


def test_a_change_needs_a_reason_and_keeps_before_and_after(world):
    grade = enter(world, world.teacher, D("70"))
    refused(world, world.teacher, D("75"), "reason", audited=False)
    refused(world, world.teacher, D("75"), "reason", audited=False, reason="   ")

    later = IN_TK1_WINDOW + timedelta(days=1)
    changed = enter(world, world.teacher, D("75"), now=later, reason="  Қате енгізілді ")
    assert changed.pk == grade.pk
    assert grade_row(world) == (D("75.00"), 1, world.teacher.pk, later, ResultSource.MANUAL)
    event = last_event()
    assert event.action == "gradebook.grade_changed"
    assert (event.target_type, event.target_id) == ("gradebook.grade", str(grade.pk))
    assert event.before == {"score": "70.00"}
    assert event.after["score"] == "75.00"
    assert event.reason == "Қате енгізілді"

    enter(world, world.admin, D("80"), now=later, reason="Апелляция")
    assert grade_row(world)[:3] == (D("80.00"), 2, world.admin.pk)


def test_the_same_score_again_changes_nothing(world):
    enter(world, world.teacher, D("70"))
    before = events()
    again = enter(world, world.teacher, D("70.00"), now=IN_TK1_WINDOW + timedelta(days=2))
    assert again.score == D("70.00")
    assert grade_row(world) == (D("70.00"), 0, world.teacher.pk, IN_TK1_WINDOW, ResultSource.MANUAL)
    assert events() == before


@pytest.mark.parametrize("score", ["-1", "100.01", "87.555", "NaN", "Infinity", "abc", "", None, True])
def test_a_score_outside_0_100_is_refused(world, score):
    refused(world, world.teacher, score, "range", audited=False)
    assert not Grade.objects.exists()


def test_a_bad_score_leaves_an_existing_grade_alone(world):
    enter(world, world.teacher, D("70"))
    error = refused(world, world.teacher, D("101"), "range", audited=False, reason="typo")
    assert error.messages == ["A score is a number from 0 to 100 with at most two decimals."]


@pytest.mark.parametrize("score", ["0", "100", "0.01", "99.99"])
def test_the_boundaries_of_the_scale_are_accepted(world, score):
    enter(world, world.teacher, D(score))
    assert grade_row(world)[0] == D(score)


# --- Rights -------------------------------------------------------------------------------------------


def _refused_access(world, actor, error, *, student=0):
    before = events()
    with pytest.raises(error):
        enter(world, actor, D("90"), student=student)
    assert not Grade.objects.exists()
    assert events() == before + 1
    event = last_event()
    assert event.action == "gradebook.grade_refused"
    assert event.after == {
        "score": "90",
        "measure": world.measures["tk1"].pk,
        "student": world.students[student].pk,
        "attempt": 1,
        "code": "access",
    }


def test_a_tutor_of_another_group_is_refused_and_audited(world):
    _refused_access(world, world.tutor, PermissionDenied, student=0)
    assert last_event().actor_id == world.tutor.pk


def test_the_head_reads_but_does_not_enter(world):
    _refused_access(world, world.head, PermissionDenied)


@pytest.mark.parametrize("role", ["outsider_teacher", "outsider_tutor", "student", "didactics", "it_support"])
def test_who_does_not_see_the_course_gets_404_and_an_event(world, role):
    _refused_access(world, world.user(role), Http404)


def test_a_forged_measure_or_student_is_404(world):
    with pytest.raises(Http404):
        grade_enter(actor=world.teacher, measure_id=999_999, student_id=world.students[0].pk, score=D(1))
    with pytest.raises(Http404):
        grade_enter(actor=world.teacher, measure_id=world.measures["tk1"].pk, student_id=999_999, score=D(1))
    assert not Grade.objects.exists()


def test_a_student_not_enrolled_is_refused(world):
    stranger = make_student(world.students[0].programme, group=world.groups[0], status=StudentStatus.ACTIVE)
    before = events()
    with pytest.raises(ValidationError) as caught:
        grade_enter(actor=world.teacher, measure_id=world.measures["tk1"].pk, student_id=stranger.pk, score=D(50))
    assert caught.value.code == "not_enrolled"
    assert not Grade.objects.exists()
    assert events() == before + 1
    assert last_event().after["code"] == "not_enrolled"


# --- Locks and windows -----------------------------------------------------------------------------


def test_a_closed_period_locks_its_grades(world):
    enter(world, world.teacher, D("70"))
    PeriodClosure.objects.create(period=world.period, closed_by=world.admin)
    error = refused(world, world.teacher, D("75"), "locked", audited=True, reason="Қате")
    assert "ask the head" in error.messages[0]
    refused(world, world.admin, D("75"), "locked", audited=True, reason="Қате")
    refused(world, world.teacher, D("75"), "locked", audited=True, student=1)


def test_the_column_closes_after_the_window(world):
    enter(world, world.teacher, D("70"), now=TK1_CLOSES)
    refused(world, world.teacher, D("71"), "window", audited=True, student=1, now=TK1_CLOSES + timedelta(seconds=1))
    refused(
        world,
        world.teacher,
        D("71"),
        "window",
        audited=True,
        now=TK1_CLOSES + timedelta(days=3),
        reason="Апелляция",
    )


def test_a_column_with_a_due_moment_closes_ten_days_after_it(world):
    closes = at(2026, 11, 3, 12)  # RK1 due 24 October 12:00
    enter(world, world.tutor, D("55"), key="rk1", student=2, now=closes)
    refused(
        world, world.tutor, D("55"), "window", audited=True, key="rk1", student=3, now=closes + timedelta(minutes=1)
    )


def test_the_administration_service_is_not_bound_by_the_window(world):
    late = at(2027, 1, 20)
    enter(world, world.admin, D("66"), now=late)
    assert grade_row(world)[:3] == (D("66.00"), 0, world.admin.pk)


def test_a_reopening_lets_the_teacher_enter_for_that_student_only(world):
    late = at(2026, 10, 15)
    EntryReopen.objects.create(
        measure=world.measures["tk1"],
        student=world.students[0],
        until=at(2026, 10, 20),
        reason="Ауырып қалды",
        created_by=world.admin,
    )
    enter(world, world.teacher, D("77"), now=late)
    assert grade_row(world)[0] == D("77.00")
    refused(world, world.teacher, D("77"), "window", audited=True, student=1, now=late)
    refused(world, world.teacher, D("78"), "window", audited=True, now=at(2026, 10, 20, 12, 1), reason="Қате")


# --- The exam: admission and the FX retake ------------------------------------------------------------


def test_an_exam_grade_for_a_student_not_admitted_is_refused(world):
    error = refused(world, world.teacher, D("80"), "not_admitted", audited=True, key="exam", now=AFTER_EXAM)
    assert "not admitted" in error.messages[0]
    admit(world, student=1, score="40")  # every measure graded, but the rating 40 is below 50
    refused(world, world.admin, D("80"), "not_admitted", audited=True, key="exam", student=1, now=AFTER_EXAM)


def test_an_admitted_student_gets_the_exam_grade(world):
    admit(world)
    enter(world, world.teacher, D("80"), key="exam", now=AFTER_EXAM)
    result = CourseResult.objects.get(course=world.course, student=world.students[0])
    assert (result.admission, result.exam, result.final, result.letter) == (D("60.00"), D("80.00"), D("68.00"), "C")


def test_the_fx_retake_is_attempt_two(world):
    admit(world)
    enter(world, world.teacher, D("30"), key="exam", now=AFTER_EXAM)
    assert CourseResult.objects.get(course=world.course, student=world.students[0]).outcome == Outcome.FX
    retake_day = AFTER_EXAM + timedelta(days=14)  # the window counts from the first sitting's grade
    retake = enter(world, world.teacher, D("70"), key="exam", attempt=2, now=retake_day)
    assert (retake.attempt, retake.score) == (2, D("70.00"))
    assert last_event().after["attempt"] == 2
    result = CourseResult.objects.get(course=world.course, student=world.students[0])
    assert (result.exam, result.exam_attempt, result.final, result.outcome) == (D("70.00"), 2, D("64.00"), "passed")
    # The retake already graded may be corrected, with a reason.
    enter(world, world.teacher, D("72"), key="exam", attempt=2, now=retake_day, reason="Қате")
    assert grade_row(world, "exam", 0, 2)[:2] == (D("72.00"), 1)


def test_a_retake_only_after_fx_of_the_exam_and_in_its_window(world):
    admit(world, student=0)
    admit(world, student=1)
    enter(world, world.teacher, D("80"), key="exam", student=0, now=AFTER_EXAM)
    enter(world, world.teacher, D("30"), key="exam", student=1, now=AFTER_EXAM)
    # Passed: nothing to retake. No first sitting: nothing to retake. Not the exam. Not attempt 1 or 2.
    refused(world, world.teacher, D("90"), "retake", audited=True, key="exam", student=0, attempt=2, now=AFTER_EXAM)
    refused(world, world.teacher, D("90"), "retake", audited=True, key="tk1", student=1, attempt=2, now=AFTER_EXAM)
    refused(world, world.teacher, D("90"), "retake", audited=True, key="exam", student=1, attempt=3, now=AFTER_EXAM)
    # The window of 14 days from the first sitting's grade has passed for the teacher, not for the administration.
    too_late = AFTER_EXAM + timedelta(days=14, seconds=1)
    refused(world, world.teacher, D("60"), "retake", audited=True, key="exam", student=1, attempt=2, now=too_late)
    enter(world, world.admin, D("60"), key="exam", student=1, attempt=2, now=too_late)
    assert grade_row(world, "exam", 1, 2)[0] == D("60.00")


def test_no_retake_without_a_first_sitting(world):
    admit(world, student=2)
    refused(world, world.teacher, D("60"), "retake", audited=True, key="exam", student=2, attempt=2, now=AFTER_EXAM)


# --- The system's feed ----------------------------------------------------------------------------------


@pytest.fixture
def fed(world):
    """TK1 takes the results of a test item of the course."""
    item = ItemFactory.create(
        section=SectionFactory.create(course=world.course), course=world.course, kind=ItemKind.TEST
    )
    ControlMeasure.objects.filter(pk=world.measures["tk1"].pk).update(item=item)
    world.extra["item"] = item
    return world


def test_a_result_is_recorded_by_the_system(fed):
    world = fed
    data = gradebook_api.record_result(
        item_id=world.extra["item"].pk, student_id=world.students[0].pk, score=D("91.5"), source="test"
    )
    assert (data.measure_id, data.student_id, data.attempt, data.score, data.source) == (
        world.measures["tk1"].pk,
        world.students[0].pk,
        1,
        D("91.50"),
        ResultSource.TEST,
    )
    row = grade_row(world)
    assert (row[0], row[1], row[2], row[4]) == (D("91.50"), 0, None, ResultSource.TEST)
    event = last_event()
    assert (event.action, event.actor_id, event.actor_label) == ("gradebook.grade_entered", None, "system")
    assert event.after == {
        "score": "91.50",
        "measure": world.measures["tk1"].pk,
        "student": world.students[0].pk,
        "attempt": 1,
        "source": "test",
    }
    assert CourseResult.objects.get(course=world.course, student=world.students[0]).tk1 == D("91.50")

    before = events()
    grade_record_result(
        item_id=world.extra["item"].pk, student_id=world.students[0].pk, score=D("91.50"), source=ResultSource.TEST
    )
    assert events() == before
    grade_record_result(
        item_id=world.extra["item"].pk, student_id=world.students[0].pk, score=D("95"), source=ResultSource.TEST
    )
    assert grade_row(world)[:2] == (D("95.00"), 1)
    event = last_event()
    assert (event.action, event.before, event.reason) == (
        "gradebook.grade_changed",
        {"score": "91.50"},
        "New result: Test",
    )


def test_a_result_nobody_takes_is_none(fed):
    world = fed
    other = ItemFactory.create(section=SectionFactory.create(course=world.course), course=world.course)
    stranger = make_student(world.students[0].programme, group=world.groups[0], status=StudentStatus.ACTIVE)
    before = events()
    assert grade_record_result(item_id=other.pk, student_id=world.students[0].pk, score=D(50), source="test") is None
    assert (
        grade_record_result(item_id=world.extra["item"].pk, student_id=stranger.pk, score=D(50), source="test") is None
    )
    assert not Grade.objects.exists()
    assert events() == before


def test_a_result_is_refused_for_a_bad_score_and_a_closed_period(fed):
    world = fed
    item_id, student_id = world.extra["item"].pk, world.students[0].pk
    before = events()
    with pytest.raises(ValidationError) as caught:
        grade_record_result(item_id=item_id, student_id=student_id, score=D("100.5"), source="test")
    assert caught.value.code == "range"
    assert events() == before
    PeriodClosure.objects.create(period=world.period, closed_by=world.admin)
    with pytest.raises(ValidationError) as caught:
        grade_record_result(item_id=item_id, student_id=student_id, score=D("90"), source="test")
    assert caught.value.code == "locked"
    assert not Grade.objects.exists()
    assert events() == before + 1
    assert last_event().after["code"] == "locked"


def test_an_exam_result_after_fx_goes_to_the_retake(world):
    item = ItemFactory.create(
        section=SectionFactory.create(course=world.course), course=world.course, kind=ItemKind.TEST
    )
    ControlMeasure.objects.filter(pk=world.measures["exam"].pk).update(item=item)
    admit(world)
    first = grade_record_result(item_id=item.pk, student_id=world.students[0].pk, score=D("30"), source="test")
    assert (first.attempt, first.score) == (1, D("30.00"))
    retake = grade_record_result(item_id=item.pk, student_id=world.students[0].pk, score=D("75"), source="test")
    assert (retake.attempt, retake.score) == (2, D("75.00"))
    assert grade_row(world, "exam", 0, 1)[0] == D("30.00")


# --- Control measures -----------------------------------------------------------------------------------


def _measure_state():
    return list(ControlMeasure.objects.order_by("pk").values_list("pk", "name_kk", "weight", "part", "due_at"))


def test_a_teacher_creates_a_measure(world):
    before = events()
    measure = measure_create(
        actor=world.teacher,
        course_id=world.course.pk,
        name_kk="Эссе",
        kind="essay",
        part=RatingPart.TK2,
        weight=D("2"),
        due_at=at(2026, 11, 20),
        pass_points=D("40"),
    )
    measure.refresh_from_db()
    assert (measure.course_id, measure.kind, measure.part, measure.weight, measure.pass_points) == (
        world.course.pk,
        "essay",
        "tk2",
        D("2.00"),
        D("40.00"),
    )
    assert (measure.required, measure.late_allowed, measure.mode, measure.week) == (True, True, "online", None)
    assert events() == before + 1
    event = last_event()
    assert (event.action, event.target_type, event.target_id) == (
        "gradebook.measure_created",
        "gradebook.controlmeasure",
        str(measure.pk),
    )
    assert event.after["name_kk"] == "Эссе"
    assert event.after["weight"] == "2"


def _refused_measure(world, actor, error, code=None, **fields):
    state, before = _measure_state(), events()
    values = {"name_kk": "Бақылау", "kind": "control_work", "part": "rk1"} | fields
    with pytest.raises(error) as caught:
        measure_create(actor=actor, course_id=world.course.pk, **values)
    if code is not None:
        assert code in {e.code for errors in caught.value.error_dict.values() for e in errors}
    assert _measure_state() == state
    assert events() == before
    return caught.value


def test_a_measure_due_outside_the_period_is_refused(world):
    error = _refused_measure(world, world.teacher, ValidationError, "due", due_at=at(2027, 1, 15))
    assert error.error_dict["due_at"][0].messages == [
        "The due date must fall inside the course's academic period, 01.09.2026 – 30.12.2026."
    ]
    _refused_measure(world, world.teacher, ValidationError, "due", due_at=at(2026, 8, 31, 23, 59))


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"name_kk": "  "}, "name"),
        ({"kind": "quiz"}, "kind"),
        ({"part": "r3"}, "part"),
        ({"mode": "fax"}, "mode"),
        ({"week": 0}, "week"),
        ({"week": 19}, "week"),
        ({"weight": D("0")}, "weight"),
        ({"weight": D("1000")}, "weight"),
        ({"pass_points": D("101")}, "pass_points"),
        ({"part": "exam"}, "exam"),
    ],
)
def test_bad_measure_values_are_refused(world, fields, code):
    _refused_measure(world, world.teacher, ValidationError, code, **fields)


def test_the_item_must_be_of_the_course(world):
    foreign = ItemFactory.create(section=SectionFactory.create(course=world.other_course), course=world.other_course)
    _refused_measure(world, world.teacher, ValidationError, "item", item_id=foreign.pk)
    own = ItemFactory.create(section=SectionFactory.create(course=world.course), course=world.course)
    measure = measure_create(
        actor=world.teacher, course_id=world.course.pk, name_kk="Тест", kind="test", part="tk1", item_id=own.pk
    )
    assert measure.item_id == own.pk


def test_who_may_not_manage_measures(world):
    _refused_measure(world, world.tutor, PermissionDenied)
    _refused_measure(world, world.head, PermissionDenied)
    for role in ("outsider_teacher", "student", "didactics", "anonymous"):
        _refused_measure(world, world.user(role), Http404)
    measure_create(actor=world.admin, course_id=world.course.pk, name_kk="Реферат", kind="abstract", part="tk1")
    with pytest.raises(TypeError):
        measure_create(actor=world.admin, course_id=world.course.pk, name_kk="X", kind="test", part="tk1", course_id2=1)


def test_measures_of_a_closed_period_do_not_change(world):
    PeriodClosure.objects.create(period=world.period, closed_by=world.admin)
    state, before = _measure_state(), events()
    with pytest.raises(ValidationError) as caught:
        measure_create(actor=world.teacher, course_id=world.course.pk, name_kk="X", kind="test", part="tk1")
    assert caught.value.code == "locked"
    with pytest.raises(ValidationError):
        measure_update(actor=world.teacher, measure_id=world.measures["tk1"].pk, weight=D("3"))
    with pytest.raises(ValidationError):
        measure_delete(actor=world.teacher, measure_id=world.measures["tk1"].pk)
    assert _measure_state() == state
    assert events() == before


def test_a_measure_update_records_only_what_changed(world):
    measure = world.measures["rk1"]
    before = events()
    measure_update(actor=world.teacher, measure_id=measure.pk, weight=D("1.5"), name_kk="RK1")
    measure.refresh_from_db()
    assert measure.weight == D("1.50")
    assert events() == before + 1
    event = last_event()
    assert event.action == "gradebook.measure_updated"
    assert (event.before, event.after) == ({"weight": "1.00"}, {"weight": "1.50"})
    measure_update(actor=world.teacher, measure_id=measure.pk, weight=D("1.50"))
    assert events() == before + 1


def test_a_graded_measure_keeps_its_part_and_is_not_deleted(world):
    enter(world, world.teacher, D("70"))
    tk1 = world.measures["tk1"]
    state, before = _measure_state(), events()
    with pytest.raises(ValidationError) as caught:
        measure_update(actor=world.teacher, measure_id=tk1.pk, part="tk2")
    assert caught.value.error_dict["part"][0].code == "graded"
    with pytest.raises(ValidationError) as caught:
        measure_delete(actor=world.teacher, measure_id=tk1.pk)
    assert caught.value.code == "graded"
    assert _measure_state() == state
    assert events() == before


def test_an_ungraded_measure_is_deleted_with_an_event(world):
    tk2 = world.measures["tk2"]
    measure_delete(actor=world.teacher, measure_id=tk2.pk)
    assert not ControlMeasure.objects.filter(pk=tk2.pk).exists()
    event = last_event()
    assert (event.action, event.target_id, event.after) == ("gradebook.measure_deleted", str(tk2.pk), {})
    assert event.before["name_kk"] == "TK2"
    with pytest.raises(Http404):
        measure_delete(actor=world.teacher, measure_id=tk2.pk)


def test_the_system_creates_measures_of_any_course(world):
    course = CourseFactory.create(period=world.period)
    measure = measure_create(actor=None, course_id=course.pk, name_kk="Емтихан", kind="exam", part="exam")
    assert last_event().actor_label == "system"
    assert measure.course_id == course.pk
    with pytest.raises(ValidationError):
        measure_create(actor=None, course_id=999_999, name_kk="X", kind="exam", part="exam")


def test_an_enrolment_in_another_course_does_not_count(world):
    stranger = make_student(world.students[0].programme, group=world.groups[0], status=StudentStatus.ACTIVE)
    enrol(world.other_course, stranger)
    with pytest.raises(ValidationError) as caught:
        grade_enter(actor=world.admin, measure_id=world.measures["tk1"].pk, student_id=stranger.pk, score=D(50))
    assert caught.value.code == "not_enrolled"
