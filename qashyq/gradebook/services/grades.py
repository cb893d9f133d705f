"""Writes of grades and control measures (rules 28–30, R17).

`grade_enter` is the only way a person enters or changes a grade; `grade_record_result` is the system's feed
(a graded test, an assignment, a SCORM score, a practice report). Each entry and change is an audit event
whose `after` holds the score (`checks` proves the grades still equal it); a refusal that matters (rights, a
locked period, a closed window, a student not enrolled or not admitted, a retake that is not due) is an audit
event too. Refusals raise ValidationError with a translated message and a `code`, and change nothing.

Call these services outside a transaction of your own (a view does): a refused attempt's audit event is
written in its own transaction, which an enclosing one would roll back with the error."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from qashyq.academics import api as academics_api
from qashyq.academics.data import PeriodData
from qashyq.content import api as content_api
from qashyq.content.data import CourseData
from qashyq.gradebook import permissions, rules
from qashyq.gradebook.data import GradeData, MeasureKind, MeasureMode, Outcome, RatingPart, ResultSource
from qashyq.gradebook.models import ControlMeasure, EntryReopen, Grade, GradingPolicy, PeriodClosure
from qashyq.gradebook.selectors import results as results_selectors
from qashyq.gradebook.services import _audit
from qashyq.gradebook.services import results as results_services

# Refusals written to the ledger: attempts past a protection. A mistyped score or a missing reason is not.
AUDITED_REFUSALS = frozenset({"access", "not_enrolled", "locked", "window", "not_admitted", "retake"})


class Refused(Exception):
    """A refusal found inside the write's transaction; raised to the caller as ValidationError(message, code)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def refuse(code: str, message: str) -> NoReturn:
    raise Refused(code, message)


# --- Shared checks (services.locks uses them too) -----------------------------------------------------


def parse_score(value: Any) -> Decimal | None:
    """The score as a Decimal when it is a valid one (0–100, at most two decimals), else None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if rules.valid_score(number) else None


def check_score(value: Any) -> Decimal:
    number = parse_score(value)
    if number is None:
        refuse("range", _("A score is a number from 0 to 100 with at most two decimals."))
    return number


def is_enrolled(*, course_id: int, student_id: int) -> bool:
    return any(e.course_id == course_id for e in content_api.enrolments_of_student(student_id=student_id))


def check_enrolled(*, course_id: int, student_id: int) -> None:
    if not is_enrolled(course_id=course_id, student_id=student_id):
        refuse("not_enrolled", _("The student is not enrolled in this course."))


def is_locked(*, period_id: int) -> bool:
    return PeriodClosure.objects.filter(period_id=period_id).exists()


def course_period(course: CourseData) -> PeriodData:
    period = academics_api.period_get(period_id=course.period_id)
    if period is None:  # a course always has its period (PROTECT)
        raise Http404
    return period


def course_policy(period: PeriodData) -> GradingPolicy:
    """The policy a course is graded by: the one in force when its academic period starts."""
    policy, _rules_policy = results_selectors.policy_on(on=period.start_date)
    return policy


def held_at(measure: ControlMeasure, period: PeriodData) -> datetime | None:
    """When the measure is held: its due moment, else the end of its week of the period (None: neither)."""
    if measure.due_at is not None:
        return measure.due_at
    if measure.week:
        day_after = period.start_date + timedelta(days=7 * measure.week)
        return datetime.combine(day_after, time.min, tzinfo=timezone.get_current_timezone())
    return None


def reopened_until(*, measure_id: int, student_id: int) -> datetime | None:
    reopen = EntryReopen.objects.filter(measure_id=measure_id, student_id=student_id).order_by("-until").first()
    return reopen.until if reopen is not None else None


def check_admitted(*, measure: ControlMeasure, student_id: int) -> None:
    if measure.part != RatingPart.EXAM:
        return
    admission = results_selectors.admission_for(course_id=measure.course_id, student_id=student_id)
    if not admission.admitted:
        refuse("not_admitted", _("The student is not admitted to the exam: the exam cannot be graded."))


def check_retake(
    *, measure: ControlMeasure, student_id: int, retake: Grade | None, window_days: int | None, now: datetime
) -> None:
    """Attempt 2 is the FX retake of the exam: allowed once the first sitting gave FX (or to correct the retake
    already graded), within `window_days` of the first sitting's grade (None: no window)."""
    if measure.part != RatingPart.EXAM:
        refuse("retake", _("Only the exam has a second attempt (the FX retake)."))
    first = Grade.objects.filter(measure_id=measure.pk, student_id=student_id, attempt=1).first()
    if first is None:
        refuse("retake", _("The exam has no first grade yet: there is nothing to retake."))
    if retake is None:
        standing = results_selectors.course_standings(course_id=measure.course_id, student_ids=[student_id])
        found = standing.get(student_id)
        if found is None or found.outcome != Outcome.FX:
            refuse("retake", _("Only an FX result of the exam may be retaken."))
    if window_days is not None and now > first.entered_at + timedelta(days=window_days):
        closed = timezone.localtime(first.entered_at + timedelta(days=window_days))
        refuse("retake", _("The retake window closed on %(date)s.") % {"date": f"{closed:%d.%m.%Y %H:%M}"})


