"""The schedule's pages and its iCal feed: who gets what, re-generation on every read, the administration
service's entries (302/400/404), the feed's address and its renewal, the PDF redirect, fixed query counts."""

from datetime import date
from types import SimpleNamespace

import icalendar
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from qashyq.academics.data import EventKind
from qashyq.academics.models import CalendarEvent
from qashyq.academics.tests.factories import CurriculumEntryFactory, DisciplineFactory
from qashyq.content.tests.factories import CourseFactory
from qashyq.dlt import printing
from qashyq.dlt.data import ApplicationStatus, EntryKind
from qashyq.dlt.models import Application, ScheduleEntry
from qashyq.dlt.services.plans import study_plan_generate
from qashyq.dlt.tests.helpers import TODAY, dlt_world
from qashyq.dlt.tests.plan_helpers import planned, sign_in, user_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_back():
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def setup():
    return planned()


def detail_url(setup):
    return reverse("dlt:schedule-detail", args=[setup.application.pk])


def feed_url(schedule):
    return reverse("dlt:schedule-feed", args=[schedule.feed_token])


def entry(setup, kind, code):
    return setup.schedule.entries.get(kind=kind, discipline__code=code)


def move_rk1(world, day):
    event = CalendarEvent.objects.get(calendar=world.calendar, period=world.semesters[1], kind=EventKind.MIDTERM_1)
    event.start_date = day
    event.save()


ENTRY = {
    "kind": EntryKind.CONSULTATION,
    "discipline": "",
    "starts_on": "2027-01-20",
    "ends_on": "",
    "at": "15:00",
    "name_kk": "Кеңес",
    "name_ru": "",
    "name_en": "Consultation",
    "mode": "",
    "note": "Zoom",
}


