"""Grading by hand, regrading and reopening attempts (rules 27, 28): an essay is graded by a teacher of the
course or the tutor of the student's group, with the rubric or a single score; after a question is fixed a
teacher regrades the test; an attempt cut short (a power cut, a lost connection) is reopened with a reason.
Each is an attempt event and an audit event with before/after and the reason; bad input changes nothing."""

from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qashyq.assessment.data import MANUAL_TYPES, AttemptEventKind, AttemptStatus
from qashyq.assessment.models import Attempt, AttemptEvent, AttemptQuestion, Question, QuestionVersion, Test
from qashyq.assessment.permissions.tests import can_grade, can_manage_test
from qashyq.assessment.rules import grading as grading_rules
from qashyq.assessment.services.attempts import attempt_grade, attempt_locked
from qashyq.audit import api as audit_api
from qashyq.content import api as content_api

MAX_REOPEN_MINUTES = 600
FINISHED = (AttemptStatus.NEEDS_GRADING, AttemptStatus.GRADED)


def _decimal(value: Any, *, field: str) -> Decimal:
    if isinstance(value, bool):
        raise ValidationError({field: _("Give the points as a number.")})
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Give the points as a number.")}) from None
    if not number.is_finite():
        raise ValidationError({field: _("Give the points as a number.")})
    return number


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# --- Grading by hand -------------------------------------------------------------------


def rubric_of(version: QuestionVersion) -> list[dict[str, Any]]:
    """The rubric criteria of an essay's version: [{"criterion", "points"}], [] when it has none."""
    rubric = version.data.get("rubric") if isinstance(version.data, dict) else None
    return [r for r in rubric or [] if isinstance(r, dict) and "points" in r]


