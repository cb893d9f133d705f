"""selectors.journal: the columns, rows, cells and computed columns of a course's journal, the entry windows as
`grade_enter` applies them, and a fixed number of queries whatever the size."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from qashyq.academics.tests.factories import AcademicPeriodFactory
from qashyq.accounts.tests.factories import UserFactory
from qashyq.content import api as content_api
from qashyq.content.tests.factories import CourseFactory, add_staff
from qashyq.gradebook.data import Outcome, RatingPart
from qashyq.gradebook.models import CourseResult, EntryReopen, PeriodClosure
from qashyq.gradebook.selectors import journal as selectors
from qashyq.gradebook.services import results as results_services
from qashyq.gradebook.tests.factories import at, grade, gradebook_world
from qashyq.gradebook.tests.journal_helpers import large_journal

pytestmark = pytest.mark.django_db


def course_data(course):
    data = content_api.course_get(course_id=course.pk)
    assert data is not None
    return data


def journal_of(world, **kwargs):
    kwargs.setdefault("group_ids", None)
    kwargs.setdefault("now", at(2026, 10, 1))
    return selectors.course_journal(course=course_data(world.course), **kwargs)


def cell(book, student, measure, attempt=1):
    row = next(r for r in book.rows if r.student_id == student.pk)
    found = selectors.cell_of(row, measure_id=measure.pk, attempt=attempt)
    assert found is not None
    return found


# --- Columns -------------------------------------------------------------------------------------------------


def test_columns_are_grouped_by_part_in_order_with_the_exam_retake_last():
    # given
    world = gradebook_world()
    # when
    book = journal_of(world)
    # then
    assert [p.part for p in book.parts] == ["tk1", "rk1", "tk2", "rk2", "exam", "retake"]
    assert [[c.measure_id for c in p.columns] for p in book.parts] == [
        [world.measure(key).pk] for key in ("tk1", "rk1", "tk2", "rk2", "exam", "exam")
    ]
    assert [c.attempt for c in book.columns] == [1, 1, 1, 1, 1, 2]
    assert book.parts[-1].columns[0].part == selectors.RETAKE
    assert [c.label for c in book.columns] == ["TK1", "RK1", "TK2", "RK2", "EXAM", "EXAM"]


def test_a_week_column_is_held_at_the_end_of_its_week_and_a_dated_one_at_its_due_moment():
    world = gradebook_world()
    book = journal_of(world)
    tk1, rk1 = book.columns[0], book.columns[1]
    # The semester starts on Tuesday 1 September 2026: week 4 ends with 28 September.
    assert tk1.held_at == at(2026, 9, 29, 0)
    assert rk1.held_at == at(2026, 10, 24)


def test_a_course_without_measures_has_no_columns_but_its_students():
    world = gradebook_world()
    for measure in world.measures.values():
        measure.delete()
    book = journal_of(world)
    assert book.parts == ()
    assert len(book.rows) == 4
    assert all(row.cells == () for row in book.rows)


# --- Rows ----------------------------------------------------------------------------------------------------


def test_rows_are_the_enrolled_students_in_the_kazakh_alphabetical_order():
    world = gradebook_world()
    surnames = ["Ұзақов", "Жанов", "Әлиев", "Ахметов"]
    for student, surname in zip(world.students, surnames, strict=True):
        student.last_name = surname
        student.save()
    world.enrolments[1].active = False
    world.enrolments[1].save()
    book = journal_of(world)
    expected = sorted((s for n, s in enumerate(world.students) if n != 1), key=lambda s: s.name_key)
    assert [r.student_id for r in book.rows] == [s.pk for s in expected]
    assert [r.full_name.split()[0] for r in book.rows] == ["Ахметов", "Әлиев", "Ұзақов"]
    assert {r.group_code for r in book.rows} == {"GB-26-1", "GB-26-2"}


def test_one_group_or_the_groups_the_viewer_sees():
    world = gradebook_world()
    first, second = world.groups
    in_second = {world.students[2].pk, world.students[3].pk}
    assert {r.student_id for r in journal_of(world, group_id=second.pk).rows} == in_second
    limited = journal_of(world, group_ids=frozenset({second.pk}))
    assert {r.student_id for r in limited.rows} == in_second
    assert [g.code for g in limited.groups] == ["GB-26-2"]
    assert [g.code for g in journal_of(world).groups] == ["GB-26-1", "GB-26-2"]
    assert {r.student_id for r in journal_of(world, student_ids=[world.students[0].pk]).rows} == {world.students[0].pk}
    assert journal_of(world, group_ids=frozenset()).rows == ()
    assert first.pk not in {g.id for g in limited.groups}


# --- Cells ---------------------------------------------------------------------------------------------------


def test_a_cell_holds_the_score_who_entered_it_when_and_how_often_it_changed():
    # given
    world = gradebook_world()
    student = world.students[0]
    row = grade(world.measure("tk1"), student, "87.5", by=world.teacher, entered_at=at(2026, 9, 30, 14, 5))
    row.changes = 2
    row.save()
    # when
    found = cell(journal_of(world), student, world.measure("tk1"))
    # then
    assert found.score == Decimal("87.50")
    assert found.entered_by == world.teacher.full_name
    assert found.entered_at == at(2026, 9, 30, 14, 5)
    assert found.changes == 2
    assert found.source == "manual"
    empty = cell(journal_of(world), student, world.measure("rk1"))
    assert (empty.score, empty.entered_by, empty.entered_at, empty.changes) == (None, "", None, 0)


def test_a_grade_fed_by_the_system_names_its_source():
    world = gradebook_world()
    row = grade(world.measure("rk1"), world.students[0], "70")
    row.source = "test"
    row.save()
    assert cell(journal_of(world), world.students[0], world.measure("rk1")).entered_by == "Test"


def test_the_entry_window_stays_open_the_policys_days_after_the_measure_is_held():
    world = gradebook_world()
    student, tk1 = world.students[0], world.measure("tk1")
    assert world.policy.entry_window_days == 10
    # TK1 is held when week 4 ends (29.09 00:00): open until 09.10 00:00.
    assert cell(journal_of(world, can_enter=True, now=at(2026, 10, 8, 23, 59)), student, tk1).editable
    late = cell(journal_of(world, can_enter=True, now=at(2026, 10, 9, 0, 1)), student, tk1)
    assert (late.open, late.editable, late.closed) == (False, False, False)
    # A column without a week or a due date is always open.
    tk1.week = None
    tk1.save()
    assert cell(journal_of(world, can_enter=True, now=at(2026, 12, 29)), student, tk1).editable


def test_a_reopened_window_is_open_for_its_student_only_until_it_ends():
    world = gradebook_world()
    student, other, tk1 = world.students[0], world.students[1], world.measure("tk1")
    EntryReopen.objects.create(
        measure=tk1, student=student, until=at(2026, 11, 1), reason="Ауырды", created_by=world.admin
    )
    book = journal_of(world, can_enter=True, now=at(2026, 10, 20))
    assert cell(book, student, tk1).editable
    assert not cell(book, other, tk1).editable
    assert not cell(journal_of(world, can_enter=True, now=at(2026, 11, 2)), student, tk1).editable


def test_the_administration_is_not_bound_by_the_window_and_a_viewer_without_the_right_enters_nothing():
    world = gradebook_world()
    student, tk1 = world.students[0], world.measure("tk1")
    assert cell(journal_of(world, can_enter=True, unbound_by_window=True, now=at(2026, 12, 20)), student, tk1).editable
    readonly = cell(journal_of(world, can_enter=False, now=at(2026, 10, 1)), student, tk1)
    assert readonly.open
    assert not readonly.editable


def test_a_closed_period_locks_every_cell():
    world = gradebook_world()
    PeriodClosure.objects.create(period=world.period, closed_by=world.admin)
    book = journal_of(world, can_enter=True, unbound_by_window=True)
    assert book.closed
    assert all(c.closed and not c.open and not c.editable for r in book.rows for c in r.cells)


def test_the_exam_takes_grades_for_admitted_students_and_the_retake_after_an_fx_only():
    # given: student 0 is admitted (every measure passed), student 1 has nothing
    world = gradebook_world()
    admitted, missing = world.students[0], world.students[1]
    for key in ("tk1", "rk1", "tk2", "rk2"):
        grade(world.measure(key), admitted, "80", by=world.teacher)
    results_services.result_refresh(course_id=world.course.pk, student_ids=[admitted.pk, missing.pk])
    exam = world.measure("exam")
    now = at(2026, 12, 27)
    # when
    book = journal_of(world, can_enter=True, now=now)
    # then
    assert cell(book, admitted, exam).editable
    assert cell(book, missing, exam).blocked == "not_admitted"
    assert not cell(book, missing, exam).editable
    assert cell(book, admitted, exam, 2).blocked == "no_fx"
    # an FX on the exam opens the retake for the policy's retake window after the exam's grade
    grade(exam, admitted, "30", by=world.teacher, entered_at=now)
    results_services.result_refresh(course_id=world.course.pk, student_ids=[admitted.pk])
    assert CourseResult.objects.get(student=admitted).outcome == Outcome.FX
    assert cell(journal_of(world, can_enter=True, now=now), admitted, exam, 2).editable
    after = journal_of(world, can_enter=True, now=now + timedelta(days=world.policy.retake_window_days, minutes=1))
    assert cell(after, admitted, exam, 2).blocked == "retake_closed"
    unbound = journal_of(world, can_enter=True, unbound_by_window=True, now=now + timedelta(days=30))
    assert cell(unbound, admitted, exam, 2).editable


# --- Computed columns ---------------------------------------------------------------------------------------------


def test_the_computed_columns_are_the_stored_result_with_the_traditional_grade_in_three_languages():
    # given
    world = gradebook_world()
    student = world.students[0]
    for key, score in (("tk1", "90"), ("rk1", "80"), ("tk2", "70"), ("rk2", "100"), ("exam", "85")):
        grade(world.measure(key), student, score, by=world.teacher)
    results_services.result_refresh(course_id=world.course.pk, student_ids=[student.pk])
    # when
    row = next(r for r in journal_of(world).rows if r.student_id == student.pk)
    # then: R1 = 85, R2 = 85, admission 85, final 0.6 × 85 + 0.4 × 85 = 85 → B+
    result = row.result
    assert row.has_result
    assert (result.tk1, result.rk1, result.r1) == (Decimal("90.00"), Decimal("80.00"), Decimal("85.00"))
    assert (result.tk2, result.rk2, result.r2) == (Decimal("70.00"), Decimal("100.00"), Decimal("85.00"))
    assert (result.admission, result.admitted, result.exam) == (Decimal("85.00"), True, Decimal("85.00"))
    assert (result.final, result.letter, result.gpa) == (Decimal("85.00"), "B+", Decimal("3.33"))
    assert (result.traditional_kk, result.traditional_ru, result.traditional_en) == ("Жақсы", "Хорошо", "Good")
    assert result.traditional == "Good"
    assert result.outcome == Outcome.PASSED


def test_a_student_without_a_result_row_shows_empty_computed_columns():
    world = gradebook_world()
    CourseResult.objects.all().delete()
    row = journal_of(world).rows[0]
    assert not row.has_result
    assert row.result == selectors.ResultCells()
    assert (row.result.letter, row.result.traditional, row.result.admitted) == ("", "", False)


# --- Queries -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("students", "columns"), [(3, 4), (30, 40)])
def test_the_journal_costs_eleven_queries_whatever_its_size(django_assert_num_queries, students, columns):
    # given
    big = large_journal(students=students, columns=columns)
    EntryReopen.objects.create(
        measure=big.measures[0],
        student=big.students[0],
        until=timezone.now() + timedelta(days=1),
        reason="x",
        created_by=big.teacher,
    )
    course = course_data(big.course)
    # when
    with django_assert_num_queries(11):
        book = selectors.course_journal(course=course, group_ids=None, can_enter=True)
    # then
    assert len(book.rows) == students
    assert len(book.columns) == columns
    assert all(len(r.cells) == columns for r in book.rows)
    assert sum(c.score is not None for r in book.rows for c in r.cells) > 0
    assert all(r.has_result for r in book.rows)


def test_the_part_columns_of_a_large_journal():
    big = large_journal(students=2, columns=40)
    book = selectors.course_journal(course=course_data(big.course), group_ids=None)
    assert [p.part for p in book.parts] == ["tk1", "rk1", "tk2", "rk2", "exam", "retake"]
    assert sum(len(p.columns) for p in book.parts) == 40
    assert {c.part for c in book.parts[0].columns} == {RatingPart.TK1}


# --- The staff's list of gradebooks -------------------------------------------------------------------------------


def test_teachers_and_tutors_list_their_courses_and_the_services_every_course():
    # given
    world = gradebook_world()
    later = CourseFactory.create(code="ZZ-LATER")
    add_staff(later, world.teacher)
    # when / then
    assert [c.course.id for c in selectors.gradebook_courses(user=world.teacher)] == sorted(
        [world.course.pk, later.pk], key=lambda pk: {world.course.pk: world.course.code, later.pk: later.code}[pk]
    )
    mine = {c.course.id: c for c in selectors.gradebook_courses(user=world.teacher)}
    assert mine[world.course.pk].staff_role == "teacher"
    assert mine[world.course.pk].manages_measures
    assert mine[world.course.pk].group_codes == ("GB-26-1", "GB-26-2")
    tutored = selectors.gradebook_courses(user=world.tutor)
    assert [(c.course.id, c.staff_role, c.manages_measures) for c in tutored] == [(world.course.pk, "tutor", False)]
    assert [c.course.id for c in selectors.gradebook_courses(user=world.outsider_teacher)] == [world.other_course.pk]
    everything = {later.pk, world.course.pk, world.other_course.pk}
    assert {c.course.id for c in selectors.gradebook_courses(user=world.admin)} == everything
    assert all(c.manages_measures for c in selectors.gradebook_courses(user=world.admin))
    assert {c.course.id for c in selectors.gradebook_courses(user=world.head)} == everything
    assert not any(c.manages_measures for c in selectors.gradebook_courses(user=world.head))
    for nobody in (world.students[0].user, world.didactics, world.it_support, UserFactory.create(roles=[])):
        assert selectors.gradebook_courses(user=nobody) == []


def test_the_list_of_gradebooks_by_period():
    world = gradebook_world()
    spring = AcademicPeriodFactory.create(
        year=world.period.year, number=2, start_date=date(2027, 1, 11), end_date=date(2027, 5, 30)
    )
    later = CourseFactory.create(code="ZZ-LATER", period=spring)
    add_staff(later, world.teacher)
    assert later.period_id != world.period.pk
    assert [c.course.id for c in selectors.gradebook_courses(user=world.teacher, period_id=world.period.pk)] == [
        world.course.pk
    ]
    assert {c.course.id for c in selectors.gradebook_courses(user=world.admin, period_id=later.period_id)} == {later.pk}


def test_a_teacher_who_lost_the_role_lists_nothing():
    world = gradebook_world()
    world.teacher.groups.clear()
    assert selectors.gradebook_courses(user=world.teacher) == []
