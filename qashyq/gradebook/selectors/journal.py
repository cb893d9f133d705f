"""The journal of a course: its students (of one group or of every group the viewer sees), the control
measures as columns grouped by part of the rating, each cell's score with who entered it and when and whether
it takes a grade now, and each student's computed result as `services.results` stored it in `CourseResult`.

The page, the XLSX export and the REST API read the journal here. Whatever the number of students and
measures it costs the same eleven queries: enrolments, the period, its closure, the groups, the policy in force,
the measures, the grades, the names of who entered them, the reopened windows (only for a viewer the window
binds), the results, the grade bands."""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qashyq.academics import api as academics_api
from qashyq.academics.data import GroupData, PeriodData
from qashyq.accounts.api import Role, acting_roles
from qashyq.content import api as content_api
from qashyq.content.data import CourseData, StaffRole
from qashyq.core.i18n import LANGUAGE_ORDER
from qashyq.gradebook import rules
from qashyq.gradebook.data import Outcome, RatingPart, ResultSource
from qashyq.gradebook.models import (
    ControlMeasure,
    CourseResult,
    EntryReopen,
    Grade,
    GradeBand,
    GradingPolicy,
    PeriodClosure,
)

DEFAULT_WINDOW_DAYS = 10
DEFAULT_RETAKE_DAYS = 14
GRADE_FIELDS = ("measure_id", "student_id", "attempt", "score", "source", "entered_at", "changes", "entered_by_id")
USER_NAME_FIELDS = ("first_name", "last_name", "patronymic", "username")


class _Grade(NamedTuple):
    """The columns of a grade the journal reads (plain tuples: a thousand model instances cost more than the
    rest of the page)."""

    measure_id: int
    student_id: int
    attempt: int
    score: Decimal
    source: str
    entered_at: datetime
    changes: int
    entered_by_id: int | None


RETAKE = "retake"

# The parts of the journal, in the order of its columns; the retake is the exam measure's attempt 2.
PART_ORDER: tuple[str, ...] = (
    RatingPart.TK1,
    RatingPart.RK1,
    RatingPart.TK2,
    RatingPart.RK2,
    RatingPart.EXAM,
    RETAKE,
)


def part_label(part: str) -> str:
    if part == RETAKE:
        return pgettext("rating part", "Exam retake (FX)")
    return str(RatingPart(part).label)


# The computed columns, in order: (key, header, full name).
def computed_columns() -> tuple[tuple[str, str, str], ...]:
    return (
        ("tk1", pgettext("journal column", "TK1"), _("Current control 1")),
        ("rk1", pgettext("journal column", "RK1"), _("Midterm control 1")),
        ("r1", pgettext("journal column", "R1"), _("Rating 1: (TK1 + RK1) / 2")),
        ("tk2", pgettext("journal column", "TK2"), _("Current control 2")),
        ("rk2", pgettext("journal column", "RK2"), _("Midterm control 2")),
        ("r2", pgettext("journal column", "R2"), _("Rating 2: (TK2 + RK2) / 2")),
        ("admission", pgettext("journal column", "Adm."), _("Admission rating: (R1 + R2) / 2")),
        ("admitted", pgettext("journal column", "Admitted"), _("Admitted to the exam")),
        ("exam", pgettext("journal column", "Exam"), _("Exam score")),
        ("final", pgettext("journal column", "Final"), _("Final score")),
        ("letter", pgettext("journal column", "Letter"), _("Letter grade")),
        ("gpa", pgettext("journal column", "Digital"), _("Digital equivalent")),
        ("traditional", pgettext("journal column", "Traditional"), _("Traditional grade")),
    )


# --- The data ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of scores: a control measure (attempt 1), or the exam's retake (attempt 2)."""

    measure_id: int
    attempt: int
    part: str  # a RatingPart value, or RETAKE
    kind: str
    label: str  # the measure's name in the active language
    week: int | None
    weight: Decimal
    due_at: datetime | None
    held_at: datetime | None  # when the entry window starts counting (due date, or the week's end)
    required: bool
    pass_points: Decimal
    item_id: int | None

    @property
    def key(self) -> str:
        return f"{self.measure_id}-{self.attempt}"


