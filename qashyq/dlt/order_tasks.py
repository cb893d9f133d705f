"""Background work of DLT orders: issuing the three attachments of every student (rule 13, R39).

A job is dispatched into chunks of students, one task each, so that several workers issue a big order's PDFs
at once (with Celery eager, in development and tests, everything runs inline). Correctness never depends on
a worker: a job that stops moving is taken for dead after a while and a new one may start (see
services/orders.py)."""

from celery import shared_task

from qashyq.dlt.services import orders as services


@shared_task(name="dlt.order_tasks.attachments_job_run")
def attachments_job_run(job_id: int) -> int:
    """Start a queued job: its students are split into chunks, each issued by `attachments_chunk_run`.
    Returns the number of students (0 when the job was not queued any more)."""
    job = services.attachments_job_dispatch(job_id=job_id)
    return job.total // services.PER_STUDENT if job is not None else 0


@shared_task(name="dlt.order_tasks.attachments_chunk_run")
def attachments_chunk_run(job_id: int, enrolment_ids: list[int]) -> int:
    """Issue what is missing or out of date for these students; returns the number of documents issued."""
    return services.attachments_chunk_process(job_id=job_id, enrolment_ids=list(enrolment_ids))
