"""services/plans.py: the individual study plan written with exact lines, kept idempotent, following the
curriculum and the courses while keeping what was set by hand, changed and approved by the administration
service only, and bad input refused without changing anything."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from qashyq.academics.data import FinalControl, TeachingRole
from qashyq.academics.models import TeachingAssignment
from qashyq.academics.tests.factories import AcademicPeriodFactory, CurriculumEntryFactory, DisciplineFactory
from qashyq.accounts.tests.factories import UserFactory
from qashyq.audit.models import Event
from qashyq.content.data import StaffRole
from qashyq.content.models import CourseStaff
from qashyq.content.tests.factories import CourseFactory, add_staff
from qashyq.dlt.data import ApplicationStatus, DltType, PlanStatus
from qashyq.dlt.models import StudyPlan, StudyPlanLine
from qashyq.dlt.selectors.plans import plan_page
from qashyq.dlt.services.plans import (
    student_position,
    study_plan_approve,
    study_plan_generate,
    study_plan_line_update,
)
from qashyq.dlt.tests.helpers import TODAY, dlt_world, make_application
from qashyq.dlt.tests.plan_helpers import plan_rows, planned
from qashyq.records.tests.student_helpers import make_group

pytestmark = pytest.mark.django_db


def expected_rows(world, *, dlt_type="network"):
    teacher, tutor = world.teacher.pk, world.tutor.pk
    return [
        ("INF101", 1, 5, "basic", "compulsory", "exam", dlt_type, world.courses[0].pk, teacher, tutor, False),
        ("MAT102", 1, 5, "basic", "compulsory", "exam", dlt_type, world.courses[1].pk, teacher, tutor, False),
        ("DB201", 2, 5, "basic", "compulsory", "exam", dlt_type, world.courses[2].pk, teacher, tutor, False),
        ("WEB202", 2, 5, "basic", "compulsory", "exam", dlt_type, world.courses[3].pk, teacher, tutor, False),
    ]


def events(action, plan):
    return list(Event.objects.filter(action=action, target_type="dlt.studyplan", target_id=str(plan.pk)))


def state(plan):
    """Everything a refused call must leave as it was."""
    plan.refresh_from_db()
    return (plan.version, plan.status, plan.approved_by_id, plan_rows(plan), Event.objects.count())


def line_of(plan, code):
    return plan.lines.select_related("discipline").get(discipline__code=code)


# --- Generation ------------------------------------------------------------------------------------------


def test_generate_writes_every_discipline_with_course_teacher_and_tutor():
    world = dlt_world()
    application = make_application(world.student, status=ApplicationStatus.ACCEPTED)
    plan = study_plan_generate(application=application, actor=world.admin, today=TODAY)
    assert plan_rows(plan) == expected_rows(world)
    assert (plan.version, plan.status, plan.approved_by_id) == (1, PlanStatus.DRAFT, None)
    [event] = events("dlt.plan_generated", plan)
    assert event.actor_id == world.admin.pk
    assert sorted(event.after["lines"]) == ["DB201", "INF101", "MAT102", "WEB202"]
    assert event.after["lines"]["INF101"]["course"] == world.courses[0].pk


def test_generate_takes_the_granted_type_else_the_first_asked():
    world = dlt_world()
    application = make_application(
        world.student, status=ApplicationStatus.ACCEPTED, dlt_types=[DltType.CASE, DltType.TV], granted_type=""
    )
    plan = study_plan_generate(application=application, today=TODAY)
    assert {line.dlt_type for line in plan.lines.all()} == {DltType.CASE}
    application.granted_type = DltType.TV
    application.save(update_fields=["granted_type"])
    plan = study_plan_generate(application=application, today=TODAY)
    assert plan_rows(plan) == expected_rows(world, dlt_type="tv")
    assert plan.version == 2


def test_periods_finished_before_dlt_are_marked_studied():
    """In the second semester a first-year student has finished curriculum period 1."""
    world = dlt_world()
    application = make_application(world.student, status=ApplicationStatus.ACCEPTED)
    plan = study_plan_generate(application=application, today=date(2027, 2, 1))
    rows = plan_rows(plan)
    assert rows[:2] == [
        ("INF101", 1, 5, "basic", "compulsory", "exam", "", None, None, None, True),
        ("MAT102", 1, 5, "basic", "compulsory", "exam", "", None, None, None, True),
    ]
    assert rows[2:] == expected_rows(world)[2:]


def test_the_student_position_counts_years_and_periods():
    world = dlt_world()
    assert student_position(course_year=1, today=TODAY).number == 1
    assert student_position(course_year=1, today=date(2027, 1, 5)).number == 2  # between semesters: the next
    assert student_position(course_year=3, today=TODAY).number == 5
    position = student_position(course_year=1, today=TODAY)
    assert position.per_year == 2
    assert position.period_of(2) is not None
    assert position.period_of(2).id == world.semesters[1].pk
    assert position.period_of(3) is None


def test_the_whole_curriculum_is_in_the_plan_even_a_later_year():
    """Rule 20: a second-year student's plan lists the first year as studied and the later periods too."""
    world = dlt_world()
    world.student.course_year = 2
    world.student.save(update_fields=["course_year"])
    later = DisciplineFactory(code="ALG301", credits=6)
    CurriculumEntryFactory(programme=world.programme, discipline=later, period_number=3, final_control="credit")
    teacher = UserFactory(roles=["teacher"])
    TeachingAssignment.objects.create(user=teacher, discipline=later, group=None, role=TeachingRole.TEACHER)
    application = make_application(world.student, status=ApplicationStatus.ACCEPTED)
    plan = study_plan_generate(application=application, today=TODAY)
    rows = plan_rows(plan)
    assert [r[-1] for r in rows] == [True, True, True, True, False]
    assert rows[-1] == ("ALG301", 3, 6, "basic", "compulsory", "credit", "network", None, teacher.pk, None, False)


