"""The individual study plan (rules 13, 20; R40, R43): every discipline of the student's whole curriculum, by
period, with credits, cycle, component and final control; the disciplines of the periods finished before DLT
are marked studied; each remaining one has its DLT type, course, teacher and tutor. The administration service
changes a line and approves the plan; any later change puts it back to a draft.

Generation is idempotent: it rebuilds what the curriculum, the courses and their staff say, and changes the
plan (raising its version) only when that differs from what it holds. What the administration service set by
hand on a line (teacher, tutor, course, DLT type) is kept (`StudyPlanLine.hand_set` names those fields).

A plan has a line per curriculum line: a discipline the curriculum lists in several periods (physical
education in periods 1–4) has a line in each, keyed by (discipline id, period number).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qashyq.academics import api as academics_api
from qashyq.academics.data import CurriculumLineData, PeriodData, TeachingRole
from qashyq.accounts.api import Role, acting_roles
from qashyq.audit import api as audit_api
from qashyq.content import api as content_api
from qashyq.content.data import CourseData, CourseStaffData, StaffRole
from qashyq.dlt.data import ApplicationStatus, DltType, PlanStatus
from qashyq.dlt.models import Application, StudyPlan, StudyPlanLine
from qashyq.dlt.permissions import is_administration, sees_everything

# Plans (and schedules) exist for these applications: accepted, in an order, enrolled.
PLANNED_STATUSES = (ApplicationStatus.ACCEPTED, ApplicationStatus.IN_ORDER, ApplicationStatus.ENROLLED)
# What the administration service may set on a line, as the line's field names.
HAND_FIELDS = ("teacher", "tutor", "course", "dlt_type")
LINE_FIELDS = (
    "period_number",
    "credits",
    "cycle",
    "component",
    "final_control",
    "dlt_type",
    "course",
    "teacher",
    "tutor",
    "completed",
)
LINE_UPDATED = "dlt.plan_line_updated"
# A plan line's key: (discipline id, curriculum period number).
LineKey = tuple[int, int]
DEFAULT_PERIODS_PER_YEAR = 2


# --- Where the student stands in the curriculum --------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """The student's place in time: the academic periods (by start), the current one and how many a year has,
    and the number of the curriculum period the student is in now."""

    periods: tuple[PeriodData, ...]
    current: PeriodData | None
    per_year: int
    number: int

    def period_of(self, period_number: int) -> PeriodData | None:
        """The academic period in which the student studies curriculum period `period_number` (counted from
        the current one), if the calendar holds it."""
        if self.current is None:
            return None
        index = next((i for i, p in enumerate(self.periods) if p.id == self.current.id), None)
        if index is None:
            return None
        wanted = index + period_number - self.number
        return self.periods[wanted] if 0 <= wanted < len(self.periods) else None

    def number_in_year(self, period_number: int) -> int:
        """Curriculum period `period_number` as the number of a period within its year (1, 2, …)."""
        return (period_number - 1) % self.per_year + 1


def student_position(*, course_year: int, today: date) -> Position:
    """Where a student of `course_year` stands on `today`: curriculum period (course_year − 1) × periods a year
    + the number of the current academic period (2 periods a year unless the current year has another count).
    Two to four queries."""
    current = academics_api.period_current(on=today)
    periods = tuple(academics_api.period_list())
    per_year = DEFAULT_PERIODS_PER_YEAR
    if current is not None:
        per_year = sum(1 for p in periods if p.year_id == current.year_id) or DEFAULT_PERIODS_PER_YEAR
    number = (max(course_year, 1) - 1) * per_year + (current.number if current is not None else 1)
    return Position(periods=periods, current=current, per_year=per_year, number=number)


# --- What generation would write --------------------------------------------------------------------


def _today(today: date | None) -> date:
    return today if today is not None else timezone.localdate()


def plan_dlt_type(application: Application) -> str:
    """The DLT type of the plan's lines: the one granted, else the first one asked for."""
    if application.granted_type:
        return application.granted_type
    asked = [t for t in application.dlt_types or [] if t in DltType.values]
    return asked[0] if asked else ""


def _course_for(courses: list[CourseData], *, group_id: int | None, starts: dict[int, date]) -> CourseData | None:
    """The course a discipline is studied in: one of the student's group first, then of the latest period."""
    if not courses:
        return None
    return max(
        courses,
        key=lambda c: (group_id is not None and group_id in c.group_ids, starts.get(c.period_id, date.min), c.id),
    )


def _staff_of_course(staff: list[CourseStaffData], *, role: str, group_id: int | None) -> int | None:
    """The teacher or tutor of a course who serves the group (one named for it first, then one for every
    group); a member limited to other groups does not count."""
    fits = [s for s in staff if s.role == role and (not s.group_ids or group_id in s.group_ids)]
    specific = [s for s in fits if s.group_ids]
    chosen = (specific or fits)[:1]
    return chosen[0].user_id if chosen else None