def write_grade(
    *,
    measure: ControlMeasure,
    student_id: int,
    attempt: int,
    score: Decimal,
    grade: Grade | None,
    actor: Any,
    reason: str,
    ip: str = "",
    now: datetime,
    source: str = ResultSource.MANUAL,
    extra: dict[str, Any] | None = None,
) -> Grade:
    """Store the score (a new grade, or a change of `grade`, the locked row) and its audit event. The caller
    has checked everything and refreshes the course result."""
    entered_by = actor if getattr(actor, "is_authenticated", False) else None
    before = grade.score if grade is not None else None
    if grade is None:
        try:
            with transaction.atomic():
                grade = Grade.objects.create(
                    measure=measure,
                    student_id=student_id,
                    attempt=attempt,
                    score=score,
                    source=source,
                    entered_by=entered_by,
                    entered_at=now,
                )
        except IntegrityError:  # entered by someone else at the same moment
            raise ValidationError(
                _("This grade was entered by someone else a moment ago: reload and check it."), code="conflict"
            ) from None
    else:
        grade.score = score
        grade.source = source
        grade.entered_by = entered_by
        grade.entered_at = now
        grade.changes += 1
        grade.save(update_fields=["score", "source", "entered_by", "entered_at", "changes"])
    grade.refresh_from_db(fields=["score"])
    _audit.grade_recorded(
        actor=actor,
        grade_id=grade.pk,
        measure_id=measure.pk,
        student_id=student_id,
        attempt=attempt,
        score=score,
        before=before,
        reason=reason,
        ip=ip,
        extra=extra,
    )
    return grade


def locked_grade(*, measure_id: int, student_id: int, attempt: int) -> Grade | None:
    return (
        Grade.objects.select_for_update().filter(measure_id=measure_id, student_id=student_id, attempt=attempt).first()
    )


def grade_data(grade: Grade) -> GradeData:
    return GradeData(
        measure_id=grade.measure_id,
        student_id=grade.student_id,
        attempt=grade.attempt,
        score=grade.score,
        source=grade.source,
        entered_at=grade.entered_at,
    )


# --- Entering grades ------------------------------------------------------------------------------


def grade_enter(
    *,
    actor: Any,
    measure_id: int,
    student_id: int,
    score: Decimal,
    reason: str = "",
    attempt: int = 1,
    ip: str = "",
    now: datetime | None = None,
) -> Grade:
    """Enter or change a student's grade on a measure (attempt 2: the FX retake of the exam).

    Refused, in this order: Http404 / PermissionDenied when `actor` may not enter it (audited), then
    ValidationError with code "range", "not_enrolled", "locked" (a closed period: ask for a change request),
    "window" (the measure's column closed `entry_window_days` after it was held and no reopening lasts; the
    administration service is not bound by it), "reason" (a change without a reason), "not_admitted" (an exam
    grade for a student not admitted), "retake". The same score again changes nothing and writes no event."""
    now = now or timezone.now()
    reason = (reason or "").strip()

    def refused(code: str) -> None:
        _audit.grade_refused(
            actor=actor, measure_id=measure_id, student_id=student_id, score=score, attempt=attempt, code=code, ip=ip
        )

    try:
        measure, student, access = permissions.grade_entry(user=actor, measure_id=measure_id, student_id=student_id)
    except (Http404, PermissionDenied):
        refused("access")
        raise
    try:
        with transaction.atomic():
            value = check_score(score)
            grade = locked_grade(measure_id=measure.pk, student_id=student.id, attempt=attempt)
            if grade is not None and grade.score == value:
                return grade
            check_enrolled(course_id=measure.course_id, student_id=student.id)
            period = course_period(access.course)
            if is_locked(period_id=period.id):
                refuse(
                    "locked", _("The period is closed and its grades are locked: ask the head to approve the change.")
                )
            policy = course_policy(period)
            if attempt == 1 and not access.is_administration:
                opened = rules.entry_open(
                    held_at(measure, period),
                    now,
                    policy.entry_window_days,
                    reopened_until(measure_id=measure.pk, student_id=student.id),
                )
                if not opened:
                    refuse(
                        "window",
                        _("The entry window of this column is closed; the administration service can reopen it."),
                    )
            if grade is not None and not reason:
                refuse("reason", _("Give the reason for changing the grade."))
            check_admitted(measure=measure, student_id=student.id)
            if attempt != 1:
                if attempt != 2:
                    refuse("retake", _("A grade has attempt 1, or 2 for the FX retake of the exam."))
                window = None if access.is_administration else policy.retake_window_days
                check_retake(measure=measure, student_id=student.id, retake=grade, window_days=window, now=now)
            grade = write_grade(
                measure=measure,
                student_id=student.id,
                attempt=attempt,
                score=value,
                grade=grade,
                actor=actor,
                reason=reason,
                ip=ip,
                now=now,
            )
            results_services.result_refresh(course_id=measure.course_id, student_ids=[student.id])
            return grade
    except Refused as refusal:
        if refusal.code in AUDITED_REFUSALS:
            refused(refusal.code)
        raise ValidationError(refusal.message, code=refusal.code) from None


