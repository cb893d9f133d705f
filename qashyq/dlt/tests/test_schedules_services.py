"""services/schedules.py: the individual schedule written with exact entries from the calendar and the courses,
re-generated idempotently (dates that change are picked up, hand edits kept, deleted entries stay deleted), and
the administration service's changes validated and audited."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from qashyq.academics.data import EventKind, FinalControl
from qashyq.academics.models import CalendarEvent, CurriculumEntry
from qashyq.academics.tests.factories import CurriculumEntryFactory, DisciplineFactory
from qashyq.accounts.tests.factories import UserFactory
from qashyq.audit.models import Event
from qashyq.content.data import ItemKind
from qashyq.content.tests.broadcast_helpers import broadcast, published_item
from qashyq.content.tests.factories import CourseFactory
from qashyq.dlt.data import ApplicationStatus, EntryKind
from qashyq.dlt.models import Application, Schedule, ScheduleEntry, StudyPlan
from qashyq.dlt.services.plans import study_plan_generate
from qashyq.dlt.services.schedules import (
    schedule_entry_add,
    schedule_entry_delete,
    schedule_entry_update,
    schedule_feed_rotate,
    schedule_generate,
    schedules_refresh,
)
from qashyq.dlt.tasks import schedules_refresh as schedules_refresh_task
from qashyq.dlt.tests.helpers import TODAY, dlt_world, make_application
from qashyq.dlt.tests.plan_helpers import entry_rows, planned

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")


def event_of(world, semester, kind):
    return CalendarEvent.objects.get(calendar=world.calendar, period=world.semesters[semester], kind=kind)


def expected_entries(world):
    """What the world's schedule holds for 01.12.2026–01.12.2027: RK1 of the first semester is before it."""
    inf, mat, db, web = (d.pk for d in world.disciplines)
    rk2a, atta = event_of(world, 0, EventKind.MIDTERM_2).pk, event_of(world, 0, EventKind.ATTESTATION).pk
    rk1b, rk2b = event_of(world, 1, EventKind.MIDTERM_1).pk, event_of(world, 1, EventKind.MIDTERM_2).pk
    attb = event_of(world, 1, EventKind.ATTESTATION).pk
    d = date
    return [
        ("midterm_2", "INF101", d(2026, 12, 7), d(2026, 12, 12), "", f"calendar:{rk2a}:{inf}"),
        ("midterm_2", "MAT102", d(2026, 12, 7), d(2026, 12, 12), "", f"calendar:{rk2a}:{mat}"),
        ("control_materials", "INF101", d(2026, 12, 13), None, "", f"calendar:{atta}:{inf}:materials"),
        ("control_materials", "MAT102", d(2026, 12, 13), None, "", f"calendar:{atta}:{mat}:materials"),
        ("exam", "INF101", d(2026, 12, 14), d(2026, 12, 26), "exam", f"calendar:{atta}:{inf}"),
        ("exam", "MAT102", d(2026, 12, 14), d(2026, 12, 26), "exam", f"calendar:{atta}:{mat}"),
        ("midterm_1", "DB201", d(2027, 3, 8), d(2027, 3, 13), "", f"calendar:{rk1b}:{db}"),
        ("midterm_1", "WEB202", d(2027, 3, 8), d(2027, 3, 13), "", f"calendar:{rk1b}:{web}"),
        ("midterm_2", "DB201", d(2027, 4, 26), d(2027, 5, 1), "", f"calendar:{rk2b}:{db}"),
        ("midterm_2", "WEB202", d(2027, 4, 26), d(2027, 5, 1), "", f"calendar:{rk2b}:{web}"),
        ("control_materials", "DB201", d(2027, 5, 2), None, "", f"calendar:{attb}:{db}:materials"),
        ("control_materials", "WEB202", d(2027, 5, 2), None, "", f"calendar:{attb}:{web}:materials"),
        ("exam", "DB201", d(2027, 5, 3), d(2027, 5, 15), "exam", f"calendar:{attb}:{db}"),
        ("exam", "WEB202", d(2027, 5, 3), d(2027, 5, 15), "exam", f"calendar:{attb}:{web}"),
    ]