@dataclass(frozen=True)
class PartColumns:
    """The header of one part of the rating and its columns."""

    part: str
    label: str
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Cell:
    """A student's score on one column, who entered it and when, and whether the viewer may enter it now.

    `open`: the entry window is open for this student (or reopened; always for the administration service);
    `editable`: the viewer may enter here now (a right to enter, the period not closed, the window open, and
    for the exam an admitted student, for the retake an FX); `closed`: the course's period is closed;
    `blocked`: why an exam or retake cell takes nothing ("not_admitted", "no_fx": no FX to retake,
    "retake_closed": the retake window after the exam's grade has passed; "" otherwise)."""

    measure_id: int
    student_id: int
    attempt: int
    score: Decimal | None
    source: str
    entered_by: str
    entered_at: datetime | None
    changes: int
    open: bool
    editable: bool
    closed: bool
    blocked: str = ""

    @property
    def key(self) -> str:
        return f"{self.measure_id}-{self.student_id}-{self.attempt}"

    @property
    def graded(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class ResultCells:
    """The computed columns of one student, as `CourseResult` holds them (None: not computed yet)."""

    tk1: Decimal | None = None
    rk1: Decimal | None = None
    r1: Decimal | None = None
    tk2: Decimal | None = None
    rk2: Decimal | None = None
    r2: Decimal | None = None
    admission: Decimal | None = None
    admitted: bool = False
    exam: Decimal | None = None
    exam_attempt: int = 0
    final: Decimal | None = None
    letter: str = ""
    gpa: Decimal | None = None
    traditional_kk: str = ""
    traditional_ru: str = ""
    traditional_en: str = ""
    outcome: str = Outcome.IN_PROGRESS
    missing: tuple[Any, ...] = ()
    computed_at: datetime | None = None

    @property
    def traditional(self) -> str:
        """The traditional grade in the active language (falling back to the others)."""
        language = (translation.get_language() or "kk")[:2]
        for code in (language, *LANGUAGE_ORDER):
            value = getattr(self, f"traditional_{code}", "")
            if value:
                return str(value)
        return ""

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label)


@dataclass(frozen=True)
class Row:
    student_id: int
    full_name: str
    group_id: int | None
    group_code: str
    cells: tuple[Cell, ...]
    result: ResultCells
    has_result: bool


@dataclass(frozen=True)
class Journal:
    course: CourseData
    period: PeriodData | None
    closed: bool  # the course's period is closed: grades are locked
    window_days: int
    groups: tuple[GroupData, ...]  # the groups of the course the viewer sees, by code
    group_id: int | None  # the group shown, None: every group the viewer sees
    parts: tuple[PartColumns, ...]  # non-empty parts only, in PART_ORDER
    rows: tuple[Row, ...]
    can_enter: bool
    now: datetime
    computed: tuple[tuple[str, str, str], ...] = field(default_factory=computed_columns)

    @property
    def columns(self) -> tuple[Column, ...]:
        return tuple(c for p in self.parts for c in p.columns)


# --- The policy -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Windows:
    entry_days: int
    retake_days: int


def windows_on(on: date) -> Windows:
    """The entry and retake windows of the policy in force on `on` (the course's period start, as the services
    read it; the earliest policy before any is in force; the defaults without any policy). One query."""
    fields = ("entry_window_days", "retake_window_days")
    policy = (
        GradingPolicy.objects.filter(valid_from__lte=on).order_by("-valid_from").only(*fields).first()
        or GradingPolicy.objects.order_by("valid_from").only(*fields).first()
    )
    if policy is None:
        return Windows(entry_days=DEFAULT_WINDOW_DAYS, retake_days=DEFAULT_RETAKE_DAYS)
    return Windows(entry_days=policy.entry_window_days, retake_days=policy.retake_window_days)


# --- The journal ---------------------------------------------------------------------------------------


def _columns(measures: list[ControlMeasure], period: PeriodData | None) -> tuple[PartColumns, ...]:
    by_part: dict[str, list[Column]] = {p: [] for p in PART_ORDER}
    for m in measures:
        column = Column(
            measure_id=m.pk,
            attempt=1,
            part=m.part,
            kind=m.kind,
            label=m.name,
            week=m.week,
            weight=m.weight,
            due_at=m.due_at,
            held_at=rules.held_at(m.due_at, m.week, period.start_date, timezone.get_current_timezone())
            if period is not None
            else m.due_at,
            required=m.required,
            pass_points=m.pass_points,
            item_id=m.item_id,
        )
        by_part[m.part].append(column)
        if m.part == RatingPart.EXAM:
            by_part[RETAKE].append(replace(column, attempt=2, part=RETAKE, required=False))
    return tuple(PartColumns(part=p, label=part_label(p), columns=tuple(cs)) for p, cs in by_part.items() if cs)


def _result_cells(result: CourseResult | None, bands: dict[tuple[int, str], GradeBand]) -> ResultCells:
    if result is None:
        return ResultCells()
    band = bands.get((result.policy.scale_id, result.letter)) if result.letter else None
    return ResultCells(
        tk1=result.tk1,
        rk1=result.rk1,
        r1=result.r1,
        tk2=result.tk2,
        rk2=result.rk2,
        r2=result.r2,
        admission=result.admission,
        admitted=result.admitted,
        exam=result.exam,
        exam_attempt=result.exam_attempt,
        final=result.final,
        letter=result.letter,
        gpa=result.gpa,
        traditional_kk=band.traditional_kk if band else "",
        traditional_ru=band.traditional_ru if band else "",
        traditional_en=band.traditional_en if band else "",
        outcome=result.outcome,
        missing=tuple(result.missing or ()),
        computed_at=result.computed_at,
    )