def _rubric_score(
    rubric: list[dict[str, Any]], rubric_scores: dict[str, Any], points: Decimal
) -> tuple[Decimal, dict[str, str]]:
    """The question's score from points given per criterion (scaled to what the question is worth)."""
    if not rubric:
        raise ValidationError({"score": _("This question has no rubric: give a single score.")})
    given: dict[str, str] = {}
    total = Decimal(0)
    maximum = Decimal(0)
    errors = []
    for index, criterion in enumerate(rubric):
        key = str(index)
        top = Decimal(str(criterion.get("points") or 0))
        maximum += top
        name = str(criterion.get("criterion") or index + 1)
        if key not in rubric_scores or rubric_scores[key] in (None, ""):
            errors.append(_("Give the points for “%(criterion)s”.") % {"criterion": name})
            continue
        try:
            value = _decimal(rubric_scores[key], field="rubric")
        except ValidationError:
            errors.append(_("The points for “%(criterion)s” are not a number.") % {"criterion": name})
            continue
        if not Decimal(0) <= value <= top:
            errors.append(
                _("The points for “%(criterion)s” must be from 0 to %(max)s.") % {"criterion": name, "max": top}
            )
            continue
        given[key] = str(value)
        total += value
    unknown = set(rubric_scores) - {str(i) for i in range(len(rubric))}
    if unknown:
        errors.append(_("The rubric has no criterion %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
    if errors:
        raise ValidationError({"rubric": errors})
    if maximum <= 0:
        raise ValidationError({"rubric": _("The rubric's criteria are worth no points.")})
    score = grading_rules.cents(total * points / maximum)
    return score, given


def question_grade(
    *,
    actor: Any,
    attempt_question: AttemptQuestion,
    score: Any = None,
    rubric_scores: dict[str, Any] | None = None,
    feedback: str = "",
    reason: str = "",
) -> AttemptQuestion:
    """Grade an essay of a finished attempt: points per rubric criterion (the score is their sum scaled to
    the question's points) or a single score, 0 ≤ score ≤ points. Changing a grade already given needs a
    reason. Stores who graded it and when, the feedback and the rubric points; an attempt event `graded`
    and the audit event `assessment.question_graded` (before/after, reason); then the attempt's total."""
    aq = attempt_question
    attempt = aq.attempt
    if not can_grade(user=actor, attempt=attempt):
        raise PermissionDenied(_("Only a teacher of the course or the tutor of the student's group grades it."))
    if aq.type not in MANUAL_TYPES:
        raise ValidationError(_("This question is graded automatically."))
    if attempt.status == AttemptStatus.IN_PROGRESS:
        raise ValidationError(_("The attempt is still in progress: grade it once it is finished."))
    points = Decimal(aq.points)
    given: dict[str, str] = {}
    if rubric_scores:
        new_score, given = _rubric_score(rubric_of(aq.version), dict(rubric_scores), points)
    elif score is not None and str(score).strip() != "":
        new_score = _decimal(score, field="score")
        if not Decimal(0) <= new_score <= points:
            raise ValidationError({"score": _("The score must be from 0 to %(max)s.") % {"max": points}})
        if new_score != grading_rules.cents(new_score):
            raise ValidationError({"score": _("Give the score with two decimals at most.")})
    else:
        raise ValidationError({"score": _("Give the score, or the points of every criterion of the rubric.")})
    feedback = (feedback or "").strip()
    reason = (reason or "").strip()
    regrade = aq.graded_at is not None
    changed_score = aq.score is None or Decimal(aq.score) != new_score or (given and given != aq.rubric_scores)
    if regrade and changed_score and not reason:
        raise ValidationError({"reason": _("The question is already graded: give the reason for the change.")})
    before = {
        "position": aq.position,
        "score": _str(aq.score),
        "rubric_scores": aq.rubric_scores,
        "feedback": aq.feedback,
        "graded_by": aq.graded_by_id,
    }
    now = timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.status == AttemptStatus.IN_PROGRESS:
            raise ValidationError(_("The attempt is still in progress: grade it once it is finished."))
        aq.score = new_score
        aq.rubric_scores = given
        aq.feedback = feedback
        aq.needs_grading = False
        aq.graded_by = actor
        aq.graded_at = now
        aq.save(update_fields=["score", "rubric_scores", "feedback", "needs_grading", "graded_by", "graded_at"])
        after = {
            "position": aq.position,
            "score": _str(new_score),
            "rubric_scores": given,
            "feedback": feedback,
            "graded_by": actor.pk,
        }
        AttemptEvent.objects.create(
            attempt=locked,
            kind=AttemptEventKind.GRADED,
            actor=actor,
            detail={"position": aq.position, "before": before["score"], "after": after["score"], "reason": reason},
        )
        audit_api.record(
            actor=actor,
            action="assessment.question_graded",
            target=locked,
            before=before,
            after=after,
            reason=reason,
        )
        graded = attempt_grade(locked, actor=actor)
    aq.attempt = graded
    return aq


# --- Regrading -------------------------------------------------------------------


def _points(fraction: float | None, points: Decimal) -> Decimal | None:
    return None if fraction is None else grading_rules.points_for(fraction, points)


def test_regrade(*, actor: Any, test: Test, reason: str) -> int:
    """Score again every automatic question of every finished attempt of the test: against the question's
    current version when it got a new one since the attempt showed it (the question was fixed; the attempt
    then keeps that version), else against the version shown. Each attempt whose score changes gets an
    attempt event `regraded` and an audit event `assessment.attempt_regraded` with before/after and the
    reason. Returns how many attempts changed. Only a teacher of the course regrades."""
    try:
        access = content_api.item_access(user=actor, item_id=test.item_id)
    except Exception:
        raise PermissionDenied(_("Only a teacher of the course regrades its test.")) from None
    if not can_manage_test(access):
        raise PermissionDenied(_("Only a teacher of the course regrades its test."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for regrading (it is kept in the audit log).")})
    changed = 0
    with transaction.atomic():
        attempts = list(Attempt.objects.select_for_update().filter(test=test, status__in=FINISHED).order_by("pk"))
        if not attempts:
            return 0
        slots = list(
            AttemptQuestion.objects.filter(attempt__in=attempts)
            .exclude(type__in=MANUAL_TYPES)
            .select_related("version")
            .order_by("attempt_id", "position")
        )
        currents = {
            q.pk: q.current
            for q in Question.objects.filter(pk__in={s.question_id for s in slots}).select_related("current")
        }
        by_attempt: dict[int, list[AttemptQuestion]] = {}
        for slot in slots:
            by_attempt.setdefault(slot.attempt_id, []).append(slot)
        for attempt in attempts:
            before_points = attempt.points
            before_percent = attempt.percent
            details = []
            for slot in by_attempt.get(attempt.pk, []):
                current = currents.get(slot.question_id)
                version = slot.version
                if (
                    current is not None
                    and current.pk != slot.version_id
                    and current.number > slot.version.number
                    and current.type == slot.type
                ):
                    version = current
                new_score = _points(grading_rules.score(slot.type, version.data, slot.answer), Decimal(slot.points))
                if new_score is None:
                    new_score = Decimal(0)
                if version.pk != slot.version_id or slot.score is None or Decimal(slot.score) != new_score:
                    details.append(
                        {
                            "position": slot.position,
                            "version_before": slot.version.number,
                            "version_after": version.number,
                            "before": _str(slot.score),
                            "after": _str(new_score),
                        }
                    )
                    slot.version = version
                    slot.score = new_score
                    slot.save(update_fields=["version", "score"])
            if not details:
                continue
            graded = attempt_grade(attempt, actor=actor)
            if graded.points == before_points and graded.percent == before_percent:
                continue
            changed += 1
            before = {"points": _str(before_points), "percent": _str(before_percent)}
            after = {"points": _str(graded.points), "percent": _str(graded.percent), "questions": details}
            AttemptEvent.objects.create(
                attempt=attempt,
                kind=AttemptEventKind.REGRADED,
                actor=actor,
                detail={"before": before, "after": after, "reason": reason},
            )
            audit_api.record(
                actor=actor,
                action="assessment.attempt_regraded",
                target=attempt,
                before=before,
                after=after,
                reason=reason,
            )
    return changed


# --- Reopening -------------------------------------------------------------------


def attempt_reopen(*, actor: Any, attempt: Attempt, reason: str, extra_minutes: int) -> Attempt:
    """Let the student go on with a finished attempt (their connection failed, the power went out): it is in
    progress again until now + `extra_minutes` (the test's grace period after that). A teacher of the course
    or the tutor of the student's group; the reason is required. Attempt event `reopened`, audit
    `assessment.attempt_reopened`."""
    if not can_grade(user=actor, attempt=attempt):
        raise PermissionDenied(_("Only a teacher of the course or the tutor of the student's group reopens it."))
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Give the reason for reopening the attempt (it is kept in the audit log).")
    if (
        isinstance(extra_minutes, bool)
        or not isinstance(extra_minutes, int)
        or not 1 <= extra_minutes <= MAX_REOPEN_MINUTES
    ):
        errors["extra_minutes"] = _("Give from 1 to %(n)d minutes.") % {"n": MAX_REOPEN_MINUTES}
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = attempt_locked().get(pk=attempt.pk)
            if locked.status == AttemptStatus.IN_PROGRESS:
                raise ValidationError(_("The attempt is in progress already."))
            before = {
                "status": locked.status,
                "deadline": locked.deadline.isoformat() if locked.deadline else None,
                "finished_at": locked.finished_at.isoformat() if locked.finished_at else None,
                "finished_by": locked.finished_by,
                "points": _str(locked.points),
                "percent": _str(locked.percent),
            }
            locked.status = AttemptStatus.IN_PROGRESS
            locked.deadline = now + timedelta(minutes=extra_minutes)
            locked.hard_deadline = locked.deadline + timedelta(seconds=locked.test.grace_seconds)
            locked.finished_at = None
            locked.finished_by = ""
            locked.save(
                update_fields=["status", "deadline", "hard_deadline", "finished_at", "finished_by", "updated_at"]
            )
            after = {
                "status": locked.status,
                "deadline": locked.deadline.isoformat(),
                "extra_minutes": extra_minutes,
            }
            AttemptEvent.objects.create(
                attempt=locked,
                kind=AttemptEventKind.REOPENED,
                actor=actor,
                detail={"extra_minutes": extra_minutes, "deadline": after["deadline"], "reason": reason},
            )
            audit_api.record(
                actor=actor,
                action="assessment.attempt_reopened",
                target=locked,
                before=before,
                after=after,
                reason=reason,
            )
    except IntegrityError:
        raise ValidationError(
            _("The student has another attempt in progress: it must be finished before this one is reopened.")
        ) from None
    attempt.status, attempt.deadline, attempt.hard_deadline = locked.status, locked.deadline, locked.hard_deadline
    attempt.finished_at, attempt.finished_by = None, ""
    return attempt