def events(action, schedule):
    return list(Event.objects.filter(action=action, target_type="dlt.schedule", target_id=str(schedule.pk)))


def state(schedule):
    schedule.refresh_from_db()
    entries = [
        (e.pk, e.kind, e.discipline_id, e.starts_on, e.ends_on, e.starts_at, e.name_kk, e.mode, e.note, e.edited)
        for e in schedule.entries.order_by("pk")
    ]
    return (schedule.version, schedule.feed_token, entries, Event.objects.count())


def regenerate(setup, **kwargs):
    return schedule_generate(application=setup.application, today=kwargs.pop("today", TODAY), **kwargs)


def entry(schedule, kind, code):
    return schedule.entries.get(kind=kind, discipline__code=code)


# --- Generation ------------------------------------------------------------------------------------------


def test_generate_writes_the_calendar_dates_of_every_remaining_discipline():
    setup = planned()
    assert entry_rows(setup.schedule) == expected_entries(setup.world)
    assert setup.schedule.version == 1
    assert setup.schedule.generated_at is not None
    exam = entry(setup.schedule, EntryKind.EXAM, "INF101")
    assert (exam.name_kk, exam.name_en, exam.starts_at, exam.edited) == ("Информатика", "Informatics", None, False)
    [event] = events("dlt.schedule_generated", setup.schedule)
    assert event.actor_id == setup.world.admin.pk
    assert len(event.after["entries"]) == 14


def test_a_second_generation_changes_nothing():
    setup = planned()
    before = state(setup.schedule)
    assert regenerate(setup).pk == setup.schedule.pk
    assert state(setup.schedule) == before


def test_a_changed_calendar_date_is_picked_up_and_audited():
    setup = planned()
    rk2 = event_of(setup.world, 0, EventKind.MIDTERM_2)
    rk2.start_date, rk2.end_date = date(2026, 12, 8), date(2026, 12, 11)
    rk2.save()
    schedule = regenerate(setup)
    assert schedule.version == 2
    moved = entry(schedule, EntryKind.MIDTERM_2, "INF101")
    assert (moved.starts_on, moved.ends_on) == (date(2026, 12, 8), date(2026, 12, 11))
    [event] = events("dlt.schedule_regenerated", schedule)
    assert event.actor_id is None
    assert event.before["version"] == 1
    assert event.after["version"] == 2
    key = moved.source_key
    assert sorted(event.after["entries"]) == sorted(
        [key, key.replace(f":{moved.discipline_id}", f":{setup.world.disciplines[1].pk}")]
    )
    assert event.before["entries"][key]["starts_on"] == "2026-12-07"
    assert event.after["entries"][key]["starts_on"] == "2026-12-08"


def test_entries_whose_source_is_gone_are_deleted():
    setup = planned()
    event_of(setup.world, 1, EventKind.ATTESTATION).delete()
    schedule = regenerate(setup)
    kinds = {(row[0], row[1]) for row in entry_rows(schedule)}
    assert ("exam", "DB201") not in kinds
    assert ("control_materials", "WEB202") not in kinds
    assert len(entry_rows(schedule)) == 10
    assert schedule.version == 2


def test_an_unapproved_calendar_is_not_used():
    world = dlt_world()
    world.calendar.approved_on = None
    world.calendar.save()
    setup = planned(world)
    assert entry_rows(setup.schedule) == []


def test_the_period_comes_from_the_course_else_from_the_students_place():
    """A line without a course still gets the dates of the academic period in which the student reaches it."""
    world = dlt_world()
    for course in world.courses[2:]:
        course.delete()
    setup = planned(world)
    assert entry_rows(setup.schedule) == expected_entries(world)