def _result_attempt(measure: ControlMeasure, student_id: int) -> int:
    """Which sitting a fed exam result is: the retake (2) once the first sitting gave FX, else 1."""
    if measure.part != RatingPart.EXAM:
        return 1
    attempts = set(Grade.objects.filter(measure_id=measure.pk, student_id=student_id).values_list("attempt", flat=True))
    if 2 in attempts:
        return 2
    if 1 in attempts:
        standing = results_selectors.course_standings(course_id=measure.course_id, student_ids=[student_id])
        found = standing.get(student_id)
        if found is not None and found.outcome == Outcome.FX:
            return 2
    return 1


def grade_record_result(
    *, item_id: int, student_id: int, score: Decimal, source: ResultSource, actor: Any = None
) -> GradeData | None:
    """The system's entry of a result on the measure(s) the course item feeds (an exam result after an FX goes
    to the retake). No entry window and no reason are asked; ValidationError "range" for a bad score and
    "locked" (audited) for a closed period. None when no measure takes the item's results or the student is
    not enrolled in the course (any more). The same score again writes nothing."""
    measures = list(ControlMeasure.objects.filter(item_id=item_id).order_by("position", "pk"))
    if not measures:
        return None
    value = parse_score(score)
    if value is None:
        raise ValidationError(_("A score is a number from 0 to 100 with at most two decimals."), code="range")
    course_id = measures[0].course_id
    if not is_enrolled(course_id=course_id, student_id=student_id):
        return None
    course = content_api.course_get(course_id=course_id)
    if course is None:
        return None
    if is_locked(period_id=course.period_id):
        for measure in measures:
            _audit.grade_refused(
                actor=actor, measure_id=measure.pk, student_id=student_id, score=score, attempt=1, code="locked"
            )
        raise ValidationError(
            _("The period is closed and its grades are locked: the result was not recorded."), code="locked"
        )
    source = ResultSource(source)
    now = timezone.now()
    grades: list[Grade] = []
    changed = False
    with transaction.atomic():
        for measure in measures:
            attempt = _result_attempt(measure, student_id)
            grade = locked_grade(measure_id=measure.pk, student_id=student_id, attempt=attempt)
            if grade is None or grade.score != value:
                changed = True
                reason = _("New result: %(source)s") % {"source": source.label} if grade is not None else ""
                grade = write_grade(
                    measure=measure,
                    student_id=student_id,
                    attempt=attempt,
                    score=value,
                    grade=grade,
                    actor=actor,
                    reason=reason,
                    now=now,
                    source=source,
                    extra={"source": source.value},
                )
            grades.append(grade)
        if changed:
            results_services.result_refresh(course_id=course_id, student_ids=[student_id])
    return grade_data(grades[0])


# --- Control measures -----------------------------------------------------------------------------

