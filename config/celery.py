"""Celery application. The schedule is defined in code (settings.CELERY_BEAT_SCHEDULE)."""

import logging
import os

from celery import Celery
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

app = Celery("qashyq")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def prepare_sender(celery_app: Celery = app) -> None:
    """Do at a web process's start what its first task send would do inside a request: import the task modules,
    load the result backend and open the broker connection (62 ms of CPU, against 0.5 ms for a later send). On an
    exam day the first submits reach every process at the busiest minute, and that first send made them wait.
    Nothing to do when tasks run eagerly (no broker). A broker that cannot be reached does not stop the process
    from starting: the first send connects then, as it always did."""
    if celery_app.conf.task_always_eager:
        return
    celery_app.loader.import_default_modules()
    celery_app.backend  # noqa: B018 - loaded on first use, through the package's entry points
    try:
        with celery_app.producer_or_acquire() as producer:
            producer.connection.ensure_connection(max_retries=1)
    except (OSError, OperationalError) as error:
        logger.warning("The task broker cannot be reached yet: %s", error)