def test_a_discipline_in_two_periods_gets_the_dates_of_each_period():
    """Physical education in both semesters with one course (of the first): each line has the midterms and the
    credit of its own period, under keys of their own."""
    world = dlt_world()
    pe = DisciplineFactory(code="PE100", credits=2)
    for number in (1, 2):
        CurriculumEntryFactory(programme=world.programme, discipline=pe, period_number=number, final_control="credit")
    course = CourseFactory(discipline=pe, period=world.semesters[0], code="PE100-26")
    course.groups.add(world.group)
    setup = planned(world)
    rk2a = event_of(world, 0, EventKind.MIDTERM_2).pk
    rk1b, rk2b = event_of(world, 1, EventKind.MIDTERM_1).pk, event_of(world, 1, EventKind.MIDTERM_2).pk
    atta, attb = event_of(world, 0, EventKind.ATTESTATION).pk, event_of(world, 1, EventKind.ATTESTATION).pk
    rows = [row for row in entry_rows(setup.schedule) if row[1] == "PE100"]
    d = date
    assert rows == [
        ("midterm_2", "PE100", d(2026, 12, 7), d(2026, 12, 12), "", f"calendar:{rk2a}:{pe.pk}"),
        ("control_materials", "PE100", d(2026, 12, 13), None, "", f"calendar:{atta}:{pe.pk}:materials"),
        ("exam", "PE100", d(2026, 12, 14), d(2026, 12, 26), "credit", f"calendar:{atta}:{pe.pk}"),
        ("midterm_1", "PE100", d(2027, 3, 8), d(2027, 3, 13), "", f"calendar:{rk1b}:{pe.pk}"),
        ("midterm_2", "PE100", d(2027, 4, 26), d(2027, 5, 1), "", f"calendar:{rk2b}:{pe.pk}"),
        ("control_materials", "PE100", d(2027, 5, 2), None, "", f"calendar:{attb}:{pe.pk}:materials"),
        ("exam", "PE100", d(2027, 5, 3), d(2027, 5, 15), "credit", f"calendar:{attb}:{pe.pk}"),
    ]
    before = state(setup.schedule)
    regenerate(setup)
    assert state(setup.schedule) == before


def test_disciplines_studied_before_dlt_get_no_entries():
    world = dlt_world()
    application = make_application(
        world.student, status=ApplicationStatus.ACCEPTED, starts_on=date(2027, 2, 1), ends_on=date(2027, 7, 1)
    )
    study_plan_generate(application=application, today=date(2027, 2, 1))
    schedule = schedule_generate(application=application, today=date(2027, 2, 1))
    assert {row[1] for row in entry_rows(schedule)} == {"DB201", "WEB202"}
    assert len(entry_rows(schedule)) == 8


def test_only_the_applications_period_is_covered():
    world = dlt_world()
    setup = planned(world, starts_on=date(2026, 12, 13), ends_on=date(2027, 3, 10))
    assert [row[:3] for row in entry_rows(setup.schedule)] == [
        ("control_materials", "INF101", date(2026, 12, 13)),
        ("control_materials", "MAT102", date(2026, 12, 13)),
        ("exam", "INF101", date(2026, 12, 14)),
        ("exam", "MAT102", date(2026, 12, 14)),
        ("midterm_1", "DB201", date(2027, 3, 8)),
        ("midterm_1", "WEB202", date(2027, 3, 8)),
    ]


