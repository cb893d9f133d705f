"""Pages of DLT orders: who gets what (200/302/400/404), what each POST changes, the job's progress, and a
fixed number of queries on the list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from qashyq.accounts.api import Role
from qashyq.dlt.data import ApplicationStatus, AttachmentKind, JobStatus
from qashyq.dlt.models import Application, Attachment, AttachmentJob, Enrolment
from qashyq.dlt.services import orders as services
from qashyq.dlt.tests.helpers import dlt_world, make_application
from qashyq.dlt.tests.test_orders_helpers import EFFECTIVE, accepted, cheap_pdfs, new_student, snapshot
from qashyq.records.data import OrderStatus
from qashyq.records.models import Order

pytestmark = pytest.mark.django_db

LIST = reverse("dlt:order-list")
CREATE = reverse("dlt:order-create")
OTHER_ROLES = [Role.STUDENT, Role.TEACHER, Role.TUTOR, Role.DIDACTICS, Role.IT_SUPPORT]


def url(name, order_id, *extra):
    return reverse(f"dlt:{name}", args=[order_id, *extra])


@pytest.fixture
def world(monkeypatch, enrol_totp):
    cheap_pdfs(monkeypatch)
    world = dlt_world()
    for user in (world.admin, world.head):
        user.language = "en"
        user.save()
        enrol_totp(user)
    return world


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def order(world, run_jobs):
    return run_jobs(
        services.dlt_order_create, actor=world.admin, application_ids=[accepted(world).pk], effective_date=EFFECTIVE
    )


@pytest.fixture
def other_user(make_user, enrol_totp):
    def make(role):
        user = make_user(role, language="en")
        enrol_totp(user)
        return user

    return make


def state():
    """What an order touches (the audit ledger aside: signing in writes to it)."""
    return snapshot()[:-1]


# --- The list ---------------------------------------------------------------------------------------------


def test_list_for_administration_and_head(world, order, as_user):
    for user in (world.admin, world.head):
        response = as_user(user).get(LIST)
        assert response.status_code == 200
        body = response.content.decode()
        assert url("order-detail", order.id) in body
        assert "All ready" in body
        assert "3 of 3 ready" in body
    assert ("New DLT order" in as_user(world.admin).get(LIST).content.decode()) is True
    assert ("New DLT order" in as_user(world.head).get(LIST).content.decode()) is False


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_list_is_not_found_for_other_roles(world, order, as_user, other_user, role):
    assert as_user(other_user(role)).get(LIST).status_code == 404


def test_list_needs_sign_in(client, world):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_list_filters(world, order, as_user):
    client = as_user(world.admin)
    assert url("order-detail", order.id) in client.get(LIST, {"status": "draft"}).content.decode()
    assert url("order-detail", order.id) not in client.get(LIST, {"status": "signed"}).content.decode()
    name = world.student.last_name
    assert url("order-detail", order.id) in client.get(LIST, {"q": name}).content.decode()
    assert client.get(LIST, {"status": "nonsense"}).status_code == 400


def test_list_has_a_fixed_number_of_queries(world, run_jobs, as_user):
    client = as_user(world.admin)
    run_jobs(
        services.dlt_order_create, actor=world.admin, application_ids=[accepted(world).pk], effective_date=EFFECTIVE
    )
    client.get(LIST)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for _ in range(3):
        student = new_student(world)
        run_jobs(
            services.dlt_order_create,
            actor=world.admin,
            application_ids=[accepted(world, student).pk],
            effective_date=EFFECTIVE,
        )
    with CaptureQueriesContext(connection) as four:
        response = client.get(LIST)
    assert response.content.decode().count("3 of 3 ready") == 4
    assert len(four) == len(one)


# --- A new draft ---------------------------------------------------------------------------------------------


def test_create_page_lists_accepted_applications_and_blocked_ones(monkeypatch, enrol_totp, as_user):
    cheap_pdfs(monkeypatch)
    world = dlt_world(eumk_missing=1)
    enrol_totp(world.admin)
    application = accepted(world)
    submitted = make_application(new_student(world), status=ApplicationStatus.SUBMITTED)
    response = as_user(world.admin).get(CREATE)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'value="{application.pk}"' in body
    assert f'value="{submitted.pk}"' not in body
    with translation.override("kk"):  # the page speaks the first language of the interface
        assert gettext("Blocked") in body
    assert "WEB202" in body


@pytest.mark.parametrize("role", [*OTHER_ROLES, Role.HEAD])
def test_create_is_for_the_administration_service_only(world, as_user, other_user, role):
    user = world.head if role == Role.HEAD else other_user(role)
    client = as_user(user)
    assert client.get(CREATE).status_code == 404
    assert client.post(CREATE, {"applications": [1], "effective_date": "2026-12-01"}).status_code == 404


def test_create_posts_a_draft(world, as_user, django_capture_on_commit_callbacks):
    application = accepted(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(world.admin).post(CREATE, {"applications": [application.pk], "effective_date": "2026-12-01"})
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("order-detail", order.pk)
    assert order.effective_date == EFFECTIVE
    assert Enrolment.objects.get().application_id == application.pk
    assert Attachment.objects.count() == 3


def test_create_refuses_bad_input_with_400(world, as_user):
    accepted(world)
    submitted = make_application(new_student(world), status=ApplicationStatus.SUBMITTED)
    client = as_user(world.admin)
    before = state()
    response = client.post(CREATE, {"effective_date": "2026-12-01"})
    assert response.status_code == 400
    assert "Choose at least one accepted application." in response.content.decode()
    response = client.post(CREATE, {"applications": [submitted.pk], "effective_date": "2026-12-01"})
    assert response.status_code == 400
    assert "is not accepted or is in an order already" in response.content.decode()
    response = client.post(CREATE, {"applications": [Application.objects.first().pk], "effective_date": "soon"})
    assert response.status_code == 400
    assert state() == before


def test_create_shows_what_records_refuses(world, as_user):
    application = accepted(world)
    world.student.status = "academic_leave"
    world.student.save()
    before = state()
    response = as_user(world.admin).post(CREATE, {"applications": [application.pk], "effective_date": "2026-12-01"})
    assert response.status_code == 400
    assert world.student.full_name in response.content.decode()
    assert state() == before


# --- One order -----------------------------------------------------------------------------------------------


def test_detail_shows_students_attachments_and_links(world, order, as_user):
    response = as_user(world.admin).get(url("order-detail", order.id))
    assert response.status_code == 200
    body = response.content.decode()
    for attachment in Attachment.objects.all():
        assert reverse("documents:document-download", args=[attachment.document_id]) in body
    assert reverse("records:order-detail", args=[order.id]) in body
    assert body.count('data-state="ready"') == 3
    assert "Generate attachments" in body
    assert "<progress" in body
    assert "hx-get" not in body  # the job is done: nothing to poll
    head = as_user(world.head).get(url("order-detail", order.id)).content.decode()
    assert "Generate attachments" not in head
    assert url("order-sign", order.id) in head


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_order_pages_are_not_found_for_other_roles(world, order, as_user, other_user, role):
    client = as_user(other_user(role))
    for name in ("order-detail", "order-progress", "order-sign", "order-add"):
        assert client.get(url(name, order.id)).status_code == 404
    assert client.post(url("order-generate", order.id)).status_code == 404


def test_detail_of_missing_or_other_orders_is_not_found(world, order, as_user):
    assert as_user(world.admin).get(url("order-detail", 999999)).status_code == 404


def test_a_running_job_is_polled_and_the_page_reloads_when_it_is_done(world, order, as_user):
    job = AttachmentJob.objects.create(order_id=order.id, status=JobStatus.RUNNING, total=3, done=1)
    client = as_user(world.admin)
    body = client.get(url("order-detail", order.id)).content.decode()
    assert f'hx-get="{url("order-progress", order.id)}"' in body
    assert 'value="1"' in body
    assert 'max="3"' in body
    fragment = client.get(url("order-progress", order.id), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert "HX-Refresh" not in fragment
    assert "Running: 1 of 3 attachments (33%)" in fragment.content.decode()
    AttachmentJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, done=3)
    fragment = client.get(url("order-progress", order.id), HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true"


def test_generate_attachments(world, order, as_user, django_capture_on_commit_callbacks):
    Attachment.objects.filter(kind=AttachmentKind.SCHEDULE).delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(world.admin).post(url("order-generate", order.id))
    assert response.status_code == 302
    assert Attachment.objects.count() == 3
    assert as_user(world.head).post(url("order-generate", order.id)).status_code == 404


def test_add_and_remove_students(world, order, as_user, django_capture_on_commit_callbacks):
    other = accepted(world, new_student(world))
    client = as_user(world.admin)
    page = client.get(url("order-add", order.id))
    assert page.status_code == 200
    assert f'value="{other.pk}"' in page.content.decode()
    assert client.post(url("order-add", order.id), {}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("order-add", order.id), {"applications": [other.pk]})
    assert response.status_code == 302
    assert Enrolment.objects.count() == 2
    assert Attachment.objects.count() == 6

    response = client.post(url("order-remove", order.id, other.pk))
    assert response.status_code == 302
    assert Enrolment.objects.count() == 1
    assert Application.objects.get(pk=other.pk).status == ApplicationStatus.ACCEPTED
    before = state()
    assert client.post(url("order-remove", order.id, other.pk)).status_code == 400
    assert as_user(world.head).post(url("order-remove", order.id, order.id)).status_code == 404
    assert state() == before


# --- Signature -------------------------------------------------------------------------------------------------


def test_sign_page_lists_the_problems(world, order, as_user):
    Attachment.objects.filter(kind=AttachmentKind.STUDY_PLAN).delete()
    response = as_user(world.head).get(url("order-sign", order.id))
    assert response.status_code == 200
    body = response.content.decode()
    assert "The order cannot be signed:" in body
    assert "the attachment “Individual study plan” is missing." in body.replace("&ldquo;", "“").replace("&rdquo;", "”")
    before = state()
    response = as_user(world.head).post(url("order-sign", order.id))
    assert response.status_code == 400
    assert state() == before


def test_sign_page_says_ready_and_the_head_signs(world, order, as_user):
    client = as_user(world.head)
    page = client.get(url("order-sign", order.id))
    assert page.status_code == 200
    assert "Ready to sign" in page.content.decode()
    response = client.post(url("order-sign", order.id))
    assert response.status_code == 302
    assert response["Location"] == url("order-detail", order.id)
    assert Order.objects.get(pk=order.id).status == OrderStatus.SIGNED
    again = client.get(url("order-sign", order.id))
    assert again.status_code == 400


def test_a_forged_sign_request_is_not_found_and_changes_nothing(world, order, as_user, other_user):
    before = state()
    for user in (world.admin, world.student_user, other_user(Role.TEACHER)):
        assert as_user(user).post(url("order-sign", order.id)).status_code == 404
    assert state() == before


# --- With the real PDFs --------------------------------------------------------------------------------------


def test_real_attachments_are_issued_and_downloadable(enrol_totp, as_user, django_capture_on_commit_callbacks):
    world = dlt_world()
    enrol_totp(world.admin)
    application = accepted(world)
    client = as_user(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CREATE, {"applications": [application.pk], "effective_date": "2026-12-01"})
    assert response.status_code == 302
    job = AttachmentJob.objects.get()
    assert (job.status, job.done, job.total, job.error) == (JobStatus.DONE, 3, 3, "")
    attachments = list(Attachment.objects.select_related("document").order_by("kind"))
    assert [a.document.target_type for a in attachments] == ["dlt.application", "dlt.schedule", "dlt.studyplan"]
    for attachment in attachments:
        download = client.get(reverse("documents:document-download", args=[attachment.document_id]))
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_detail_of_a_draft_says_what_stands_in_the_way(world, order, as_user):
    client = as_user(world.admin)
    assert "Ready to sign" in client.get(url("order-detail", order.id)).content.decode()
    Attachment.objects.filter(kind=AttachmentKind.APPLICATION).delete()
    body = client.get(url("order-detail", order.id)).content.decode()
    assert "The order cannot be signed yet:" in body
    assert 'data-state="missing"' in body
