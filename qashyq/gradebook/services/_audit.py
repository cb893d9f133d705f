"""The audit events of the gradebook, written by its services in the transaction of the change.

A grade's events target ("gradebook.grade", pk) and their `after` always holds the score (`checks` compares
every grade with the last one); refused attempts target the measure, so they never count as a grade's state."""

from decimal import Decimal
from typing import Any

from qashyq.audit import api as audit_api
from qashyq.gradebook.rules import cents

GRADE_TARGET = "gradebook.grade"
MEASURE_TARGET = "gradebook.controlmeasure"

GRADE_ENTERED = "gradebook.grade_entered"
GRADE_CHANGED = "gradebook.grade_changed"
GRADE_REFUSED = "gradebook.grade_refused"
MEASURE_CREATED = "gradebook.measure_created"
MEASURE_UPDATED = "gradebook.measure_updated"
MEASURE_DELETED = "gradebook.measure_deleted"
ENTRY_REOPENED = "gradebook.entry_reopened"
PERIOD_CLOSED = "gradebook.period_closed"
CHANGE_REQUESTED = "gradebook.change_requested"
CHANGE_APPROVED = "gradebook.change_approved"
CHANGE_REJECTED = "gradebook.change_rejected"


def score_text(score: Decimal) -> str:
    """A score as the ledger keeps it: to the cent ("87.50")."""
    return str(cents(score))


def grade_event(
    *,
    grade_id: int,
    measure_id: int,
    student_id: int,
    attempt: int,
    score: Decimal,
    before: Decimal | None,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The event of a grade entered (`before` None) or changed: before {"score"}, after {"score", "measure",
    "student", "attempt", ...extra}."""
    after: dict[str, Any] = {"score": score_text(score), "measure": measure_id, "student": student_id}
    after["attempt"] = attempt
    after.update(extra or {})
    return {
        "action": GRADE_ENTERED if before is None else GRADE_CHANGED,
        "target": (GRADE_TARGET, grade_id),
        "before": {"score": score_text(before)} if before is not None else None,
        "after": after,
        "reason": reason,
    }


def refusal_event(*, measure_id: int, student_id: int, score: Any, attempt: Any, code: str) -> dict[str, Any]:
    """The event of an attempt to enter or change a grade that was refused for a reason that matters (rights, a
    locked period, a closed window, a student not admitted): what was tried and why it was refused."""
    return {
        "action": GRADE_REFUSED,
        "target": (MEASURE_TARGET, measure_id),
        "after": {"score": str(score), "measure": measure_id, "student": student_id, "attempt": attempt, "code": code},
    }


def grade_recorded(*, actor: Any, ip: str = "", **event: Any) -> int:
    """Write `grade_event(**event)`."""
    return audit_api.record(actor=actor, ip=ip, **grade_event(**event))


def grade_refused(*, actor: Any, ip: str = "", **event: Any) -> int:
    """Write `refusal_event(**event)`."""
    return audit_api.record(actor=actor, ip=ip, **refusal_event(**event))


def events_written(*, actor: Any, events: list[dict[str, Any]], ip: str = "") -> None:
    """Write events made by `grade_event` and `refusal_event` of one actor, in order, in one go."""
    audit_api.record_many(actor=actor, entries=events, ip=ip)


def record(
    *,
    actor: Any,
    action: str,
    target: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    ip: str = "",
) -> int:
    """Any other event of the gradebook (measures, reopenings, closures, change requests)."""
    return audit_api.record(actor=actor, action=action, target=target, before=before, after=after, reason=reason, ip=ip)