def test_course_work_and_practice_lines():
    world = dlt_world()
    CurriculumEntry.objects.filter(discipline=world.disciplines[3]).update(final_control=FinalControl.COURSE_WORK)
    practice = DisciplineFactory(code="PRA204", name_en="Practice", credits=3)
    CurriculumEntryFactory(
        programme=world.programme, discipline=practice, period_number=2, final_control=FinalControl.PRACTICE_REPORT
    )
    setup = planned(world)
    schedule = setup.schedule
    work = entry(schedule, EntryKind.COURSE_WORK, "WEB202")
    assert (work.starts_on, work.ends_on, work.mode) == (date(2027, 5, 3), date(2027, 5, 15), "course_work")
    assert not schedule.entries.filter(kind=EntryKind.EXAM, discipline__code="WEB202").exists()
    rows = [row for row in entry_rows(schedule) if row[1] == "PRA204"]
    practice_event = event_of(world, 1, EventKind.PRACTICE)
    assert rows == [
        (
            "practice",
            "PRA204",
            date(2027, 6, 1),
            date(2027, 6, 28),
            "practice_report",
            f"calendar:{practice_event.pk}:{practice.pk}",
        )
    ]


def test_broadcasts_tests_assignments_and_consultations_of_the_courses():
    world = dlt_world()
    course = world.courses[2]
    on_air = broadcast(
        course,
        datetime(2027, 3, 10, 10, 0, tzinfo=ALMATY),
        channel="Хабар",
        name_kk="SQL негіздері",
        name_ru="Основы SQL",
        name_en="SQL basics",
    )
    broadcast(course, datetime(2028, 1, 10, 10, 0, tzinfo=ALMATY))  # after the period
    by = world.teacher
    due = published_item(
        course,
        by=by,
        kind=ItemKind.ASSIGNMENT,
        data={"name_kk": "Жоба", "name_en": "Project", "available_until": "2027-04-01T23:59:00+05:00"},
    )
    talk = published_item(
        course,
        by=by,
        kind=ItemKind.CONSULTATION,
        data={"name_kk": "Кеңес", "available_from": "2027-03-15T15:00:00+05:00"},
    )
    quiz = published_item(
        course,
        by=by,
        kind=ItemKind.TEST,
        data={
            "name_kk": "Тест",
            "available_from": "2027-03-20T09:00:00+05:00",
            "available_until": "2027-03-22T18:00:00+05:00",
        },
    )
    published_item(course, by=by, kind=ItemKind.ASSIGNMENT, data={"name_kk": "Мерзімсіз"})  # no deadline
    published_item(course, by=by, kind=ItemKind.PAGE, data={"name_kk": "Дәріс", "available_from": "2027-03-01"})
    setup = planned(world)
    schedule = setup.schedule
    shown = {e.source_key: e for e in schedule.entries.exclude(source_key__startswith="calendar:")}
    assert sorted(shown) == sorted([f"broadcast:{on_air.pk}", f"item:{due.pk}", f"item:{talk.pk}", f"item:{quiz.pk}"])
    tv = shown[f"broadcast:{on_air.pk}"]
    assert (tv.kind, tv.discipline_id, tv.starts_on, tv.note) == (
        EntryKind.BROADCAST,
        world.disciplines[2].pk,
        date(2027, 3, 10),
        "Хабар",
    )
    assert tv.starts_at == datetime(2027, 3, 10, 10, 0, tzinfo=ALMATY)
    assert (tv.name_kk, tv.name_ru, tv.name_en) == ("SQL негіздері", "Основы SQL", "SQL basics")
    assignment = shown[f"item:{due.pk}"]
    assert (assignment.kind, assignment.starts_on, assignment.ends_on, assignment.name_en) == (
        EntryKind.ASSIGNMENT,
        date(2027, 4, 1),
        None,
        "Project",
    )
    assert assignment.starts_at == datetime(2027, 4, 1, 23, 59, tzinfo=ALMATY)
    consultation = shown[f"item:{talk.pk}"]
    assert (consultation.kind, consultation.starts_on) == (EntryKind.CONSULTATION, date(2027, 3, 15))
    assert consultation.starts_at == datetime(2027, 3, 15, 15, 0, tzinfo=ALMATY)
    test = shown[f"item:{quiz.pk}"]
    assert (test.kind, test.starts_on, test.ends_on) == (EntryKind.TEST, date(2027, 3, 20), date(2027, 3, 22))
    # The broadcast moves: the entry follows it.
    on_air.starts_at = datetime(2027, 3, 11, 12, 30, tzinfo=ALMATY)
    on_air.save()
    schedule = regenerate(setup)
    tv.refresh_from_db()
    assert (tv.starts_on, tv.starts_at, schedule.version) == (
        date(2027, 3, 11),
        datetime(2027, 3, 11, 12, 30, tzinfo=ALMATY),
        2,
    )


