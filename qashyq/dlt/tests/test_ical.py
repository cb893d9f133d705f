"""ical.py: the schedule as RFC 5545 iCalendar, checked by parsing it back with icalendar."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import icalendar
import pytest

from qashyq.academics.models import CalendarEvent
from qashyq.content.tests.broadcast_helpers import broadcast
from qashyq.dlt.data import EntryKind
from qashyq.dlt.ical import feed_language, schedule_calendar
from qashyq.dlt.services.schedules import schedule_entry_add, schedule_generate
from qashyq.dlt.tests.helpers import TODAY, dlt_world
from qashyq.dlt.tests.plan_helpers import planned

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")


def parsed(schedule):
    schedule.refresh_from_db()
    return icalendar.Calendar.from_ical(schedule_calendar(schedule))


def events_by_summary(calendar):
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def set_language(world, language):
    world.student_user.language = language
    world.student_user.save(update_fields=["language"])


@pytest.fixture
def setup():
    world = dlt_world()
    set_language(world, "en")
    broadcast(
        world.courses[2],
        datetime(2027, 3, 10, 10, 0, tzinfo=ALMATY),
        channel="Хабар",
        name_kk="SQL негіздері",
        name_en="SQL basics",
    )
    return planned(world)


def test_the_feed_parses_back_with_one_event_per_entry(setup):
    raw = schedule_calendar(setup.schedule)
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(raw)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Qashyq//DLT schedule//EN"
    assert str(calendar["X-WR-CALNAME"]) == f"Individual schedule: {setup.world.student.full_name}"
    events = calendar.walk("VEVENT")
    assert len(events) == setup.schedule.entries.count() == 15
    for event in events:
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert required in event
    assert len({str(e["UID"]) for e in events}) == 15


def test_dates_are_dates_and_times_are_in_almaty(setup):
    events = events_by_summary(parsed(setup.schedule))
    exam = events["Exam: Databases"]
    assert exam.decoded("DTSTART") == date(2027, 5, 3)
    assert exam.decoded("DTEND") == date(2027, 5, 16)  # the last day, 15 May, included
    assert exam["DTSTART"].params.get("VALUE") == "DATE"
    due = events["Control materials due: Databases"]
    assert (due.decoded("DTSTART"), due.decoded("DTEND")) == (date(2027, 5, 2), date(2027, 5, 3))
    tv = events["TV broadcast: SQL basics"]
    starts = tv.decoded("DTSTART")
    assert starts == datetime(2027, 3, 10, 10, 0, tzinfo=ALMATY)
    assert tv["DTSTART"].params["TZID"] == "Asia/Almaty"
    assert "DTEND" not in tv
    assert parsed(setup.schedule).walk("VTIMEZONE")[0]["TZID"] == "Asia/Almaty"


def test_the_description_names_discipline_mode_type_and_tutor(setup):
    exam = events_by_summary(parsed(setup.schedule))["Exam: Databases"]
    assert str(exam["DESCRIPTION"]).split("\n") == [
        "Discipline: DB201 Databases",
        "Mode: Exam",
        "DLT type: Network technology",
        f"Tutor: {setup.world.tutor.full_name}",
    ]
    tv = events_by_summary(parsed(setup.schedule))["TV broadcast: SQL basics"]
    assert str(tv["DESCRIPTION"]).split("\n")[-1] == "Хабар"


def test_uids_stay_when_the_schedule_is_re_generated(setup):
    before = {str(e["SUMMARY"]): str(e["UID"]) for e in parsed(setup.schedule).walk("VEVENT")}
    CalendarEvent.objects.filter(calendar=setup.world.calendar, kind="attestation").update(
        start_date=date(2026, 12, 15)
    )
    schedule = schedule_generate(application=setup.application, today=TODAY)
    assert schedule.version == 2
    after = parsed(schedule)
    assert {str(e["SUMMARY"]): str(e["UID"]) for e in after.walk("VEVENT")} == before
    assert events_by_summary(after)["Exam: Informatics"].decoded("DTSTART") == date(2026, 12, 15)


def test_a_timed_entry_over_several_days_ends_at_the_midnight_after_its_last_day(setup):
    schedule_entry_add(
        actor=setup.world.admin,
        schedule=setup.schedule,
        kind=EntryKind.TEST,
        starts_on=date(2027, 2, 1),
        ends_on=date(2027, 2, 3),
        at=time(9, 0),
        name_kk="Тест",
        name_en="Entry test",
    )
    event = events_by_summary(parsed(setup.schedule))["Test: Entry test"]
    assert event.decoded("DTSTART") == datetime(2027, 2, 1, 9, 0, tzinfo=ALMATY)
    assert event.decoded("DTEND") == datetime(2027, 2, 4, 0, 0, tzinfo=ALMATY)
    assert "Until: 03.02.2027" in str(event["DESCRIPTION"])


@pytest.mark.parametrize(("account", "instruction", "expected"), [("ru", "kk", "ru"), ("", "ru", "ru"), ("", "", "kk")])
def test_the_summary_is_in_the_students_language(account, instruction, expected):
    world = dlt_world()
    set_language(world, account)
    world.student.language = instruction
    world.student.save(update_fields=["language"])
    world.disciplines[2].name_ru = "Базы данных"
    world.disciplines[2].save(update_fields=["name_ru"])
    setup = planned(world)
    assert feed_language(setup.schedule) == expected
    calendar = parsed(setup.schedule)
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    name = {"ru": "Базы данных", "kk": "Деректер қоры"}[expected]
    assert any(s.endswith(f": {name}") for s in summaries)
    assert str(calendar["PRODID"]).endswith(f"//{expected.upper()}")


def test_an_empty_schedule_is_a_valid_calendar():
    world = dlt_world()
    world.calendar.approved_on = None
    world.calendar.save()
    setup = planned(world)
    calendar = parsed(setup.schedule)
    assert calendar.walk("VEVENT") == []
    assert str(calendar["VERSION"]) == "2.0"
    assert setup.schedule.generated_at is not None
