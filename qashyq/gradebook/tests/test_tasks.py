"""Transcripts in bulk: the job a group, a programme or a list of students starts, the task that writes one ZIP
of N verifiable PDFs and counts its progress up to N/N, one student's failure, and bad input (nothing queued)."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qashyq.audit.models import Event
from qashyq.documents.models import Document
from qashyq.documents.tests.pdf import pdf_text
from qashyq.gradebook import printing, tasks
from qashyq.gradebook.models import JobStatus, TranscriptJob, TranscriptScope
from qashyq.gradebook.services import transcripts as services
from qashyq.gradebook.tests.print_helpers import PrintWorld, print_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw() -> PrintWorld:
    return print_world()


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    """Start a job and run what it queued after the commit (the task, Celery eager), as the web request does."""

    def run(**kwargs) -> TranscriptJob:
        with django_capture_on_commit_callbacks(execute=True):
            job = services.transcript_job_start(**kwargs)
        job.refresh_from_db()
        return job

    return run


def _code(error: ValidationError) -> str:
    """The code of a service's refusal, whether it names a field or not."""
    if hasattr(error, "error_dict"):
        return next(str(e.code) for errors in error.error_dict.values() for e in errors)
    return str(error.code)


def _archive(job: TranscriptJob) -> zipfile.ZipFile:
    with job.file.open("rb") as file:
        return zipfile.ZipFile(io.BytesIO(file.read()))


def test_the_transcripts_of_a_group_go_into_one_zip_and_progress_reaches_n_of_n(pw, start, tmp_path):
    job = start(actor=pw.admin, scope=TranscriptScope.GROUP, scope_id=pw.groups[0].id, language="en")
    first, second = pw.students[0], pw.students[1]
    assert (job.status, job.done, job.total, job.error) == (JobStatus.DONE, 2, 2, "")
    assert job.scope_label == "GB-26-1"
    assert job.finished_at is not None
    archive = _archive(job)
    names = sorted(archive.namelist())
    assert names == sorted(
        [f"GB-26-1/{first.full_name}-{first.id}-en.pdf", f"GB-26-1/{second.full_name}-{second.id}-en.pdf"]
    )
    text = pdf_text(archive.read(f"GB-26-1/{first.full_name}-{first.id}-en.pdf"), tmp_path)
    assert f"Student: {first.name_latin}" in text
    assert "Total: 12 credits, cumulative GPA 2.39" in text
    # each PDF is an issued document, in the ZIP as it was stored
    documents = Document.objects.filter(kind=printing.KIND_TRANSCRIPT).order_by("pk")
    assert [d.target_id for d in documents] == [str(i) for i in job.student_ids]  # in the job's order
    assert set(job.student_ids) == {first.id, second.id}
    assert all(d.issued_by == pw.admin and d.language == "en" for d in documents)
    started = Event.objects.get(action="gradebook.transcripts_started")
    assert started.target_id == str(job.pk)
    assert started.after == {"scope": "group", "scope_id": pw.groups[0].id, "language": "en", "students": 2}


def test_progress_is_counted_after_each_transcript(pw, start, monkeypatch):
    seen: list[tuple[int, int]] = []
    issue = printing.transcript_issue

    def counting(**kwargs):
        job = TranscriptJob.objects.get()
        seen.append((job.done, job.total))
        return issue(**kwargs)

    monkeypatch.setattr(printing, "transcript_issue", counting)
    job = start(actor=pw.admin, scope=TranscriptScope.PROGRAMME, scope_id=pw.students[0].programme_id, language="kk")
    assert seen == [(0, 4), (1, 4), (2, 4), (3, 4)]
    assert (job.done, job.total, job.status) == (4, 4, JobStatus.DONE)
    assert len(_archive(job).namelist()) == 4


def test_a_list_of_students(pw, start):
    chosen = [pw.students[3].id, pw.students[0].id, pw.students[3].id]  # a repeated id counts once
    job = start(actor=pw.admin, scope=TranscriptScope.LIST, student_ids=chosen, language="ru")
    assert job.student_ids == [pw.students[3].id, pw.students[0].id]
    assert (job.done, job.total, job.scope_id) == (2, 2, None)
    assert sorted(n.split("/")[0] for n in _archive(job).namelist()) == ["GB-26-1", "GB-26-2"]