NAME_FIELDS = ("name_kk", "name_ru", "name_en")
MEASURE_FIELDS = frozenset(
    {
        *NAME_FIELDS,
        "kind",
        "part",
        "mode",
        "week",
        "weight",
        "due_at",
        "item_id",
        "required",
        "pass_points",
        "late_allowed",
        "position",
    }
)
MEASURE_DEFAULTS: dict[str, Any] = {
    "name_ru": "",
    "name_en": "",
    "mode": MeasureMode.ONLINE,
    "week": None,
    "weight": Decimal("1"),
    "due_at": None,
    "item_id": None,
    "required": True,
    "pass_points": Decimal("0"),
    "late_allowed": True,
    "position": 0,
}
NAME_MAX = ControlMeasure._meta.get_field("name_kk").max_length or 300
WEIGHT_MAX = Decimal("999.99")


@dataclass(frozen=True)
class _MeasureCourse:
    course: CourseData
    period: PeriodData


def _measure_course(*, actor: Any, course_id: int) -> _MeasureCourse:
    """The course whose measures `actor` manages (None: the system); Http404 / PermissionDenied otherwise."""
    if actor is None:
        course = content_api.course_get(course_id=course_id)
        if course is None:
            raise ValidationError({"course": ValidationError(_("Choose an existing course."), code="course")})
    else:
        access = permissions.access_course_gradebook(user=actor, course_id=course_id)
        if not access.can_manage_measures:
            raise PermissionDenied(
                _("Only a teacher of the course and the administration service manage its measures.")
            )
        course = access.course
    return _MeasureCourse(course=course, period=course_period(course))


def _check_unlocked(period: PeriodData) -> None:
    if is_locked(period_id=period.id):
        raise ValidationError(_("The period is closed: its control measures can no longer change."), code="locked")


def _clean_measure(values: dict[str, Any], *, where: _MeasureCourse, measure_id: int | None) -> dict[str, Any]:
    """The values checked and normalized; ValidationError by field (each with a code) naming every problem."""
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, code: str, message: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    clean = dict(values)
    for key in NAME_FIELDS:
        clean[key] = str(values.get(key) or "").strip()
        if len(clean[key]) > NAME_MAX:
            add(key, "name", _("The name may be at most %(max)d characters long.") % {"max": NAME_MAX})
    if not clean["name_kk"]:
        add("name_kk", "name", _("Enter the name of the control measure in Kazakh."))
    for key, choices in (("kind", MeasureKind), ("part", RatingPart), ("mode", MeasureMode)):
        if values.get(key) not in choices.values:
            add(key, key, _("Choose one of: %(known)s.") % {"known": ", ".join(str(c.label) for c in choices)})
    weeks = ((where.period.end_date - where.period.start_date).days + 7) // 7
    week = values.get("week")
    if week is not None and (isinstance(week, bool) or not isinstance(week, int) or not 1 <= week <= weeks):
        add("week", "week", _("The week is a number from 1 to %(weeks)d.") % {"weeks": weeks})
    try:
        weight = Decimal(str(values.get("weight")))
        good_weight = weight.is_finite() and Decimal(0) < weight <= WEIGHT_MAX and weight == weight.quantize(rules.CENT)
    except (InvalidOperation, ValueError):
        good_weight = False
    if not good_weight:
        add("weight", "weight", _("The weight is a positive number up to 999.99."))
    else:
        clean["weight"] = weight
    pass_points = parse_score(values.get("pass_points"))
    if pass_points is None:
        add("pass_points", "pass_points", _("The points needed to pass are a score from 0 to 100."))
    else:
        clean["pass_points"] = pass_points
    due_at = values.get("due_at")
    if due_at is not None:
        if not isinstance(due_at, datetime) or timezone.is_naive(due_at):
            add("due_at", "due", _("Give the due moment as a date and time."))
        elif not where.period.start_date <= timezone.localdate(due_at) <= where.period.end_date:
            add(
                "due_at",
                "due",
                _("The due date must fall inside the course's academic period, %(start)s – %(end)s.")
                % {"start": f"{where.period.start_date:%d.%m.%Y}", "end": f"{where.period.end_date:%d.%m.%Y}"},
            )
    for key in ("required", "late_allowed"):
        if not isinstance(values.get(key), bool):
            add(key, key, _("Answer yes or no."))
    position = values.get("position")
    if isinstance(position, bool) or not isinstance(position, int) or position < 0:
        add("position", "position", _("The position is a whole number from 0."))
    item_id = values.get("item_id")
    if item_id is not None and (isinstance(item_id, bool) or not isinstance(item_id, int)):
        add("item_id", "item", _("Choose an item of this course."))
    if values.get("part") == RatingPart.EXAM:
        exams = ControlMeasure.objects.filter(course_id=where.course.id, part=RatingPart.EXAM)
        if measure_id is not None:
            exams = exams.exclude(pk=measure_id)
        if exams.exists():
            add("part", "exam", _("The course already has its exam."))
    if errors:
        raise ValidationError(errors)
    return clean


