"""The one way to schedule background work: `enqueue(task, ...)`.

The task is sent after the current transaction commits, so a worker never sees data that
was rolled back. In the embedded default, tasks run eagerly in-process.
"""

from typing import Any

from celery import Task
from django.db import transaction


def enqueue(task: Task, /, *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: task.delay(*args, **kwargs))
