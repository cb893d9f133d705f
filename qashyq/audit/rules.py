"""Pure calculations of the ledger: canonical form and hashes. No database here."""

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "before",
    "after",
    "reason",
    "ip",
)


def normalize(value: Any) -> Any:
    """The JSON value that the database will hand back for `value` (dates, decimals as text)."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def canonical_json(fields: dict[str, Any]) -> str:
    payload = {name: fields[name] for name in HASHED_FIELDS}
    occurred_at = payload["occurred_at"]
    if isinstance(occurred_at, datetime):
        payload["occurred_at"] = occurred_at.isoformat(timespec="microseconds")
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(fields)).encode()).hexdigest()
