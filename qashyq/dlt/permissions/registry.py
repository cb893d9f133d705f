"""Who may use the DLT registry (R56) and its export: the administration service and the head."""

from typing import Any

from qashyq.dlt.permissions import sees_everything


def can_view_registry(*, user: Any) -> bool:
    """The registry page, its counts and its XLSX export."""
    return sees_everything(user)


def can_see_iin(*, user: Any) -> bool:
    """The students' IINs in full, as records allows them (records.permissions.can_see_iin): to the
    administration service and the head; anyone else would get them masked."""
    return sees_everything(user)