def _staff_of_discipline(teaching: list[Any], *, role: str, group_id: int | None) -> int | None:
    """The teacher or tutor assigned to the discipline for the group, else for all its groups."""
    fits = [t for t in teaching if t.role == role]
    specific = [t for t in fits if group_id is not None and t.group_id == group_id]
    chosen = (specific or fits)[:1]
    return chosen[0].user_id if chosen else None


def line_key(line: StudyPlanLine) -> LineKey:
    """A plan line's key: its discipline and curriculum period."""
    return (line.discipline_id, line.period_number)


def _curriculum_by_discipline(lines: list[CurriculumLineData]) -> list[CurriculumLineData]:
    """One curriculum line per discipline and period (a plan has a line for each), by period and code."""
    chosen: dict[LineKey, CurriculumLineData] = {}
    for line in lines:
        chosen.setdefault((line.discipline.id, line.period_number), line)
    return sorted(chosen.values(), key=lambda line: (line.period_number, line.discipline.code))


def desired_lines(
    *, application: Application, today: date, hand: dict[LineKey, dict[str, Any]] | None = None
) -> dict[LineKey, dict[str, Any]]:
    """The lines generation would write, by (discipline id, period number), as field values (foreign keys as
    `<name>_id`). Each line is studied (`completed`) when its own period is finished. `hand`: the values set
    by hand, by line key and field name, which stand instead of generated ones."""
    hand = hand or {}
    student = application.student
    position = student_position(course_year=student.course_year, today=today)
    curriculum = _curriculum_by_discipline(academics_api.curriculum_lines(programme_id=student.programme_id))
    discipline_ids = sorted({line.discipline.id for line in curriculum})
    starts = {p.id: p.start_date for p in position.periods}
    by_discipline: dict[int, list[CourseData]] = {}
    for course in content_api.course_list(discipline_ids=discipline_ids) if discipline_ids else []:
        by_discipline.setdefault(course.discipline_id, []).append(course)
    known_courses = {c.id for courses in by_discipline.values() for c in courses}
    dlt_type = plan_dlt_type(application)
    lines: dict[LineKey, dict[str, Any]] = {}
    for line in curriculum:
        key = (line.discipline.id, line.period_number)
        completed = line.period_number < position.number
        chosen = _course_for(by_discipline.get(line.discipline.id, []), group_id=student.group_id, starts=starts)
        values: dict[str, Any] = {
            "period_number": line.period_number,
            "credits": line.credits,
            "cycle": line.cycle,
            "component": line.component,
            "final_control": line.final_control,
            "completed": completed,
            "dlt_type": "" if completed else dlt_type,
            "course_id": None if completed or chosen is None else chosen.id,
            "teacher_id": None,
            "tutor_id": None,
        }
        for field, value in ({} if completed else hand.get(key, {})).items():
            if field == "course" and value is not None and value not in known_courses:
                continue  # the course set by hand is gone: the generated one stands
            values[_column(field)] = value
        lines[key] = values
    course_ids = {v["course_id"] for v in lines.values() if v["course_id"] is not None}
    staff: dict[int, list[CourseStaffData]] = {}
    for member in content_api.course_staff(course_ids=course_ids) if course_ids else []:
        staff.setdefault(member.course_id, []).append(member)
    remaining = [key for key, v in lines.items() if not v["completed"]]
    remaining_disciplines = sorted({discipline_id for discipline_id, _period in remaining})
    teaching: dict[int, list[Any]] = {}
    if remaining_disciplines:
        for assignment in academics_api.teaching_staff(discipline_ids=remaining_disciplines, group_id=student.group_id):
            teaching.setdefault(assignment.discipline_id, []).append(assignment)
    for key in remaining:
        discipline_id = key[0]
        values = lines[key]
        members = staff.get(values["course_id"], [])
        for field, course_role, teaching_role in (
            ("teacher", StaffRole.TEACHER, TeachingRole.TEACHER),
            ("tutor", StaffRole.TUTOR, TeachingRole.TUTOR),
        ):
            if field in hand.get(key, {}):
                continue  # set by hand
            user_id = _staff_of_course(members, role=course_role, group_id=student.group_id)
            if user_id is None:
                user_id = _staff_of_discipline(
                    teaching.get(discipline_id, []), role=teaching_role, group_id=student.group_id
                )
            values[_column(field)] = user_id
    return lines


def _column(field: str) -> str:
    return f"{field}_id" if field in ("teacher", "tutor", "course") else field


