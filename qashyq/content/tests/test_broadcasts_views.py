"""The schedule and calendar pages: who gets what, what each POST changes, and query counts."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from qashyq.accounts.data import Role
from qashyq.audit.models import Event
from qashyq.content.models import Broadcast, Enrolment
from qashyq.content.tests.broadcast_helpers import at, broadcast, course, published_item, staffed_course
from qashyq.content.tests.factories import enrolled_student

pytestmark = pytest.mark.django_db

LIST = reverse("content:broadcast-list")
CREATE = reverse("content:broadcast-create")
CALENDAR = reverse("content:calendar")


def edit_url(b):
    return reverse("content:broadcast-edit", args=[b.pk])


def delete_url(b):
    return reverse("content:broadcast-delete", args=[b.pk])


@pytest.fixture(autouse=True)
def _language_back():
    """A request in a user's language leaves it active in this thread: later tests expect the default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def signed_in(client, make_user, enrol_totp):
    """`signed_in(role)`: a user of that role (with a second factor where required), signed in, reading English."""

    def sign_in(*roles):
        user = make_user(*roles, language="en")
        enrol_totp(user)
        client.force_login(user)
        return user

    return sign_in


def post_data(the_course=None, **fields):
    data = {
        "channel": "Хабар",
        "day": "2030-10-12",
        "time": "10:00",
        "duration_minutes": "45",
        "name_kk": "Алгоритмдер",
        "name_ru": "Алгоритмы",
        "name_en": "",
    }
    if the_course is not None:
        data["course"] = str(the_course.pk)
    data.update(fields)
    return data


# --- Who may open what --------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    for url in (LIST, CREATE, CALENDAR):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ADMINISTRATION, 200),
        (Role.HEAD, 200),
        (Role.TEACHER, 200),
        (Role.TUTOR, 200),
        (Role.STUDENT, 404),
        (Role.DIDACTICS, 404),
        (Role.IT_SUPPORT, 404),
    ],
)
def test_schedule_page_by_role(client, signed_in, role, status):
    signed_in(role)
    assert client.get(LIST).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.STUDENT, 200), (Role.TEACHER, 404), (Role.ADMINISTRATION, 404), (Role.HEAD, 404), (Role.TUTOR, 404)],
)
def test_calendar_page_by_role(client, signed_in, role, status):
    signed_in(role)
    assert client.get(CALENDAR).status_code == status


@pytest.mark.parametrize(("role", "status"), [(Role.ADMINISTRATION, 200), (Role.HEAD, 404), (Role.TUTOR, 404)])
def test_create_page_by_role(client, signed_in, role, status):
    signed_in(role)
    assert client.get(CREATE).status_code == status


def test_a_teacher_without_a_course_cannot_schedule(client, signed_in):
    teacher = signed_in(Role.TEACHER)
    assert client.get(CREATE).status_code == 404
    assert b'href="/content/broadcasts/new/"' not in client.get(LIST).content
    staffed_course(teacher=teacher)
    assert client.get(CREATE).status_code == 200
    assert b'href="/content/broadcasts/new/"' in client.get(LIST).content


@pytest.mark.parametrize("role", [Role.HEAD, Role.TUTOR, Role.STUDENT, Role.DIDACTICS])
def test_edit_and_delete_are_404_for_those_who_may_not_change_it(client, signed_in, role):
    user = signed_in(role)
    the_course = staffed_course(tutor=user if role == Role.TUTOR else None)
    if role == Role.STUDENT:
        enrolled_student(the_course, user=user)
    b = broadcast(the_course, timezone.now() + timedelta(days=1))
    assert client.get(edit_url(b)).status_code == 404
    assert client.post(edit_url(b), post_data()).status_code == 404
    assert client.get(delete_url(b)).status_code == 404
    assert client.post(delete_url(b)).status_code == 404
    assert Broadcast.objects.filter(pk=b.pk).exists()


def test_a_teacher_does_not_change_another_courses_broadcast(client, signed_in):
    teacher = signed_in(Role.TEACHER)
    staffed_course(teacher=teacher)
    b = broadcast(course(), timezone.now() + timedelta(days=1))
    assert client.get(edit_url(b)).status_code == 404
    assert client.post(delete_url(b)).status_code == 404
    missing = reverse("content:broadcast-edit", args=[b.pk + 1000])
    assert client.get(missing).status_code == 404


# --- The schedule ---------------------------------------------------------------------------------------


