"""Background work of testing (Celery). Correctness never depends on it: an attempt past its deadline is also
closed when its page, a save or a submit touches it, and a graded result whose task was lost is published by
the sweep."""

from celery import shared_task
from django.contrib.auth import get_user_model


@shared_task(name="assessment.tasks.attempts_sweep")
def attempts_sweep() -> dict[str, int]:
    """Close and grade every attempt in progress past its deadline and grace period, then publish every graded
    result not yet passed on to the course; returns how many of each."""
    from qashyq.assessment.services.attempts import attempts_close_overdue, attempts_publish_pending

    closed = attempts_close_overdue()
    return {"closed": closed, "published": attempts_publish_pending()}


@shared_task(name="assessment.tasks.attempt_publish")
def attempt_publish(attempt_id: int, actor_id: int | None = None) -> bool:
    """Pass a graded attempt's result on to the course's progress and gradebook (scheduled by its grading, so
    that the student's submit does not wait for the gradebook). `actor_id`: who graded it (None: the system)."""
    from qashyq.assessment.services.attempts import attempt_publish as publish

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id is not None else None
    return publish(attempt_id=attempt_id, actor=actor)
