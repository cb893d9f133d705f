"""Background work of DLT enrolment (Celery, scheduled through `qashyq.core.tasks.enqueue` after commit):
the notices of applications, the attachments of DLT orders, the daily refresh of schedules.

Correctness never depends on a worker or the beat: a job that stops moving is taken for dead after a while
and a new one may start (services/orders.py); a schedule is re-generated whenever its page, PDF or feed is
read. Services are imported inside the tasks: the services schedule these tasks."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from qashyq.dlt.models import ApplicationEvent

DEFAULT_LANGUAGE = "kk"


def notice_language(user: object | None) -> str:
    """The student's interface language (their account's choice), Kazakh when none is chosen."""
    language = (getattr(user, "language", "") or "")[:2]
    return language if language in dict(settings.LANGUAGES) else DEFAULT_LANGUAGE


@shared_task(name="dlt.tasks.application_notice_send")
def application_notice_send(event_id: int) -> bool:
    """E-mail the student that their application took a step, in their interface language, to their account's
    address or else their record's. Returns whether a message was sent (not when there is no address)."""
    event = (
        ApplicationEvent.objects.select_related("application", "application__student", "application__student__user")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return False
    application = event.application
    student = application.student
    user = student.user
    address = (getattr(user, "email", "") or "") or student.email
    if not address:
        return False
    url = settings.QASHYQ_PUBLIC_URL.rstrip("/") + reverse("dlt:application-detail", args=[application.pk])
    with translation.override(notice_language(user)):
        context = {"event": event, "application": application, "student": student, "url": url}
        subject = " ".join(render_to_string("dlt/email/application_notice_subject.txt", context).split())
        body = render_to_string("dlt/email/application_notice.txt", context)
    send_mail(subject, body, None, [address])
    return True


# --- the attachments of a DLT order (rule 13, R39) ---


@shared_task(name="dlt.tasks.attachments_job_run")
def attachments_job_run(job_id: int) -> int:
    """Start a queued job: its students are split into chunks, each issued by `attachments_chunk_run` (so that
    several workers issue a big order's PDFs at once). Returns the number of students (0 when the job was not
    queued any more)."""
    from qashyq.dlt.services import orders

    job = orders.attachments_job_dispatch(job_id=job_id)
    return job.total // orders.PER_STUDENT if job is not None else 0


@shared_task(name="dlt.tasks.attachments_chunk_run")
def attachments_chunk_run(job_id: int, enrolment_ids: list[int]) -> int:
    """Issue what is missing or out of date for these students; returns the number of documents issued."""
    from qashyq.dlt.services import orders

    return orders.attachments_chunk_process(job_id=job_id, enrolment_ids=list(enrolment_ids))


# --- the daily refresh of individual schedules (Celery beat) ---


@shared_task(name="dlt.tasks.schedules_refresh")
def schedules_refresh() -> int:
    """Bring every schedule still kept up to date in line with the calendar and the courses; returns how
    many changed."""
    from qashyq.dlt.services.schedules import schedules_refresh as refresh

    return refresh(today=timezone.localdate())