# --- Who opens what ----------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, setup):
    target = entry(setup, EntryKind.EXAM, "DB201")
    for url in (
        detail_url(setup),
        reverse("dlt:schedule-entry-add", args=[setup.application.pk]),
        reverse("dlt:schedule-entry-edit", args=[target.pk]),
        reverse("dlt:schedule-pdf", args=[setup.application.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("self", 200),
        ("admin", 200),
        ("head", 200),
        ("teacher", 200),
        ("tutor", 200),
        ("other_student", 404),
        ("other_teacher", 404),
        ("other_tutor", 404),
        ("didactics", 404),
    ],
)
def test_the_schedule_page_by_person(client, enrol_totp, setup, who, status):
    sign_in(client, user_of(setup, who), enrol_totp)
    assert client.get(detail_url(setup)).status_code == status


def test_the_student_sees_entries_by_month_with_type_tutor_and_the_feed(client, enrol_totp, setup):
    sign_in(client, setup.world.student_user, enrol_totp)
    page = client.get(detail_url(setup)).content.decode()
    for month in ("December 2026", "March 2027", "April 2027", "May 2027"):
        assert month in page
    assert "Midterm control 2 (RK2)" in page
    assert "Control materials due" in page
    assert "Exam" in page
    assert "Network technology" in page
    assert setup.world.tutor.full_name in page
    token = setup.schedule.feed_token
    assert f'value="{settings.QASHYQ_PUBLIC_URL.rstrip("/")}/dlt/schedule/{token}.ics"' in page
    assert f"webcal://{settings.QASHYQ_PUBLIC_URL.split('://')[1].rstrip('/')}/dlt/schedule/{token}.ics" in page
    assert reverse("dlt:schedule-feed-rotate", args=[setup.application.pk]) in page
    assert reverse("dlt:schedule-entry-add", args=[setup.application.pk]) not in page


def test_staff_do_not_see_the_feed_address(client, enrol_totp, setup):
    sign_in(client, setup.world.admin, enrol_totp)
    page = client.get(detail_url(setup)).content.decode()
    assert setup.schedule.feed_token not in page
    assert reverse("dlt:schedule-feed-rotate", args=[setup.application.pk]) in page
    assert reverse("dlt:schedule-entry-add", args=[setup.application.pk]) in page
    sign_in(client, setup.world.tutor, enrol_totp)
    page = client.get(detail_url(setup)).content.decode()
    assert setup.schedule.feed_token not in page
    assert "feed-rotate" not in page


def test_a_calendar_date_change_is_picked_up_when_the_page_is_read(client, enrol_totp, setup):
    sign_in(client, setup.world.student_user, enrol_totp)
    move_rk1(setup.world, date(2027, 3, 9))
    page = client.get(detail_url(setup)).content.decode()
    assert '<dd class="col-sm-8" id="schedule-version">2</dd>' in page
    assert entry(setup, EntryKind.MIDTERM_1, "DB201").starts_on == date(2027, 3, 9)


def test_a_closed_application_is_no_longer_re_generated(client, enrol_totp, setup):
    Application.objects.filter(pk=setup.application.pk).update(status=ApplicationStatus.CANCELLED)
    sign_in(client, setup.world.admin, enrol_totp)
    move_rk1(setup.world, date(2027, 3, 9))
    assert client.get(detail_url(setup)).status_code == 200
    assert entry(setup, EntryKind.MIDTERM_1, "DB201").starts_on == date(2027, 3, 8)


# Session (user and roles cached), second factor; the schedule. The look for changes
# (thirteen): schedule, plan, application, lines, current period, periods, programme, calendar, broadcasts (one
# a language: three), course items, entries. The page: entries, lines.
QUERIES = 18


def test_the_schedule_page_reads_a_fixed_number_of_queries(client, enrol_totp, django_assert_num_queries):
    world = dlt_world()
    setup = planned(world)
    sign_in(client, world.admin, enrol_totp)
    url = detail_url(setup)
    client.get(url)
    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200
    more = DisciplineFactory(code="EXT201", credits=4)
    CurriculumEntryFactory(programme=world.programme, discipline=more, period_number=2)
    CourseFactory(discipline=more, period=world.semesters[1], code="EXT201-26").groups.add(world.group)
    study_plan_generate(application=setup.application, today=TODAY)
    client.get(url)  # re-generated: the new discipline's entries are written
    assert setup.schedule.entries.filter(discipline=more).count() == 4
    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200


# --- Entries by the administration service ----------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("admin", 200), ("head", 404), ("tutor", 404), ("self", 404)])
def test_entry_forms_by_person(client, enrol_totp, setup, who, status):
    sign_in(client, user_of(setup, who), enrol_totp)
    target = entry(setup, EntryKind.EXAM, "DB201")
    for url in (
        reverse("dlt:schedule-entry-add", args=[setup.application.pk]),
        reverse("dlt:schedule-entry-edit", args=[target.pk]),
        reverse("dlt:schedule-entry-delete", args=[target.pk]),
    ):
        assert client.get(url).status_code == status


def test_an_entry_is_added(client, enrol_totp, setup):
    sign_in(client, setup.world.admin, enrol_totp)
    data = {**ENTRY, "discipline": setup.world.disciplines[2].pk}
    response = client.post(reverse("dlt:schedule-entry-add", args=[setup.application.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == detail_url(setup)
    added = ScheduleEntry.objects.get(source_key="", schedule=setup.schedule)
    assert (added.kind, added.discipline_id, added.starts_on, added.note) == (
        EntryKind.CONSULTATION,
        setup.world.disciplines[2].pk,
        date(2027, 1, 20),
        "Zoom",
    )
    page = client.get(detail_url(setup)).content.decode()
    assert "January 2027" in page
    assert "15:00" in page
    assert "added by hand" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_on": "2027-01-19"}, "The end date is before the start date."),
        ({"starts_on": "2026-11-20"}, "The date is before the DLT period, which starts on 01.12.2026."),
        ({"starts_on": "2027-12-20"}, "The date is after the DLT period, which ends on 01.12.2027."),
        ({"name_kk": ""}, "Name the entry in Kazakh, or choose its discipline."),
        ({"starts_on": "not a date"}, "Enter a valid date."),
    ],
)
def test_a_bad_entry_is_400_with_the_message_and_changes_nothing(client, enrol_totp, setup, change, message):
    sign_in(client, setup.world.admin, enrol_totp)
    count = ScheduleEntry.objects.count()
    response = client.post(reverse("dlt:schedule-entry-add", args=[setup.application.pk]), {**ENTRY, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ScheduleEntry.objects.count() == count


def test_an_entry_is_changed_and_kept_over_re_generation(client, enrol_totp, setup):
    sign_in(client, setup.world.admin, enrol_totp)
    target = entry(setup, EntryKind.MIDTERM_1, "DB201")
    url = reverse("dlt:schedule-entry-edit", args=[target.pk])
    assert 'value="2027-03-08"' in client.get(url).content.decode()
    data = {**ENTRY, "kind": EntryKind.MIDTERM_1, "discipline": target.discipline_id, "starts_on": "2027-03-10"}
    assert client.post(url, data).status_code == 302
    move_rk1(setup.world, date(2027, 3, 9))
    client.get(detail_url(setup))
    target.refresh_from_db()
    assert (target.starts_on, target.edited) == (date(2027, 3, 10), True)
    assert entry(setup, EntryKind.MIDTERM_1, "WEB202").starts_on == date(2027, 3, 9)
    assert client.post(url, {**data, "ends_on": "2027-03-01"}).status_code == 400


def test_an_entry_is_deleted_and_stays_deleted(client, enrol_totp, setup):
    sign_in(client, setup.world.admin, enrol_totp)
    target = entry(setup, EntryKind.EXAM, "DB201")
    url = reverse("dlt:schedule-entry-delete", args=[target.pk])
    assert "re-generation will not bring it back" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    client.post(reverse("dlt:schedule-regenerate", args=[setup.application.pk]))
    assert not ScheduleEntry.objects.filter(pk=target.pk).exists()
    assert not setup.schedule.entries.filter(kind=EntryKind.EXAM, discipline__code="DB201").exists()


@pytest.mark.parametrize("who", ["head", "tutor", "self"])
def test_posting_entries_as_someone_else_is_404(client, enrol_totp, setup, who):
    sign_in(client, user_of(setup, who), enrol_totp)
    target = entry(setup, EntryKind.EXAM, "DB201")
    count = ScheduleEntry.objects.count()
    assert client.post(reverse("dlt:schedule-entry-add", args=[setup.application.pk]), ENTRY).status_code == 404
    assert client.post(reverse("dlt:schedule-entry-edit", args=[target.pk]), ENTRY).status_code == 404
    assert client.post(reverse("dlt:schedule-entry-delete", args=[target.pk])).status_code == 404
    assert client.post(reverse("dlt:schedule-regenerate", args=[setup.application.pk])).status_code == 404
    assert ScheduleEntry.objects.count() == count


def test_the_administration_service_regenerates(client, enrol_totp, setup):
    sign_in(client, setup.world.admin, enrol_totp)
    response = client.post(reverse("dlt:schedule-regenerate", args=[setup.application.pk]), follow=True)
    assert "nothing changed" in response.content.decode()


# --- The feed ----------------------------------------------------------------------------------------------


def test_the_feed_needs_no_sign_in_and_follows_the_calendar(client, setup):
    move_rk1(setup.world, date(2027, 3, 9))
    response = client.get(feed_url(setup.schedule))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    starts = sorted(e.decoded("dtstart") for e in calendar.walk("VEVENT"))
    assert date(2027, 3, 9) in starts
    assert date(2027, 3, 8) not in starts
    assert len(starts) == 14


def test_an_unknown_feed_address_is_404(client, setup):
    assert client.get(reverse("dlt:schedule-feed", args=["no-such-token"])).status_code == 404


@pytest.mark.parametrize("who", ["self", "admin"])
def test_the_feed_gets_a_new_address_and_the_old_one_stops(client, enrol_totp, setup, who):
    old = feed_url(setup.schedule)
    sign_in(client, user_of(setup, who), enrol_totp)
    response = client.post(reverse("dlt:schedule-feed-rotate", args=[setup.application.pk]))
    assert response.status_code == 302
    assert response["Location"] == detail_url(setup) + "#feed"
    setup.schedule.refresh_from_db()
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(feed_url(setup.schedule)).status_code == 200


@pytest.mark.parametrize("who", ["head", "tutor", "other_student"])
def test_nobody_else_renews_the_feed(client, enrol_totp, setup, who):
    token = setup.schedule.feed_token
    sign_in(client, user_of(setup, who), enrol_totp)
    assert client.post(reverse("dlt:schedule-feed-rotate", args=[setup.application.pk])).status_code == 404
    setup.schedule.refresh_from_db()
    assert setup.schedule.feed_token == token


def test_the_feed_reads_a_fixed_number_of_queries(client, setup, django_assert_num_queries):
    url = feed_url(setup.schedule)
    client.get(url)
    # The schedule (with the student and account); the look for changes (fourteen, as on the page); the
    # entries and the lines.
    with django_assert_num_queries(16):
        assert client.get(url).status_code == 200


# --- The PDF ---------------------------------------------------------------------------------------------


def test_the_pdf_is_issued_from_the_schedule_as_it_stands(client, enrol_totp, setup, monkeypatch):
    calls = []

    def current(*, schedule, actor):
        calls.append((schedule.pk, schedule.version, actor.pk))
        return SimpleNamespace(id=77)

    monkeypatch.setattr(printing, "schedule_document_current", current)
    move_rk1(setup.world, date(2027, 3, 9))
    sign_in(client, setup.world.student_user, enrol_totp)
    response = client.get(reverse("dlt:schedule-pdf", args=[setup.application.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:document-download", args=[77])
    assert calls == [(setup.schedule.pk, 2, setup.world.student_user.pk)]


def test_no_schedule_pdf_for_those_who_may_not_read_it(client, enrol_totp, setup, monkeypatch):
    monkeypatch.setattr(printing, "schedule_document_current", lambda **kw: pytest.fail("issued"))
    sign_in(client, user_of(setup, "other_teacher"), enrol_totp)
    assert client.get(reverse("dlt:schedule-pdf", args=[setup.application.pk])).status_code == 404
