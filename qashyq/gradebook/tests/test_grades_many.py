"""Entering a column at once (grade_enter_many): the same grades, events and refusals as grade_enter student by
student, all or nothing, and a fixed number of queries whatever the number of students."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from qashyq.audit.models import Event
from qashyq.audit.tests.helpers import LEDGER_LOCK
from qashyq.gradebook.models import CourseResult, EntryReopen, Grade, PeriodClosure
from qashyq.gradebook.services.grades import grade_enter, grade_enter_many
from qashyq.gradebook.tests.factories import at, gradebook_world
from qashyq.gradebook.tests.journal_helpers import large_journal
from qashyq.records.data import StudentStatus
from qashyq.records.tests.student_helpers import make_student

D = Decimal
IN_WINDOW = at(2026, 9, 30)  # TK1 and RK1 both take grades
TK1_CLOSES = at(2026, 10, 9, 0)
AFTER_EXAM = at(2026, 12, 27)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return gradebook_world()


def rows(measure):
    """{student id: (score, changes, entered by, entered at, source)} of a measure's first attempts."""
    grades = Grade.objects.filter(measure=measure, attempt=1)
    return {g.student_id: (g.score, g.changes, g.entered_by_id, g.entered_at, g.source) for g in grades}


def grade_events(measure):
    """The grade events of a measure's grades, as (student, action, before, after without the measure, reason,
    actor), in ledger order."""
    found = []
    grades = dict(Grade.objects.filter(measure=measure).values_list("pk", "student_id"))
    for event in Event.objects.filter(target_type="gradebook.grade").order_by("seq"):
        if int(event.target_id) in grades:
            after = {key: value for key, value in event.after.items() if key != "measure"}
            assert event.after["measure"] == measure.pk
            assert event.after["student"] == grades[int(event.target_id)]
            found.append((after["student"], event.action, event.before, after, event.reason, event.actor_id))
    return found


def many(world, actor, scores, *, key="tk1", now=IN_WINDOW, **kwargs):
    return grade_enter_many(
        actor=actor,
        measure_id=world.measures[key].pk,
        scores={world.students[n].pk if isinstance(n, int) else n.pk: score for n, score in scores.items()},
        now=now,
        **kwargs,
    )


def refusals(caught) -> dict[int, str]:
    """{student id: code} of a batch's ValidationError."""
    return {int(key): errors[0].code for key, errors in caught.value.error_dict.items()}


def refusal_events(before_seq=0):
    return [
        (e.after["student"], e.after["code"])
        for e in Event.objects.filter(action="gradebook.grade_refused", seq__gt=before_seq).order_by("seq")
    ]


def last_seq() -> int:
    return Event.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


# --- The same as one by one ------------------------------------------------------------------------------


def test_a_column_at_once_writes_what_one_by_one_writes(world):
    first = {0: D("87.5"), 1: D("70"), 2: D("64"), 3: D("100")}
    # TK1 one by one, RK1 at once, at the same moment and by the same teacher.
    for n, score in first.items():
        grade_enter(
            actor=world.teacher,
            measure_id=world.measures["tk1"].pk,
            student_id=world.students[n].pk,
            score=score,
            now=IN_WINDOW,
        )
    grades = many(world, world.teacher, first, key="rk1")
    assert [g.student_id for g in grades] == [s.pk for s in world.students]
    assert [g.score for g in grades] == [D("87.50"), D("70.00"), D("64.00"), D("100.00")]
    assert rows(world.measures["rk1"]) == rows(world.measures["tk1"])
    assert grade_events(world.measures["rk1"]) == grade_events(world.measures["tk1"])
    assert len(grade_events(world.measures["rk1"])) == 4

    # Changes with a reason, one score the same again (skipped: no event, no change), by the administration.
    later = IN_WINDOW + timedelta(days=1)
    second = {0: D("90"), 1: D("70.00"), 2: D("65.5"), 3: D("99")}
    for n, score in second.items():
        grade_enter(
            actor=world.admin,
            measure_id=world.measures["tk1"].pk,
            student_id=world.students[n].pk,
            score=score,
            reason=" Апелляция ",
            ip="10.0.0.9",
            now=later,
        )
    before = last_seq()
    changed = many(world, world.admin, second, key="rk1", reason=" Апелляция ", ip="10.0.0.9", now=later)
    assert [g.score for g in changed] == [D("90.00"), D("70.00"), D("65.50"), D("99.00")]
    assert rows(world.measures["rk1"]) == rows(world.measures["tk1"])
    assert rows(world.measures["rk1"])[world.students[1].pk][1:4] == (0, world.teacher.pk, IN_WINDOW)
    assert rows(world.measures["rk1"])[world.students[0].pk][1:4] == (1, world.admin.pk, later)
    assert grade_events(world.measures["rk1"]) == grade_events(world.measures["tk1"])
    new_events = Event.objects.filter(seq__gt=before).order_by("seq")
    assert [e.action for e in new_events] == ["gradebook.grade_changed"] * 3
    assert {e.ip for e in new_events} == {"10.0.0.9"}
    assert new_events[0].before == {"score": "87.50"}


