"""The gradebook's check in `manage.py audit_verify`: every grade equals the score of its last audit event.

Every entry and change of a grade writes an audit event whose `after` holds the new score (services.grades), so
a grade written, changed or deleted behind the application's back no longer matches the ledger; the ledger
itself is a hash chain that `audit_verify` walks before this check runs."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from qashyq.audit import api as audit_api
from qashyq.gradebook.models import Grade
from qashyq.gradebook.services._audit import GRADE_TARGET


def _ledger_score(after: dict[str, Any]) -> Decimal | None:
    try:
        return Decimal(str(after["score"]))
    except (KeyError, InvalidOperation, TypeError):
        return None


def grades_match_ledger() -> list[str]:
    """The problems found, each a translated sentence naming the grade ([] when every grade matches).
    Two queries, whatever the number of grades."""
    ledger = audit_api.latest_after(target_type=GRADE_TARGET)
    problems: list[str] = []
    grades = Grade.objects.order_by("pk").values_list("pk", "measure_id", "student_id", "attempt", "score")
    for pk, measure_id, student_id, attempt, score in grades.iterator(chunk_size=5000):
        names = {"id": pk, "measure": measure_id, "student": student_id, "attempt": attempt, "score": score}
        after = ledger.pop(str(pk), None)
        if after is None:
            problems.append(
                _(
                    "Grade %(id)s (measure %(measure)s, student %(student)s, attempt %(attempt)s) has no audit "
                    "event: it was written behind the application's back."
                )
                % names
            )
        elif _ledger_score(after) != score:
            problems.append(
                _(
                    "Grade %(id)s (measure %(measure)s, student %(student)s, attempt %(attempt)s) is %(score)s, "
                    "but its last audit event says %(ledger)s: it was changed behind the application's back."
                )
                % (names | {"ledger": after.get("score", "—")})
            )
    for target_id in sorted(ledger, key=lambda t: int(t) if t.isdigit() else 0):
        problems.append(
            _(
                "Grade %(id)s is in the audit ledger but not in the gradebook: it was deleted behind the "
                "application's back."
            )
            % {"id": target_id}
        )
    return problems
