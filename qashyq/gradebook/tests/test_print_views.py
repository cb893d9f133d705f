"""The pages of the printed documents: a course's grade sheets (its staff for their groups, the administration
service, the head), a student's transcript (the student, the administration service, the head), and the
transcripts in bulk (the administration service: start, progress polled by htmx, the ZIP). 200/302/400/403/404."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qashyq.documents.models import Document
from qashyq.gradebook.models import JobStatus, TranscriptJob
from qashyq.gradebook.tests.print_helpers import PrintWorld, print_world

pytestmark = pytest.mark.django_db

MFA_ROLES = {"administration", "head", "it_support"}
ROLES = [
    "student",
    "teacher",
    "tutor",
    "outsider_teacher",
    "outsider_tutor",
    "administration",
    "head",
    "didactics",
    "it_support",
]


@pytest.fixture
def pw() -> PrintWorld:
    return print_world()


@pytest.fixture
def sign_in(client, enrol_totp):
    def sign(user: Any, role: str = "") -> Client:
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        if role in MFA_ROLES:
            enrol_totp(user)
        client.force_login(user)
        return client

    return sign


def _as(pw: PrintWorld, sign_in, role: str) -> Client:
    return sign_in(pw.user(role), role)


def _is_pdf(client: Client, response: Any) -> bool:
    """The view sent the browser to the issued document's private download, and it is a PDF."""
    if response.status_code != 302 or not response["Location"].startswith("/documents/"):
        return False
    download = client.get(response["Location"])
    return download.status_code == 200 and download["Content-Type"] == "application/pdf"


# --- Grade sheets -----------------------------------------------------------------------------------------