def test_a_course_of_the_students_group_comes_first_then_the_latest_period():
    world = dlt_world()
    later = AcademicPeriodFactory(
        year=world.semesters[1].year, number=3, start_date=date(2027, 6, 1), end_date=date(2027, 7, 31)
    )
    newer = CourseFactory(discipline=world.disciplines[0], period=later, code="INF101-27")
    application = make_application(world.student, status=ApplicationStatus.ACCEPTED)
    plan = study_plan_generate(application=application, today=TODAY)
    assert line_of(plan, "INF101").course_id == world.courses[0].pk  # of the group, though older
    world.courses[0].groups.clear()
    plan = study_plan_generate(application=application, today=TODAY)
    line = line_of(plan, "INF101")
    assert line.course_id == newer.pk  # neither is the group's: the latest period wins
    assert (line.teacher_id, line.tutor_id) == (None, None)  # the new course has no staff, nor the discipline


def test_a_tutor_limited_to_other_groups_does_not_count_and_teaching_assignments_stand_in():
    world = dlt_world()
    CourseStaff.objects.filter(course=world.courses[0], role=StaffRole.TUTOR).delete()
    other_group = make_group("ИС-25-2", world.programme, form_of_study="correspondence", admission_year=2025)
    elsewhere = UserFactory(roles=["tutor"])
    add_staff(world.courses[0], elsewhere, StaffRole.TUTOR).groups.add(other_group)
    application = make_application(world.student, status=ApplicationStatus.ACCEPTED)
    plan = study_plan_generate(application=application, today=TODAY)
    assert line_of(plan, "INF101").tutor_id is None
    for_all = UserFactory(roles=["tutor"])
    for_group = UserFactory(roles=["tutor"])
    TeachingAssignment.objects.create(user=for_all, discipline=world.disciplines[0], role=TeachingRole.TUTOR)
    TeachingAssignment.objects.create(
        user=for_group, discipline=world.disciplines[0], group=world.group, role=TeachingRole.TUTOR
    )
    plan = study_plan_generate(application=application, today=TODAY)
    assert line_of(plan, "INF101").tutor_id == for_group.pk  # the one named for the group first
    own = UserFactory(roles=["tutor"])
    add_staff(world.courses[0], own, StaffRole.TUTOR).groups.add(world.group)
    plan = study_plan_generate(application=application, today=TODAY)
    assert line_of(plan, "INF101").tutor_id == own.pk  # the course's own tutor of the group wins


def test_a_second_generation_changes_nothing():
    setup = planned()
    before = state(setup.plan)
    plan = study_plan_generate(application=setup.application, actor=setup.world.admin, today=TODAY)
    assert plan.pk == setup.plan.pk
    assert state(plan) == before


