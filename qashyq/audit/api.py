"""The audit ledger's public surface. Every app that changes something that matters calls `record`.

An app above may add a consistency check to `manage.py audit_verify` with `register_check` (from its
AppConfig.ready): a function that compares the app's current rows with what the ledger says they should be."""

from collections.abc import Callable, Sequence
from typing import Any

from qashyq.audit.data import ChainBreak, VerifyResult
from qashyq.audit.models import Event
from qashyq.audit.selectors import event_list_for_target, latest_after_by_target, ledger_verify
from qashyq.audit.services import event_record, events_record

__all__ = [
    "ChainBreak",
    "VerifyResult",
    "checks_run",
    "events_for",
    "latest_after",
    "record",
    "record_many",
    "register_check",
    "verify",
]

Check = Callable[[], list[str]]
_CHECKS: dict[str, Check] = {}


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


def record_many(*, actor: Any, entries: Sequence[dict[str, Any]], ip: str = "") -> list[int]:
    """Append several events of one actor, in order, in one write (a batch of changes made together); each
    entry holds `action` and optionally `target`, `before`, `after`, `reason` as for `record`. Returns their
    sequence numbers. Call it inside the transaction that makes the changes."""
    return [event.seq for event in events_record(actor=actor, entries=entries, ip=ip)]


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


def latest_after(*, target_type: str) -> dict[str, dict[str, Any]]:
    """For every target of `target_type` that has events: {target_id: the `after` of its last event}
    (one query)."""
    return latest_after_by_target(target_type=target_type)


def register_check(name: str, check: Check) -> None:
    """Add a consistency check to `manage.py audit_verify`: `check()` returns the problems it finds, each a
    translated sentence ([] when all is well). Registering a name again replaces its check."""
    _CHECKS[name] = check


def checks_run() -> list[tuple[str, list[str]]]:
    """Run every registered check, by name: [(name, problems)]."""
    return [(name, list(_CHECKS[name]())) for name in sorted(_CHECKS)]