SHEET_PAGE = {
    "student": 404,
    "teacher": 200,
    "tutor": 200,
    "outsider_teacher": 404,
    "outsider_tutor": 404,
    "administration": 200,
    "head": 200,
    "didactics": 404,
    "it_support": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_the_grade_sheets_page(pw, sign_in, role):
    client = _as(pw, sign_in, role)
    response = client.get(reverse("gradebook:grade-sheets", args=[pw.course.id]))
    assert response.status_code == SHEET_PAGE[role]


@pytest.mark.parametrize("role", ROLES)
def test_who_downloads_a_grade_sheet_of_the_first_group(pw, sign_in, role):
    client = _as(pw, sign_in, role)
    url = reverse("gradebook:grade-sheet-pdf", args=[pw.course.id])
    response = client.get(url, {"session": "exam", "group": pw.groups[0].id, "language": "ru"})
    allowed = role in ("teacher", "administration", "head")
    if allowed:
        assert _is_pdf(client, response)
        assert Document.objects.get().language == "ru"
    else:
        assert response.status_code == 404  # the tutor of the second group too
        assert not Document.objects.exists()


def test_the_tutor_gets_the_sheet_of_their_group_without_naming_it(pw, sign_in):
    client = _as(pw, sign_in, "tutor")
    response = client.get(reverse("gradebook:grade-sheet-pdf", args=[pw.course.id]), {"session": "rk1"})
    assert _is_pdf(client, response)
    document = Document.objects.get()
    assert document.target_id == f"{pw.course.id}-{pw.groups[1].id}-rk1"
    assert document.language == "kk"  # the interface speaks English: a sheet is printed in Kazakh or Russian


def test_the_teacher_gets_the_sheet_of_every_group(pw, sign_in):
    client = _as(pw, sign_in, "teacher")
    response = client.get(
        reverse("gradebook:grade-sheet-pdf", args=[pw.course.id]), {"session": "rk2", "language": "kk"}
    )
    assert _is_pdf(client, response)
    assert Document.objects.get().target_id == f"{pw.course.id}-0-rk2"


@pytest.mark.parametrize(
    "query",
    [
        {"session": "rk3", "language": "kk"},
        {"language": "kk"},
        {"session": "exam", "language": "en"},
    ],
)
def test_a_bad_grade_sheet_request_is_400_and_issues_nothing(pw, sign_in, query):
    client = _as(pw, sign_in, "teacher")
    response = client.get(reverse("gradebook:grade-sheet-pdf", args=[pw.course.id]), query)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Document.objects.exists()


@pytest.mark.parametrize("group", ["abc", "999999"])
def test_a_grade_sheet_of_a_group_not_in_the_course_is_404(pw, sign_in, group):
    client = _as(pw, sign_in, "administration")
    response = client.get(
        reverse("gradebook:grade-sheet-pdf", args=[pw.course.id]), {"session": "exam", "group": group}
    )
    assert response.status_code == 404


def test_a_grade_sheet_of_an_unknown_course_is_404_and_anonymous_is_sent_to_sign_in(pw, sign_in, client):
    assert client.get(reverse("gradebook:grade-sheet-pdf", args=[pw.course.id]), {"session": "exam"}).status_code == 302
    client = _as(pw, sign_in, "administration")
    assert client.get(reverse("gradebook:grade-sheet-pdf", args=[10**6]), {"session": "exam"}).status_code == 404
    assert client.get(reverse("gradebook:grade-sheets", args=[10**6])).status_code == 404


# --- Transcripts ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_downloads_the_transcript_of_a_student(pw, sign_in, role):
    client = _as(pw, sign_in, role)
    response = client.get(reverse("gradebook:transcript", args=[pw.students[0].id]), {"language": "en"})
    if role in ("student", "administration", "head"):  # the world's student is students[0]
        assert _is_pdf(client, response)
        assert Document.objects.get().language == "en"
    else:
        assert response.status_code == 404
        assert not Document.objects.exists()


def test_a_student_has_no_other_students_transcript(pw, sign_in):
    client = _as(pw, sign_in, "student")
    assert client.get(reverse("gradebook:transcript", args=[pw.students[2].id])).status_code == 404
    assert not Document.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_own_transcript_is_for_students_only(pw, sign_in, role):
    client = _as(pw, sign_in, role)
    response = client.get(reverse("gradebook:transcript-own"), {"language": "ru"})
    if role == "student":
        assert _is_pdf(client, response)
        document = Document.objects.get()
        assert (document.target_id, document.language) == (str(pw.students[0].id), "ru")
    else:
        assert response.status_code == 404


def test_the_transcript_defaults_to_the_interface_language_and_refuses_another(pw, sign_in):
    client = _as(pw, sign_in, "student")
    assert _is_pdf(client, client.get(reverse("gradebook:transcript-own")))
    assert Document.objects.get().language == "en"
    assert client.get(reverse("gradebook:transcript-own"), {"language": "de"}).status_code == 400
    assert Document.objects.count() == 1


def test_the_transcript_of_an_unknown_student_is_404(pw, sign_in):
    client = _as(pw, sign_in, "administration")
    assert client.get(reverse("gradebook:transcript", args=[10**9])).status_code == 404


# --- Transcripts in bulk ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_administration_service_opens_the_bulk_page(pw, sign_in, role):
    client = _as(pw, sign_in, role)
    expected = 200 if role == "administration" else 404
    assert client.get(reverse("gradebook:transcript-jobs")).status_code == expected
    response = client.post(
        reverse("gradebook:transcript-jobs"), {"scope": "group", "group": pw.groups[0].id, "language": "kk"}
    )
    assert response.status_code == (302 if role == "administration" else 404)
    assert TranscriptJob.objects.count() == (1 if role == "administration" else 0)


def test_the_administration_service_starts_a_job_follows_it_and_downloads_the_zip(
    pw, sign_in, django_capture_on_commit_callbacks
):
    client = _as(pw, sign_in, "administration")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("gradebook:transcript-jobs"), {"scope": "group", "group": pw.groups[1].id, "language": "en"}
        )
    assert response.status_code == 302
    job = TranscriptJob.objects.get()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 2, 2)
    page = client.get(reverse("gradebook:transcript-jobs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="job-{job.pk}"' in html
    assert reverse("gradebook:transcript-job-download", args=[job.pk]) in html
    assert "hx-trigger" not in html  # nothing runs: nothing polls
    progress = client.get(reverse("gradebook:transcript-job-progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert progress.status_code == 200
    assert 'value="2"' in progress.content.decode()
    archive = client.get(reverse("gradebook:transcript-job-download", args=[job.pk]))
    assert archive.status_code == 200
    assert archive["Content-Type"] == "application/zip"
    assert archive["Cache-Control"] == "private, no-store"
    assert b"".join(archive.streaming_content)[:2] == b"PK"


def test_a_running_job_is_polled_and_has_no_archive_yet(pw, sign_in):
    client = _as(pw, sign_in, "administration")
    job = TranscriptJob.objects.create(
        scope="group", scope_id=pw.groups[0].id, scope_label="GB-26-1", language="kk", total=2, done=1,
        status=JobStatus.RUNNING, started_by=pw.admin, student_ids=[s.id for s in pw.students[:2]],
    )  # fmt: skip
    progress = client.get(reverse("gradebook:transcript-job-progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = progress.content.decode()
    assert progress.status_code == 200
    assert 'hx-trigger="every 2s"' in html
    assert "Running: 1 of 2" in html
    assert client.get(reverse("gradebook:transcript-job-download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("role", ["head", "teacher", "student"])
def test_nobody_else_follows_or_downloads_a_job(pw, sign_in, role):
    job = TranscriptJob.objects.create(
        scope="group", scope_id=pw.groups[0].id, language="kk", total=0, status=JobStatus.DONE, started_by=pw.admin
    )
    client = _as(pw, sign_in, role)
    assert client.get(reverse("gradebook:transcript-job-progress", args=[job.pk])).status_code == 404
    assert client.get(reverse("gradebook:transcript-job-download", args=[job.pk])).status_code == 404


def test_the_list_of_students_of_a_group_to_tick(pw, sign_in, django_capture_on_commit_callbacks):
    client = _as(pw, sign_in, "administration")
    page = client.get(reverse("gradebook:transcript-jobs"), {"list": pw.groups[0].id})
    assert page.status_code == 200
    assert pw.students[0].full_name in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("gradebook:transcript-jobs"),
            {"scope": "list", "list_group": pw.groups[0].id, "students": [pw.students[1].id], "language": "kk"},
        )
    assert response.status_code == 302
    assert TranscriptJob.objects.get().student_ids == [pw.students[1].id]


@pytest.mark.parametrize(
    "data",
    [
        {"scope": "group", "language": "kk"},  # no group
        {"scope": "programme", "programme": "", "language": "kk"},
        {"scope": "list", "language": "kk"},  # nobody ticked
        {"scope": "group", "group": "999999", "language": "kk"},  # not a choice
        {"scope": "group", "group": "1", "language": "de"},
        {"scope": "everyone", "language": "kk"},
    ],
)
def test_a_bad_job_form_is_400_and_queues_nothing(pw, sign_in, data):
    client = _as(pw, sign_in, "administration")
    response = client.post(reverse("gradebook:transcript-jobs"), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not TranscriptJob.objects.exists()


def test_a_forged_job_form_is_403(pw, enrol_totp):
    client = Client(enforce_csrf_checks=True)
    enrol_totp(pw.admin)
    client.force_login(pw.admin)
    response = client.post(reverse("gradebook:transcript-jobs"), {"scope": "group", "group": pw.groups[0].id})
    assert response.status_code == 403
    assert not TranscriptJob.objects.exists()