def test_generation_makes_the_plan_when_there_is_none():
    world = dlt_world()
    application = make_application(world.student, status=ApplicationStatus.ACCEPTED)
    schedule = schedule_generate(application=application, today=TODAY)
    assert StudyPlan.objects.filter(application=application).exists()
    assert entry_rows(schedule) == expected_entries(world)


def test_generation_is_refused_before_acceptance_and_for_others_than_the_staff():
    world = dlt_world()
    application = make_application(world.student, status=ApplicationStatus.SUBMITTED)
    with pytest.raises(ValidationError) as caught:
        schedule_generate(application=application, today=TODAY)
    assert caught.value.code == "not_accepted"
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.ACCEPTED)
    with pytest.raises(ValidationError) as caught:
        schedule_generate(application=application, actor=world.teacher, today=TODAY)
    assert caught.value.code == "forbidden"
    assert not Schedule.objects.exists()
    assert not StudyPlan.objects.exists()


# --- Hand edits over re-generation ---------------------------------------------------------------------


def test_edited_and_hand_made_entries_are_kept_and_deleted_ones_stay_deleted():
    setup = planned()
    world = setup.world
    schedule = setup.schedule
    rk2 = entry(schedule, EntryKind.MIDTERM_2, "INF101")
    schedule_entry_update(
        actor=world.admin,
        entry=rk2,
        kind=EntryKind.MIDTERM_2,
        starts_on=date(2026, 12, 9),
        ends_on=None,
        at=time(10, 0),
        discipline_id=rk2.discipline_id,
        name_kk=rk2.name_kk,
        note="Онлайн, Zoom",
    )
    extra = schedule_entry_add(
        actor=world.admin,
        schedule=schedule,
        kind=EntryKind.CONSULTATION,
        starts_on=date(2026, 12, 5),
        at=time(15, 0),
        discipline_id=world.disciplines[1].pk,
        name_kk="Қосымша кеңес",
    )
    dropped = entry(schedule, EntryKind.CONTROL_MATERIALS, "MAT102")
    schedule_entry_delete(actor=world.admin, entry=dropped)
    schedule.refresh_from_db()
    assert schedule.version == 4
    # The calendar moves RK2 and the exam session; the edited RK2 of INF101 keeps its own date.
    calendar_rk2 = event_of(world, 0, EventKind.MIDTERM_2)
    calendar_rk2.start_date = date(2026, 12, 8)
    calendar_rk2.save()
    attestation = event_of(world, 0, EventKind.ATTESTATION)
    attestation.start_date = date(2026, 12, 15)
    attestation.save()
    schedule = regenerate(setup)
    assert schedule.version == 5
    rk2.refresh_from_db()
    assert (rk2.starts_on, rk2.note, rk2.edited) == (date(2026, 12, 9), "Онлайн, Zoom", True)
    assert rk2.starts_at == datetime(2026, 12, 9, 10, 0, tzinfo=ALMATY)
    assert entry(schedule, EntryKind.MIDTERM_2, "MAT102").starts_on == date(2026, 12, 8)
    assert ScheduleEntry.objects.filter(pk=extra.pk).exists()
    assert not schedule.entries.filter(kind=EntryKind.CONTROL_MATERIALS, discipline__code="MAT102").exists()
    assert entry(schedule, EntryKind.CONTROL_MATERIALS, "INF101").starts_on == date(2026, 12, 14)
    assert regenerate(setup).version == 5


