"""services/results.py: stored results with exact values, only changes written, F after a closed period into the
plan again (once), SCORM scores pulled into the grades, and a fixed number of queries as students grow."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from qashyq.audit.models import Event
from qashyq.gradebook import tasks
from qashyq.gradebook.data import Outcome, ResultSource
from qashyq.gradebook.models import ControlMeasure, CourseResult, Grade, PeriodClosure, RepeatDiscipline
from qashyq.gradebook.services import results as results_services
from qashyq.gradebook.services.results import result_refresh, results_recalculate
from qashyq.gradebook.tests.factories import enrol, grade, gradebook_world
from qashyq.gradebook.tests.results_helpers import (
    extra_measures,
    give,
    graded_world,
    more_students,
    scorm_item,
    scorm_runtime,
)

D = Decimal
pytestmark = pytest.mark.django_db

COLUMNS = (
    "tk1",
    "rk1",
    "tk2",
    "rk2",
    "r1",
    "r2",
    "admission",
    "admitted",
    "exam",
    "exam_attempt",
    "final",
    "letter",
    "gpa",
    "outcome",
)


@pytest.fixture
def world():
    return graded_world(gradebook_world())


def stored(world, index):
    row = CourseResult.objects.filter(course=world.course, student=world.students[index]).values_list(*COLUMNS).get()
    return dict(zip(COLUMNS, row, strict=True))


def close(world):
    return PeriodClosure.objects.create(period=world.period, closed_by=world.admin)


def repeats(world):
    return sorted(
        RepeatDiscipline.objects.filter(failed_course=world.course).values_list(
            "student_id", "discipline_id", "cleared_at"
        )
    )


# --- What is stored ------------------------------------------------------------------------------------------


def test_recalculation_stores_every_enrolled_students_result(world):
    assert results_recalculate(course_ids=[world.course.pk]) == 4
    assert stored(world, 0) == {
        "tk1": D("70.00"),
        "rk1": D("80.00"),
        "tk2": D("60.00"),
        "rk2": D("90.00"),
        "r1": D("75.00"),
        "r2": D("75.00"),
        "admission": D("75.00"),
        "admitted": True,
        "exam": D("85.00"),
        "exam_attempt": 1,
        "final": D("79.00"),
        "letter": "B-",
        "gpa": D("2.67"),
        "outcome": Outcome.PASSED,
    }
    assert stored(world, 1) == {
        "tk1": D("40.00"),
        "rk1": D("0.00"),
        "tk2": D("50.00"),
        "rk2": D("55.00"),
        "r1": D("20.00"),
        "r2": D("52.50"),
        "admission": D("36.25"),
        "admitted": False,
        "exam": None,
        "exam_attempt": 0,
        "final": None,
        "letter": "",
        "gpa": None,
        "outcome": Outcome.NOT_ADMITTED,
    }
    s1 = CourseResult.objects.get(course=world.course, student=world.students[1])
    assert s1.missing == [
        {"code": "missing", "measure": world.measures["rk1"].pk},
        {"code": "rating", "score": "36.25", "needed": "50.00"},
    ]
    assert s1.policy == world.policy
    fx = stored(world, 2)
    assert (fx["final"], fx["letter"], fx["gpa"], fx["outcome"]) == (D("64.00"), "FX", D("0.50"), Outcome.FX)
    retaken = stored(world, 3)
    assert (retaken["exam"], retaken["exam_attempt"], retaken["final"], retaken["letter"], retaken["outcome"]) == (
        D("70.00"),
        2,
        D("76.00"),
        "B-",
        Outcome.PASSED,
    )
    assert RepeatDiscipline.objects.count() == 0  # the period is open


def test_only_changed_results_are_written_again(world):
    assert results_recalculate(course_ids=[world.course.pk]) == 4
    first = dict(CourseResult.objects.values_list("student_id", "computed_at"))
    assert results_recalculate(course_ids=[world.course.pk]) == 0
    assert dict(CourseResult.objects.values_list("student_id", "computed_at")) == first
    Grade.objects.filter(measure=world.measures["exam"], student=world.students[0]).update(score=D("95"))
    assert results_recalculate() == 1
    assert stored(world, 0)["final"] == D("83.00")  # 45 + 38 → B
    assert stored(world, 0)["letter"] == "B"
    after = dict(CourseResult.objects.values_list("student_id", "computed_at"))
    assert after[world.students[0].pk] > first[world.students[0].pk]
    assert after[world.students[1].pk] == first[world.students[1].pk]


def test_recalculating_every_course_covers_the_courses_without_students(world):
    assert results_recalculate() == 4
    assert CourseResult.objects.filter(course=world.other_course).count() == 0


def test_unknown_courses_write_nothing(world):
    assert results_recalculate(course_ids=[987654]) == 0
    assert results_recalculate(course_ids=[]) == 0
    result_refresh(course_id=987654, student_ids=[world.students[0].pk])
    result_refresh(course_id=world.course.pk, student_ids=[])
    assert CourseResult.objects.count() == 0


def test_result_refresh_recomputes_the_students_named(world):
    result_refresh(course_id=world.course.pk, student_ids=[world.students[1].pk])
    assert list(CourseResult.objects.values_list("student_id", flat=True)) == [world.students[1].pk]
    give(world, world.students[1], {"rk1": "90", "exam": "60"})
    result_refresh(course_id=world.course.pk, student_ids=[world.students[1].pk, world.students[1].pk])
    # R1 = (40 + 90)/2 = 65; admission (65 + 52.5)/2 = 58.75; final 35.25 + 24 = 59.25 → D+
    s1 = stored(world, 1)
    assert (s1["r1"], s1["admission"], s1["admitted"], s1["final"], s1["letter"], s1["outcome"]) == (
        D("65.00"),
        D("58.75"),
        True,
        D("59.25"),
        "D+",
        Outcome.PASSED,
    )
    assert CourseResult.objects.get(student=world.students[1]).missing == []


def test_many_results_go_through_copy_with_the_same_values(world, monkeypatch):
    monkeypatch.setattr(results_services, "COPY_ROWS", 1)
    assert results_recalculate(course_ids=[world.course.pk]) == 4
    copied = [stored(world, i) for i in range(4)]
    copied_missing = CourseResult.objects.get(student=world.students[1]).missing
    # what COPY stored reads back equal to what is computed: nothing to write again
    assert results_recalculate(course_ids=[world.course.pk]) == 0
    CourseResult.objects.all().delete()
    monkeypatch.setattr(results_services, "COPY_ROWS", 1_000_000)
    assert results_recalculate(course_ids=[world.course.pk]) == 4
    assert [stored(world, i) for i in range(4)] == copied
    assert CourseResult.objects.get(student=world.students[1]).missing == copied_missing


def test_batches_of_courses_in_one_transaction(world, monkeypatch):
    for student in world.students[:2]:
        enrol(world.other_course, student)
    monkeypatch.setattr(results_services, "COPY_ROWS", 1)
    monkeypatch.setattr(results_services, "BATCH_STUDENTS", 1)
    with transaction.atomic():  # as closing a period recalculates its courses
        assert results_recalculate() == 6
    assert CourseResult.objects.filter(course=world.other_course, outcome=Outcome.NOT_ADMITTED).count() == 2
    assert results_recalculate() == 0


# --- A closed period -----------------------------------------------------------------------------------------


def test_after_closing_an_f_puts_the_discipline_into_the_plan_once(world):
    results_recalculate(course_ids=[world.course.pk])
    close(world)
    assert results_recalculate(course_ids=[world.course.pk]) == 1  # only the student not admitted changes
    s1 = stored(world, 1)
    assert (s1["letter"], s1["gpa"], s1["outcome"], s1["final"]) == ("F", D("0.00"), Outcome.F, None)
    assert stored(world, 2)["outcome"] == Outcome.FX
    assert repeats(world) == [(world.students[1].pk, world.discipline.pk, None)]
    assert results_recalculate(course_ids=[world.course.pk]) == 0
    result_refresh(course_id=world.course.pk, student_ids=[world.students[1].pk])
    assert repeats(world) == [(world.students[1].pk, world.discipline.pk, None)]


def test_a_result_that_is_no_longer_f_takes_back_its_repeat_unless_cleared(world):
    close(world)
    results_recalculate(course_ids=[world.course.pk])
    assert len(repeats(world)) == 1
    # approved change requests: RK1 and the exam graded after all
    give(world, world.students[1], {"rk1": "90", "exam": "60"})
    result_refresh(course_id=world.course.pk, student_ids=[world.students[1].pk])
    assert stored(world, 1)["outcome"] == Outcome.PASSED
    assert repeats(world) == []
    # F again, and this time the discipline is studied again (the repeat cleared) before RK1 comes back
    Grade.objects.filter(measure=world.measures["rk1"], student=world.students[1]).delete()
    results_recalculate()
    assert stored(world, 1)["outcome"] == Outcome.F
    RepeatDiscipline.objects.update(cleared_at=timezone.now())
    give(world, world.students[1], {"rk1": "90"})
    results_recalculate()
    assert stored(world, 1)["outcome"] == Outcome.PASSED
    ((student_id, _discipline_id, cleared_at),) = repeats(world)
    assert (student_id, cleared_at is not None) == (world.students[1].pk, True)


# --- SCORM ---------------------------------------------------------------------------------------------------


def test_scorm_scores_are_pulled_into_the_grades_once(world):
    item = scorm_item(world.course)
    measure = extra_measures(world, 1)[0]
    measure.item = item
    measure.save(update_fields=["item"])
    scorm_runtime(item, world.enrolments[0], score_scaled="0.875")
    scorm_runtime(item, world.enrolments[1], score_raw="30", score_min="0", score_max="40")
    scorm_runtime(item, world.enrolments[2], score_scaled="-0.5")  # below 0: clamped
    scorm_runtime(item, world.enrolments[3])  # no score reported
    before = Event.objects.count()
    results_recalculate(course_ids=[world.course.pk])
    grades = dict(Grade.objects.filter(measure=measure).values_list("student_id", "score"))
    assert grades == {
        world.students[0].pk: D("87.50"),
        world.students[1].pk: D("75.00"),
        world.students[2].pk: D("0.00"),
    }
    assert set(Grade.objects.filter(measure=measure).values_list("source", flat=True)) == {ResultSource.SCORM}
    assert Event.objects.count() == before + 3  # each an audited entry
    # TK1 of s0 = (70 + 87.5)/2 = 78.75 → R1 = 79.38 (79.375) → admission 77.19 (77.19)
    assert (stored(world, 0)["tk1"], stored(world, 0)["r1"]) == (D("78.75"), D("79.38"))
    results_recalculate(course_ids=[world.course.pk])
    assert Event.objects.count() == before + 3  # nothing new to pull


def test_scorm_scores_of_a_closed_period_are_not_pulled(world):
    item = scorm_item(world.course)
    measure = extra_measures(world, 1)[0]
    measure.item = item
    measure.save(update_fields=["item"])
    scorm_runtime(item, world.enrolments[0], score_scaled="0.9")
    close(world)
    before = Event.objects.count()
    results_recalculate(course_ids=[world.course.pk])
    assert Grade.objects.filter(measure=measure).count() == 0
    assert Event.objects.count() == before


# --- Speed ---------------------------------------------------------------------------------------------------


def test_recalculation_takes_a_fixed_number_of_queries(world, django_assert_num_queries):
    # the courses (2), periods, closures, policies (2), enrolments, measures; then one batch: its savepoint,
    # grades, stored results, the write, the release
    with django_assert_num_queries(13):
        assert results_recalculate(course_ids=[world.course.pk]) == 4
    more_students(world, 15)
    extra_measures(world, 5)
    CourseResult.objects.all().delete()
    with django_assert_num_queries(13):
        assert results_recalculate(course_ids=[world.course.pk]) == 19
    with django_assert_num_queries(12):  # nothing changed: nothing written
        assert results_recalculate(course_ids=[world.course.pk]) == 0


def test_result_refresh_takes_a_fixed_number_of_queries(world, django_assert_num_queries):
    # savepoint, the standings (8), stored results, the write, release
    with django_assert_num_queries(12):
        result_refresh(course_id=world.course.pk, student_ids=[s.pk for s in world.students])
    added = more_students(world, 10)
    CourseResult.objects.all().delete()
    with django_assert_num_queries(12):
        result_refresh(course_id=world.course.pk, student_ids=[s.pk for s in world.students + added])
    assert CourseResult.objects.count() == 14


def test_the_hourly_recalculation_follows_the_calendar():
    world = gradebook_world()
    student, rk2 = world.students[0], world.measures["rk2"]
    for key in ("tk1", "rk1", "tk2"):
        grade(world.measures[key], student, "80", by=world.teacher)
    ControlMeasure.objects.filter(pk=rk2.pk).update(due_at=timezone.now() + timedelta(days=1))
    results_recalculate(course_ids=[world.course.pk])
    result = CourseResult.objects.get(course=world.course, student=student)
    assert (result.outcome, result.admitted) == (Outcome.IN_PROGRESS, False)  # RK2 is still to come

    ControlMeasure.objects.filter(pk=rk2.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    assert tasks.results_recalculate() >= 1
    result.refresh_from_db()
    assert result.outcome == Outcome.NOT_ADMITTED  # RK2 was held and is missing
    assert tasks.results_recalculate() == 0  # nothing changed since
