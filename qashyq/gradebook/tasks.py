"""Background work of the gradebook (Celery, scheduled through `qashyq.core.tasks.enqueue` after commit): the
transcripts of many students into one ZIP, and the hourly recalculation of results. Services are imported inside
the tasks: the services schedule them."""

from celery import shared_task


@shared_task(name="gradebook.tasks.transcript_job_run")
def transcript_job_run(job_id: int) -> int:
    """Issue the transcripts of a queued job into its ZIP; returns how many students it went through (0 when
    the job was not queued any more)."""
    from qashyq.gradebook.services.transcripts import transcript_job_run as run

    job = run(job_id=job_id)
    return job.done if job is not None else 0


@shared_task(name="gradebook.tasks.results_recalculate")
def results_recalculate() -> int:
    """Recalculate every course's results (only changed ones are written): a measure whose day has come turns
    "in progress" into "not admitted" where it is missing, and SCORM scores reach the grades. Returns how many
    results changed."""
    from qashyq.gradebook.services.results import results_recalculate as run

    return run()