def _entered_by(grade: _Grade, names: dict[int, str]) -> str:
    if grade.entered_by_id is not None:
        return names.get(grade.entered_by_id, "")
    return str(ResultSource(grade.source).label) if grade.source else ""


def _user_names(user_ids: set[int]) -> dict[int, str]:
    """{user id: full name} of the people who entered grades (one query)."""
    if not user_ids:
        return {}
    users = get_user_model().objects.filter(pk__in=sorted(user_ids)).only(*USER_NAME_FIELDS)
    return {user.pk: str(user.full_name) for user in users}


def _blocked(
    column: Column, result: ResultCells, first_sitting: _Grade | None, retake_until: timedelta | None, now: datetime
) -> str:
    """Why an exam or retake cell takes no grade now, as grade_enter would refuse it ("" when it may)."""
    if column.part == RatingPart.EXAM and not result.admitted:
        return "not_admitted"
    if column.part == RETAKE:
        if not result.admitted:
            return "not_admitted"
        if result.outcome != Outcome.FX and result.exam_attempt != 2:
            return "no_fx"
        if first_sitting is None:
            return "no_fx"
        if retake_until is not None and now > first_sitting.entered_at + retake_until:
            return "retake_closed"
    return ""


def course_journal(
    *,
    course: CourseData,
    group_ids: frozenset[int] | None,
    group_id: int | None = None,
    student_ids: Iterable[int] | None = None,
    can_enter: bool = False,
    unbound_by_window: bool = False,
    now: datetime | None = None,
) -> Journal:
    """The journal of `course` for a viewer who sees the groups `group_ids` (None: every group), showing one
    group (`group_id`, which the caller has checked is among them) or all of them, and only `student_ids` when
    given (one row, after an entry). `can_enter`: the viewer may enter grades; `unbound_by_window`: the
    administration service, whom the entry and retake windows do not bind. Eleven queries whatever the size
    (ten for the administration service and for a viewer who enters nothing)."""
    now = now or timezone.now()
    visible = course.group_ids if group_ids is None else tuple(g for g in course.group_ids if g in group_ids)
    shown: Iterable[int] | None
    if group_id is not None:
        shown = [group_id]
    elif group_ids is None:
        shown = None
    else:
        shown = visible
    enrolments = content_api.course_enrolments(course_id=course.id, group_ids=shown)  # 1
    if student_ids is not None:
        wanted = set(student_ids)
        enrolments = [e for e in enrolments if e.student_id in wanted]
    period = academics_api.period_get(period_id=course.period_id)  # 2
    closed = PeriodClosure.objects.filter(period_id=course.period_id).exists()  # 3
    all_groups = {g.id: g for g in academics_api.group_list()}  # 4
    groups = tuple(sorted((all_groups[g] for g in visible if g in all_groups), key=lambda g: g.code))
    windows = windows_on(period.start_date if period is not None else timezone.localdate(now))  # 5
    measures = list(ControlMeasure.objects.filter(course_id=course.id).order_by("position", "week", "due_at", "pk"))
    parts = _columns(measures, period)  # 6
    columns = [c for p in parts for c in p.columns]
    ids = [e.student_id for e in enrolments]
    grades: dict[tuple[int, int, int], _Grade] = {}
    names: dict[int, str] = {}
    reopened: dict[tuple[int, int], datetime] = {}
    results: dict[int, CourseResult] = {}
    bands: dict[tuple[int, str], GradeBand] = {}
    if ids and measures:
        for values in Grade.objects.filter(  # 7
            measure__course_id=course.id, student_id__in=ids
        ).values_list(*GRADE_FIELDS):
            grade = _Grade(*values)
            grades[(grade.measure_id, grade.student_id, grade.attempt)] = grade
        names = _user_names({g.entered_by_id for g in grades.values() if g.entered_by_id is not None})  # 8
        if can_enter and not closed and not unbound_by_window:
            for measure_id, student_id, until in EntryReopen.objects.filter(  # 9
                measure__course_id=course.id, student_id__in=ids, until__gte=now
            ).values_list("measure_id", "student_id", "until"):
                key = (measure_id, student_id)
                reopened[key] = max(until, reopened.get(key, until))
    if ids:
        for result in CourseResult.objects.filter(course_id=course.id, student_id__in=ids).select_related(  # 10
            "policy"
        ):
            results[result.student_id] = result
        scales = {r.policy.scale_id for r in results.values()}
        if scales:
            for band in GradeBand.objects.filter(scale_id__in=scales):  # 11
                bands[(band.scale_id, band.letter)] = band
    retake_until = None if unbound_by_window else timedelta(days=windows.retake_days)
    rows = []
    for enrolment in enrolments:
        student_id = enrolment.student_id
        stored = results.get(student_id)
        computed = _result_cells(stored, bands)
        cells = []
        for column in columns:
            found = grades.get((column.measure_id, student_id, column.attempt))
            if column.attempt == 1:
                window_open = unbound_by_window or rules.entry_open(
                    column.held_at, now, windows.entry_days, reopened.get((column.measure_id, student_id))
                )
            else:
                window_open = True
            blocked = ""
            if column.part in (RatingPart.EXAM, RETAKE):
                first = grades.get((column.measure_id, student_id, 1))
                blocked = _blocked(column, computed, first, retake_until, now)
            cells.append(
                Cell(
                    measure_id=column.measure_id,
                    student_id=student_id,
                    attempt=column.attempt,
                    score=found.score if found is not None else None,
                    source=found.source if found is not None else "",
                    entered_by=_entered_by(found, names) if found is not None else "",
                    entered_at=found.entered_at if found is not None else None,
                    changes=found.changes if found is not None else 0,
                    open=window_open and not closed,
                    editable=can_enter and window_open and not closed and not blocked,
                    closed=closed,
                    blocked=blocked,
                )
            )
        group = all_groups.get(enrolment.group_id) if enrolment.group_id is not None else None
        rows.append(
            Row(
                student_id=student_id,
                full_name=enrolment.full_name,
                group_id=enrolment.group_id,
                group_code=group.code if group is not None else "",
                cells=tuple(cells),
                result=computed,
                has_result=stored is not None,
            )
        )
    return Journal(
        course=course,
        period=period,
        closed=closed,
        window_days=windows.entry_days,
        groups=groups,
        group_id=group_id,
        parts=parts,
        rows=tuple(rows),
        can_enter=can_enter,
        now=now,
    )


