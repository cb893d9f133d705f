"""Background work of learning content (Celery, scheduled through `qashyq.core.tasks.enqueue`)."""

from celery import shared_task

from qashyq.content.services.delivery import case_package_build


@shared_task(name="content.tasks.case_package_build")
def case_package_build_task(package_id: int) -> str:
    """Build a queued case package; returns its final status ("ready" or "failed")."""
    return str(case_package_build(package_id=package_id).status)
