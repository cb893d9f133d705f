"""Locks on grades and the ways past them (rule 28): the administration service reopens a closed entry window
for one student; the administration service or the head closes an academic period, which locks its grades; a
change to a locked grade is a request that the head approves (the change is then made, audited, with the
request's reason) or rejects. Every step is an audit event; refusals raise ValidationError with a `code`
(PermissionDenied for rights) and change nothing."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from qashyq.academics import api as academics_api
from qashyq.content import api as content_api
from qashyq.gradebook import permissions
from qashyq.gradebook.data import ChangeStatus
from qashyq.gradebook.models import EntryReopen, Grade, GradeChangeRequest, PeriodClosure
from qashyq.gradebook.services import _audit
from qashyq.gradebook.services import results as results_services
from qashyq.gradebook.services.grades import (
    AUDITED_REFUSALS,
    Refused,
    check_admitted,
    check_enrolled,
    check_retake,
    check_score,
    is_locked,
    locked_grade,
    refuse,
    write_grade,
)


def reopen_create(*, actor: Any, measure_id: int, student_id: int, until: datetime, reason: str) -> EntryReopen:
    """Reopen a measure's closed entry window for one student until `until` (the administration service).
    ValidationError "reason" (none given), "until" (not a moment in the future), "not_enrolled", "locked" (a
    closed period: only a change request changes its grades). Audit `gradebook.entry_reopened`."""
    measure, student, access = permissions.grade_entry(user=actor, measure_id=measure_id, student_id=student_id)
    if not access.is_administration:
        raise PermissionDenied(_("Only the administration service reopens entry windows."))
    reason = (reason or "").strip()
    try:
        if not reason:
            refuse("reason", _("Give the reason for reopening the entry window."))
        if not isinstance(until, datetime) or timezone.is_naive(until) or until <= timezone.now():
            refuse("until", _("The window must stay open until a moment in the future."))
        check_enrolled(course_id=measure.course_id, student_id=student.id)
        if is_locked(period_id=access.course.period_id):
            refuse("locked", _("The period is closed and its grades are locked: ask the head to approve a change."))
    except Refused as refusal:
        raise ValidationError(refusal.message, code=refusal.code) from None
    with transaction.atomic():
        reopen = EntryReopen.objects.create(
            measure=measure, student_id=student.id, until=until, reason=reason, created_by=actor
        )
        _audit.record(
            actor=actor,
            action=_audit.ENTRY_REOPENED,
            target=reopen,
            after={"measure": measure.pk, "student": student.id, "until": until.isoformat()},
            reason=reason,
        )
    return reopen


def period_close(*, actor: Any, period_id: int) -> PeriodClosure:
    """Close an academic period (the administration service or the head): its grades are locked, and the
    results of its courses are recalculated, so a student still without an exam score gets F. ValidationError
    "period" (no such period), "closed" (already closed). Audit `gradebook.period_closed`."""
    if not permissions.can_close_period(user=actor):
        raise PermissionDenied(_("Only the administration service and the head close academic periods."))
    period = academics_api.period_get(period_id=period_id)
    if period is None:
        raise ValidationError(_("Choose an existing academic period."), code="period")
    with transaction.atomic():
        if PeriodClosure.objects.select_for_update().filter(period_id=period_id).exists():
            raise ValidationError(_("The period is already closed."), code="closed")
        closure = PeriodClosure.objects.create(period_id=period_id, closed_by=actor)
        course_ids = [c.id for c in content_api.course_list(period_id=period_id)]
        _audit.record(
            actor=actor,
            action=_audit.PERIOD_CLOSED,
            target=closure,
            after={"period": period_id, "courses": course_ids},
        )
        results_services.results_recalculate(course_ids=course_ids)
    return closure


def change_request_create(
    *, actor: Any, measure_id: int, student_id: int, score: Decimal, reason: str, attempt: int = 1
) -> GradeChangeRequest:
    """Ask the head to change (or enter) a grade of a closed period. The same entry rights as `grade_enter`
    (Http404 / PermissionDenied, audited); ValidationError "range", "open" (the period is not closed: change the
    grade in the journal), "reason", "same" (the grade already has this score), "pending" (a request for this
    grade waits already), "not_admitted", "retake". Audit `gradebook.change_requested`."""
    reason = (reason or "").strip()

    def refused(code: str) -> None:
        _audit.grade_refused(
            actor=actor, measure_id=measure_id, student_id=student_id, score=score, attempt=attempt, code=code
        )

    try:
        measure, student, access = permissions.grade_entry(user=actor, measure_id=measure_id, student_id=student_id)
    except (Http404, PermissionDenied):
        refused("access")
        raise
    try:
        with transaction.atomic():
            value = check_score(score)
            if not is_locked(period_id=access.course.period_id):
                refuse("open", _("The period is open: change the grade in the journal."))
            if not reason:
                refuse("reason", _("Give the reason for changing the grade."))
            grade = Grade.objects.filter(measure_id=measure.pk, student_id=student.id, attempt=attempt).first()
            if grade is not None and grade.score == value:
                refuse("same", _("The grade already has this score."))
            waiting = GradeChangeRequest.objects.select_for_update().filter(
                measure_id=measure.pk, student_id=student.id, attempt=attempt, status=ChangeStatus.PENDING
            )
            if waiting.exists():
                refuse("pending", _("A change of this grade is already waiting for the head's decision."))
            check_admitted(measure=measure, student_id=student.id)
            if attempt != 1:
                if attempt != 2:
                    refuse("retake", _("A grade has attempt 1, or 2 for the FX retake of the exam."))
                check_retake(measure=measure, student_id=student.id, retake=grade, window_days=None, now=timezone.now())
            request = GradeChangeRequest.objects.create(
                measure=measure,
                student_id=student.id,
                attempt=attempt,
                score=value,
                reason=reason,
                requested_by=actor,
            )
            _audit.record(
                actor=actor,
                action=_audit.CHANGE_REQUESTED,
                target=request,
                before={"score": _audit.score_text(grade.score) if grade is not None else None},
                after={
                    "score": _audit.score_text(value),
                    "measure": measure.pk,
                    "student": student.id,
                    "attempt": attempt,
                },
                reason=reason,
            )
            return request
    except Refused as refusal:
        if refusal.code in AUDITED_REFUSALS:
            refused(refusal.code)
        raise ValidationError(refusal.message, code=refusal.code) from None


def change_request_decide(*, actor: Any, request_id: int, approve: bool, note: str = "") -> GradeChangeRequest:
    """The head approves or rejects a change request. Approving writes the grade in the head's name with the
    request's reason (audited like any change, `after` naming the request) and refreshes the student's result;
    the request keeps who asked for it. ValidationError
    "decided" for a request already decided. Audit `gradebook.change_approved` / `gradebook.change_rejected`."""
    permissions.access_change_request(user=actor, request_id=request_id)
    if not permissions.can_decide_change(user=actor):
        raise PermissionDenied(_("Only the head approves or rejects changes to locked grades."))
    note = (note or "").strip()
    now = timezone.now()
    with transaction.atomic():
        request = GradeChangeRequest.objects.select_for_update().select_related("measure").get(pk=request_id)
        if request.status != ChangeStatus.PENDING:
            raise ValidationError(_("The request has already been decided."), code="decided")
        request.status = ChangeStatus.APPROVED if approve else ChangeStatus.REJECTED
        request.decided_by = actor
        request.decided_at = now
        request.decision_note = note
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        _audit.record(
            actor=actor,
            action=_audit.CHANGE_APPROVED if approve else _audit.CHANGE_REJECTED,
            target=request,
            after={"status": request.status, "note": note},
            reason=request.reason,
        )
        if approve:
            grade = locked_grade(measure_id=request.measure_id, student_id=request.student_id, attempt=request.attempt)
            if grade is None or grade.score != request.score:
                write_grade(
                    measure=request.measure,
                    student_id=request.student_id,
                    attempt=request.attempt,
                    score=request.score,
                    grade=grade,
                    actor=actor,
                    reason=request.reason,
                    now=now,
                    extra={"request": request.pk},
                )
    return request
