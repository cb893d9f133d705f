"""Dated versions of the grading policy (rules 28–30): the administration service and the head add a version in
force from a future date. Versions only go forward, so a result already computed keeps its version."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from qashyq.academics import api as academics_api
from qashyq.gradebook import permissions, rules
from qashyq.gradebook.data import Rounding
from qashyq.gradebook.models import GradeScale, GradingPolicy, PeriodClosure
from qashyq.gradebook.services import _audit

POLICY_CREATED = "gradebook.policy_created"
MAX_WINDOW_DAYS = 365


def _days(value: Any) -> int | None:
    """`value` as a whole number of days from 1 to 365, else None."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_WINDOW_DAYS:
        return None
    return value


def _closed_period_holding(day: date) -> bool:
    """Whether `day` falls inside an academic period that is closed."""
    holding = [p.id for p in academics_api.period_list() if p.start_date <= day <= p.end_date]
    return bool(holding) and PeriodClosure.objects.filter(period_id__in=holding).exists()


def policy_create(
    *,
    actor: Any,
    valid_from: date,
    scale_id: int,
    current_weight: Any,
    exam_weight: Any,
    admission_threshold: Any,
    exam_threshold: Any,
    rounding: str,
    entry_window_days: int,
    retake_window_days: int,
) -> GradingPolicy:
    """Add a policy version in force from `valid_from` (the administration service and the head; else
    PermissionDenied). ValidationError by field, changing nothing, when `valid_from` is before today, not after
    the latest version's date or inside a closed period; the scale does not exist; a weight is outside 0–1, a
    threshold outside 0–100 (at most two decimals); the rounding is unknown; a window is not 1–365 days. Audit
    `gradebook.policy_created` with the values.

    Results are not recalculated here: the version applies to the courses of periods that start on or after
    `valid_from`, and the hourly recalculation picks it up."""
    if not permissions.can_add_policy(user=actor):
        raise PermissionDenied(_("Only the administration service and the head change the grading policy."))
    errors: dict[str, str] = {}
    weights = {
        "current_weight": rules.decimal_from(current_weight, Decimal(1)),
        "exam_weight": rules.decimal_from(exam_weight, Decimal(1)),
    }
    thresholds = {
        "admission_threshold": rules.decimal_from(admission_threshold),
        "exam_threshold": rules.decimal_from(exam_threshold),
    }
    windows = {"entry_window_days": _days(entry_window_days), "retake_window_days": _days(retake_window_days)}
    for name, number in weights.items():
        if number is None:
            errors[name] = _("A weight is a number from 0 to 1 with at most two decimals.")
    for name, number in thresholds.items():
        if number is None:
            errors[name] = _("A threshold is a number from 0 to 100 with at most two decimals.")
    for name, days in windows.items():
        if days is None:
            errors[name] = _("A window is a whole number of days from 1 to %(max)d.") % {"max": MAX_WINDOW_DAYS}
    if rounding not in Rounding.values:
        errors["rounding"] = _("Choose a rounding.")
    if not isinstance(valid_from, date) or isinstance(valid_from, datetime):
        errors["valid_from"] = _("Give the date the version is in force from.")
    elif valid_from < timezone.localdate():
        errors["valid_from"] = _("A new version cannot start in the past.")
    with transaction.atomic():
        if (
            isinstance(scale_id, bool)
            or not isinstance(scale_id, int)
            or not GradeScale.objects.filter(pk=scale_id).exists()
        ):
            errors["scale_id"] = _("Choose an existing letter scale.")
        # The latest version is locked so that two versions cannot be added past it at once; its date is read
        # again after the lock, when a version added meanwhile is visible.
        list(GradingPolicy.objects.select_for_update().order_by("-valid_from")[:1])
        latest = GradingPolicy.objects.order_by("-valid_from").values_list("valid_from", flat=True).first()
        if "valid_from" not in errors:
            if latest is not None and valid_from <= latest:
                errors["valid_from"] = _("A new version must start after the latest one (%(date)s).") % {
                    "date": date_format(latest, "SHORT_DATE_FORMAT")
                }
            elif _closed_period_holding(valid_from):
                errors["valid_from"] = _("The date falls inside a closed academic period.")
        if errors:
            raise ValidationError(errors)
        policy = GradingPolicy.objects.create(
            valid_from=valid_from,
            scale_id=scale_id,
            rounding=rounding,
            **weights,
            **thresholds,
            **windows,
        )
        _audit.record(
            actor=actor,
            action=POLICY_CREATED,
            target=policy,
            after={
                "valid_from": valid_from.isoformat(),
                "scale": scale_id,
                **{name: str(number) for name, number in {**weights, **thresholds}.items()},
                "rounding": rounding,
                **windows,
            },
        )
    return policy
