"""selectors/broadcasts.py and content.api.broadcasts_for: the schedule's filters, the students' calendar (from
published data only) and what other apps receive."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from qashyq.accounts.data import Role
from qashyq.content import api as content_api
from qashyq.content.selectors import broadcasts as selectors
from qashyq.content.tests.broadcast_helpers import at, broadcast, course, published_item, staffed_course
from qashyq.content.tests.factories import ItemFactory, enrolled_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMINISTRATION)


def titles(broadcasts):
    return [b.name_kk for b in broadcasts]


# --- The schedule -----------------------------------------------------------------------------------


def test_upcoming_past_and_all(admin):
    now = timezone.now()
    c = course()
    broadcast(c, now - timedelta(days=1), name_kk="кеше")
    broadcast(c, now - timedelta(minutes=30), minutes=45, name_kk="эфирде")
    broadcast(c, now - timedelta(minutes=50), minutes=45, name_kk="жаңа бітті")
    broadcast(c, now + timedelta(days=1), name_kk="ертең")
    broadcast(c, now + timedelta(hours=1), name_kk="бір сағаттан соң")
    assert titles(selectors.broadcast_list(user=admin, now=now, when=selectors.UPCOMING)) == [
        "эфирде",
        "бір сағаттан соң",
        "ертең",
    ]
    assert titles(selectors.broadcast_list(user=admin, now=now, when=selectors.PAST)) == ["жаңа бітті", "кеше"]
    assert len(selectors.broadcast_list(user=admin, now=now, when=selectors.ALL)) == 5


def test_period_days_are_almaty_days(admin):
    c = course()
    broadcast(c, at(2030, 3, 1, 0, 30), name_kk="түн")  # 28 February 19:30 UTC
    broadcast(c, at(2030, 3, 1, 23, 30), name_kk="кеш")
    broadcast(c, at(2030, 3, 2, 0, 0), name_kk="келесі күн")
    found = selectors.broadcast_list(
        user=admin, now=at(2030, 1, 1), when=selectors.ALL, start=date(2030, 3, 1), end=date(2030, 3, 1)
    )
    assert titles(found) == ["түн", "кеш"]


def test_filter_by_course_and_channel(admin):
    first, second = course(), course()
    broadcast(first, at(2030, 3, 1, 10), channel="Хабар", name_kk="1")
    broadcast(first, at(2030, 3, 1, 12), channel="Qazaqstan", name_kk="2")
    broadcast(second, at(2030, 3, 1, 14), channel="Хабар", name_kk="3")
    now = at(2030, 1, 1)
    assert titles(selectors.broadcast_list(user=admin, now=now, course_id=first.pk)) == ["1", "2"]
    assert titles(selectors.broadcast_list(user=admin, now=now, channel="qazaqstan")) == ["2"]
    assert titles(selectors.broadcast_list(user=admin, now=now, course_id=second.pk, channel="Хабар")) == ["3"]
    assert set(selectors.broadcast_courses(user=admin)) == {first, second}
    assert selectors.broadcast_channels(user=admin) == ["Qazaqstan", "Хабар"]


def test_a_teacher_lists_the_broadcasts_of_their_courses_only(make_user):
    teacher = make_user(Role.TEACHER)
    mine = staffed_course(teacher=teacher)
    broadcast(mine, at(2030, 3, 1, 10), name_kk="менікі", channel="Хабар")
    broadcast(course(), at(2030, 3, 1, 12), name_kk="басқа", channel="Jibek Joly")
    assert titles(selectors.broadcast_list(user=teacher, now=at(2030, 1, 1))) == ["менікі"]
    assert list(selectors.broadcast_courses(user=teacher)) == [mine]
    assert selectors.broadcast_channels(user=teacher) == ["Хабар"]
    assert selectors.broadcast_channels() == ["Jibek Joly", "Хабар"]


def test_nobody_else_lists_anything(make_user):
    broadcast(course(), at(2030, 3, 1, 10))
    user = make_user(Role.DIDACTICS)
    assert not selectors.broadcast_list(user=user, now=at(2030, 1, 1)).exists()
    assert selectors.broadcast_channels(user=user) == []


# --- The students' calendar -----------------------------------------------------------------------


@pytest.fixture
def student_course(make_user):
    teacher = make_user(Role.TEACHER)
    the_course = staffed_course(teacher=teacher, code="INF-101", name_kk="Алгоритмдер", name_en="Algorithms")
    user = make_user(Role.STUDENT)
    enrolled_student(the_course, user=user)
    return the_course, user, teacher


def month(year, mon):
    return selectors.month_bounds(year, mon)


def test_calendar_holds_broadcasts_and_published_dates(student_course):
    the_course, user, teacher = student_course
    broadcast(the_course, at(2030, 10, 12, 10), name_kk="Эфир", channel="Хабар")
    broadcast(course(), at(2030, 10, 12, 11), name_kk="Басқа курс")
    published_item(
        the_course,
        by=teacher,
        name_kk="Зертханалық жұмыс",
        data={
            "available_from": at(2030, 10, 5, 9).isoformat(),
            "available_until": at(2030, 10, 20, 23, 59).isoformat(),
        },
    )
    # A draft with dates, never published, and a published item whose draft (not the published data) has dates.
    ItemFactory(section__course=the_course, available_from=at(2030, 10, 7, 9))
    published_item(the_course, by=teacher, available_from=at(2030, 10, 8, 9))
    start, end = month(2030, 10)
    entries = selectors.calendar_entries(
        course_ids=selectors.student_course_ids(user_id=user.pk), start=start, end=end, now=at(2030, 10, 1)
    )
    assert [(e.kind, e.title, e.starts_at) for e in entries] == [
        (selectors.OPENS, "Зертханалық жұмыс", at(2030, 10, 5, 9)),
        (selectors.BROADCAST, "Эфир", at(2030, 10, 12, 10)),
        (selectors.CLOSES, "Зертханалық жұмыс", at(2030, 10, 20, 23, 59)),
    ]
    opens, aired, closes = entries
    assert aired.ends_at == at(2030, 10, 12, 10, 45)
    assert aired.where == "Хабар"
    assert aired.course_code == "INF-101"
    assert aired.url == ""  # not on air yet
    assert opens.url == reverse("content:item-detail", args=[int(opens.uid.split("-")[2])])
    assert opens.uid.endswith("-opens")
    assert closes.uid.endswith("-closes")
    assert [d.day for d in selectors.calendar_days(entries)] == [
        date(2030, 10, 5),
        date(2030, 10, 12),
        date(2030, 10, 20),
    ]
    with translation.override("en"):
        again = selectors.calendar_entries(course_ids=[the_course.pk], start=start, end=end, now=at(2030, 10, 1))
    assert again[1].course_title == "Algorithms"


def test_past_broadcasts_link_their_published_recording(student_course):
    the_course, _user, teacher = student_course
    video = published_item(the_course, by=teacher)
    draft = ItemFactory(section__course=the_course)
    broadcast(the_course, at(2030, 10, 1, 10), name_kk="мекенжай", recording_url="https://tv.example.kz/1")
    broadcast(the_course, at(2030, 10, 2, 10), name_kk="сабақ", recording_item=video)
    broadcast(the_course, at(2030, 10, 3, 10), name_kk="жоба", recording_item=draft)
    broadcast(the_course, at(2030, 10, 4, 10), name_kk="жазба жоқ")
    start, end = month(2030, 10)
    entries = selectors.calendar_entries(course_ids=[the_course.pk], start=start, end=end, now=at(2030, 10, 10))
    assert [(e.title, e.past, e.url) for e in entries] == [
        ("мекенжай", True, "https://tv.example.kz/1"),
        ("сабақ", True, reverse("content:item-detail", args=[video.pk])),
        ("жоба", True, ""),
        ("жазба жоқ", True, ""),
    ]


def test_month_bounds_are_almaty_midnights(student_course):
    the_course, _user, _teacher = student_course
    broadcast(the_course, at(2030, 9, 30, 23, 30), name_kk="қыркүйек")
    broadcast(the_course, at(2030, 10, 1, 0, 0), name_kk="қазан")
    broadcast(the_course, at(2030, 10, 31, 23, 59), name_kk="қазанның соңы")
    broadcast(the_course, at(2030, 11, 1, 0, 0), name_kk="қараша")
    start, end = month(2030, 10)
    entries = selectors.calendar_entries(course_ids=[the_course.pk], start=start, end=end, now=at(2030, 1, 1))
    assert [e.title for e in entries] == ["қыркүйек", "қазан", "қазанның соңы"]  # the first still on air at 00:00
    assert [d.day for d in selectors.calendar_days(entries)] == [
        date(2030, 9, 30),
        date(2030, 10, 1),
        date(2030, 10, 31),
    ]


def test_the_calendar_of_nobody_is_empty_in_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert (
            selectors.calendar_entries(course_ids=[], start=at(2030, 1, 1), end=at(2030, 2, 1), now=at(2030, 1, 1))
            == []
        )


def test_the_calendar_reads_in_a_fixed_number_of_queries(student_course, django_assert_num_queries):
    the_course, user, teacher = student_course
    for day in range(1, 8):
        broadcast(the_course, at(2030, 10, day, 10), recording_url="https://tv.example.kz/1")
        published_item(the_course, by=teacher, data={"available_from": at(2030, 10, day, 9).isoformat()})
    start, end = month(2030, 10)
    with django_assert_num_queries(3):
        ids = selectors.student_course_ids(user_id=user.pk)
        assert len(selectors.calendar_entries(course_ids=ids, start=start, end=end, now=at(2030, 10, 5))) == 14


def test_ended_enrolments_leave_the_calendar(student_course):
    the_course, user, _teacher = student_course
    the_course.enrolments.update(active=False)
    assert selectors.student_course_ids(user_id=user.pk) == []


def test_month_weeks_start_on_monday():
    weeks = selectors.month_weeks(2030, 10)  # 1 October 2030 is a Tuesday
    assert weeks[0] == [None, *(date(2030, 10, d) for d in range(1, 7))]
    assert weeks[-1][:4] == [date(2030, 10, d) for d in range(28, 32)]
    assert weeks[-1][4:] == [None, None, None]
    assert selectors.month_bounds(2030, 12) == (at(2030, 12, 1), at(2031, 1, 1))


# --- content.api.broadcasts_for -----------------------------------------------------------------


def test_broadcasts_for_a_student(student_course, django_assert_num_queries):
    the_course, _user, teacher = student_course
    student = the_course.enrolments.get().student
    video = published_item(the_course, by=teacher)
    aired = broadcast(
        the_course, at(2030, 10, 1, 0, 30), name_kk="Түнгі эфир", name_ru="Ночной эфир", recording_item=video
    )
    broadcast(the_course, at(2030, 10, 8, 10), channel="Qazaqstan")
    broadcast(the_course, at(2030, 10, 9, 10))  # outside [start, end)
    broadcast(course(), at(2030, 10, 2, 10))  # another course
    with django_assert_num_queries(1), translation.override("ru"):
        found = content_api.broadcasts_for(student_id=student.pk, start=date(2030, 10, 1), end=date(2030, 10, 9))
    assert len(found) == 2
    first = found[0]
    assert first.id == aired.pk
    assert first.course_id == the_course.pk
    assert first.discipline_id == the_course.discipline_id
    assert first.channel == "Хабар"
    assert first.starts_at_iso == "2030-10-01T00:30:00+05:00"
    assert first.on == date(2030, 10, 1)
    assert first.duration_minutes == 45
    assert first.topic == "Ночной эфир"
    assert first.recording_url == reverse("content:item-detail", args=[video.pk])
    assert found[1].channel == "Qazaqstan"
    assert found[1].recording_url == ""
    the_course.enrolments.update(active=False)
    assert content_api.broadcasts_for(student_id=student.pk, start=at(2030, 1, 1), end=at(2031, 1, 1)) == []
