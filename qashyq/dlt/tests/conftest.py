"""Fixtures of the DLT tests (the factories are in helpers.py and the *_helpers.py modules)."""

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """`run_jobs(call, *args, **kwargs)`: the call, then what it queued after commit (the attachments job of a
    DLT order), as Celery eager does."""

    def run(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run
