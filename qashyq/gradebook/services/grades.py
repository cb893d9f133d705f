"""Writes of grades and control measures (rules 28–30, R17).

`grade_enter` is the only way a person enters or changes a grade; `grade_record_result` is the system's feed
(a graded test, an assignment, a SCORM score, a practice report). Each entry and change is an audit event
whose `after` holds the score (`checks` proves the grades still equal it); a refusal that matters (rights, a
locked period, a closed window, a student not enrolled or not admitted, a retake that is not due) is an audit
event too. Refusals raise ValidationError with a translated message and a `code`, and change nothing.

Call these services outside a transaction of your own (a view does): a refused attempt's audit event is
written in its own transaction, which an enclosing one would roll back with the error."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
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
from qashyq.records import api as records_api

# Refusals written to the ledger: attempts past a protection. A mistyped score or a missing reason is not.
AUDITED_REFUSALS = frozenset({"access", "not_enrolled", "locked", "window", "not_admitted", "retake"})


class Refused(Exception):
    """A refusal found inside the write's transaction; raised to the caller as ValidationError(message, code).
    `denial` is the Http404 / PermissionDenied a refusal of rights is to `grade_enter`."""

    def __init__(self, code: str, message: str, denial: Exception | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.denial = denial


class Refusals(Exception):
    """The refused students of an entry, {student id: refusal}, in the order they were given."""

    def __init__(self, refused: dict[int, Refused]) -> None:
        super().__init__(refused)
        self.refused = refused


def refuse(code: str, message: str) -> NoReturn:
    raise Refused(code, message)


# --- Shared checks (services.locks uses them too) -----------------------------------------------------


def check_score(value: Any) -> Decimal:
    number = rules.decimal_from(value)
    if number is None:
        refuse("range", _("A score is a number from 0 to 100 with at most two decimals."))
    return number


def is_enrolled(*, course_id: int, student_id: int) -> bool:
    return any(e.course_id == course_id for e in content_api.enrolments_of_student(student_id=student_id))


def refuse_unless_enrolled(enrolled: bool) -> None:
    if not enrolled:
        refuse("not_enrolled", _("The student is not enrolled in this course."))


def check_enrolled(*, course_id: int, student_id: int) -> None:
    refuse_unless_enrolled(is_enrolled(course_id=course_id, student_id=student_id))


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
    """When the measure is held (`rules.held_at`)."""
    return rules.held_at(measure.due_at, measure.week, period.start_date, timezone.get_current_timezone())


def refuse_unless_admitted(admitted: bool) -> None:
    if not admitted:
        refuse("not_admitted", _("The student is not admitted to the exam: the exam cannot be graded."))


def check_admitted(*, measure: ControlMeasure, student_id: int) -> None:
    if measure.part != RatingPart.EXAM:
        return
    refuse_unless_admitted(results_selectors.admission_for(course_id=measure.course_id, student_id=student_id).admitted)


def check_retake(
    *, measure: ControlMeasure, student_id: int, retake: Grade | None, window_days: int | None, now: datetime
) -> None:
    """`check_retake_of` reading the first sitting's grade and (when needed) the student's standing."""

    def standing() -> rules.CourseStanding | None:
        found = results_selectors.course_standings(course_id=measure.course_id, student_ids=[student_id])
        return found.get(student_id)

    first = None
    if measure.part == RatingPart.EXAM:
        first = Grade.objects.filter(measure_id=measure.pk, student_id=student_id, attempt=1).first()
    check_retake_of(measure=measure, first=first, retake=retake, standing=standing, window_days=window_days, now=now)


def check_retake_of(
    *,
    measure: ControlMeasure,
    first: Grade | None,
    retake: Grade | None,
    standing: Callable[[], rules.CourseStanding | None],
    window_days: int | None,
    now: datetime,
) -> None:
    """Attempt 2 is the FX retake of the exam: allowed once the first sitting (`first`) gave FX (or to correct
    the retake already graded), within `window_days` of the first sitting's grade (None: no window)."""
    if measure.part != RatingPart.EXAM:
        refuse("retake", _("Only the exam has a second attempt (the FX retake)."))
    if first is None:
        refuse("retake", _("The exam has no first grade yet: there is nothing to retake."))
    if retake is None:
        found = standing()
        if found is None or found.outcome != Outcome.FX:
            refuse("retake", _("Only an FX result of the exam may be retaken."))
    if window_days is not None and now > first.entered_at + timedelta(days=window_days):
        closed = timezone.localtime(first.entered_at + timedelta(days=window_days))
        refuse("retake", _("The retake window closed on %(date)s.") % {"date": f"{closed:%d.%m.%Y %H:%M}"})