def test_the_results_are_refreshed_once_for_the_changed_students(world):
    many(world, world.teacher, {0: D("80"), 2: D("60")})
    results = dict(CourseResult.objects.filter(course=world.course).values_list("student_id", "tk1"))
    assert results == {world.students[0].pk: D("80.00"), world.students[2].pk: D("60.00")}


def test_the_same_scores_again_change_nothing(world):
    first = many(world, world.teacher, {0: D("80"), 1: D("60")})
    before = last_seq()
    again = many(world, world.teacher, {0: D("80.00"), 1: D("60")}, now=IN_WINDOW + timedelta(days=1))
    assert [g.pk for g in again] == [g.pk for g in first]
    assert last_seq() == before
    assert {r[3] for r in rows(world.measures["tk1"]).values()} == {IN_WINDOW}


def test_no_scores_enter_nothing(world):
    assert many(world, world.teacher, {}) == []
    assert not Grade.objects.exists()
    assert not Event.objects.filter(target_type="gradebook.grade").exists()


# --- All or nothing ---------------------------------------------------------------------------------------


def test_one_refused_student_refuses_the_whole_column(world):
    many(world, world.teacher, {0: D("50")})
    stranger = make_student(world.students[0].programme, group=world.groups[0], status=StudentStatus.ACTIVE)
    grades_before = rows(world.measures["tk1"])
    before = last_seq()
    with pytest.raises(ValidationError) as caught:
        many(world, world.teacher, {0: D("55"), 1: D("70"), stranger: D("80"), 3: D("101")}, reason="Қате")
    assert refusals(caught) == {stranger.pk: "not_enrolled", world.students[3].pk: "range"}
    assert caught.value.error_dict[str(stranger.pk)][0].message == "The student is not enrolled in this course."
    # Nothing written but the refusal that matters (a mistyped score is not audited).
    assert rows(world.measures["tk1"]) == grades_before
    assert refusal_events(before) == [(stranger.pk, "not_enrolled")]
    assert last_seq() == before + 1
    refused = Event.objects.get(seq=before + 1)
    assert refused.after == {
        "score": "80",
        "measure": world.measures["tk1"].pk,
        "student": stranger.pk,
        "attempt": 1,
        "code": "not_enrolled",
    }
    assert not CourseResult.objects.filter(student=world.students[1]).exists()


# --- Refusals, by code ------------------------------------------------------------------------------------


def test_a_tutor_is_refused_the_students_of_other_groups(world):
    before = last_seq()
    with pytest.raises(ValidationError) as caught:
        many(world, world.tutor, {0: D("50"), 2: D("60"), 3: D("70")})
    assert refusals(caught) == {world.students[0].pk: "access"}
    assert caught.value.messages == ["You may enter grades only for the students of your groups."]
    assert not Grade.objects.exists()
    assert refusal_events(before) == [(world.students[0].pk, "access")]
    # Their own groups' students only: entered.
    assert len(many(world, world.tutor, {2: D("60"), 3: D("70")})) == 2


def test_the_head_is_refused_every_student_and_a_forged_student_is_named(world):
    with pytest.raises(ValidationError) as caught:
        many(world, world.head, {0: D("50"), 1: D("60")})
    assert refusals(caught) == {world.students[0].pk: "access", world.students[1].pk: "access"}
    assert set(caught.value.messages) == {"You may not enter grades in this course."}
    with pytest.raises(ValidationError) as caught:
        grade_enter_many(
            actor=world.admin, measure_id=world.measures["tk1"].pk, scores={999_999: D(1), world.students[0].pk: D(2)}
        )
    assert refusals(caught) == {999_999: "access"}
    assert not Grade.objects.exists()
    assert refusal_events() == [(world.students[0].pk, "access"), (world.students[1].pk, "access"), (999_999, "access")]


@pytest.mark.parametrize("role", ["outsider_teacher", "student", "didactics", "anonymous"])
def test_who_does_not_see_the_course_gets_404_and_an_event_per_student(world, role):
    with pytest.raises(Http404):
        many(world, world.user(role), {0: D("50"), 2: D("60")})
    with pytest.raises(Http404):
        grade_enter_many(actor=world.teacher, measure_id=999_999, scores={world.students[0].pk: D(1)})
    assert not Grade.objects.exists()
    first, third = world.students[0].pk, world.students[2].pk
    assert refusal_events() == [(first, "access"), (third, "access"), (first, "access")]