def test_list_shows_upcoming_by_default_and_filters(client, signed_in):
    signed_in(Role.ADMINISTRATION)
    now = timezone.now()
    c = course(code="INF-101")
    broadcast(c, now - timedelta(days=2), name_kk="Өткен эфир", recording_url="https://tv.example.kz/7")
    broadcast(c, now + timedelta(days=2), name_kk="Келесі эфир")
    page = client.get(LIST).content.decode()
    assert "Келесі эфир" in page
    assert "Өткен эфир" not in page
    past = client.get(LIST, {"when": "past"}).content.decode()
    assert "Өткен эфир" in past
    assert "Келесі эфир" not in past
    assert 'href="https://tv.example.kz/7"' in past


def test_a_bad_filter_shows_its_error_and_upcoming_broadcasts(client, signed_in):
    signed_in(Role.HEAD)
    response = client.get(LIST, {"start": "2030-10-12", "end": "2030-10-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["end"]
    assert response.context["when"] == "upcoming"


def test_the_list_answers_in_a_fixed_number_of_queries(client, signed_in, django_assert_max_num_queries):
    teacher = signed_in(Role.TEACHER)
    now = timezone.now()

    def add(count):
        for i in range(count):
            c = staffed_course(teacher=teacher)
            video = published_item(c, by=teacher)
            broadcast(c, now + timedelta(days=1, hours=i), channel=f"Арна {i}")
            broadcast(c, now - timedelta(days=1, hours=i), recording_item=video)

    add(2)
    client.get(LIST)  # the first request of a session also records the session itself
    with django_assert_max_num_queries(12) as few:
        assert client.get(LIST).status_code == 200
    add(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST, {"when": "all"})
    assert len(response.context["rows"]) == 20
    assert all(row["can_edit"] for row in response.context["rows"])


# --- Create, edit, delete ------------------------------------------------------------------------------


def test_create_a_broadcast(client, signed_in):
    teacher = signed_in(Role.TEACHER)
    the_course = staffed_course(teacher=teacher)
    response = client.post(CREATE, post_data(the_course))
    made = Broadcast.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?when=upcoming&course={the_course.pk}"
    assert made.starts_at == at(2030, 10, 12, 10, 0)
    assert (made.channel, made.duration_minutes, made.name_kk, made.name_ru) == (
        "Хабар",
        45,
        "Алгоритмдер",
        "Алгоритмы",
    )
    assert Event.objects.filter(action="content.broadcast_created").count() == 1


def test_create_preselects_the_course(client, signed_in):
    signed_in(Role.ADMINISTRATION)
    the_course = course()
    response = client.get(CREATE, {"course": the_course.pk})
    assert response.context["form"]["course"].value() == the_course.pk


def test_an_overlap_is_shown_on_the_form_and_nothing_is_stored(client, signed_in):
    signed_in(Role.ADMINISTRATION)
    first = course(code="INF-101")
    broadcast(first, at(2030, 10, 12, 9, 30), minutes=60, channel="Хабар")
    response = client.post(CREATE, post_data(course(), channel="ХАБАР"))
    assert response.status_code == 400
    assert response.context["form"].errors["time"]
    assert "INF-101" in response.content.decode()
    assert Broadcast.objects.count() == 1


def test_a_teacher_cannot_post_for_another_course(client, signed_in):
    teacher = signed_in(Role.TEACHER)
    staffed_course(teacher=teacher)
    other = course()
    response = client.post(CREATE, post_data(other))
    assert response.status_code == 400
    assert response.context["form"].errors["course"]
    assert not Broadcast.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"day": ""}, "day"),
        ({"time": "25:00"}, "time"),
        ({"duration_minutes": "0"}, "duration_minutes"),
        ({"name_kk": ""}, "name_kk"),
    ],
)
def test_create_refuses_bad_input(client, signed_in, fields, field):
    signed_in(Role.ADMINISTRATION)
    response = client.post(CREATE, post_data(course(), **fields))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Broadcast.objects.exists()


