"""The audit ledger's public surface. Every app that changes something that matters calls `record`."""

from typing import Any

from qashyq.audit.data import ChainBreak, VerifyResult
from qashyq.audit.models import Event
from qashyq.audit.selectors import event_list_for_target, ledger_verify
from qashyq.audit.services import event_record

__all__ = ["ChainBreak", "VerifyResult", "events_for", "record", "verify"]


def record(
    *,
    actor: Any,
    action: str,
    target: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    ip: str = "",
) -> int:
    """Append one event and return its sequence number.

    `actor` is a user (or None for the system), `target` a model instance or a
    ("app_label.model", id) pair, `before`/`after` JSON-able dicts of the values that changed.
    Call it inside the transaction that makes the change, so both commit or neither does.
    """
    event: Event = event_record(
        actor=actor, action=action, target=target, before=before, after=after, reason=reason, ip=ip
    )
    return event.seq


def verify() -> VerifyResult:
    return ledger_verify()


def events_for(*, target_type: str, target_id: str) -> list[dict[str, Any]]:
    return [
        {
            "seq": e.seq,
            "occurred_at": e.occurred_at,
            "actor_label": e.actor_label,
            "action": e.action,
            "before": e.before,
            "after": e.after,
            "reason": e.reason,
        }
        for e in event_list_for_target(target_type=target_type, target_id=target_id)
    ]


def summary() -> dict[str, Any]:
    """How long the ledger is and when it last grew (for dashboards)."""
    last = Event.objects.order_by("-seq").values("seq", "occurred_at").first()
    return {"events": last["seq"] if last else 0, "last_at": last["occurred_at"] if last else None}