def test_a_curriculum_change_raises_the_version_and_puts_an_approved_plan_back_to_draft():
    setup = planned()
    world = setup.world
    study_plan_approve(actor=world.admin, plan=setup.plan)
    CurriculumEntryFactory(
        programme=world.programme,
        discipline=DisciplineFactory(code="PHY103", credits=4),
        period_number=2,
        final_control=FinalControl.CREDIT,
    )
    world.disciplines[3].curriculum_entries.all().delete()
    plan = study_plan_generate(application=setup.application, today=TODAY)
    assert (plan.version, plan.status, plan.approved_by_id, plan.approved_at) == (3, PlanStatus.DRAFT, None, None)
    assert [row[0] for row in plan_rows(plan)] == ["INF101", "MAT102", "DB201", "PHY103"]
    event = events("dlt.plan_generated", plan)[-1]
    assert event.actor_id is None
    assert list(event.before["lines"]) == ["WEB202"]
    assert list(event.after["lines"]) == ["PHY103"]
    assert (event.before["version"], event.after["version"]) == (2, 3)
    assert (event.before["status"], event.after["status"]) == ("approved", "draft")


def test_values_set_by_hand_stay_while_the_others_follow_the_courses():
    setup = planned()
    world = setup.world
    chosen = UserFactory(roles=["teacher"])
    line = line_of(setup.plan, "INF101")
    study_plan_line_update(
        actor=world.admin,
        line=line,
        teacher_id=chosen.pk,
        tutor_id=world.tutor.pk,
        course_id=world.courses[0].pk,
        dlt_type=DltType.CASE,
    )
    new_tutor = UserFactory(roles=["tutor"])
    new_teacher = UserFactory(roles=["teacher"])
    CourseStaff.objects.filter(course=world.courses[0]).delete()
    add_staff(world.courses[0], new_teacher, StaffRole.TEACHER)
    add_staff(world.courses[0], new_tutor, StaffRole.TUTOR)
    plan = study_plan_generate(application=setup.application, today=TODAY)
    line.refresh_from_db()
    # Teacher and DLT type were set by hand; the tutor was confirmed as it was, so it follows the course.
    assert (line.teacher_id, line.tutor_id, line.dlt_type) == (chosen.pk, new_tutor.pk, DltType.CASE)
    assert plan.version == 3
    assert study_plan_generate(application=setup.application, today=TODAY).version == 3


def test_generation_is_refused_before_the_application_is_accepted():
    world = dlt_world()
    application = make_application(world.student, status=ApplicationStatus.UNDER_REVIEW)
    with pytest.raises(ValidationError) as caught:
        study_plan_generate(application=application, actor=world.admin, today=TODAY)
    assert caught.value.code == "not_accepted"
    assert not StudyPlan.objects.exists()


@pytest.mark.parametrize("role", ["student", "teacher", "tutor", "didactics", "it_support"])
def test_generation_by_anyone_but_the_staff_is_refused(role):
    world = dlt_world()
    application = make_application(world.student, status=ApplicationStatus.ACCEPTED)
    with pytest.raises(ValidationError) as caught:
        study_plan_generate(application=application, actor=UserFactory(roles=[role]), today=TODAY)
    assert caught.value.code == "forbidden"
    assert not StudyPlan.objects.exists()


# --- A line changed by hand ------------------------------------------------------------------------------


def test_the_administration_service_changes_a_line():
    setup = planned()
    world = setup.world
    line = line_of(setup.plan, "DB201")
    tutor = UserFactory(roles=["tutor"])
    updated = study_plan_line_update(
        actor=world.admin,
        line=line,
        teacher_id=world.teacher.pk,
        tutor_id=tutor.pk,
        course_id=None,
        dlt_type=DltType.TV,
    )
    assert (updated.teacher_id, updated.tutor_id, updated.course_id, updated.dlt_type) == (
        world.teacher.pk,
        tutor.pk,
        None,
        DltType.TV,
    )
    setup.plan.refresh_from_db()
    assert setup.plan.version == 2
    [event] = events("dlt.plan_line_updated", setup.plan)
    assert event.before == {
        "discipline_id": line.discipline_id,
        "discipline": "DB201",
        "period_number": 2,
        "version": 1,
        "tutor": world.tutor.pk,
        "course": world.courses[2].pk,
        "dlt_type": "network",
    }
    assert event.after == {
        "discipline_id": line.discipline_id,
        "discipline": "DB201",
        "period_number": 2,
        "version": 2,
        "tutor": tutor.pk,
        "course": None,
        "dlt_type": "tv",
    }


