"""Celery application. The schedule is defined in code (settings.CELERY_BEAT_SCHEDULE)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("qashyq")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