def test_the_administration_service_adds_an_entry_with_a_time():
    setup = planned()
    world = setup.world
    added = schedule_entry_add(
        actor=world.admin,
        schedule=setup.schedule,
        kind=EntryKind.CONSULTATION,
        starts_on=date(2027, 1, 20),
        ends_on=date(2027, 1, 20),
        at=time(9, 30),
        name_kk="  Кіріспе кеңес ",
        name_en="Introductory consultation",
        mode="",
        note="Teams",
    )
    assert (added.source_key, added.edited, added.discipline_id, added.name_kk, added.ends_on) == (
        "",
        True,
        None,
        "Кіріспе кеңес",
        None,
    )
    assert added.starts_at == datetime(2027, 1, 20, 9, 30, tzinfo=ALMATY)
    setup.schedule.refresh_from_db()
    assert setup.schedule.version == 2
    [event] = events("dlt.schedule_entry_added", setup.schedule)
    assert event.after["entry"]["starts_at"] == "2027-01-20T09:30:00+05:00"
    assert event.after["entry"]["name_kk"] == "Кіріспе кеңес"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"starts_on": None}, "starts_on"),
        ({"ends_on": date(2027, 1, 19)}, "ends_on"),
        ({"starts_on": date(2026, 11, 30), "ends_on": None}, "starts_on"),
        ({"ends_on": date(2027, 12, 2)}, "ends_on"),
        ({"starts_on": date(2027, 12, 2), "ends_on": None}, "starts_on"),
        ({"discipline_id": 999_999}, "discipline_id"),
        ({"discipline_id": None, "name_kk": "  "}, "name_kk"),
        ({"name_ru": "я" * 301}, "name_ru"),
        ({"mode": "oral"}, "mode"),
        ({"note": "n" * 301}, "note"),
    ],
)
def test_bad_entries_are_refused_by_field_and_change_nothing(change, field):
    setup = planned()
    world = setup.world
    arguments = {
        "kind": EntryKind.CONSULTATION,
        "starts_on": date(2027, 1, 20),
        "ends_on": date(2027, 1, 21),
        "at": None,
        "discipline_id": world.disciplines[2].pk,
        "name_kk": "Кеңес",
        "mode": "",
        "note": "",
        **change,
    }
    target = entry(setup.schedule, EntryKind.EXAM, "DB201")
    before = state(setup.schedule)
    with pytest.raises(ValidationError) as caught:
        schedule_entry_add(actor=world.admin, schedule=setup.schedule, **arguments)
    assert list(caught.value.message_dict) == [field]
    with pytest.raises(ValidationError) as caught:
        schedule_entry_update(actor=world.admin, entry=target, **arguments)
    assert list(caught.value.message_dict) == [field]
    assert state(setup.schedule) == before


def test_dates_outside_the_period_are_named():
    setup = planned()
    with pytest.raises(ValidationError) as caught:
        schedule_entry_add(
            actor=setup.world.admin,
            schedule=setup.schedule,
            kind=EntryKind.TEST,
            starts_on=date(2026, 11, 30),
            name_kk="Тест",
        )
    assert caught.value.message_dict == {
        "starts_on": ["The date is before the DLT period, which starts on 01.12.2026."]
    }


@pytest.mark.parametrize("role", ["head", "teacher", "tutor", "student", "didactics"])
def test_only_the_administration_service_changes_entries(role):
    setup = planned()
    actor = setup.world.student_user if role == "student" else UserFactory(roles=[role])
    target = entry(setup.schedule, EntryKind.EXAM, "DB201")
    before = state(setup.schedule)
    for call in (
        lambda: schedule_entry_add(
            actor=actor, schedule=setup.schedule, kind=EntryKind.TEST, starts_on=date(2027, 1, 20), name_kk="Т"
        ),
        lambda: schedule_entry_update(
            actor=actor, entry=target, kind=EntryKind.EXAM, starts_on=date(2027, 5, 4), name_kk="Т"
        ),
        lambda: schedule_entry_delete(actor=actor, entry=target),
    ):
        with pytest.raises(ValidationError) as caught:
            call()
        assert caught.value.code == "forbidden"
    assert state(setup.schedule) == before


