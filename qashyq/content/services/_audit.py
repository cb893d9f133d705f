"""The audit event of an update, shared by the services: only the values that changed."""

from typing import Any

from qashyq.audit import api as audit_api


def changed_keys(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The keys of `after` whose values differ from `before`'s, in the order of `after`."""
    return [key for key in after if after[key] != before[key]]


def record_changes(*, actor: Any, action: str, target: Any, before: dict[str, Any], after: dict[str, Any]) -> None:
    """Record `action` on `target` with the values of the two snapshots that differ (nothing when none does)."""
    changed = changed_keys(before, after)
    if changed:
        audit_api.record(
            actor=actor,
            action=action,
            target=target,
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
