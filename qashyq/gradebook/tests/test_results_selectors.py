"""selectors/results.py: the policy in force, standings computed from the grades (exact values, fixed queries),
admission with its reasons in words, a student's results and GPA; and the seeded scale."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from qashyq.academics.tests.factories import CurriculumEntryFactory
from qashyq.content.tests.factories import ItemFactory
from qashyq.gradebook import rules
from qashyq.gradebook.data import Outcome, Rounding
from qashyq.gradebook.models import CourseResult, GradeBand, GradeScale, GradingPolicy, PeriodClosure
from qashyq.gradebook.selectors.results import (
    admission_for,
    course_standings,
    exam_admission,
    policy_on,
    reason_texts,
    stored_reasons,
    student_gpa,
    student_results,
)
from qashyq.gradebook.tests.factories import at, enrol, gradebook_world
from qashyq.gradebook.tests.results_helpers import (
    course_in,
    extra_measures,
    graded_world,
    more_students,
    period_of,
)

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return graded_world(gradebook_world())


def policy_version(valid_from: date, **fields) -> GradingPolicy:
    return GradingPolicy.objects.create(
        valid_from=valid_from, scale=GradeScale.objects.get(valid_from=date(2018, 10, 12)), **fields
    )


# --- The seeded scale and policy ----------------------------------------------------------------------------


def test_the_migration_seeds_the_current_scale_with_its_traditional_grades():
    scale = GradeScale.objects.get()
    assert scale.valid_from == date(2018, 10, 12)
    rows = list(
        GradeBand.objects.filter(scale=scale).values_list(
            "letter", "min_points", "max_points", "gpa", "passing", "traditional_kk", "traditional_ru", "traditional_en"
        )
    )
    excellent = ("Өте жақсы", "Отлично", "Excellent")
    good = ("Жақсы", "Хорошо", "Good")
    satisfactory = ("Қанағаттанарлық", "Удовлетворительно", "Satisfactory")
    fail = ("Қанағаттанарлықсыз", "Неудовлетворительно", "Unsatisfactory")
    assert rows == [
        ("A", 95, 100, D("4.00"), True, *excellent),
        ("A-", 90, 94, D("3.67"), True, *excellent),
        ("B+", 85, 89, D("3.33"), True, *good),
        ("B", 80, 84, D("3.00"), True, *good),
        ("B-", 75, 79, D("2.67"), True, *good),
        ("C+", 70, 74, D("2.33"), True, *good),
        ("C", 65, 69, D("2.00"), True, *satisfactory),
        ("C-", 60, 64, D("1.67"), True, *satisfactory),
        ("D+", 55, 59, D("1.33"), True, *satisfactory),
        ("D", 50, 54, D("1.00"), True, *satisfactory),
        ("FX", 25, 49, D("0.50"), False, *fail),
        ("F", 0, 24, D("0.00"), False, *fail),
    ]
    with translation.override("ru"):
        assert GradeBand.objects.get(scale=scale, letter="C+").traditional == "Хорошо"


def test_the_seeded_policy_has_the_model_defaults(django_assert_num_queries):
    with django_assert_num_queries(2):
        row, policy = policy_on(on=date(2026, 9, 1))
    assert row.valid_from == date(2018, 10, 12)
    assert (row.entry_window_days, row.retake_window_days) == (10, 14)
    assert policy.scale.problems() == []
    assert (
        policy.current_weight,
        policy.exam_weight,
        policy.admission_threshold,
        policy.exam_threshold,
        policy.rounding,
    ) == (D("0.50"), D("0.40"), D("50.00"), D("50.00"), Rounding.HALF_UP)
    assert [b.letter for b in policy.scale.bands][:2] == ["A", "A-"]


def test_the_policy_in_force_is_the_latest_version_started_by_then():
    newer = policy_version(date(2025, 9, 1), exam_weight=D("0.5"))
    assert policy_on(on=date(2025, 8, 31))[0].valid_from == date(2018, 10, 12)
    assert policy_on(on=date(2025, 9, 1))[0] == newer
    assert policy_on(on=date(2030, 1, 1))[1].exam_weight == D("0.50")
    # before every version: the first one
    assert policy_on(on=date(2001, 1, 1))[0].valid_from == date(2018, 10, 12)


# --- Standings ----------------------------------------------------------------------------------------------


def test_standings_of_a_small_course(world):
    s0, s1, s2, s3 = (course_standings(course_id=world.course.pk)[s.pk] for s in world.students)
    assert (s0.tk1, s0.rk1, s0.tk2, s0.rk2, s0.r1, s0.r2, s0.admission) == (
        D("70.00"),
        D("80.00"),
        D("60.00"),
        D("90.00"),
        D("75.00"),
        D("75.00"),
        D("75.00"),
    )
    assert (s0.exam, s0.exam_attempt, s0.final, s0.band.letter, s0.band.gpa, s0.outcome) == (
        D("85"),
        1,
        D("79.00"),
        "B-",
        D("2.67"),
        Outcome.PASSED,
    )
    assert (s1.r1, s1.r2, s1.admission, s1.admitted, s1.outcome, s1.final) == (
        D("20.00"),
        D("52.50"),
        D("36.25"),
        False,
        Outcome.NOT_ADMITTED,
        None,
    )
    assert s1.reasons == (
        rules.Reason("missing", world.measures["rk1"].pk),
        rules.Reason("rating", score=D("36.25"), needed=D("50")),
    )
    assert (s2.final, s2.band.letter, s2.band.gpa, s2.outcome) == (D("64.00"), "FX", D("0.50"), Outcome.FX)
    assert (s3.exam, s3.exam_attempt, s3.final, s3.band.letter, s3.outcome) == (
        D("70"),
        2,
        D("76.00"),
        "B-",
        Outcome.PASSED,
    )


def test_standings_of_some_students_only(world):
    found = course_standings(course_id=world.course.pk, student_ids=[world.students[1].pk])
    assert list(found) == [world.students[1].pk]
    assert found[world.students[1].pk].admission == D("36.25")


def test_an_unenrolled_student_asked_for_is_computed_from_nothing(world):
    other = world.other_course
    found = course_standings(course_id=other.pk, student_ids=[world.students[0].pk])
    assert (found[world.students[0].pk].admission, found[world.students[0].pk].outcome) == (
        None,
        Outcome.NOT_ADMITTED,
    )
    assert course_standings(course_id=other.pk) == {}


def test_no_students_asked_for_no_standings(world, django_assert_num_queries):
    with django_assert_num_queries(7):  # no grades to read
        assert course_standings(course_id=world.course.pk, student_ids=[]) == {}


def test_an_unknown_course_has_no_standings():
    assert course_standings(course_id=987654) == {}


def test_an_ended_enrolment_leaves_the_standings(world):
    world.enrolments[0].active = False
    world.enrolments[0].save(update_fields=["active"])
    assert world.students[0].pk not in course_standings(course_id=world.course.pk)


def test_a_measure_that_is_not_required_does_not_hold_admission_back(world):
    rk1 = world.measures["rk1"]
    rk1.required = False
    rk1.save(update_fields=["required"])
    s1 = course_standings(course_id=world.course.pk)[world.students[1].pk]
    assert s1.reasons == (rules.Reason("rating", score=D("36.25"), needed=D("50")),)


def test_weights_within_a_part(world):
    (extra,) = extra_measures(world, 1)
    extra.weight = D("3")
    extra.save(update_fields=["weight"])
    from qashyq.gradebook.tests.factories import grade

    grade(extra, world.students[0], "90")
    s0 = course_standings(course_id=world.course.pk)[world.students[0].pk]
    # TK1 = (1 × 70 + 3 × 90) / 4 = 85; R1 = (85 + 80)/2 = 82.5; admission (82.5 + 75)/2 = 78.75
    assert (s0.tk1, s0.r1, s0.admission) == (D("85.00"), D("82.50"), D("78.75"))
    # final = 47.25 + 34 = 81.25 → B
    assert (s0.final, s0.band.letter) == (D("81.25"), "B")


def test_a_closed_period_gives_f_to_whoever_has_no_final_grade(world):
    PeriodClosure.objects.create(period=world.period, closed_by=world.admin)
    found = course_standings(course_id=world.course.pk)
    outcomes = [found[s.pk].outcome for s in world.students]
    assert outcomes == [Outcome.PASSED, Outcome.F, Outcome.FX, Outcome.PASSED]
    assert found[world.students[1].pk].band.letter == "F"


def test_the_policy_in_force_when_the_period_starts_applies(world):
    policy_version(date(2026, 9, 1), exam_weight=D("0.5"))
    policy_version(date(2026, 10, 1), exam_weight=D("0.1"))  # starts after the period: not this course's
    s0 = course_standings(course_id=world.course.pk)[world.students[0].pk]
    # 0.5 × 75 + 0.5 × 85 = 80 → B
    assert (s0.final, s0.band.letter) == (D("80.00"), "B")


def test_standings_take_a_fixed_number_of_queries(world, django_assert_num_queries):
    with django_assert_num_queries(9):
        assert len(course_standings(course_id=world.course.pk)) == 4
    more_students(world, 12)
    extra_measures(world, 6)
    with django_assert_num_queries(9):
        assert len(course_standings(course_id=world.course.pk)) == 16
    with django_assert_num_queries(8):
        assert len(course_standings(course_id=world.course.pk, student_ids=[s.pk for s in world.students])) == 4


# --- Admission ----------------------------------------------------------------------------------------------


def test_admission_with_its_reasons_in_words(world, django_assert_num_queries):
    tk2 = world.measures["tk2"]
    tk2.pass_points = D("60")
    tk2.save(update_fields=["pass_points"])
    with django_assert_num_queries(8):
        found = admission_for(course_id=world.course.pk, student_id=world.students[1].pk)
    assert (found.course_id, found.student_id, found.admitted, found.rating) == (
        world.course.pk,
        world.students[1].pk,
        False,
        D("36.25"),
    )
    assert found.reasons == (
        "RK1: not graded yet",
        "TK2: 50 of the 60 points needed",
        "Admission rating 36.25 below 50",
    )
    admitted = admission_for(course_id=world.course.pk, student_id=world.students[0].pk)
    assert (admitted.admitted, admitted.rating, admitted.reasons) == (True, D("75.00"), ())


def test_admission_to_an_unknown_course_is_refused():
    found = admission_for(course_id=987654, student_id=1)
    assert (found.admitted, found.rating, found.reasons) == (False, None, ())


def test_exam_admission_by_the_exams_item(world):
    exam_item = ItemFactory.create(section__course=world.course)
    other_item = ItemFactory.create(section__course=world.course)
    world.measures["exam"].item = exam_item
    world.measures["exam"].save(update_fields=["item"])
    world.measures["tk1"].item = other_item
    world.measures["tk1"].save(update_fields=["item"])
    found = exam_admission(item_id=exam_item.pk, student_id=world.students[1].pk)
    assert found is not None
    assert (found.course_id, found.admitted) == (world.course.pk, False)
    assert exam_admission(item_id=exam_item.pk, student_id=world.students[0].pk).admitted is True
    assert exam_admission(item_id=other_item.pk, student_id=world.students[0].pk) is None


def test_reason_texts():
    reasons = [
        rules.Reason("missing", 1),
        rules.Reason("failed", 2, score=D("32.00"), needed=D("50.00")),
        rules.Reason("failed", 2, score=D("32.50"), needed=D("50.00")),
        rules.Reason("rating", score=D("41.5"), needed=D("50.00")),
        rules.Reason("rating", score=None, needed=D("50")),
        rules.Reason("missing", 99),
    ]
    names = {1: "Midterm control 1", 2: "Essay 2"}
    assert reason_texts(reasons, names) == [
        "Midterm control 1: not graded yet",
        "Essay 2: 32 of the 50 points needed",
        "Essay 2: 32.50 of the 50 points needed",
        "Admission rating 41.50 below 50",
        "No admission rating yet (50 needed)",
        "Control measure 99: not graded yet",
    ]
    with translation.override("ru"):
        assert "41,50" in reason_texts(reasons[3:4], names)[0]


def test_stored_reasons_read_back_what_the_results_keep():
    stored = [
        {"code": "missing", "measure": 3},
        {"code": "failed", "measure": 4, "score": "32.00", "needed": "50.00"},
        {"code": "rating", "score": "41.50", "needed": "50.00"},
        {"code": "rating", "needed": "50.00"},
    ]
    assert stored_reasons(stored) == (
        rules.Reason("missing", 3),
        rules.Reason("failed", 4, score=D("32.00"), needed=D("50.00")),
        rules.Reason("rating", score=D("41.50"), needed=D("50.00")),
        rules.Reason("rating", needed=D("50.00")),
    )


# --- A student's results and GPA ----------------------------------------------------------------------------


def stored_result(course, student, letter, gpa, outcome, policy):
    return CourseResult.objects.create(
        course=course,
        student=student,
        letter=letter,
        gpa=D(gpa) if gpa is not None else None,
        outcome=outcome,
        policy=policy,
        computed_at=at(2027, 1, 20),
    )


@pytest.fixture
def transcript():
    """A student with three courses in the autumn of 2026 (3 cr A, 2 cr B, 6 cr F: the KazNU example), an FX
    waiting for its retake, a course of spring 2027 (5 cr C+) and one of autumn 2027 (4 cr B+)."""
    world = gradebook_world()
    student = world.students[0]
    autumn = world.period
    spring = period_of("2026–2027", date(2027, 1, 20), number=2)
    next_autumn = period_of("2027–2028", date(2027, 9, 1))
    policy = world.policy
    rows = [
        (course_in(autumn, 3), "A", "4.00", Outcome.PASSED),
        (course_in(autumn, 2), "B", "3.00", Outcome.PASSED),
        (course_in(autumn, 6), "F", "0.00", Outcome.F),
        (course_in(autumn, 5), "FX", "0.50", Outcome.FX),
        (course_in(spring, 5), "C+", "2.33", Outcome.PASSED),
        (course_in(next_autumn, 4), "B+", "3.33", Outcome.PASSED),
    ]
    for course, letter, gpa, outcome in rows:
        enrol(course, student)
        stored_result(course, student, letter, gpa, outcome, policy)
    world.extra.update(courses=[r[0] for r in rows], spring=spring, next_autumn=next_autumn)
    return world


def test_student_results_by_period_with_credits(transcript, django_assert_num_queries):
    student = transcript.students[0]
    with django_assert_num_queries(8):
        rows = student_results(student_id=student.pk)
    # the world's own course (no result yet) and the six above
    assert len(rows) == 7
    by_course = {r.course.id: r for r in rows}
    first = by_course[transcript.extra["courses"][0].pk]
    assert (first.credits, first.letter, first.outcome, first.counts_in_gpa) == (3, "A", Outcome.PASSED, True)
    assert first.period.id == transcript.period.pk
    assert first.discipline.id == transcript.extra["courses"][0].discipline_id
    unscored = by_course[transcript.course.pk]
    assert (unscored.result, unscored.letter, unscored.outcome, unscored.counts_in_gpa) == (
        None,
        "",
        Outcome.IN_PROGRESS,
        False,
    )
    assert by_course[transcript.extra["courses"][3].pk].counts_in_gpa is False  # FX
    assert [r.period.id for r in rows][-1] == transcript.extra["next_autumn"].pk


def test_student_results_take_a_fixed_number_of_queries(transcript, django_assert_num_queries):
    student = transcript.students[0]
    for credits in (1, 2, 3):
        course = course_in(transcript.period, credits)
        enrol(course, student)
    with django_assert_num_queries(8):
        assert len(student_results(student_id=student.pk)) == 10


def test_a_student_without_courses_has_no_results(django_assert_num_queries):
    with django_assert_num_queries(2):
        assert student_results(student_id=987654) == []


def test_gpa_per_period_per_year_and_cumulative(transcript):
    gpa = student_gpa(student_id=transcript.students[0].pk)
    autumn, spring, next_autumn = gpa.periods
    # autumn 2026: (3 × 4 + 2 × 3 + 6 × 0) / 11 = 1.64; the FX waits for its retake
    assert (autumn.period_id, autumn.credits, autumn.gpa) == (transcript.period.pk, 11, D("1.64"))
    assert (spring.period_id, spring.credits, spring.gpa) == (transcript.extra["spring"].pk, 5, D("2.33"))
    assert (next_autumn.credits, next_autumn.gpa, next_autumn.year_title) == (4, D("3.33"), "2027–2028")
    first_year, second_year = gpa.years
    # 2026–2027: (18 + 5 × 2.33) / 16 = 29.65 / 16 = 1.853…
    assert (first_year.year_title, first_year.credits, first_year.gpa) == ("2026–2027", 16, D("1.85"))
    assert (second_year.credits, second_year.gpa) == (4, D("3.33"))
    # cumulative: (29.65 + 13.32) / 20 = 2.1485
    assert (gpa.credits, gpa.gpa) == (20, D("2.15"))


def test_gpa_from_rows_read_already(transcript, django_assert_num_queries):
    rows = student_results(student_id=transcript.students[0].pk)
    with django_assert_num_queries(0):
        gpa = student_gpa(student_id=transcript.students[0].pk, rows=rows)
    assert gpa == student_gpa(student_id=transcript.students[0].pk)


def test_the_curriculum_credits_of_the_programme_come_first(transcript):
    student = transcript.students[0]
    course = transcript.extra["courses"][0]  # 3 credits as a discipline
    CurriculumEntryFactory.create(programme=student.programme, discipline=course.discipline, credits=5)
    row = next(r for r in student_results(student_id=student.pk) if r.course.id == course.pk)
    assert row.credits == 5
    # autumn: (5 × 4 + 2 × 3 + 0) / 13 = 2.00
    assert student_gpa(student_id=student.pk).periods[0].gpa == D("2.00")


def test_a_student_with_nothing_final_has_no_gpa(world):
    gpa = student_gpa(student_id=world.students[0].pk)
    assert (gpa.periods, gpa.years, gpa.credits, gpa.gpa) == ((), (), 0, None)


def test_plain_rows_are_the_rows_the_orm_gives(world):
    from qashyq.gradebook.models import Grade
    from qashyq.gradebook.selectors.results import in_cents, plain_rows

    query = (
        Grade.objects.filter(measure__course=world.course)
        .annotate(cents=in_cents("score"))
        .values_list("student_id", "cents", "attempt")
        .order_by("student_id", "measure_id", "attempt")
    )
    rows = plain_rows(query)
    assert rows == list(query)
    assert rows[0] == (world.students[0].pk, 7000, 1)
    # a query that names no columns goes through the ORM
    everything = Grade.objects.values_list().order_by("pk")
    assert plain_rows(everything) == list(everything)
