"""Reads of a course's control measures for their pages: the list in journal order, one measure of a course,
the course items that may feed a measure, and the history of one cell of the journal."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count

from qashyq.audit import api as audit_api
from qashyq.content import api as content_api
from qashyq.content.data import ItemKind
from qashyq.core.i18n import localized
from qashyq.gradebook.models import ControlMeasure, Grade, GradeChangeRequest

# The kinds of course items whose results feed a measure through gradebook.api.record_result.
FEEDING_KINDS = frozenset({ItemKind.TEST.value, ItemKind.ASSIGNMENT.value})
GRADE_TARGET = "gradebook.grade"


def measure_list(*, course_id: int) -> list[ControlMeasure]:
    """The course's measures in journal order, each with the count of its grades (one query)."""
    return list(
        ControlMeasure.objects.filter(course_id=course_id)
        .annotate(graded=Count("grades"))
        .order_by("position", "week", "due_at", "pk")
    )


def measure_of_course(*, course_id: int, measure_id: int) -> ControlMeasure | None:
    return ControlMeasure.objects.filter(pk=measure_id, course_id=course_id).first()


def item_choices(*, course_id: int, keep: int | None = None) -> list[tuple[int, str]]:
    """The course's published tests and assignments as (id, "name (kind)"), by position; `keep`, an item a
    measure already names, stays a choice even when it is not among them (one query)."""
    kinds = dict(ItemKind.choices)
    choices = [
        (item.item_id, f"{localized(item, 'name')} ({kinds[item.kind]})")
        for item in content_api.scheduled_items(course_ids=[course_id])
        if item.kind in FEEDING_KINDS
    ]
    if keep is not None and keep not in {item_id for item_id, _name in choices}:
        choices.append((keep, f"#{keep}"))
    return choices


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    action: str  # the audit action: gradebook.grade_entered / grade_changed
    before: str
    after: str
    reason: str


@dataclass(frozen=True)
class CellHistory:
    grade_id: int | None
    entries: tuple[HistoryEntry, ...]
    requests: tuple[GradeChangeRequest, ...]  # change requests of the cell, newest first


def cell_history(*, measure_id: int, student_id: int, attempt: int) -> CellHistory:
    """Every entry and change of one grade from the audit ledger, oldest first, and the change requests of the
    cell (three queries)."""
    grade_id = (
        Grade.objects.filter(measure_id=measure_id, student_id=student_id, attempt=attempt)
        .values_list("pk", flat=True)
        .first()
    )
    entries: list[HistoryEntry] = []
    if grade_id is not None:
        for event in audit_api.events_for(target_type=GRADE_TARGET, target_id=str(grade_id)):
            before: dict[str, Any] = event["before"] or {}
            after: dict[str, Any] = event["after"] or {}
            entries.append(
                HistoryEntry(
                    at=event["occurred_at"],
                    who=event["actor_label"],
                    action=event["action"],
                    before=_score(before.get("score")),
                    after=_score(after.get("score")),
                    reason=event["reason"],
                )
            )
    requests = tuple(
        GradeChangeRequest.objects.filter(measure_id=measure_id, student_id=student_id, attempt=attempt)
        .select_related("requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
    )
    return CellHistory(grade_id=grade_id, entries=tuple(entries), requests=requests)


def _score(value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        return str(Decimal(str(value)))
    except ArithmeticError:
        return str(value)