def _check_item(measure: ControlMeasure) -> None:
    """The item that feeds the measure must belong to its course (checked on the written row)."""
    if measure.item_id is None:
        return
    if not ControlMeasure.objects.filter(pk=measure.pk, item__course_id=measure.course_id).exists():
        raise ValidationError({"item_id": ValidationError(_("Choose an item of this course."), code="item")})


def _snapshot(measure: ControlMeasure) -> dict[str, Any]:
    """What the ledger keeps of a measure."""
    return {key: getattr(measure, key) for key in sorted(MEASURE_FIELDS)}


def _unknown(fields: Iterable[str]) -> None:
    unknown = sorted(set(fields) - MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"unknown control measure fields: {', '.join(unknown)}")


def measure_create(*, actor: Any, course_id: int, **fields: Any) -> ControlMeasure:
    """A control measure of a course (a teacher of the course, the administration service, or the system).
    `name_kk`, `kind` and `part` are needed; the due moment must fall inside the course's academic period
    (code "due"); one exam per course; refused for a closed period. Audit `gradebook.measure_created`."""
    _unknown(fields)
    where = _measure_course(actor=actor, course_id=course_id)
    _check_unlocked(where.period)
    values = _clean_measure(MEASURE_DEFAULTS | fields, where=where, measure_id=None)
    with transaction.atomic():
        measure = ControlMeasure.objects.create(course_id=course_id, **values)
        _check_item(measure)
        _audit.record(actor=actor, action=_audit.MEASURE_CREATED, target=measure, after=_snapshot(measure))
        results_services.results_recalculate(course_ids=[course_id])
    return measure


def _measure_for_change(*, actor: Any, measure_id: int) -> tuple[ControlMeasure, _MeasureCourse]:
    measure = ControlMeasure.objects.filter(pk=measure_id).first()
    if measure is None:
        raise Http404
    where = _measure_course(actor=actor, course_id=measure.course_id)
    _check_unlocked(where.period)
    return measure, where


def measure_update(*, actor: Any, measure_id: int, **fields: Any) -> ControlMeasure:
    """Change the given fields of a measure (same rules as `measure_create`); a graded measure keeps its part.
    Audit `gradebook.measure_updated` with the values that changed (nothing when none did)."""
    _unknown(fields)
    measure, where = _measure_for_change(actor=actor, measure_id=measure_id)
    before = _snapshot(measure)
    values = _clean_measure(before | fields, where=where, measure_id=measure.pk)
    if values["part"] != measure.part and Grade.objects.filter(measure_id=measure.pk).exists():
        raise ValidationError(
            {"part": ValidationError(_("The measure is graded: its part of the rating cannot change."), code="graded")}
        )
    with transaction.atomic():
        for key, value in values.items():
            setattr(measure, key, value)
        measure.save(update_fields=[*sorted(MEASURE_FIELDS - {"item_id"}), "item", "updated_at"])
        _check_item(measure)
        measure.refresh_from_db()
        after = _snapshot(measure)
        changed = [key for key in after if after[key] != before[key]]
        if changed:
            _audit.record(
                actor=actor,
                action=_audit.MEASURE_UPDATED,
                target=measure,
                before={key: before[key] for key in changed},
                after={key: after[key] for key in changed},
            )
            results_services.results_recalculate(course_ids=[measure.course_id])
    return measure


def measure_delete(*, actor: Any, measure_id: int) -> None:
    """Delete a measure that has no grade (code "graded" otherwise). Audit `gradebook.measure_deleted`."""
    measure, _where = _measure_for_change(actor=actor, measure_id=measure_id)
    with transaction.atomic():
        if Grade.objects.filter(measure_id=measure.pk).exists() or measure.change_requests.exists():
            raise ValidationError(_("The measure is graded: it cannot be deleted."), code="graded")
        before = _snapshot(measure)
        course_id = measure.course_id
        _audit.record(actor=actor, action=_audit.MEASURE_DELETED, target=measure, before=before)
        measure.delete()
        results_services.results_recalculate(course_ids=[course_id])
