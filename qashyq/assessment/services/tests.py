"""The settings of a test (rules 17, 27; R46, R47): made when the course's staff first open the test item,
changed by its teachers; the blueprint that draws each attempt's questions from the discipline's banks; and
the arrangements for single students (extra time, extra attempts, another window). Every change is audited;
bad input is refused with a message naming the field and changes nothing."""

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qashyq.assessment.data import Difficulty, GradingMethod, IdentityCheck, ReviewWhen
from qashyq.assessment.models import Accommodation, Bank, BlueprintRule, Category, Question, Test
from qashyq.assessment.permissions.tests import can_manage_test
from qashyq.assessment.rules.network import networks_problems
from qashyq.audit import api as audit_api
from qashyq.content import api as content_api
from qashyq.content.data import ItemKind

MAX_GRACE_SECONDS = 600
MAX_TIME_LIMIT_MINUTES = 24 * 60
MAX_ATTEMPTS = 100
MAX_EXTRA_TIME_PERCENT = 400
MAX_EXTRA_ATTEMPTS = 20
MAX_RULE_COUNT = 500
MAX_POINTS = Decimal("1000")

# What test_update changes, with the kind of value each takes.
_INTEGER_FIELDS = ("time_limit_minutes", "grace_seconds", "attempts_allowed", "pass_percent")
_BOOLEAN_FIELDS = (
    "shuffle_questions",
    "shuffle_options",
    "review_score",
    "review_responses",
    "review_correct",
    "review_feedback",
)
_CHOICE_FIELDS: dict[str, Any] = {
    "grading_method": GradingMethod,
    "identity_check": IdentityCheck,
    "review_when": ReviewWhen,
}
_TEXT_FIELDS = ("instructions", "access_code", "allowed_networks")
_DATETIME_FIELDS = ("opens_at", "closes_at")
SETTINGS_FIELDS = _INTEGER_FIELDS + _BOOLEAN_FIELDS + tuple(_CHOICE_FIELDS) + _TEXT_FIELDS + _DATETIME_FIELDS


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _snapshot(test: Test) -> dict[str, Any]:
    return {name: _json(getattr(test, name)) for name in SETTINGS_FIELDS}


def _check_manager(*, actor: Any, test: Test | None = None, item_id: int | None = None) -> None:
    """Only a teacher of the course changes a test."""
    try:
        access = content_api.item_access(user=actor, item_id=item_id if item_id is not None else test.item_id)  # type: ignore[union-attr]
    except Http404:
        raise PermissionDenied(_("Only a teacher of the course changes its tests.")) from None
    if not can_manage_test(access):
        raise PermissionDenied(_("Only a teacher of the course changes its tests."))


# --- The test of an item -----------------------------------------------------------------------------


def _availability(*, course_id: int, item_id: int) -> tuple[datetime | None, datetime | None]:
    """The published availability dates of the item (None where it has none)."""
    for item in content_api.scheduled_items(course_ids=[course_id]):
        if item.item_id == item_id:
            return item.opens_at, item.closes_at
    return None, None


def test_for_item(*, item_id: int, actor: Any) -> Test:
    """The test of a course item of kind "test", made with the default settings the first time the course's
    staff open it (the window from the item's published availability dates, if any). Audit
    `assessment.test_created`. PermissionDenied for anyone but the course's staff when it does not exist yet."""
    existing = Test.objects.filter(item_id=item_id).first()
    if existing is not None:
        return existing
    access = content_api.staff_item_access(
        user=actor,
        item_id=item_id,
        kind=ItemKind.TEST,
        refusal=_("Only the staff of the course set up its tests."),
        wrong_kind=_("This item of the course is not a test."),
    )
    opens_at, closes_at = _availability(course_id=access.course_id, item_id=item_id)
    try:
        with transaction.atomic():
            test = Test.objects.create(
                item_id=item_id, course_id=access.course_id, opens_at=opens_at, closes_at=closes_at, updated_by=actor
            )
            audit_api.record(
                actor=actor, action="assessment.test_created", target=test, after=_snapshot(test) | {"item": item_id}
            )
    except IntegrityError:  # made by someone else at the same moment
        return Test.objects.get(item_id=item_id)
    return test


# --- Settings ------------------------------------------------------------------------------------------


