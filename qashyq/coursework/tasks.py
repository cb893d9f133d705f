"""Background work of coursework (Celery beat, daily). Nothing depends on it: the workload pages and the
collection dashboard show what is overdue whenever they are read."""

from celery import shared_task


@shared_task(name="coursework.tasks.grading_reminders")
def grading_reminders() -> int:
    """E-mail each tutor holding works handed over more than QASHYQ_COURSEWORK_GRADING_DAYS ago and not reviewed;
    returns how many tutors were sent a reminder."""
    from qashyq.coursework.services import grading_reminders as remind

    return sum(1 for reminder in remind(send=True) if reminder.sent)