def test_an_unchanged_line_is_not_a_change():
    setup = planned()
    world = setup.world
    before = state(setup.plan)
    line = line_of(setup.plan, "INF101")
    study_plan_line_update(
        actor=world.admin,
        line=line,
        teacher_id=world.teacher.pk,
        tutor_id=world.tutor.pk,
        course_id=world.courses[0].pk,
        dlt_type=DltType.NETWORK,
    )
    assert state(setup.plan) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ("teacher_without_role", "teacher_id"),
        ("tutor_without_role", "tutor_id"),
        ("inactive_tutor", "tutor_id"),
        ("unknown_teacher", "teacher_id"),
        ("course_of_another_discipline", "course_id"),
        ("unknown_course", "course_id"),
        ("unknown_type", "dlt_type"),
    ],
)
def test_bad_line_values_are_refused_by_field_and_change_nothing(change, field):
    setup = planned()
    world = setup.world
    arguments = {
        "teacher_id": world.teacher.pk,
        "tutor_id": world.tutor.pk,
        "course_id": world.courses[0].pk,
        "dlt_type": DltType.NETWORK,
    }
    if change == "teacher_without_role":
        arguments["teacher_id"] = world.tutor.pk
    elif change == "tutor_without_role":
        arguments["tutor_id"] = world.teacher.pk
    elif change == "inactive_tutor":
        arguments["tutor_id"] = UserFactory(roles=["tutor"], is_active=False).pk
    elif change == "unknown_teacher":
        arguments["teacher_id"] = 999_999
    elif change == "course_of_another_discipline":
        arguments["course_id"] = world.courses[1].pk
    elif change == "unknown_course":
        arguments["course_id"] = 999_999
    else:
        arguments["dlt_type"] = "radio"
    before = state(setup.plan)
    with pytest.raises(ValidationError) as caught:
        study_plan_line_update(actor=world.admin, line=line_of(setup.plan, "INF101"), **arguments)
    assert list(caught.value.message_dict) == [field]
    assert state(setup.plan) == before


def test_the_course_message_names_the_discipline():
    setup = planned()
    world = setup.world
    with pytest.raises(ValidationError) as caught:
        study_plan_line_update(
            actor=world.admin,
            line=line_of(setup.plan, "INF101"),
            teacher_id=None,
            tutor_id=None,
            course_id=world.courses[3].pk,
            dlt_type=DltType.NETWORK,
        )
    assert caught.value.message_dict["course_id"] == ["Choose a course of the discipline “INF101”."]


@pytest.mark.parametrize("role", ["head", "teacher", "tutor", "student", "didactics", "it_support"])
def test_only_the_administration_service_changes_a_line(role):
    setup = planned()
    before = state(setup.plan)
    with pytest.raises(ValidationError) as caught:
        study_plan_line_update(
            actor=UserFactory(roles=[role]),
            line=line_of(setup.plan, "INF101"),
            teacher_id=None,
            tutor_id=None,
            course_id=None,
            dlt_type=DltType.TV,
        )
    assert caught.value.code == "forbidden"
    assert state(setup.plan) == before


# --- Approval --------------------------------------------------------------------------------------------


def test_approval_is_refused_naming_the_disciplines_without_tutor_or_teacher():
    world = dlt_world()
    CourseStaff.objects.filter(course__in=[world.courses[0], world.courses[2]], role=StaffRole.TUTOR).delete()
    CourseStaff.objects.filter(course=world.courses[2], role=StaffRole.TEACHER).delete()
    setup = planned(world)
    before = state(setup.plan)
    with pytest.raises(ValidationError) as caught:
        study_plan_approve(actor=world.admin, plan=setup.plan)
    assert caught.value.messages == [
        "Name a teacher and a tutor for every remaining discipline before approving the plan: "
        "INF101 Informatics (no tutor); DB201 Databases (no teacher and no tutor)."
    ]
    assert state(setup.plan) == before


def test_studied_disciplines_need_no_tutor_for_approval():
    world = dlt_world()
    CourseStaff.objects.filter(course=world.courses[0]).delete()
    application = make_application(world.student, status=ApplicationStatus.ACCEPTED)
    plan = study_plan_generate(application=application, today=date(2027, 2, 1))
    approved = study_plan_approve(actor=world.admin, plan=plan)
    assert approved.status == PlanStatus.APPROVED