def _clean_settings(test: Test, fields: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(fields) - set(SETTINGS_FIELDS))
    if unknown:
        raise ValidationError(_("Unknown settings: %(names)s.") % {"names": ", ".join(unknown)})
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name in _INTEGER_FIELDS:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                errors[name] = _("Give a whole number, 0 or more.")
                continue
        elif name in _BOOLEAN_FIELDS:
            value = bool(value)
        elif name in _CHOICE_FIELDS:
            if value not in _CHOICE_FIELDS[name].values:
                errors[name] = _("Choose one of the offered values.")
                continue
        elif name in _TEXT_FIELDS:
            value = str(value or "").strip()
        elif value is not None and (not isinstance(value, datetime) or timezone.is_naive(value)):
            errors[name] = _("Give a date and time.")
            continue
        values[name] = value
    merged = {name: values.get(name, getattr(test, name)) for name in SETTINGS_FIELDS}
    if "time_limit_minutes" not in errors and merged["time_limit_minutes"] > MAX_TIME_LIMIT_MINUTES:
        errors["time_limit_minutes"] = _("The time limit can be at most %(n)d minutes.") % {"n": MAX_TIME_LIMIT_MINUTES}
    if "grace_seconds" not in errors and merged["grace_seconds"] > MAX_GRACE_SECONDS:
        errors["grace_seconds"] = _("The grace period can be at most %(n)d seconds.") % {"n": MAX_GRACE_SECONDS}
    if "attempts_allowed" not in errors and merged["attempts_allowed"] > MAX_ATTEMPTS:
        errors["attempts_allowed"] = _("At most %(n)d attempts (0: unlimited).") % {"n": MAX_ATTEMPTS}
    if "pass_percent" not in errors and merged["pass_percent"] > 100:
        errors["pass_percent"] = _("The pass mark is a percentage from 0 to 100.")
    opens, closes = merged["opens_at"], merged["closes_at"]
    if "opens_at" not in errors and "closes_at" not in errors and opens and closes and closes <= opens:
        errors["closes_at"] = _("The test must close after it opens.")
    if "allowed_networks" in values:
        problems = networks_problems(values["allowed_networks"])
        if problems:
            errors["allowed_networks"] = " ".join(problems)
    if len(merged["access_code"]) > Test._meta.get_field("access_code").max_length:  # type: ignore[operator]
        errors["access_code"] = _("The access code can be at most 50 characters long.")
    shows = any(merged[name] for name in ("review_score", "review_responses", "review_correct", "review_feedback"))
    if not shows and merged["review_when"] != ReviewWhen.NEVER and "review_when" not in errors:
        errors["review_when"] = _("Choose what students see in the review, or set the review to “Never”.")
    if errors:
        raise ValidationError(errors)
    return values