def column_of(journal: Journal, *, measure_id: int, attempt: int) -> Column | None:
    return next((c for c in journal.columns if c.measure_id == measure_id and c.attempt == attempt), None)


def cell_of(row: Row, *, measure_id: int, attempt: int) -> Cell | None:
    return next((c for c in row.cells if c.measure_id == measure_id and c.attempt == attempt), None)


# --- The staff's list of gradebooks ------------------------------------------------------------------------


@dataclass(frozen=True)
class GradebookCourse:
    course: CourseData
    period: PeriodData | None
    group_codes: tuple[str, ...]
    staff_role: str  # the user's role on the course's staff ("teacher", "tutor"), "" for the services
    manages_measures: bool


SEE_EVERY_GRADEBOOK = frozenset({Role.ADMINISTRATION, Role.HEAD})


def gradebook_courses(*, user: Any, period_id: int | None = None) -> list[GradebookCourse]:
    """The courses whose journal `user` may open, by code: every course for the administration service and
    the head, the ones on whose staff they are for a teacher or tutor (holding that role still); of one
    academic period when given. At most six queries."""
    roles = acting_roles(user)
    sees_all = bool(roles & SEE_EVERY_GRADEBOOK)
    staff_kinds = {
        kind
        for kind, role in ((StaffRole.TEACHER.value, Role.TEACHER), (StaffRole.TUTOR.value, Role.TUTOR))
        if role in roles
    }
    if not sees_all and not staff_kinds:
        return []
    roles_on: dict[int, set[str]] = {}
    if sees_all:
        courses = content_api.course_list(period_id=period_id)
    else:
        disciplines = content_api.staffed_disciplines(user=user)
        if not disciplines:
            return []
        courses = content_api.course_list(period_id=period_id, discipline_ids=disciplines)
    if staff_kinds and courses:
        for staff in content_api.course_staff(course_ids=[c.id for c in courses]):
            if staff.user_id == user.pk and staff.role in staff_kinds:
                roles_on.setdefault(staff.course_id, set()).add(staff.role)
    if not sees_all:
        courses = [c for c in courses if c.id in roles_on]
    if not courses:
        return []
    periods = {p.id: p for p in academics_api.period_list()}
    groups = {g.id: g.code for g in academics_api.group_list()}
    administration = Role.ADMINISTRATION in roles
    listed = []
    for course in courses:
        on = roles_on.get(course.id, set())
        role = StaffRole.TEACHER.value if StaffRole.TEACHER.value in on else next(iter(on), "")
        listed.append(
            GradebookCourse(
                course=course,
                period=periods.get(course.period_id),
                group_codes=tuple(sorted(groups[g] for g in course.group_ids if g in groups)),
                staff_role=role,
                manages_measures=administration or role == StaffRole.TEACHER.value,
            )
        )
    return listed