def write_grades(
    *,
    measure: ControlMeasure,
    attempt: int,
    scores: Mapping[int, Decimal],
    grades: Mapping[int, Grade],
    actor: Any,
    reason: str,
    ip: str = "",
    now: datetime,
    source: str = ResultSource.MANUAL,
    extra: dict[str, Any] | None = None,
) -> dict[int, Grade]:
    """Store the scores, {student id: score} (new grades, or changes of `grades`, the locked rows by student),
    refresh these students' course results, and write the audit events, in that order; a fixed number of
    queries. The caller has checked everything. The events come last because the audit chain's lock is held
    from the first event to the commit: a wave of exam submissions then waits on it only for the commit, not
    for the results."""
    entered_by = actor if getattr(actor, "is_authenticated", False) else None
    written: dict[int, Grade] = {}
    before: dict[int, Decimal] = {}
    for student_id, score in scores.items():
        grade = grades.get(student_id)
        if grade is None:
            grade = Grade(measure=measure, student_id=student_id, attempt=attempt, changes=0)
        else:
            before[student_id] = grade.score
            grade.changes += 1
        grade.score = rules.cents(score)
        grade.source = source
        grade.entered_by = entered_by
        grade.entered_at = now
        written[student_id] = grade
    new = [grade for student_id, grade in written.items() if student_id not in before]
    if new:
        try:
            with transaction.atomic():
                Grade.objects.bulk_create(new)
        except IntegrityError:  # entered by someone else at the same moment
            raise ValidationError(
                _("This grade was entered by someone else a moment ago: reload and check it."), code="conflict"
            ) from None
    if before:
        changed = [written[student_id] for student_id in before]
        Grade.objects.bulk_update(changed, ["score", "source", "entered_by", "entered_at", "changes"])
    results_services.result_refresh(course_id=measure.course_id, student_ids=list(written))
    events = [
        _audit.grade_event(
            grade_id=grade.pk,
            measure_id=measure.pk,
            student_id=student_id,
            attempt=attempt,
            score=grade.score,
            before=before.get(student_id),
            reason=reason,
            extra=extra,
        )
        for student_id, grade in written.items()
    ]
    _audit.events_written(actor=actor, events=events, ip=ip)
    return written


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
    """`write_grades` of one score (`grade`: the locked row it changes, None for a new grade)."""
    written = write_grades(
        measure=measure,
        attempt=attempt,
        scores={student_id: score},
        grades={student_id: grade} if grade is not None else {},
        actor=actor,
        reason=reason,
        ip=ip,
        now=now,
        source=source,
        extra=extra,
    )
    return written[student_id]


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


@dataclass(frozen=True)
class _Column:
    """What entering grades on one measure reads once: the actor's access to its course, the course's period,
    whether it is closed, the policy in force and when the measure is held."""

    measure: ControlMeasure
    access: permissions.CourseGradebook
    period: PeriodData
    locked: bool
    policy: GradingPolicy
    held: datetime | None


def _column(measure: ControlMeasure, access: permissions.CourseGradebook) -> _Column:
    period = course_period(access.course)
    return _Column(
        measure=measure,
        access=access,
        period=period,
        locked=is_locked(period_id=period.id),
        policy=course_policy(period),
        held=held_at(measure, period),
    )


@dataclass(frozen=True)
class _Student:
    """What one student's entry is checked against, read for all the students at once."""

    enrolled: bool
    grade: Grade | None  # the grade being changed (locked), None for a new one
    reopened_until: datetime | None
    standing: rules.CourseStanding | None  # exam measures only
    first: Grade | None  # the first sitting, for a retake


