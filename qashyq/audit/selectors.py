from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from qashyq.audit import rules
from qashyq.audit.data import ChainBreak, VerifyResult
from qashyq.audit.models import Event

_FIELDS = ("id", "prev_hash", "hash", *rules.HASHED_FIELDS)


def ledger_verify(*, chunk_size: int = 5000) -> VerifyResult:
    """Walk the whole chain in order; stop at the first event that does not hold."""
    expected_seq, expected_prev, checked = 1, rules.GENESIS_HASH, 0
    for row in Event.objects.order_by("seq").values(*_FIELDS).iterator(chunk_size=chunk_size):
        problem = None
        if row["seq"] != expected_seq:
            problem = _("sequence gap: expected event %(expected)s, found %(found)s (events missing)") % {
                "expected": expected_seq,
                "found": row["seq"],
            }
        elif row["prev_hash"] != expected_prev:
            problem = _("prev_hash %(stored)s does not equal the hash of the event before it, %(expected)s") % {
                "stored": row["prev_hash"],
                "expected": expected_prev,
            }
        else:
            computed = rules.event_hash(row["prev_hash"], row)
            if computed != row["hash"]:
                problem = _(
                    "content changed: the stored hash %(stored)s does not match the hash of the stored "
                    "fields, %(computed)s"
                ) % {"stored": row["hash"], "computed": computed}
        if problem:
            return VerifyResult(checked, ChainBreak(event_id=row["id"], seq=row["seq"], problem=problem))
        checked += 1
        expected_seq, expected_prev = row["seq"] + 1, row["hash"]
    return VerifyResult(checked, None)


def event_list_for_target(*, target_type: str, target_id: str) -> list[Event]:
    return list(Event.objects.filter(target_type=target_type, target_id=target_id).order_by("seq"))


def latest_after_by_target(*, target_type: str) -> dict[str, dict[str, Any]]:
    """{target_id: `after` of the last event} for every target of `target_type` (one query)."""
    last_seqs = (
        Event.objects.filter(target_type=target_type).values("target_id").annotate(last=Max("seq")).values("last")
    )
    rows = Event.objects.filter(seq__in=last_seqs).values_list("target_id", "after")
    return dict(rows.iterator(chunk_size=5000))
