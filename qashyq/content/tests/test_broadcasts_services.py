"""services/broadcasts.py: exact values stored and audited; overlaps on a channel, bad input and the wrong
person are refused with a message naming the field, and change nothing."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qashyq.accounts.data import Role
from qashyq.audit.models import Event
from qashyq.content.models import Broadcast
from qashyq.content.services.broadcasts import (
    MAX_DURATION_MINUTES,
    broadcast_create,
    broadcast_delete,
    broadcast_update,
    channel_key,
)
from qashyq.content.tests.broadcast_helpers import ALMATY, at, course, published_item, soon, staffed_course
from qashyq.content.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMINISTRATION)


@pytest.fixture
def teacher(make_user):
    return make_user(Role.TEACHER)


@pytest.fixture
def the_course(teacher):
    return staffed_course(teacher=teacher, code="INF-101")


def state():
    """Everything a refused call must leave as it was."""
    return (
        list(Broadcast.objects.order_by("pk").values()),
        Event.objects.filter(action__startswith="content.broadcast").count(),
    )


def create(actor, of, starts_at, **fields):
    values = {"channel": "Хабар", "duration_minutes": 45, "name_kk": "Алгоритмдер"}
    values.update(fields)
    return broadcast_create(actor=actor, course_id=of.pk, starts_at=starts_at, **values)


def update(actor, broadcast, **fields):
    values = {
        "channel": broadcast.channel,
        "starts_at": broadcast.starts_at,
        "duration_minutes": broadcast.duration_minutes,
        "name_kk": broadcast.name_kk,
        "name_ru": broadcast.name_ru,
        "name_en": broadcast.name_en,
        "recording_url": broadcast.recording_url,
        "recording_item_id": broadcast.recording_item_id,
    }
    values.update(fields)
    return broadcast_update(actor=actor, broadcast=broadcast, **values)


def refused(call, *, field, contains=""):
    before = state()
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    found = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    assert field in found, found
    if contains:
        assert contains in " ".join(found[field])
    assert state() == before
    return error


# --- Create ---------------------------------------------------------------------------------------


def test_create_stores_the_values_and_audits(teacher, the_course):
    starts = at(2030, 10, 12, 10, 0)
    made = broadcast_create(
        actor=teacher,
        course_id=the_course.pk,
        channel="  Jibek   Joly ",
        starts_at=starts,
        duration_minutes=50,
        name_kk=" Сұрыптау алгоритмдері ",
        name_ru="Алгоритмы сортировки",
        name_en="Sorting algorithms",
    )
    made.refresh_from_db()
    assert made.course == the_course
    assert made.channel == "Jibek Joly"
    assert made.starts_at == starts
    assert made.starts_at == datetime(2030, 10, 12, 5, 0, tzinfo=timezone.UTC)
    assert made.duration_minutes == 50
    assert (made.name_kk, made.name_ru, made.name_en) == (
        "Сұрыптау алгоритмдері",
        "Алгоритмы сортировки",
        "Sorting algorithms",
    )
    assert made.created_by == teacher
    event = Event.objects.get(action="content.broadcast_created")
    assert event.actor_id == teacher.pk
    assert (event.target_type, event.target_id) == ("content.broadcast", str(made.pk))
    assert event.after == {
        "course": the_course.pk,
        "channel": "Jibek Joly",
        "starts_at": starts.isoformat(),
        "duration_minutes": 50,
        "name_kk": "Сұрыптау алгоритмдері",
        "name_ru": "Алгоритмы сортировки",
        "name_en": "Sorting algorithms",
        "recording_url": "",
        "recording_item": None,
    }


def test_the_administration_schedules_any_course(admin, the_course):
    assert create(admin, the_course, soon()).course == the_course


@pytest.mark.parametrize("role", [Role.HEAD, Role.TUTOR, Role.DIDACTICS, Role.STUDENT, Role.IT_SUPPORT])
def test_others_may_not_schedule(make_user, the_course, role):
    refused(lambda: create(make_user(role), the_course, soon()), field="__all__", contains="administration")


def test_a_teacher_of_another_course_may_not_schedule(teacher):
    other = course()
    with pytest.raises(ValidationError) as caught:
        create(teacher, other, soon())
    assert caught.value.code == "forbidden"
    assert not Broadcast.objects.exists()


def test_unknown_course(admin):
    refused(lambda: broadcast_create(actor=admin, course_id=999_999, channel="Хабар", starts_at=soon(),
                                     duration_minutes=45, name_kk="Т"), field="course_id")  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"channel": "   "}, "channel"),
        ({"channel": "К" * 201}, "channel"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": MAX_DURATION_MINUTES + 1}, "duration_minutes"),
        ({"name_kk": "  "}, "name_kk"),
        ({"name_ru": "ы" * 301}, "name_ru"),
    ],
)
def test_bad_values_are_refused(teacher, the_course, fields, field):
    refused(lambda: create(teacher, the_course, soon(), **fields), field=field)


def test_a_time_without_zone_is_refused(teacher, the_course):
    naive = datetime(2030, 10, 12, 10, 0)
    refused(lambda: create(teacher, the_course, naive), field="starts_at", contains="time zone")


def test_a_new_broadcast_has_no_recording_before_it_starts(teacher, the_course):
    refused(
        lambda: create(teacher, the_course, soon(), recording_url="https://video.example.kz/1"),
        field="recording_url",
        contains="started",
    )


# --- Overlaps ----------------------------------------------------------------------------------------


@pytest.fixture
def booked(teacher, the_course):
    """10:00–11:00 Almaty on Хабар."""
    return create(teacher, the_course, at(2030, 10, 12, 10, 0), duration_minutes=60)


@pytest.mark.parametrize(
    ("hour", "minute", "minutes"),
    [
        (10, 0, 60),  # the same slot
        (10, 30, 60),  # starts inside
        (9, 30, 45),  # runs into it
        (9, 0, 180),  # contains it
        (10, 15, 10),  # inside it
    ],
)
def test_an_overlap_on_the_channel_is_refused(admin, booked, hour, minute, minutes):
    other = course(code="PED-202")
    error = refused(
        lambda: create(admin, other, at(2030, 10, 12, hour, minute), duration_minutes=minutes, channel=" хабар "),
        field="starts_at",
    )
    message = " ".join(error.message_dict["starts_at"])
    assert "Хабар" in message
    assert "INF-101" in message
    assert "10 a.m." in message
    assert "11 a.m." in message


@pytest.mark.parametrize(("hour", "minute"), [(11, 0), (9, 0)])
def test_back_to_back_broadcasts_are_fine(admin, booked, hour, minute):
    made = create(admin, course(), at(2030, 10, 12, hour, minute), duration_minutes=60)
    assert Broadcast.objects.count() == 2
    assert made.channel == "Хабар"


def test_another_channel_at_the_same_time_is_fine(admin, booked):
    create(admin, course(), booked.starts_at, channel="Qazaqstan")
    assert Broadcast.objects.count() == 2


def test_a_long_broadcast_the_day_before_is_found(admin, the_course):
    create(admin, the_course, at(2030, 10, 11, 20, 0), duration_minutes=MAX_DURATION_MINUTES)
    refused(lambda: create(admin, course(), at(2030, 10, 12, 3, 30)), field="starts_at")
    create(admin, course(), at(2030, 10, 12, 4, 0))


def test_a_known_channel_keeps_its_spelling(admin, booked):
    made = create(admin, course(), at(2030, 10, 13, 10), channel=" ХАБАР ")
    assert made.channel == "Хабар"
    assert create(admin, course(), at(2030, 10, 13, 10), channel="Jibek  joly").channel == "Jibek joly"


def test_channel_names_compare_without_case_and_spaces():
    assert channel_key(" Jibek  JOLY ") == channel_key("jibek joly")
    assert channel_key("ХАБАР") == channel_key("хабар")
    assert channel_key("Хабар 24") != channel_key("Хабар")


# --- Update --------------------------------------------------------------------------------------------


def test_update_audits_only_what_changed(teacher, booked):
    update(teacher, booked, starts_at=at(2030, 10, 12, 10, 20), name_en="Algorithms")
    booked.refresh_from_db()
    assert booked.starts_at == at(2030, 10, 12, 10, 20)
    assert booked.name_en == "Algorithms"
    event = Event.objects.get(action="content.broadcast_updated")
    assert event.before == {"starts_at": at(2030, 10, 12, 10, 0).isoformat(), "name_en": ""}
    assert event.after == {"starts_at": at(2030, 10, 12, 10, 20).isoformat(), "name_en": "Algorithms"}


def test_an_update_that_changes_nothing_is_not_audited(teacher, booked):
    update(teacher, booked, channel="  Хабар ")
    assert not Event.objects.filter(action="content.broadcast_updated").exists()


def test_an_update_into_another_broadcast_is_refused(admin, booked):
    later = create(admin, course(), at(2030, 10, 12, 12, 0))
    refused(lambda: update(admin, later, starts_at=at(2030, 10, 12, 10, 45)), field="starts_at")


def test_a_teacher_of_another_course_may_not_update_or_delete(make_user, booked):
    stranger = make_user(Role.TEACHER)
    staffed_course(teacher=stranger)
    refused(lambda: update(stranger, booked, name_kk="Басқа"), field="__all__")
    refused(lambda: broadcast_delete(actor=stranger, broadcast=booked), field="__all__")


# --- Recording -----------------------------------------------------------------------------------------


@pytest.fixture
def aired(admin, the_course):
    return create(admin, the_course, timezone.now() - timedelta(days=1))


def test_link_the_recording_by_address(teacher, aired):
    update(teacher, aired, recording_url="https://tv.example.kz/records/42")
    aired.refresh_from_db()
    assert aired.recording_url == "https://tv.example.kz/records/42"
    assert Event.objects.get(action="content.broadcast_updated").after == {
        "recording_url": "https://tv.example.kz/records/42"
    }


def test_link_the_recording_by_a_published_item(teacher, the_course, aired):
    video = published_item(the_course, by=teacher, kind="video")
    update(teacher, aired, recording_item_id=video.pk)
    aired.refresh_from_db()
    assert aired.recording_item == video


def test_the_recording_must_be_a_published_item_of_the_course(teacher, the_course, aired):
    draft = ItemFactory(section__course=the_course)
    refused(lambda: update(teacher, aired, recording_item_id=draft.pk), field="recording_item")
    elsewhere = published_item(course(), by=teacher)
    refused(lambda: update(teacher, aired, recording_item_id=elsewhere.pk), field="recording_item")
    refused(lambda: update(teacher, aired, recording_item_id=999_999), field="recording_item")


def test_the_recording_is_an_address_or_an_item_not_both(teacher, the_course, aired):
    video = published_item(the_course, by=teacher)
    refused(
        lambda: update(teacher, aired, recording_item_id=video.pk, recording_url="https://tv.example.kz/1"),
        field="recording_url",
        contains="not both",
    )


@pytest.mark.parametrize("address", ["javascript:alert(1)", "ftp://tv.example.kz/1", "не адрес"])
def test_the_recording_address_must_be_a_web_address(teacher, aired, address):
    refused(lambda: update(teacher, aired, recording_url=address), field="recording_url")


# --- Delete -------------------------------------------------------------------------------------------


def test_delete_removes_it_and_keeps_it_in_the_ledger(teacher, booked):
    pk = booked.pk
    broadcast_delete(actor=teacher, broadcast=booked, reason="Эфир ауыстырылды")
    assert not Broadcast.objects.filter(pk=pk).exists()
    event = Event.objects.get(action="content.broadcast_deleted")
    assert (event.target_type, event.target_id) == ("content.broadcast", str(pk))
    assert event.before["name_kk"] == "Алгоритмдер"
    assert event.before["starts_at"] == at(2030, 10, 12, 10, 0).isoformat()
    assert event.reason == "Эфир ауыстырылды"


def test_times_are_kept_as_moments(teacher, the_course):
    """Entered in Almaty time, the same moment whatever zone reads it."""
    made = create(teacher, the_course, at(2030, 1, 5, 0, 30))
    made.refresh_from_db()
    assert made.starts_at.astimezone(ALMATY).date().isoformat() == "2030-01-05"
    assert made.starts_at.astimezone(timezone.UTC).date().isoformat() == "2030-01-04"