def test_update(*, test: Test, actor: Any, **fields: Any) -> Test:
    """Change the settings of a test (names as on the model). Validates everything before changing anything:
    the window closes after it opens, the time limit, attempts and pass mark are whole numbers ≥ 0 (the
    grace period at most 600 s), every allowed network is an address or a CIDR range, the review shows
    something unless it is never open. Audit `assessment.test_updated` with the values that changed."""
    _check_manager(actor=actor, test=test)
    values = _clean_settings(test, fields)
    with transaction.atomic():
        test = Test.objects.select_for_update().get(pk=test.pk)
        before = _snapshot(test)
        for name, value in values.items():
            setattr(test, name, value)
        after = _snapshot(test)
        changed = [name for name in SETTINGS_FIELDS if before[name] != after[name]]
        if not changed:
            return test
        test.updated_by = actor
        test.save(update_fields=[*changed, "updated_by", "updated_at"])
        audit_api.record(
            actor=actor,
            action="assessment.test_updated",
            target=test,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
    return test


# --- Blueprint -----------------------------------------------------------------------------------------


def _rule_snapshot(rule: BlueprintRule, category_ids: list[int]) -> dict[str, Any]:
    return {
        "rule": rule.pk,
        "bank": rule.bank_id,
        "categories": sorted(category_ids),
        "difficulty": rule.difficulty,
        "count": rule.count,
        "points": _json(rule.points),
    }


def blueprint_rule_add(
    *,
    test: Test,
    actor: Any,
    bank_id: int,
    category_ids: list[int] | tuple[int, ...] = (),
    difficulty: int | None = None,
    count: int,
    points: Decimal | None = None,
) -> BlueprintRule:
    """Add a rule: draw `count` questions of a bank of the course's discipline (of these topics of the bank,
    none: any; of this difficulty, None: any), each worth `points` (None: its own points). Audit
    `assessment.blueprint_rule_added`."""
    _check_manager(actor=actor, test=test)
    errors: dict[str, str] = {}
    bank = Bank.objects.filter(pk=bank_id).first()
    if bank is None or bank.discipline_id != test.course.discipline_id:
        errors["bank"] = _("Choose a question bank of the course's discipline.")
    ids = sorted({int(i) for i in category_ids})
    if bank is not None and ids:
        found = set(Category.objects.filter(bank=bank, pk__in=ids).values_list("pk", flat=True))
        if found != set(ids):
            errors["categories"] = _("Choose topics of the chosen bank.")
    if difficulty is not None and difficulty not in Difficulty.values:
        errors["difficulty"] = _("Choose a difficulty: simple, medium or hard.")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_RULE_COUNT:
        errors["count"] = _("Draw from 1 to %(n)d questions.") % {"n": MAX_RULE_COUNT}
    if points is not None:
        try:
            points = Decimal(points)
        except (InvalidOperation, TypeError, ValueError):
            errors["points"] = _("Give the points as a number.")
        else:
            if not Decimal(0) < points <= MAX_POINTS or points != points.quantize(Decimal("0.01")):
                errors["points"] = _("Points are more than 0 and at most 1000, with two decimals at most.")
            else:
                points = points.quantize(Decimal("0.01"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        position = (test.rules.aggregate(last=Max("position"))["last"] or 0) + 1
        rule = BlueprintRule.objects.create(
            test=test, position=position, bank_id=bank_id, difficulty=difficulty, count=count, points=points
        )
        if ids:
            rule.categories.set(ids)
        audit_api.record(
            actor=actor, action="assessment.blueprint_rule_added", target=test, after=_rule_snapshot(rule, ids)
        )
    return rule


def blueprint_rule_remove(*, test: Test, actor: Any, rule_id: int) -> None:
    """Remove a rule of the test's blueprint. Audit `assessment.blueprint_rule_removed`."""
    _check_manager(actor=actor, test=test)
    with transaction.atomic():
        rule = BlueprintRule.objects.filter(test=test, pk=rule_id).first()
        if rule is None:
            raise ValidationError({"rule": _("This rule is not in the test's blueprint.")})
        before = _rule_snapshot(rule, list(rule.categories.values_list("pk", flat=True)))
        rule.delete()
        audit_api.record(actor=actor, action="assessment.blueprint_rule_removed", target=test, before=before)


def rule_pool(rule: BlueprintRule, category_ids: list[int] | None = None) -> Q:
    """The active questions a rule draws from, as a filter on Question."""
    pool = Q(bank_id=rule.bank_id, archived=False, current__isnull=False)
    ids = category_ids if category_ids is not None else [c.pk for c in rule.categories.all()]
    if ids:
        pool &= Q(category_id__in=ids)
    if rule.difficulty is not None:
        pool &= Q(difficulty=rule.difficulty)
    return pool


def rule_label(rule: BlueprintRule) -> str:
    """“bank “Midterm”, topics Algorithms, Graphs, medium” — what a rule draws from, for messages."""
    parts = [_("bank “%(name)s”") % {"name": rule.bank.name}]
    topics = [c.path for c in rule.categories.all()]
    parts.append(_("topics %(names)s") % {"names": ", ".join(topics)} if topics else _("any topic"))
    parts.append(str(Difficulty(rule.difficulty).label).lower() if rule.difficulty is not None else _("any difficulty"))
    return ", ".join(parts)


def blueprint_pools(test: Test) -> list[tuple[BlueprintRule, list[int]]]:
    """Each rule of the blueprint (with its bank and topics) and the ids of the active questions it may draw."""
    rules = list(test.rules.select_related("bank").prefetch_related("categories").order_by("position", "pk"))
    if not rules:
        return []
    any_pool = Q(pk__in=[])
    for rule in rules:
        any_pool |= rule_pool(rule)
    candidates = list(
        Question.objects.filter(any_pool).order_by("pk").values("pk", "bank_id", "category_id", "difficulty")
    )  # by pk: an attempt's draw is repeated from its seed
    result = []
    for rule in rules:
        topics = {c.pk for c in rule.categories.all()}
        ids = [
            q["pk"]
            for q in candidates
            if q["bank_id"] == rule.bank_id
            and (not topics or q["category_id"] in topics)
            and (rule.difficulty is None or q["difficulty"] == rule.difficulty)
        ]
        result.append((rule, ids))
    return result


def blueprint_problems(test: Test, pools: list[tuple[BlueprintRule, list[int]]] | None = None) -> list[str]:
    """Why attempts of the test could not be drawn now (translated), or []: no rules, a rule whose pool holds
    fewer active questions than it draws, rules that share questions and together draw more than they hold."""
    pools = blueprint_pools(test) if pools is None else pools
    if not pools:
        return [_("The blueprint has no rules: add at least one to draw questions from a bank.")]
    problems = []
    for number, (rule, ids) in enumerate(pools, start=1):
        if len(ids) < rule.count:
            problems.append(
                ngettext(
                    "Rule %(number)d (%(pool)s) draws %(count)d questions, but only %(found)d active question "
                    "matches it.",
                    "Rule %(number)d (%(pool)s) draws %(count)d questions, but only %(found)d active questions "
                    "match it.",
                    len(ids),
                )
                % {"number": number, "pool": rule_label(rule), "count": rule.count, "found": len(ids)}
            )
    if not problems:
        union = set().union(*(set(ids) for _rule, ids in pools))
        wanted = sum(rule.count for rule, _ids in pools)
        if len(union) < wanted:
            problems.append(
                _(
                    "The rules draw %(count)d questions in all, but together they match only %(found)d different "
                    "questions: a question is never drawn twice."
                )
                % {"count": wanted, "found": len(union)}
            )
    return problems


# --- Accommodations --------------------------------------------------------------------------------------


def _accommodation_snapshot(row: Accommodation | None) -> dict[str, Any]:
    if row is None:
        return {}
    return {
        "student": row.student_id,
        "extra_time_percent": row.extra_time_percent,
        "extra_attempts": row.extra_attempts,
        "opens_at": _json(row.opens_at),
        "closes_at": _json(row.closes_at),
    }


def _check_student(test: Test, student_id: int) -> None:
    enrolled = {e.student_id for e in content_api.course_enrolments(course_id=test.course_id)}
    if student_id not in enrolled:
        raise ValidationError({"student": _("This student is not enrolled in the course.")})


def accommodation_set(
    *,
    test: Test,
    actor: Any,
    student_id: int,
    extra_time_percent: int = 0,
    extra_attempts: int = 0,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    reason: str,
) -> Accommodation:
    """Give (or change) a student's arrangements for the test: extra time (% of the time limit), extra
    attempts, their own window. The reason is required. Audit `assessment.accommodation_set` with
    before/after and the reason."""
    _check_manager(actor=actor, test=test)
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Give the reason for the arrangement (it is kept in the audit log).")
    elif len(reason) > 500:
        errors["reason"] = _("The reason can be at most 500 characters long.")
    if (
        isinstance(extra_time_percent, bool)
        or not isinstance(extra_time_percent, int)
        or not 0 <= extra_time_percent <= MAX_EXTRA_TIME_PERCENT
    ):
        errors["extra_time_percent"] = _("Extra time is from 0 to %(n)d %%.") % {"n": MAX_EXTRA_TIME_PERCENT}
    if (
        isinstance(extra_attempts, bool)
        or not isinstance(extra_attempts, int)
        or not 0 <= extra_attempts <= MAX_EXTRA_ATTEMPTS
    ):
        errors["extra_attempts"] = _("Extra attempts are from 0 to %(n)d.") % {"n": MAX_EXTRA_ATTEMPTS}
    for name, value in (("opens_at", opens_at), ("closes_at", closes_at)):
        if value is not None and (not isinstance(value, datetime) or timezone.is_naive(value)):
            errors[name] = _("Give a date and time.")
    if "opens_at" not in errors and "closes_at" not in errors and opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = _("The student's window must close after it opens.")
    if not errors and not extra_time_percent and not extra_attempts and opens_at is None and closes_at is None:
        errors["extra_time_percent"] = _("Give extra time, extra attempts or the student's own window.")
    if errors:
        raise ValidationError(errors)
    _check_student(test, student_id)
    with transaction.atomic():
        row = Accommodation.objects.select_for_update().filter(test=test, student_id=student_id).first()
        before = _accommodation_snapshot(row)
        if row is None:
            row = Accommodation(test=test, student_id=student_id)
        row.extra_time_percent = extra_time_percent
        row.extra_attempts = extra_attempts
        row.opens_at = opens_at
        row.closes_at = closes_at
        row.reason = reason
        row.granted_by = actor
        row.save()
        audit_api.record(
            actor=actor,
            action="assessment.accommodation_set",
            target=test,
            before=before,
            after=_accommodation_snapshot(row),
            reason=reason,
        )
    return row


def accommodation_remove(*, test: Test, actor: Any, student_id: int, reason: str) -> None:
    """Take a student's arrangements away. The reason is required. Audit `assessment.accommodation_removed`."""
    _check_manager(actor=actor, test=test)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for removing the arrangement.")})
    with transaction.atomic():
        row = Accommodation.objects.select_for_update().filter(test=test, student_id=student_id).first()
        if row is None:
            raise ValidationError({"student": _("This student has no arrangements in the test.")})
        before = _accommodation_snapshot(row)
        row.delete()
        audit_api.record(
            actor=actor, action="assessment.accommodation_removed", target=test, before=before, reason=reason
        )
