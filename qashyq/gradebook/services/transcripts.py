"""The transcripts of many students in the background: the administration service starts a job for a group, an
educational programme or a list of students; a Celery task (tasks.transcript_job_run) issues each transcript as
a verifiable document (printing.transcript_issue), packs the PDFs into one ZIP and counts its progress (`done`
of `total`) as it goes, which the page polls.

A transcript that cannot be issued is named in the job's `error` and the others go on; the ZIP holds the rest."""

import logging
import re
import tempfile
import zipfile
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qashyq.academics import api as academics_api
from qashyq.core.tasks import enqueue
from qashyq.documents import api as documents_api
from qashyq.gradebook import printing
from qashyq.gradebook.models import JobStatus, TranscriptJob, TranscriptScope
from qashyq.gradebook.services import _audit
from qashyq.records import api as records_api
from qashyq.records.data import StudentData, StudentStatus

logger = logging.getLogger(__name__)

JOB_TARGET = "gradebook.transcriptjob"
JOB_STARTED = "gradebook.transcripts_started"
# Whose transcripts a group or a programme gives: its students who study, are on leave or have graduated.
STATUSES = (StudentStatus.ACTIVE, StudentStatus.ACADEMIC_LEAVE, StudentStatus.GRADUATED)
MAX_STUDENTS = 5000
MAX_ERROR_LINES = 50


def _students(scope: str, scope_id: int | None, student_ids: Iterable[int] | None) -> tuple[list[StudentData], str]:
    """The students of the job, in group and name order, and the label of the scope (a code)."""
    if scope == TranscriptScope.GROUP:
        group = academics_api.group_get(group_id=scope_id) if scope_id else None
        if group is None:
            raise ValidationError({"group": ValidationError(_("Choose a group."), code="group")})
        return records_api.students_in_groups(group_ids=[group.id], statuses=STATUSES), group.code
    if scope == TranscriptScope.PROGRAMME:
        programme = academics_api.programme_get(programme_id=scope_id) if scope_id else None
        if programme is None:
            raise ValidationError(
                {"programme": ValidationError(_("Choose an educational programme."), code="programme")}
            )
        groups = sorted((g for g in academics_api.group_list() if g.programme_id == programme.id), key=lambda g: g.code)
        return records_api.students_in_groups(group_ids=[g.id for g in groups], statuses=STATUSES), programme.code
    if scope == TranscriptScope.LIST:
        ids = list(dict.fromkeys(int(i) for i in student_ids or ()))
        if len(ids) > MAX_STUDENTS:
            raise ValidationError(_("At most %(max)s students in one job.") % {"max": MAX_STUDENTS}, code="too_many")
        found = [records_api.student_get(student_id=i) for i in ids]
        missing = [str(i) for i, s in zip(ids, found, strict=True) if s is None]
        if missing:
            raise ValidationError(
                _("No student with the id %(ids)s.") % {"ids": ", ".join(missing)}, code="unknown_student"
            )
        return [s for s in found if s is not None], ""
    raise ValidationError(_("Choose whose transcripts to issue."), code="scope")


def transcript_job_start(
    *,
    actor: Any,
    scope: str,
    language: str,
    scope_id: int | None = None,
    student_ids: Iterable[int] | None = None,
) -> TranscriptJob:
    """Queue the transcripts of a group, a programme or a list of students in `language` (kk, ru, en); the task
    starts after the commit. The administration service only (PermissionDenied); ValidationError for an unknown
    group, programme or student, another language, no students or too many. Audit "gradebook.transcripts_started"."""
    if not printing.can_run_transcript_jobs(user=actor):
        raise PermissionDenied(_("Only the administration service issues transcripts in bulk."))
    if language not in printing.TRANSCRIPT_LANGUAGES:
        raise ValidationError(
            {"language": ValidationError(_("Transcripts are issued in Kazakh, Russian or English."), code="language")}
        )
    students, label = _students(scope, scope_id, student_ids)
    if not students:
        raise ValidationError(_("There are no students to issue transcripts for."), code="empty")
    if len(students) > MAX_STUDENTS:
        raise ValidationError(_("At most %(max)s students in one job.") % {"max": MAX_STUDENTS}, code="too_many")
    from qashyq.gradebook import tasks

    with transaction.atomic():
        job = TranscriptJob.objects.create(
            scope=scope,
            scope_id=scope_id if scope != TranscriptScope.LIST else None,
            scope_label=label,
            student_ids=[s.id for s in students],
            language=language,
            total=len(students),
            started_by=actor,
        )
        _audit.record(
            actor=actor,
            action=JOB_STARTED,
            target=(JOB_TARGET, job.pk),
            after={"scope": scope, "scope_id": job.scope_id, "language": language, "students": job.total},
        )
        enqueue(tasks.transcript_job_run, job.pk)
    return job


# --- The task's body ----------------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _file_name(student: StudentData, group_code: str, language: str) -> str:
    """ "ИС-26-1/Әбілқайыр Айгерім Нұрланқызы-42-kk.pdf": the group's folder, the name, the id, the language."""
    folder = _UNSAFE.sub("_", group_code).strip(" .") or "-"
    name = _UNSAFE.sub("_", student.full_name).strip(" .") or "student"
    return f"{folder}/{name}-{student.id}-{language}.pdf"


def _claim(job_id: int) -> TranscriptJob | None:
    """The queued job, now running; None when it is not queued (it ran already, or another worker has it)."""
    with transaction.atomic():
        job = TranscriptJob.objects.select_for_update().filter(pk=job_id, status=JobStatus.QUEUED).first()
        if job is None:
            return None
        job.status = JobStatus.RUNNING
        job.save(update_fields=["status", "updated_at"])
    return job


def transcript_job_run(*, job_id: int) -> TranscriptJob | None:
    """Issue every transcript of the queued job into one ZIP, counting `done` after each; then store the ZIP and
    mark the job done (failed when nothing could be issued). None when the job is not queued."""
    job = _claim(job_id)
    if job is None:
        return None
    actor = job.started_by
    groups = {g.id: g.code for g in academics_api.group_list()}
    errors: list[str] = []
    issued = 0
    try:
        with tempfile.TemporaryFile() as archive:
            with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zipped:
                for done, student_id in enumerate(job.student_ids, start=1):
                    student = records_api.student_get(student_id=student_id)
                    try:
                        if student is None:
                            raise ValidationError(_("The student's record no longer exists."))
                        document = printing.transcript_issue(student_id=student_id, language=job.language, actor=actor)
                        zipped.writestr(
                            _file_name(student, groups.get(student.group_id or 0, ""), job.language),
                            documents_api.document_content(document_id=document.id),
                        )
                        issued += 1
                    except Exception as error:  # one student's failure must not stop the others
                        logger.exception("transcript of student %s failed in job %s", student_id, job.pk)
                        name = student.full_name if student is not None else str(student_id)
                        errors.append(f"{name} ({student_id}): {error}")
                    TranscriptJob.objects.filter(pk=job.pk).update(done=done, updated_at=timezone.now())
            archive.seek(0)
            job.refresh_from_db()
            job.file.save(f"transcripts-{job.pk}.zip", File(archive), save=False)
    except Exception as error:
        logger.exception("transcript job %s failed", job.pk)
        errors.append(str(error))
        issued = 0
    job.status = JobStatus.DONE if issued else JobStatus.FAILED
    job.error = "\n".join(errors[:MAX_ERROR_LINES])
    if len(errors) > MAX_ERROR_LINES:
        job.error += "\n" + _("… and %(count)s more.") % {"count": len(errors) - MAX_ERROR_LINES}
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "file", "updated_at"])
    return job