def hand_set_values(plan: StudyPlan) -> dict[LineKey, dict[str, Any]]:
    """What the administration service set by hand on the plan's lines, by line key (discipline id, period
    number) and field (one query)."""
    return {
        line_key(line): {field: getattr(line, _column(field)) for field in line.hand_set}
        for line in plan.lines.all()
        if line.hand_set
    }


# --- Snapshots for the ledger ----------------------------------------------------------------------


def line_snapshot(line: StudyPlanLine) -> dict[str, Any]:
    return {field: getattr(line, _column(field)) for field in LINE_FIELDS}


def _values_snapshot(values: dict[str, Any]) -> dict[str, Any]:
    return {field: values[_column(field)] for field in LINE_FIELDS}


def plan_snapshot(plan: StudyPlan) -> dict[str, Any]:
    return {
        "status": plan.status,
        "version": plan.version,
        "approved_by": plan.approved_by_id,
        "approved_at": plan.approved_at.isoformat() if plan.approved_at else None,
    }


def _bump(plan: StudyPlan) -> None:
    """A change: the version rises and an approved plan is a draft again."""
    plan.version += 1
    if plan.status == PlanStatus.APPROVED:
        plan.status = PlanStatus.DRAFT
        plan.approved_by = None
        plan.approved_at = None
    plan.save(update_fields=["version", "status", "approved_by", "approved_at", "updated_at"])


def _refuse_unless_planned(application: Application) -> None:
    if application.status not in PLANNED_STATUSES:
        raise ValidationError(
            _("An individual study plan is made once the application is accepted; this one is “%(status)s”.")
            % {"status": application.get_status_display()},
            code="not_accepted",
        )


# --- Services --------------------------------------------------------------------------------------


@transaction.atomic
def study_plan_generate(*, application: Application, actor: Any = None, today: date | None = None) -> StudyPlan:
    """Create the plan of an accepted application, or bring it up to date with the curriculum, the courses and
    their staff (keeping what was set by hand). Nothing changes, and the version stays, when nothing differs.
    `actor`: the administration service or the head, or None (the system). Audit `dlt.plan_generated`."""
    if actor is not None and not sees_everything(actor):
        raise ValidationError(_("Only the administration service makes individual study plans."), code="forbidden")
    application = Application.objects.select_for_update(of=("self",)).select_related("student").get(pk=application.pk)
    _refuse_unless_planned(application)
    plan = StudyPlan.objects.select_for_update().filter(application=application).first()
    created = plan is None
    if plan is None:
        plan = StudyPlan.objects.create(application=application)
    hand = {} if created else hand_set_values(plan)
    desired = desired_lines(application=application, today=_today(today), hand=hand)
    existing = {line_key(line): line for line in plan.lines.all()}
    discipline_ids = {discipline_id for discipline_id, _period in (*desired, *existing)}
    codes = {d.id: d.code for d in academics_api.discipline_list(ids=discipline_ids)}
    periods_of: dict[int, set[int]] = {}
    for discipline_id, period_number in (*desired, *existing):
        periods_of.setdefault(discipline_id, set()).add(period_number)

    def ledger_key(key: LineKey) -> str:
        """The discipline's code, with the period where the discipline has lines in several periods."""
        code = codes.get(key[0], str(key[0]))
        return f"{code}/{key[1]}" if len(periods_of[key[0]]) > 1 else code

    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key, gone in existing.items():
        if key not in desired:
            before[ledger_key(key)] = line_snapshot(gone)
            gone.delete()
    new_lines: list[StudyPlanLine] = []
    for key, values in desired.items():
        name_in_ledger = ledger_key(key)
        line = existing.get(key)
        if line is None:
            new_lines.append(StudyPlanLine(plan=plan, discipline_id=key[0], **values))
            after[name_in_ledger] = _values_snapshot(values)
            continue
        changed = [name for name, value in values.items() if getattr(line, name) != value]
        if changed:
            before[name_in_ledger] = line_snapshot(line)
            for name in changed:
                setattr(line, name, values[name])
            line.save(update_fields=changed)
            after[name_in_ledger] = line_snapshot(line)
    StudyPlanLine.objects.bulk_create(new_lines)
    if created:
        audit_api.record(
            actor=actor,
            action="dlt.plan_generated",
            target=plan,
            after={"version": plan.version, "lines": after},
        )
    elif before or after:
        plan_before = plan_snapshot(plan)
        _bump(plan)
        audit_api.record(
            actor=actor,
            action="dlt.plan_generated",
            target=plan,
            before={**plan_before, "lines": before},
            after={**plan_snapshot(plan), "lines": after},
        )
    return plan


def _acts_as(user_id: int, role: Role) -> bool:
    """Whether the account exists, is active and holds the role."""
    user = get_user_model().objects.filter(pk=user_id).first()
    return user is not None and role in acting_roles(user)