def _check_entry(column: _Column, student: _Student, *, reason: str, attempt: int, now: datetime) -> None:
    """Refuse a new or changed score, in this order: "not_enrolled", "locked", "window", "reason",
    "not_admitted", "retake"."""
    access, measure = column.access, column.measure
    refuse_unless_enrolled(student.enrolled)
    if column.locked:
        refuse("locked", _("The period is closed and its grades are locked: ask the head to approve the change."))
    windowed = attempt == 1 and not access.is_administration
    if windowed and not rules.entry_open(column.held, now, column.policy.entry_window_days, student.reopened_until):
        refuse("window", _("The entry window of this column is closed; the administration service can reopen it."))
    if student.grade is not None and not reason:
        refuse("reason", _("Give the reason for changing the grade."))
    if measure.part == RatingPart.EXAM:
        refuse_unless_admitted(student.standing is not None and student.standing.admitted)
    if attempt != 1:
        if attempt != 2:
            refuse("retake", _("A grade has attempt 1, or 2 for the FX retake of the exam."))
        check_retake_of(
            measure=measure,
            first=student.first,
            retake=student.grade,
            standing=lambda: student.standing,
            window_days=None if access.is_administration else column.policy.retake_window_days,
            now=now,
        )


def _entry_rights(
    access: permissions.CourseGradebook, student_ids: Iterable[int], groups: Mapping[int, int | None]
) -> dict[int, Refused]:
    """The students `access` may not grade (Http404: no such student; PermissionDenied), by student; `groups`
    holds the groups of the course's enrolled students, the others are read one by one."""
    refused: dict[int, Refused] = {}
    for student_id in student_ids:
        if student_id in groups:
            group_id = groups[student_id]
        else:
            student = records_api.student_get(student_id=student_id)
            if student is None:
                refused[student_id] = Refused("access", _("There is no such student."), Http404())
                continue
            group_id = student.group_id
        try:
            permissions.check_student_entry(access, group_id=group_id)
        except PermissionDenied as denied:
            refused[student_id] = Refused("access", str(denied), denied)
    return refused


def _students(
    column: _Column, student_ids: list[int], *, grades: Mapping[int, Grade], enrolled: Iterable[int], attempt: int
) -> dict[int, _Student]:
    """What the students' entries are checked against: their reopenings of the column, their standings in the
    course (an exam) and first sittings (a retake), three queries at most whatever their number."""
    measure = column.measure
    reopened: dict[int, datetime] = {}
    if attempt == 1 and not column.access.is_administration:
        reopens = EntryReopen.objects.filter(measure_id=measure.pk, student_id__in=student_ids)
        for student_id, until in reopens.values_list("student_id", "until"):
            reopened[student_id] = max(until, reopened.get(student_id, until))
    standings: dict[int, rules.CourseStanding] = {}
    firsts: dict[int, Grade] = {}
    if measure.part == RatingPart.EXAM:
        standings = results_selectors.course_standings(course_id=measure.course_id, student_ids=student_ids)
        if attempt == 2:
            sittings = Grade.objects.filter(measure_id=measure.pk, student_id__in=student_ids, attempt=1)
            firsts = {grade.student_id: grade for grade in sittings}
    enrolled = set(enrolled)
    return {
        student_id: _Student(
            enrolled=student_id in enrolled,
            grade=grades.get(student_id),
            reopened_until=reopened.get(student_id),
            standing=standings.get(student_id),
            first=firsts.get(student_id),
        )
        for student_id in student_ids
    }