def test_a_closed_period_a_closed_window_and_a_missing_reason(world):
    many(world, world.teacher, {0: D("50")})
    before = last_seq()
    # Past the window: the reopened student may be graded, the others not; a change needs its reason.
    late = TK1_CLOSES + timedelta(days=1)
    EntryReopen.objects.create(
        measure=world.measures["tk1"], student=world.students[1], until=late, reason="Ауру", created_by=world.admin
    )
    EntryReopen.objects.create(
        measure=world.measures["tk1"],
        student=world.students[1],
        until=late - timedelta(days=1),
        reason="Ескі",
        created_by=world.admin,
    )
    with pytest.raises(ValidationError) as caught:
        many(world, world.teacher, {0: D("55"), 1: D("60"), 2: D("70")}, now=late)
    assert refusals(caught) == {world.students[0].pk: "window", world.students[2].pk: "window"}
    with pytest.raises(ValidationError) as caught:
        many(world, world.admin, {0: D("55"), 1: D("60")}, now=late)
    assert refusals(caught) == {world.students[0].pk: "reason"}
    assert caught.value.messages == ["Give the reason for changing the grade."]
    assert refusal_events(before) == [(world.students[0].pk, "window"), (world.students[2].pk, "window")]
    assert len(many(world, world.teacher, {1: D("60")}, now=late)) == 1

    PeriodClosure.objects.create(period=world.period, closed_by=world.admin)
    before = last_seq()
    with pytest.raises(ValidationError) as caught:
        many(world, world.admin, {0: D("55"), 1: D("60"), 2: D("70")}, reason="Қате", now=late)
    assert refusals(caught) == {world.students[0].pk: "locked", world.students[2].pk: "locked"}  # 1: unchanged
    assert refusal_events(before) == [(world.students[0].pk, "locked"), (world.students[2].pk, "locked")]
    assert rows(world.measures["tk1"])[world.students[0].pk][0] == D("50.00")


def admit(world, *students, score="60"):
    for key in ("tk1", "rk1", "tk2", "rk2"):
        many(world, world.admin, dict.fromkeys(students, D(score)), key=key, now=AFTER_EXAM)


def test_the_exam_takes_the_admitted_students_only(world):
    admit(world, 0, 1)
    admit(world, 2, score="40")
    with pytest.raises(ValidationError) as caught:
        many(world, world.teacher, {0: D("80"), 1: D("30"), 2: D("90"), 3: D("90")}, key="exam", now=AFTER_EXAM)
    assert refusals(caught) == {world.students[2].pk: "not_admitted", world.students[3].pk: "not_admitted"}
    assert not Grade.objects.filter(measure=world.measures["exam"]).exists()
    exams = many(world, world.teacher, {0: D("80"), 1: D("30")}, key="exam", now=AFTER_EXAM)
    assert [g.score for g in exams] == [D("80.00"), D("30.00")]
    outcomes = dict(CourseResult.objects.filter(course=world.course).values_list("student_id", "outcome"))
    assert outcomes[world.students[1].pk] == "fx"


def test_the_retake_of_an_fx_only(world):
    admit(world, 0, 1, 2)
    many(world, world.teacher, {0: D("80"), 1: D("30")}, key="exam", now=AFTER_EXAM)
    retake_day = AFTER_EXAM + timedelta(days=10)
    with pytest.raises(ValidationError) as caught:
        many(world, world.teacher, {0: D("90"), 1: D("70"), 2: D("70")}, key="exam", attempt=2, now=retake_day)
    assert refusals(caught) == {world.students[0].pk: "retake", world.students[2].pk: "retake"}
    assert caught.value.error_dict[str(world.students[0].pk)][0].message == (
        "Only an FX result of the exam may be retaken."
    )
    assert caught.value.error_dict[str(world.students[2].pk)][0].message == (
        "The exam has no first grade yet: there is nothing to retake."
    )
    with pytest.raises(ValidationError) as caught:
        many(world, world.teacher, {1: D("70")}, key="tk1", attempt=2, now=retake_day)
    assert refusals(caught) == {world.students[1].pk: "retake"}
    with pytest.raises(ValidationError) as caught:
        many(world, world.teacher, {1: D("70")}, key="exam", attempt=2, now=AFTER_EXAM + timedelta(days=15))
    assert refusals(caught) == {world.students[1].pk: "retake"}
    (retake,) = many(world, world.teacher, {1: D("70")}, key="exam", attempt=2, now=retake_day)
    assert (retake.attempt, retake.score) == (2, D("70.00"))
    result = CourseResult.objects.get(course=world.course, student=world.students[1])
    assert (result.exam, result.exam_attempt, result.outcome) == (D("70.00"), 2, "passed")


# --- A fixed number of queries --------------------------------------------------------------------------------


@pytest.mark.parametrize("students", [3, 30])
def test_a_column_takes_a_fixed_number_of_queries(django_assert_num_queries, students):
    big = large_journal(students=students, columns=5, graded=0)
    measure = big.measures[0]
    scores = {s.pk: D(60 + n % 40) for n, s in enumerate(big.students)}
    # New grades: the access, the context, the writes, their events and the results' refresh.
    with django_assert_num_queries(34 + LEDGER_LOCK):
        grades = grade_enter_many(actor=big.teacher, measure_id=measure.pk, scores=scores)
    assert len(grades) == students
    # Changes of every grade.
    changed = {pk: score + 1 for pk, score in scores.items()}
    with django_assert_num_queries(31 + LEDGER_LOCK):
        grade_enter_many(actor=big.teacher, measure_id=measure.pk, scores=changed, reason="Қате")
    assert sorted(Grade.objects.filter(measure=measure).values_list("score", flat=True)) == sorted(changed.values())
    assert Event.objects.filter(action="gradebook.grade_changed").count() == students