@transaction.atomic
def study_plan_line_update(
    *,
    actor: Any,
    line: StudyPlanLine,
    teacher_id: int | None,
    tutor_id: int | None,
    course_id: int | None,
    dlt_type: str,
) -> StudyPlanLine:
    """The administration service sets a line's teacher, tutor, course and DLT type by hand (kept over
    re-generation). ValidationError by field: a teacher without the teacher role, a tutor without the tutor
    role, a course of another discipline, an unknown DLT type. Audit `dlt.plan_line_updated` (on the plan)."""
    if not is_administration(actor):
        raise ValidationError(_("Only the administration service changes individual study plans."), code="forbidden")
    plan = StudyPlan.objects.select_for_update().get(pk=line.plan_id)
    current = StudyPlanLine.objects.select_related("discipline").get(pk=line.pk)
    errors: dict[str, str] = {}
    if teacher_id is not None and not _acts_as(teacher_id, Role.TEACHER):
        errors["teacher_id"] = _("Choose an active account with the teacher role.")
    if tutor_id is not None and not _acts_as(tutor_id, Role.TUTOR):
        errors["tutor_id"] = _("Choose an active account with the tutor role.")
    if course_id is not None:
        course = content_api.course_get(course_id=course_id)
        if course is None or course.discipline_id != current.discipline_id:
            errors["course_id"] = _("Choose a course of the discipline “%(code)s”.") % {"code": current.discipline.code}
    if dlt_type not in DltType.values:
        errors["dlt_type"] = _("Choose the DLT type: TV, network or case technology.")
    if errors:
        raise ValidationError(errors)
    values = {"teacher_id": teacher_id, "tutor_id": tutor_id, "course_id": course_id, "dlt_type": dlt_type}
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if not changed:
        return current
    before_line = line_snapshot(current)
    for name in changed:
        setattr(current, name, values[name])
    current.hand_set = sorted({*current.hand_set, *(name.removesuffix("_id") for name in changed)})
    current.save(update_fields=[*changed, "hand_set"])
    after_line = line_snapshot(current)
    version = plan.version
    _bump(plan)
    fields = [name.removesuffix("_id") for name in changed]
    audit_api.record(
        actor=actor,
        action=LINE_UPDATED,
        target=plan,
        before={
            "discipline_id": current.discipline_id,
            "discipline": current.discipline.code,
            "period_number": current.period_number,
            "version": version,
            **{f: before_line[f] for f in fields},
        },
        after={
            "discipline_id": current.discipline_id,
            "discipline": current.discipline.code,
            "period_number": current.period_number,
            "version": plan.version,
            **{f: after_line[f] for f in fields},
        },
    )
    return current


def approval_problems(plan: StudyPlan) -> list[str]:
    """The remaining disciplines that still lack a teacher or a tutor, each named with what it lacks, by
    period and code (one query)."""
    problems = []
    lines = (
        plan.lines.filter(completed=False).select_related("discipline").order_by("period_number", "discipline__code")
    )
    for line in lines:
        names = {"code": line.discipline.code, "name": line.discipline.name}
        if line.teacher_id is None and line.tutor_id is None:
            problems.append(_("%(code)s %(name)s (no teacher and no tutor)") % names)
        elif line.teacher_id is None:
            problems.append(_("%(code)s %(name)s (no teacher)") % names)
        elif line.tutor_id is None:
            problems.append(_("%(code)s %(name)s (no tutor)") % names)
    return problems


@transaction.atomic
def study_plan_approve(*, actor: Any, plan: StudyPlan) -> StudyPlan:
    """The administration service approves a plan. Refused, naming the disciplines, while a remaining line
    lacks a teacher or a tutor; refused when already approved. Audit `dlt.plan_approved`."""
    if not is_administration(actor):
        raise ValidationError(_("Only the administration service approves individual study plans."), code="forbidden")
    current = StudyPlan.objects.select_for_update().get(pk=plan.pk)
    if current.status == PlanStatus.APPROVED:
        raise ValidationError(_("The plan is already approved."), code="approved")
    problems = approval_problems(current)
    if problems:
        raise ValidationError(
            _("Name a teacher and a tutor for every remaining discipline before approving the plan: %(list)s.")
            % {"list": "; ".join(problems)},
            code="incomplete",
        )
    before = plan_snapshot(current)
    current.status = PlanStatus.APPROVED
    current.approved_by = actor
    current.approved_at = timezone.now()
    current.version += 1
    current.save(update_fields=["status", "approved_by", "approved_at", "version", "updated_at"])
    audit_api.record(
        actor=actor, action="dlt.plan_approved", target=current, before=before, after=plan_snapshot(current)
    )
    return current