def test_edit_moves_it_and_links_the_recording(client, signed_in):
    teacher = signed_in(Role.TEACHER)
    the_course = staffed_course(teacher=teacher)
    video = published_item(the_course, by=teacher, name_kk="Бейнежазба")
    b = broadcast(the_course, timezone.now() - timedelta(days=3), name_kk="Эфир")
    page = client.get(edit_url(b))
    assert page.status_code == 200
    assert [c.pk for c in page.context["form"].fields["recording_item"].queryset] == [video.pk]
    local = timezone.localtime(b.starts_at, timezone.get_fixed_timezone(300))
    data = post_data(
        day=local.date().isoformat(),
        time=local.strftime("%H:%M"),
        name_kk="Эфир (жазба)",
        recording_item=str(video.pk),
        recording_url="",
    )
    response = client.post(edit_url(b), data)
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?when=past&course={the_course.pk}"
    b.refresh_from_db()
    assert b.recording_item == video
    assert b.name_kk == "Эфир (жазба)"


def test_edit_refuses_a_recording_before_the_broadcast(client, signed_in):
    signed_in(Role.ADMINISTRATION)
    b = broadcast(course(), at(2040, 1, 10, 10))
    response = client.post(
        edit_url(b), post_data(day="2040-01-10", time="10:00", recording_url="https://tv.example.kz/1")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["recording_url"]
    b.refresh_from_db()
    assert b.recording_url == ""


def test_delete_asks_then_deletes(client, signed_in):
    signed_in(Role.ADMINISTRATION)
    b = broadcast(course(), timezone.now() + timedelta(days=1), name_kk="Жойылатын эфир")
    page = client.get(delete_url(b))
    assert page.status_code == 200
    assert "Жойылатын эфир" in page.content.decode()
    response = client.post(delete_url(b))
    assert response.status_code == 302
    assert not Broadcast.objects.exists()
    assert Event.objects.filter(action="content.broadcast_deleted").count() == 1


# --- The calendar ---------------------------------------------------------------------------------------


@pytest.fixture
def student(make_user, enrol_totp, client):
    user = make_user(Role.STUDENT, language="en")
    client.force_login(user)
    return user


def test_calendar_lists_the_month_by_day(client, student, make_user):
    teacher = make_user(Role.TEACHER)
    the_course = staffed_course(teacher=teacher, code="INF-101")
    enrolled_student(the_course, user=student)
    broadcast(
        the_course, at(2025, 10, 12, 10), name_kk="Сұрыптау", name_en="Sorting", recording_url="https://tv.example.kz/9"
    )
    broadcast(course(), at(2025, 10, 13, 10), name_en="Not mine")
    published_item(
        the_course,
        by=teacher,
        name_en="Lab 1",
        data={"name_en": "Lab 1", "available_until": at(2025, 10, 20, 18).isoformat()},
    )
    response = client.get(CALENDAR, {"month": "2025-10"})
    assert response.status_code == 200
    page = response.content.decode()
    assert [d.day.isoformat() for d in response.context["days"]] == ["2025-10-12", "2025-10-20"]
    assert "Sorting" in page
    assert "Lab 1" in page
    assert "Not mine" not in page
    assert 'href="#day-2025-10-12"' in page
    assert 'id="day-2025-10-12"' in page
    assert 'href="https://tv.example.kz/9"' in page  # aired: the recording is linked
    assert response.context["previous"] == "2025-09"
    assert response.context["following"] == "2025-11"


def test_calendar_falls_back_to_this_month(client, student):
    today = timezone.localdate()
    for value in ("", "2030-13", "soon", "1999-01"):
        response = client.get(CALENDAR, {"month": value} if value else {})
        assert response.status_code == 200
        assert response.context["month"] == today.replace(day=1)
    assert "calendar-empty" in response.content.decode()


def test_calendar_answers_in_a_fixed_number_of_queries(client, student, make_user, django_assert_max_num_queries):
    teacher = make_user(Role.TEACHER)
    enrolments = []

    def add(count):
        for _ in range(count):
            c = staffed_course(teacher=teacher)
            if enrolments:
                enrolments.append(Enrolment.objects.create(course=c, student=enrolments[0].student, source="group"))
            else:
                enrolments.append(enrolled_student(c, user=student))
            for day in (3, 9):
                broadcast(c, at(2030, 10, day, 10) + timedelta(minutes=45 * len(enrolments)))
                published_item(c, by=teacher, data={"available_from": at(2030, 10, day, 8).isoformat()})

    add(1)
    client.get(CALENDAR, {"month": "2030-10"})
    with django_assert_max_num_queries(8) as few:
        client.get(CALENDAR, {"month": "2030-10"})
    add(4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(CALENDAR, {"month": "2030-10"})
    assert sum(len(d.entries) for d in response.context["days"]) == 20