def _enter_column(
    *, actor: Any, measure_id: int, scores: Mapping[int, Any], reason: str, attempt: int, ip: str, now: datetime
) -> list[Grade]:
    """Enter the scores of one measure, {student id: score}, all or nothing: Http404 when the actor does not see
    the measure's course, else Refusals naming every refused student; the refusals that matter are audited."""

    def audit_refused(codes: Mapping[int, str]) -> None:
        events = [
            _audit.refusal_event(
                measure_id=measure_id, student_id=student_id, score=scores[student_id], attempt=attempt, code=code
            )
            for student_id, code in codes.items()
            if code in AUDITED_REFUSALS
        ]
        _audit.events_written(actor=actor, events=events, ip=ip)

    try:
        measure = ControlMeasure.objects.filter(pk=measure_id).first()
        if measure is None:
            raise Http404
        access = permissions.access_course_gradebook(user=actor, course_id=measure.course_id)
    except Http404:
        audit_refused(dict.fromkeys(scores, "access"))
        raise
    enrolments = content_api.course_enrolments(course_id=measure.course_id)
    groups = {e.student_id: e.group_id for e in enrolments}
    refused = _entry_rights(access, scores, groups)
    try:
        with transaction.atomic():
            ids = [student_id for student_id in scores if student_id not in refused]
            current: dict[int, Grade] = {}
            if ids:
                locked = Grade.objects.select_for_update().filter(
                    measure_id=measure.pk, student_id__in=ids, attempt=attempt
                )
                current = {grade.student_id: grade for grade in locked}
            kept: dict[int, Grade] = {}
            values: dict[int, Decimal] = {}
            for student_id in ids:
                try:
                    value = check_score(scores[student_id])
                except Refused as refusal:
                    refused[student_id] = refusal
                    continue
                grade = current.get(student_id)
                if grade is not None and grade.score == value:
                    kept[student_id] = grade  # the same score again changes nothing
                else:
                    values[student_id] = value
            if values:
                column = _column(measure, access)
                students = _students(column, list(values), grades=current, enrolled=groups, attempt=attempt)
                for student_id, student in students.items():
                    try:
                        _check_entry(column, student, reason=reason, attempt=attempt, now=now)
                    except Refused as refusal:
                        refused[student_id] = refusal
                        del values[student_id]
            if refused:
                raise Refusals({student_id: refused[student_id] for student_id in scores if student_id in refused})
            written = write_grades(
                measure=measure,
                attempt=attempt,
                scores=values,
                grades=current,
                actor=actor,
                reason=reason,
                ip=ip,
                now=now,
            )
            return [kept.get(student_id) or written[student_id] for student_id in scores]
    except Refusals as refusals:
        audit_refused({student_id: refusal.code for student_id, refusal in refusals.refused.items()})
        raise


def grade_enter_many(
    *,
    actor: Any,
    measure_id: int,
    scores: Mapping[int, Decimal],
    reason: str = "",
    attempt: int = 1,
    ip: str = "",
    now: datetime | None = None,
) -> list[Grade]:
    """`grade_enter` of a column: the scores of one measure, {student id: score}, with the same rules, reading
    the column's context once and writing in one transaction; returns each student's grade in the order given.

    All or nothing: Http404 (audited for each student) when the actor does not see the measure's course, else
    a ValidationError whose `error_dict` names each refused student (by id, as text) with the message and code
    `grade_enter` gives ("access" for a student the actor may not grade, or who does not exist), and only the
    refusals `grade_enter` audits are written. The same scores again are skipped; one audit event per new or
    changed grade; the changed students' results are refreshed once. A fixed number of queries whatever the
    number of students (plus one for each student given who is not enrolled in the course)."""
    try:
        return _enter_column(
            actor=actor,
            measure_id=measure_id,
            scores=scores,
            reason=(reason or "").strip(),
            attempt=attempt,
            ip=ip,
            now=now or timezone.now(),
        )
    except Refusals as refusals:
        raise ValidationError(
            {
                str(student_id): [ValidationError(refusal.message, code=refusal.code)]
                for student_id, refusal in refusals.refused.items()
            }
        ) from None


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
    try:
        (grade,) = _enter_column(
            actor=actor,
            measure_id=measure_id,
            scores={student_id: score},
            reason=(reason or "").strip(),
            attempt=attempt,
            ip=ip,
            now=now or timezone.now(),
        )
    except Refusals as refusals:
        refusal = refusals.refused[student_id]
        if refusal.denial is not None:
            raise refusal.denial from None
        raise ValidationError(refusal.message, code=refusal.code) from None
    return grade


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
    value = rules.decimal_from(score)
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
    with transaction.atomic():
        for measure in measures:
            attempt = _result_attempt(measure, student_id)
            grade = locked_grade(measure_id=measure.pk, student_id=student_id, attempt=attempt)
            if grade is None or grade.score != value:
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
    pass_points = rules.decimal_from(values.get("pass_points"))
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
