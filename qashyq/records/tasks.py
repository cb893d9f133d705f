"""Background work of records. Correctness never depends on it: orders come into force when they are
signed and whenever an order page or a student card is opened; the daily run only catches up early."""

from celery import shared_task
from django.utils import timezone

from qashyq.records.services.orders import orders_apply_due as _orders_apply_due


@shared_task(name="records.tasks.orders_apply_due")
def orders_apply_due() -> int:
    """Bring into force every signed order whose date has come; returns how many were."""
    return len(_orders_apply_due(today=timezone.localdate()))
