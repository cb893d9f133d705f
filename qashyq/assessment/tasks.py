"""Background work of testing (Celery). Correctness never depends on it: an attempt past its deadline is also
closed when its page, a save or a submit touches it."""

from celery import shared_task


@shared_task(name="assessment.tasks.attempts_sweep")
def attempts_sweep() -> int:
    """Close and grade every attempt in progress past its deadline and grace period; returns how many."""
    from qashyq.assessment.services.attempts import attempts_close_overdue

    return attempts_close_overdue()
