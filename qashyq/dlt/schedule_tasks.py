"""The daily re-generation of individual schedules (Celery beat). Nothing depends on it: a schedule is also
re-generated whenever its page, its PDF or its iCal feed is read."""

from celery import shared_task
from django.utils import timezone

from qashyq.dlt.services.schedules import schedules_refresh


@shared_task(name="dlt.schedule_tasks.schedules_refresh")
def schedules_refresh_task() -> int:
    """Bring every schedule still kept up to date in line with the calendar and the courses; returns how
    many changed."""
    return schedules_refresh(today=timezone.localdate())
