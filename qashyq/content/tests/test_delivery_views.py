"""Pages of delivery on paper and case technology: access, forms, htmx polling, fixed queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qashyq.audit.models import Event
from qashyq.content.data import CasePackageStatus, DeliveryChannel, StaffRole
from qashyq.content.models import CasePackage, Dispatch
from qashyq.content.tests.factories import CourseFactory, ItemFactory, add_staff, enrolled_student
from qashyq.content.tests.files_helpers import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, make_user, enrol_totp):
    def sign_in(*roles):
        user = make_user(*roles, language="en")
        if {"administration", "head", "it_support"} & set(roles):
            enrol_totp(user)
        client.force_login(user)
        return user

    return sign_in


@pytest.fixture
def course():
    course = CourseFactory()
    page = ItemFactory(section__course=course, name_kk="Кіріспе")
    publish(page, course.created_by, body="<p>Мәтін</p>")
    return course


def case_url(course):
    return reverse("content:course-case", args=[course.pk])


def delivery_url(course):
    return reverse("content:course-delivery", args=[course.pk])


# --- Case package page ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "staff", "status"),
    [
        ("administration", None, 200),
        ("teacher", StaffRole.TEACHER, 200),
        ("tutor", StaffRole.TUTOR, 403),
        ("head", None, 403),
        ("didactics", None, 403),
        ("teacher", None, 404),  # not on the course
        ("student", None, 404),
        ("it_support", None, 404),
    ],
)
def test_case_page_access(client, signed_in, course, role, staff, status):
    user = signed_in(role)
    if staff:
        add_staff(course, user, staff)
    assert client.get(case_url(course)).status_code == status
    assert client.post(case_url(course)).status_code == (302 if status == 200 else status)
    assert CasePackage.objects.count() == (1 if status == 200 else 0)


def test_case_page_anonymous_goes_to_sign_in(client, course):
    response = client.get(case_url(course))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_building_then_downloading(client, signed_in, course, django_capture_on_commit_callbacks):
    teacher = signed_in("teacher")
    add_staff(course, teacher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(case_url(course))
    assert response.status_code == 302
    assert response["Location"] == case_url(course)
    response = client.get(case_url(course))  # the task ran once the request's transaction committed
    package = CasePackage.objects.get()
    assert package.status == CasePackageStatus.READY, package.error
    html = response.content.decode()
    assert "The case package is ready." in html
    download = reverse("content:asset", args=[package.asset_id]) + "?download=1"
    assert download in html
    assert "hx-trigger" not in html  # nothing left to poll
    file = client.get(download)
    assert file.status_code == 200
    assert file["Content-Disposition"].startswith("attachment;")
    assert b"".join(file.streaming_content)[:2] == b"PK"


def test_status_fragment_polls_until_ready(client, signed_in, course):
    teacher = signed_in("teacher")
    add_staff(course, teacher)
    package = CasePackage.objects.create(
        course=course, requested_by=teacher, status=CasePackageStatus.BUILDING, done=3, total=12
    )
    status_url = reverse("content:case-status", args=[package.pk])
    page = client.get(case_url(course)).content.decode()
    assert f'hx-get="{status_url}" hx-trigger="every 2s" hx-swap="outerHTML"' in page
    fragment = client.get(status_url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    text = fragment.content.decode()
    assert "<html" not in text
    assert 'hx-trigger="every 2s"' in text
    assert '<progress class="w-100" max="100" value="25"' in text
    CasePackage.objects.filter(pk=package.pk).update(status=CasePackageStatus.FAILED, error="OSError: disk full")
    text = client.get(status_url).content.decode()
    assert "hx-trigger" not in text
    assert "could not be built" in text
    assert "OSError: disk full" in text


def test_status_fragment_is_404_for_others(client, signed_in, course, make_user):
    package = CasePackage.objects.create(course=course, requested_by=make_user("teacher"))
    signed_in("tutor")
    assert client.get(reverse("content:case-status", args=[package.pk])).status_code == 404
    assert client.get(reverse("content:case-status", args=[package.pk + 1])).status_code == 404


# --- Delivery page ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"), [("administration", 200), ("head", 403), ("teacher", 404), ("student", 404)]
)
def test_delivery_page_access(client, signed_in, course, role, status):
    user = signed_in(role)
    if role == "teacher":
        add_staff(CourseFactory(period=course.period), user)
    assert client.get(delivery_url(course)).status_code == status


def _students(course, count, *, paper):
    today = timezone.localdate()
    for n in range(count):
        enrolment = enrolled_student(course, delivery=DeliveryChannel.PAPER if paper else DeliveryChannel.ELECTRONIC)
        if paper:
            Dispatch.objects.create(
                enrolment=enrolment,
                channel="post",
                dispatched_on=today - timedelta(days=5 + n),
                tracking_number=f"RR{n:09d}KZ",
                recorded_by=course.created_by,
            )


def test_delivery_page_lists_students_with_a_fixed_number_of_queries(client, signed_in, course):
    signed_in("administration")
    _students(course, 2, paper=True)
    client.get(delivery_url(course))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        response = client.get(delivery_url(course))
    assert response.status_code == 200
    _students(course, 5, paper=True)
    _students(course, 3, paper=False)
    with CaptureQueriesContext(connection) as many:
        response = client.get(delivery_url(course))
    assert len(many) == len(few)
    html = response.content.decode()
    assert html.count('name="delivery"') == 10
    assert "RR000000000KZ" in html
    assert html.count("Record a dispatch") == 7
    assert html.count("Record the receipt") == 7


def test_delivery_page_query_count(client, signed_in, course, django_assert_num_queries):
    signed_in("administration")
    _students(course, 4, paper=True)
    client.get(delivery_url(course))
    with django_assert_num_queries(5):  # the roles come with the session: no query of their own
        client.get(delivery_url(course))


def test_setting_paper_delivery(client, signed_in, course):
    admin = signed_in("administration")
    enrolment = enrolled_student(course)
    url = reverse("content:delivery-set", args=[enrolment.pk])
    response = client.post(url, {"delivery": "paper"})
    assert response.status_code == 302
    assert response["Location"] == delivery_url(course)
    enrolment.refresh_from_db()
    assert enrolment.delivery == "paper"
    assert Event.objects.filter(action="content.delivery_changed", actor_id=admin.pk).count() == 1
    assert client.post(url, {"delivery": "carrier pigeon"}).status_code == 400
    assert client.get(url).status_code == 405
    enrolment.refresh_from_db()
    assert enrolment.delivery == "paper"


def test_only_the_administration_sets_delivery(client, signed_in, course):
    signed_in("head")
    enrolment = enrolled_student(course)
    assert client.post(reverse("content:delivery-set", args=[enrolment.pk]), {"delivery": "paper"}).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.delivery == "electronic"


def test_recording_a_dispatch_and_its_receipt(client, signed_in, course):
    signed_in("administration")
    enrolment = enrolled_student(course, delivery=DeliveryChannel.PAPER)
    url = reverse("content:dispatch-create", args=[enrolment.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f'value="{timezone.localdate().isoformat()}"' in page.content.decode()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    bad = client.post(url, {"dispatched_on": tomorrow, "channel": "post"})
    assert bad.status_code == 400
    assert "cannot be in the future" in bad.content.decode()
    assert Dispatch.objects.count() == 0
    today = timezone.localdate().isoformat()
    response = client.post(url, {"dispatched_on": today, "channel": "courier", "tracking_number": "CR-77"})
    assert response.status_code == 302
    dispatch = Dispatch.objects.get()
    assert (dispatch.channel, dispatch.tracking_number, dispatch.received_on) == ("courier", "CR-77", None)
    receive = reverse("content:dispatch-receive", args=[dispatch.pk])
    assert client.get(receive).status_code == 200
    assert client.post(receive, {"received_on": "not a date"}).status_code == 400
    assert client.post(receive, {"received_on": today}).status_code == 302
    dispatch.refresh_from_db()
    assert dispatch.received_on == timezone.localdate()
    again = client.post(receive, {"received_on": today})
    assert again.status_code == 400
    assert "already recorded" in again.content.decode()
    html = client.get(delivery_url(course)).content.decode()
    assert re.search(r"Received on", html)


def test_dispatch_for_an_electronic_student_is_refused(client, signed_in, course):
    signed_in("administration")
    enrolment = enrolled_student(course)
    response = client.post(
        reverse("content:dispatch-create", args=[enrolment.pk]),
        {"dispatched_on": timezone.localdate().isoformat(), "channel": "post"},
    )
    assert response.status_code == 400
    assert "set paper delivery first" in response.content.decode()
    assert Dispatch.objects.count() == 0


def test_dispatch_pages_are_404_for_others(client, signed_in, course, make_user):
    enrolment = enrolled_student(course, delivery=DeliveryChannel.PAPER)
    dispatch = Dispatch.objects.create(
        enrolment=enrolment, channel="post", dispatched_on=timezone.localdate(), recorded_by=make_user()
    )
    signed_in("teacher")
    assert client.get(reverse("content:dispatch-create", args=[enrolment.pk])).status_code == 404
    assert client.get(reverse("content:dispatch-receive", args=[dispatch.pk])).status_code == 404
    signed_in("administration")
    assert client.get(reverse("content:dispatch-create", args=[enrolment.pk + 99])).status_code == 404
    assert client.get(reverse("content:dispatch-receive", args=[dispatch.pk + 99])).status_code == 404