def test_approval_records_who_and_when_and_a_later_change_puts_it_back_to_draft():
    setup = planned()
    world = setup.world
    plan = study_plan_approve(actor=world.admin, plan=setup.plan)
    assert (plan.status, plan.approved_by_id, plan.version) == (PlanStatus.APPROVED, world.admin.pk, 2)
    assert plan.approved_at is not None
    [event] = events("dlt.plan_approved", plan)
    assert (event.before["status"], event.after["status"]) == ("draft", "approved")
    with pytest.raises(ValidationError) as caught:
        study_plan_approve(actor=world.admin, plan=plan)
    assert caught.value.code == "approved"
    study_plan_line_update(
        actor=world.admin,
        line=line_of(plan, "WEB202"),
        teacher_id=world.teacher.pk,
        tutor_id=world.tutor.pk,
        course_id=world.courses[3].pk,
        dlt_type=DltType.CASE,
    )
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by_id, plan.approved_at, plan.version) == (PlanStatus.DRAFT, None, None, 3)


@pytest.mark.parametrize("role", ["head", "teacher", "tutor", "student"])
def test_only_the_administration_service_approves(role):
    setup = planned()
    before = state(setup.plan)
    with pytest.raises(ValidationError) as caught:
        study_plan_approve(actor=UserFactory(roles=[role]), plan=setup.plan)
    assert caught.value.code == "forbidden"
    assert state(setup.plan) == before


def test_a_discipline_listed_in_two_periods_has_a_line_in_each():
    """A plan covers the whole curriculum (rule 20, R43): a discipline the curriculum lists in two periods has a
    line in each, with that period's credits, studied or not by its own period, and the totals count both."""
    world = dlt_world()
    pe = DisciplineFactory(code="PE100", credits=2)
    CurriculumEntryFactory(programme=world.programme, discipline=pe, period_number=1, credits=2, final_control="credit")
    CurriculumEntryFactory(programme=world.programme, discipline=pe, period_number=2, credits=3, final_control="credit")
    course = CourseFactory(discipline=pe, period=world.semesters[0], code="PE100-26")
    course.groups.add(world.group)
    add_staff(course, world.teacher, StaffRole.TEACHER)
    add_staff(course, world.tutor, StaffRole.TUTOR)
    application = make_application(world.student, status=ApplicationStatus.ACCEPTED)
    plan = study_plan_generate(application=application, today=TODAY)
    teacher, tutor = world.teacher.pk, world.tutor.pk
    pe_rows = [row for row in plan_rows(plan) if row[0] == "PE100"]
    assert pe_rows == [
        ("PE100", 1, 2, "basic", "compulsory", "credit", "network", course.pk, teacher, tutor, False),
        ("PE100", 2, 3, "basic", "compulsory", "credit", "network", course.pk, teacher, tutor, False),
    ]
    page = plan_page(plan=plan, today=TODAY)
    assert [(p.number, p.credits, p.remaining_credits) for p in page.periods] == [(1, 12, 12), (2, 13, 13)]
    assert [(y.number, y.credits) for y in page.years] == [(1, 25)]
    [created] = events("dlt.plan_generated", plan)
    assert {"PE100/1", "PE100/2", "INF101"} <= set(created.after["lines"])

    # A second generation changes nothing; a value set by hand stays on its own line only.
    before = state(plan)
    assert study_plan_generate(application=application, today=TODAY).version == plan.version
    assert state(plan) == before
    second = plan.lines.get(discipline=pe, period_number=2)
    study_plan_line_update(
        actor=world.admin, line=second, teacher_id=teacher, tutor_id=tutor, course_id=course.pk, dlt_type=DltType.TV
    )
    [updated] = events("dlt.plan_line_updated", plan)
    assert (updated.before["discipline"], updated.before["period_number"]) == ("PE100", 2)

    # In the second semester the first period's line is studied, the second's still to study.
    plan = study_plan_generate(application=application, today=date(2027, 2, 1))
    pe_rows = [row for row in plan_rows(plan) if row[0] == "PE100"]
    assert pe_rows == [
        ("PE100", 1, 2, "basic", "compulsory", "credit", "", None, None, None, True),
        ("PE100", 2, 3, "basic", "compulsory", "credit", "tv", course.pk, teacher, tutor, False),
    ]
    page = plan_page(plan=plan, today=date(2027, 2, 1))
    assert [(p.number, p.credits, p.remaining_credits) for p in page.periods] == [(1, 12, 0), (2, 13, 13)]
    assert StudyPlanLine.objects.filter(plan=plan, discipline=pe).count() == 2
