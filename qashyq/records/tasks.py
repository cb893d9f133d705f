"""Background work of records. Correctness never depends on it: orders come into force when they are
signed and whenever an order page or a student card is opened; the daily run only catches up early."""

from celery import shared_task
from django.utils import timezone

from qashyq.records.services.orders import orders_apply_due as _orders_apply_due
from qashyq.records.services.students import student_import_sweep


@shared_task(name="records.tasks.orders_apply_due")
def orders_apply_due() -> int:
    """Bring into force every signed order whose date has come; returns how many were."""
    return len(_orders_apply_due(today=timezone.localdate()))


@shared_task(name="records.tasks.student_import_sweep")
def student_import_sweep_task() -> int:
    """Delete import files kept for a confirmation that never came (also done before every upload)."""
    return student_import_sweep()