def test_an_update_that_changes_nothing_is_not_a_change():
    setup = planned()
    target = entry(setup.schedule, EntryKind.EXAM, "DB201")
    before = state(setup.schedule)
    schedule_entry_update(
        actor=setup.world.admin,
        entry=target,
        kind=target.kind,
        starts_on=target.starts_on,
        ends_on=target.ends_on,
        discipline_id=target.discipline_id,
        name_kk=target.name_kk,
        name_ru=target.name_ru,
        name_en=target.name_en,
        mode=target.mode,
    )
    assert state(setup.schedule) == before


def test_a_deletion_is_audited_with_what_the_entry_was():
    setup = planned()
    target = entry(setup.schedule, EntryKind.EXAM, "DB201")
    schedule_entry_delete(actor=setup.world.admin, entry=target, reason="Емтихан ауыстырылды")
    [event] = events("dlt.schedule_entry_deleted", setup.schedule)
    assert event.before["source_key"] == target.source_key
    assert event.before["starts_on"] == "2027-05-03"
    assert event.reason == "Емтихан ауыстырылды"
    assert not ScheduleEntry.objects.filter(pk=target.pk).exists()


# --- The feed and the daily run --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["self", "admin"])
def test_the_feed_gets_a_new_address(who):
    setup = planned()
    actor = setup.world.student_user if who == "self" else setup.world.admin
    old = setup.schedule.feed_token
    schedule = schedule_feed_rotate(actor=actor, schedule=setup.schedule)
    assert schedule.feed_token != old
    assert len(schedule.feed_token) >= 40
    assert schedule.version == 1
    [event] = events("dlt.schedule_feed_rotated", schedule)
    assert old not in str(event.after)
    assert schedule.feed_token not in str(event.after)


@pytest.mark.parametrize("role", ["head", "teacher", "tutor", "other_student"])
def test_nobody_else_renews_the_feed(role):
    setup = planned()
    actor = UserFactory(roles=["student" if role == "other_student" else role])
    before = state(setup.schedule)
    with pytest.raises(ValidationError) as caught:
        schedule_feed_rotate(actor=actor, schedule=setup.schedule)
    assert caught.value.code == "forbidden"
    assert state(setup.schedule) == before


def test_the_daily_run_refreshes_live_schedules_only():
    setup = planned()
    world = setup.world
    rk1 = event_of(world, 1, EventKind.MIDTERM_1)
    rk1.start_date = date(2027, 3, 9)
    rk1.save()
    assert schedules_refresh(today=TODAY) == 1
    assert entry(Schedule.objects.get(pk=setup.schedule.pk), EntryKind.MIDTERM_1, "DB201").starts_on == date(2027, 3, 9)
    assert schedules_refresh(today=TODAY) == 0
    rk1.start_date = date(2027, 3, 10)
    rk1.save()
    Application.objects.filter(pk=setup.application.pk).update(status=ApplicationStatus.CANCELLED)
    assert schedules_refresh(today=TODAY) == 0
    Application.objects.filter(pk=setup.application.pk).update(status=ApplicationStatus.ENROLLED)
    assert schedules_refresh(today=date(2027, 12, 2)) == 0  # the DLT period is over
    assert schedules_refresh(today=TODAY) == 1


def test_the_celery_task_runs_the_refresh_daily():
    setup = planned()
    rk1 = event_of(setup.world, 1, EventKind.MIDTERM_1)
    rk1.start_date = date(2027, 3, 9)
    rk1.save()
    assert schedules_refresh_task.apply().get() == 1
    beat = settings.CELERY_BEAT_SCHEDULE["dlt-schedules-refresh"]
    assert beat == {"task": schedules_refresh_task.name, "schedule": timedelta(hours=24)}
