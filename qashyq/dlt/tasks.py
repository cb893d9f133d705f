"""Background work of DLT enrolment (Celery, scheduled through `qashyq.core.tasks.enqueue` after commit)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

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
