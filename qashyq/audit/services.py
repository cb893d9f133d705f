from collections.abc import Sequence
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from qashyq.audit import rules
from qashyq.audit.models import Event

# Any 64-bit constant works: every ledger writer takes the same PostgreSQL advisory lock.
_LEDGER_LOCK_KEY = 0x51A5_4A17


def _describe_actor(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "anonymous" if actor is not None else "system"
    return actor.pk, actor.get_username()


def _describe_target(target: Any) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk)
    target_type, target_id = target
    return str(target_type), str(target_id)


def _lock_ledger() -> None:
    """Serialize ledger writers so that two never link to the same previous event.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: transactions start IMMEDIATE
    (settings), which already takes the single write lock. The unique constraints on `seq`
    and `prev_hash` make a fork impossible even if this were bypassed.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LEDGER_LOCK_KEY])


def _chain_fields(
    *, seq: int, occurred_at: Any, actor: tuple[int | None, str], entry: dict[str, Any], ip: str
) -> dict[str, Any]:
    target_type, target_id = _describe_target(entry.get("target"))
    return {
        "seq": seq,
        "occurred_at": occurred_at,
        "actor_id": actor[0],
        "actor_label": actor[1][:200],
        "action": entry["action"],
        "target_type": target_type,
        "target_id": target_id,
        "before": rules.normalize(entry.get("before") or {}),
        "after": rules.normalize(entry.get("after") or {}),
        "reason": entry.get("reason") or "",
        "ip": ip or "",
    }


def events_record(*, actor: Any, entries: Sequence[dict[str, Any]], ip: str = "") -> list[Event]:
    """Append the events (each a dict of action, target, before, after, reason) of one actor in their order:
    one read of the chain's end and one insert, whatever their number."""
    if not entries:
        return []
    described = _describe_actor(actor)
    with transaction.atomic():
        _lock_ledger()
        last = Event.objects.order_by("-seq").values("seq", "hash").first()
        prev_hash = last["hash"] if last else rules.GENESIS_HASH
        seq = last["seq"] if last else 0
        occurred_at = timezone.now()
        events: list[Event] = []
        for entry in entries:
            seq += 1
            fields = _chain_fields(seq=seq, occurred_at=occurred_at, actor=described, entry=entry, ip=ip)
            event = Event(prev_hash=prev_hash, hash=rules.event_hash(prev_hash, fields), **fields)
            events.append(event)
            prev_hash = event.hash
        return Event.objects.bulk_create(events)


def event_record(
    *,
    actor: Any,
    action: str,
    target: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    ip: str = "",
) -> Event:
    entry = {"action": action, "target": target, "before": before, "after": after, "reason": reason}
    return events_record(actor=actor, entries=[entry], ip=ip)[0]