def test_one_failing_transcript_does_not_stop_the_others(pw, start, monkeypatch):
    issue = printing.transcript_issue
    failing = pw.students[1]

    def sometimes(**kwargs):
        if kwargs["student_id"] == failing.id:
            raise RuntimeError("disk full")
        return issue(**kwargs)

    monkeypatch.setattr(printing, "transcript_issue", sometimes)
    job = start(actor=pw.admin, scope=TranscriptScope.GROUP, scope_id=pw.groups[0].id, language="kk")
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 2, 2)
    assert job.error == f"{failing.full_name} ({failing.id}): disk full"
    assert _archive(job).namelist() == [f"GB-26-1/{pw.students[0].full_name}-{pw.students[0].id}-kk.pdf"]


def test_a_job_where_nothing_could_be_issued_fails(pw, start, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(printing, "transcript_issue", broken)
    job = start(actor=pw.admin, scope=TranscriptScope.GROUP, scope_id=pw.groups[1].id, language="kk")
    assert (job.status, job.done, job.total) == (JobStatus.FAILED, 2, 2)
    assert job.error.count("no fonts") == 2


def test_the_task_runs_a_job_once(pw, start):
    job = start(actor=pw.admin, scope=TranscriptScope.GROUP, scope_id=pw.groups[1].id, language="en")
    documents = Document.objects.count()
    assert tasks.transcript_job_run.delay(job.pk).get() == 0  # not queued any more
    assert services.transcript_job_run(job_id=10**9) is None
    assert Document.objects.count() == documents
    job.refresh_from_db()
    assert (job.status, job.done) == (JobStatus.DONE, 2)


def test_the_task_through_celery(pw, monkeypatch):
    queued: list[int] = []
    monkeypatch.setattr(services, "enqueue", lambda task, job_id: queued.append(job_id))
    job = services.transcript_job_start(
        actor=pw.admin, scope=TranscriptScope.GROUP, scope_id=pw.groups[1].id, language="kk"
    )
    assert queued == [job.pk]
    assert (job.status, job.done) == (JobStatus.QUEUED, 0)
    assert tasks.transcript_job_run.delay(job.pk).get() == 2
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 2, 2)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"scope": TranscriptScope.GROUP, "scope_id": 10**6, "language": "kk"}, "group"),
        ({"scope": TranscriptScope.GROUP, "scope_id": None, "language": "kk"}, "group"),
        ({"scope": TranscriptScope.PROGRAMME, "scope_id": 10**6, "language": "kk"}, "programme"),
        ({"scope": TranscriptScope.LIST, "student_ids": [10**9], "language": "kk"}, "unknown_student"),
        ({"scope": TranscriptScope.LIST, "student_ids": [], "language": "kk"}, "empty"),
        ({"scope": "everyone", "language": "kk"}, "scope"),
        ({"scope": TranscriptScope.LIST, "student_ids": ["self"], "language": "de"}, "language"),
    ],
)
def test_bad_input_queues_nothing(pw, start, kwargs, code):
    with pytest.raises(ValidationError) as error:
        start(actor=pw.admin, **kwargs)
    assert _code(error.value) == code
    assert not TranscriptJob.objects.exists()
    assert not Event.objects.filter(action="gradebook.transcripts_started").exists()


def test_too_many_students_are_refused(pw, start, monkeypatch):
    monkeypatch.setattr(services, "MAX_STUDENTS", 1)
    with pytest.raises(ValidationError) as error:
        start(actor=pw.admin, scope=TranscriptScope.GROUP, scope_id=pw.groups[0].id, language="kk")
    assert _code(error.value) == "too_many"
    assert not TranscriptJob.objects.exists()


@pytest.mark.parametrize("role", ["head", "teacher", "tutor", "student", "didactics", "it_support", "anonymous"])
def test_only_the_administration_service_starts_a_job(pw, start, role):
    with pytest.raises(PermissionDenied):
        start(actor=pw.user(role), scope=TranscriptScope.GROUP, scope_id=pw.groups[0].id, language="kk")
    assert not TranscriptJob.objects.exists()
    assert not Document.objects.exists()
