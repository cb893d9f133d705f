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
    actor_id, actor_label = _describe_actor(actor)
    target_type, target_id = _describe_target(target)
    with transaction.atomic():
        _lock_ledger()
        last = Event.objects.order_by("-seq").values("seq", "hash").first()
        prev_hash = last["hash"] if last else rules.GENESIS_HASH
        fields: dict[str, Any] = {
            "seq": (last["seq"] + 1) if last else 1,
            "occurred_at": timezone.now(),
            "actor_id": actor_id,
            "actor_label": actor_label[:200],
            "action": action,
            "target_type": target_type,
            "target_id": target_id,
            "before": rules.normalize(before or {}),
            "after": rules.normalize(after or {}),
            "reason": reason,
            "ip": ip or "",
        }
        return Event.objects.create(prev_hash=prev_hash, hash=rules.event_hash(prev_hash, fields), **fields)
