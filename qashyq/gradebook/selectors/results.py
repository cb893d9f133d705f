"""Reads of the computed side of the gradebook (rules 29–30): the policy in force on a date, every student's
standing in a course computed from the grades, admission to the exam, a student's results and GPA, and what is
missing for admission, in words.

`course_standings` computes live from the grades (`services.results` stores the same in `CourseResult`);
`student_results` and `student_gpa` read the stored results."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, IntegerField, QuerySet
from django.db.models.functions import Cast, Round
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from qashyq.academics import api as academics_api
from qashyq.academics.data import DisciplineData, PeriodData
from qashyq.content import api as content_api
from qashyq.content.data import CourseData
from qashyq.core.i18n import localized
from qashyq.gradebook import rules
from qashyq.gradebook.data import AdmissionData, GpaData, Outcome, PeriodGpa, RatingPart, YearGpa
from qashyq.gradebook.models import ControlMeasure, CourseResult, Grade, GradeBand, GradingPolicy, PeriodClosure
from qashyq.records import api as records_api

# Outcomes whose letter is final: they count in the GPA (an FX waits for its retake).
FINAL_OUTCOMES = frozenset({Outcome.PASSED, Outcome.F})


# --- The policy in force ------------------------------------------------------------------------------------


def policy_versions() -> list[tuple[GradingPolicy, rules.Policy]]:
    """Every policy version with its scale as rules see it, oldest first (two queries)."""
    rows = list(GradingPolicy.objects.order_by("valid_from"))
    bands: dict[int, list[rules.Band]] = {}
    for scale_id, letter, low, high, gpa, passing in GradeBand.objects.filter(
        scale_id__in={p.scale_id for p in rows}
    ).values_list("scale_id", "letter", "min_points", "max_points", "gpa", "passing"):
        bands.setdefault(scale_id, []).append(rules.Band(letter, low, high, gpa, passing))
    scales = {scale_id: rules.Scale(tuple(found)) for scale_id, found in bands.items()}
    return [(row, _policy(row, scales.get(row.scale_id, rules.Scale(())))) for row in rows]


def _policy(row: GradingPolicy, scale: rules.Scale) -> rules.Policy:
    return rules.Policy(
        scale=scale,
        current_weight=row.current_weight,
        exam_weight=row.exam_weight,
        admission_threshold=row.admission_threshold,
        exam_threshold=row.exam_threshold,
        rounding=row.rounding,
    )


def policy_in(versions: Sequence[tuple[GradingPolicy, rules.Policy]], on: date) -> tuple[GradingPolicy, rules.Policy]:
    """The version in force on `on`: the latest that starts on or before it (before every version, the first)."""
    if not versions:
        raise GradingPolicy.DoesNotExist("No grading policy: the gradebook's migrations seed one.")
    found = versions[0]
    for version in versions:
        if version[0].valid_from > on:
            break
        found = version
    return found


def policy_on(*, on: date) -> tuple[GradingPolicy, rules.Policy]:
    """The grading policy in force on `on` and its rules (two queries)."""
    return policy_in(policy_versions(), on)


# --- One course's standings ---------------------------------------------------------------------------------


class MeasureRow(NamedTuple):
    """What the calculation needs of a control measure (and its name for the reasons)."""

    id: int
    course_id: int
    part: str
    weight: Decimal
    required: bool
    pass_points: Decimal
    item_id: int | None
    due_at: datetime | None
    week: int | None
    name_kk: str
    name_ru: str
    name_en: str

    @property
    def name(self) -> str:
        return localized(self, "name")


@dataclass(frozen=True)
class CourseContext:
    """A course as its results are computed: its period, whether the period is closed, the policy in force on
    the period's first day."""

    course: CourseData
    period: PeriodData
    closed: bool
    policy_row: GradingPolicy
    policy: rules.Policy


def course_context(*, course_id: int) -> CourseContext | None:
    """The course, its period, closure and policy (six queries); None for an unknown course."""
    course = content_api.course_get(course_id=course_id)
    if course is None:
        return None
    period = academics_api.period_get(period_id=course.period_id)
    if period is None:  # a course's period is protected
        return None
    policy_row, policy = policy_on(on=period.start_date)
    closed = PeriodClosure.objects.filter(period_id=period.id).exists()
    return CourseContext(course=course, period=period, closed=closed, policy_row=policy_row, policy=policy)


def measures_of(*, course_ids: Iterable[int]) -> dict[int, list[MeasureRow]]:
    """{course id: its control measures in journal order} (one query)."""
    found: dict[int, list[MeasureRow]] = {}
    rows = ControlMeasure.objects.filter(course_id__in=sorted(set(course_ids))).order_by("course_id", "position", "id")
    for row in rows.values_list(*MeasureRow._fields):
        measure = MeasureRow(*row)
        found.setdefault(measure.course_id, []).append(measure)
    return found


GradeRow = tuple[int, int, int, int]  # measure id, student id, attempt, score in cents (8750 = 87.50)


def in_cents(field: str) -> Cast:
    """A column of points read as whole cents: an integer loads several times faster than a numeric."""
    return Cast(Round(F(field) * 100), IntegerField())


_POINTS: dict[int, Decimal] = {}


def points(cents: int) -> Decimal:
    """Whole cents back as points to the cent (8750 → Decimal("87.50")); each value made once."""
    found = _POINTS.get(cents)
    if found is None:
        found = _POINTS[cents] = Decimal(cents).scaleb(-2)
    return found


def plain_rows(queryset: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a values_list() query as the database driver gives them, without Django's converter call per
    value (one query): for the bulk reads of a recalculation, whose columns are integers, text and booleans
    (SQLite gives a boolean as 0 or 1, which compares equal)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter on an empty list: no query at all
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description or ()]
        rows = cursor.fetchall()
    if names != list(getattr(queryset, "_fields", ())):  # not the columns asked for, in their order
        return [tuple(row) for row in queryset]
    return rows


def grade_rows(*, measure_ids: Iterable[int], student_ids: Iterable[int] | None = None) -> list[GradeRow]:
    """The grades of these measures (of these students only, when given), as plain rows with the score in
    cents (one query)."""
    grades = Grade.objects.filter(measure_id__in=sorted(set(measure_ids)))
    if student_ids is not None:
        grades = grades.filter(student_id__in=sorted(set(student_ids)))
    return plain_rows(
        grades.annotate(cents=in_cents("score")).values_list("measure_id", "student_id", "attempt", "cents")
    )


def standings_from(
    *,
    student_ids: Iterable[int],
    measures: Sequence[MeasureRow],
    grades: Iterable[GradeRow],
    policy: rules.Policy,
    closed: bool,
    period_start: date,
    now: datetime | None = None,
) -> dict[int, rules.CourseStanding]:
    """Each student's standing from the course's measures and grades: every measure but the exam feeds the
    rating (its first attempt), the exam's attempt 1 is the exam and attempt 2 the FX retake."""
    exam_id = next((m.id for m in measures if m.part == RatingPart.EXAM), None)
    regular = [m for m in measures if m.part != RatingPart.EXAM]
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    held = {m.id: (when := rules.held_at(m.due_at, m.week, period_start, tz)) is None or when <= now for m in regular}
    scores: dict[int, dict[int, Decimal]] = {s: {} for s in student_ids}
    exams: dict[int, Decimal] = {}
    retakes: dict[int, Decimal] = {}
    for measure_id, student_id, attempt, cents in grades:
        table = scores.get(student_id)
        if table is None:
            continue
        score = _POINTS.get(cents)
        if score is None:
            score = points(cents)
        if measure_id == exam_id:
            (exams if attempt == 1 else retakes)[student_id] = score
        elif attempt == 1:
            table[measure_id] = score
    return {
        student_id: rules.standing(
            [
                rules.MeasureScore(m.id, m.part, m.weight, table.get(m.id), m.required, m.pass_points, held[m.id])
                for m in regular
            ],
            exams.get(student_id),
            retakes.get(student_id),
            policy,
            closed=closed,
        )
        for student_id, table in scores.items()
    }


def course_students(*, course_id: int) -> list[int]:
    """The students actively enrolled in the course (one query)."""
    return content_api.course_students(course_ids=[course_id]).get(course_id, [])


def course_standings(*, course_id: int, student_ids: Iterable[int] | None = None) -> dict[int, rules.CourseStanding]:
    """{student id: standing} for the course's enrolled students (or these students), computed from the grades
    under the policy in force when the course's period starts; a closed period turns a missing final grade into
    F. Nine queries (eight with `student_ids`) whatever the number of students and measures; {} for an unknown
    course."""
    found = standings_with_measures(course_id=course_id, student_ids=student_ids)
    return found[0] if found is not None else {}


def standings_with_measures(
    *, course_id: int, student_ids: Iterable[int] | None = None
) -> tuple[dict[int, rules.CourseStanding], list[MeasureRow], CourseContext] | None:
    """`course_standings` with the measures and the course context they were computed from."""
    context = course_context(course_id=course_id)
    if context is None:
        return None
    ids = course_students(course_id=course_id) if student_ids is None else sorted(set(student_ids))
    measures = measures_of(course_ids=[course_id]).get(course_id, [])
    only = None if student_ids is None else ids
    grades = grade_rows(measure_ids=[m.id for m in measures], student_ids=only) if measures else ()
    standings = standings_from(
        student_ids=ids,
        measures=measures,
        grades=grades,
        policy=context.policy,
        closed=context.closed,
        period_start=context.period.start_date,
    )
    return standings, measures, context


# --- Admission (rule 29) ------------------------------------------------------------------------------------


def admission_for(*, course_id: int, student_id: int) -> AdmissionData:
    """Whether the student may sit the course's exam, with every reason in words when not (eight queries)."""
    found = standings_with_measures(course_id=course_id, student_ids=[student_id])
    if found is None:
        return AdmissionData(course_id=course_id, student_id=student_id, admitted=False, rating=None)
    standings, measures, _context = found
    standing = standings[student_id]
    names = {m.id: m.name for m in measures}
    return AdmissionData(
        course_id=course_id,
        student_id=student_id,
        admitted=standing.admitted,
        rating=standing.admission,
        reasons=tuple(reason_texts(standing.reasons, names)),
    )


def exam_admission(*, item_id: int, student_id: int) -> AdmissionData | None:
    """The student's admission to the exam the course item (a test) is; None when the item feeds no exam."""
    course_id = (
        ControlMeasure.objects.filter(item_id=item_id, part=RatingPart.EXAM).values_list("course_id", flat=True).first()
    )
    if course_id is None:
        return None
    return admission_for(course_id=course_id, student_id=student_id)


def _points(value: Decimal) -> str:
    """A score as people read it: whole points without decimals, else to the cent (in the active language)."""
    if value == value.to_integral_value():
        return number_format(value, decimal_pos=0)
    return number_format(value, decimal_pos=2)


def reason_texts(reasons: Iterable[rules.Reason], measures: Mapping[int, str]) -> list[str]:
    """What is still missing for admission, one translated line per reason; `measures` names the measures by
    id ("Midterm control 1: not graded yet", "Essay 2: 32 of the 50 points needed", "Admission rating 41.50
    below 50")."""
    lines: list[str] = []
    for reason in reasons:
        if reason.code == "rating":
            needed = _points(reason.needed) if reason.needed is not None else ""
            if reason.score is None:
                lines.append(_("No admission rating yet (%(threshold)s needed)") % {"threshold": needed})
            else:
                lines.append(
                    _("Admission rating %(rating)s below %(threshold)s")
                    % {"rating": number_format(reason.score, decimal_pos=2), "threshold": needed}
                )
            continue
        name = measures.get(reason.measure_id or 0) or _("Control measure %(id)s") % {"id": reason.measure_id}
        if reason.code == "missing":
            lines.append(_("%(measure)s: not graded yet") % {"measure": name})
        elif reason.code == "failed" and reason.score is not None and reason.needed is not None:
            lines.append(
                _("%(measure)s: %(score)s of the %(needed)s points needed")
                % {"measure": name, "score": _points(reason.score), "needed": _points(reason.needed)}
            )
        else:
            lines.append(_("%(measure)s: not passed") % {"measure": name})
    return lines


def stored_reasons(missing: Iterable[dict[str, object]]) -> tuple[rules.Reason, ...]:
    """The reasons `services.results` stored in `CourseResult.missing`, back as rules.Reason."""

    def number(value: object) -> Decimal | None:
        return Decimal(str(value)) if value is not None else None

    found: list[rules.Reason] = []
    for item in missing:
        measure = item.get("measure")
        found.append(
            rules.Reason(
                code=str(item.get("code", "")),
                measure_id=int(str(measure)) if measure is not None else None,
                score=number(item.get("score")),
                needed=number(item.get("needed")),
            )
        )
    return tuple(found)


# --- A student's results and GPA ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StudentResult:
    """One course of a student: the course, its discipline and credits, its period, and the stored result
    (None until it is computed)."""

    course: CourseData
    discipline: DisciplineData | None
    period: PeriodData | None
    credits: int
    result: CourseResult | None

    @property
    def letter(self) -> str:
        return self.result.letter if self.result is not None else ""

    @property
    def outcome(self) -> str:
        return self.result.outcome if self.result is not None else Outcome.IN_PROGRESS

    @property
    def counts_in_gpa(self) -> bool:
        """A final letter (passed or F) with its digital equivalent."""
        return self.result is not None and self.result.outcome in FINAL_OUTCOMES and self.result.gpa is not None


def student_results(*, student_id: int) -> list[StudentResult]:
    """Every course of the student (active enrolments, and any course with a stored result), by period and
    course code, with the discipline's credits (the curriculum's credits of the student's programme when it
    lists the discipline). Eight queries whatever the number of courses (two when there are none)."""
    results = {r.course_id: r for r in CourseResult.objects.filter(student_id=student_id)}
    course_ids = {e.course_id for e in content_api.enrolments_of_student(student_id=student_id)} | set(results)
    if not course_ids:
        return []
    courses = content_api.course_list(ids=course_ids)
    disciplines = {d.id: d for d in academics_api.discipline_list(ids={c.discipline_id for c in courses})}
    periods = {p.id: p for p in academics_api.period_list()}
    credits = curriculum_credits(student_id=student_id)
    rows = []
    for course in courses:
        discipline = disciplines.get(course.discipline_id)
        period = periods.get(course.period_id)
        rows.append(
            StudentResult(
                course=course,
                discipline=discipline,
                period=period,
                credits=credits.get(course.discipline_id, discipline.credits if discipline is not None else 0),
                result=results.get(course.id),
            )
        )
    rows.sort(key=lambda r: (r.period.start_date if r.period else date.min, r.course.code))
    return rows


def curriculum_credits(*, student_id: int) -> dict[int, int]:
    """{discipline id: credits} of the student's programme's curriculum (two queries; {} for no student)."""
    student = records_api.student_get(student_id=student_id)
    if student is None:
        return {}
    found: dict[int, int] = {}
    for line in academics_api.curriculum_lines(programme_id=student.programme_id):
        found.setdefault(line.discipline.id, line.credits)
    return found


def student_gpa(*, student_id: int, rows: Sequence[StudentResult] | None = None) -> GpaData:
    """The student's GPA per academic period, per academic year and cumulative: Σ(credits × digital equivalent)
    / Σ credits over the final letters (passed or F; F counts 0 and stays in the denominator). From `rows` when
    the caller has read `student_results` already (no query), else with its queries."""
    if rows is None:
        rows = student_results(student_id=student_id)
    counted: list[tuple[PeriodData, int, Decimal]] = [
        (r.period, r.credits, r.result.gpa)
        for r in rows
        if r.counts_in_gpa and r.period is not None and r.result is not None and r.result.gpa is not None
    ]
    by_period: dict[int, list[tuple[PeriodData, int, Decimal]]] = {}
    by_year: dict[int, list[tuple[PeriodData, int, Decimal]]] = {}
    for entry in counted:
        by_period.setdefault(entry[0].id, []).append(entry)
        by_year.setdefault(entry[0].year_id, []).append(entry)

    def credits(rows: list[tuple[PeriodData, int, Decimal]]) -> int:
        return sum(c for _p, c, _g in rows)

    def gpa(rows: list[tuple[PeriodData, int, Decimal]]) -> Decimal | None:
        return rules.gpa((c, g) for _p, c, g in rows)

    return GpaData(
        student_id=student_id,
        periods=tuple(
            PeriodGpa(
                period_id=rows[0][0].id,
                year_id=rows[0][0].year_id,
                year_title=rows[0][0].year_title,
                number=rows[0][0].number,
                credits=credits(rows),
                gpa=gpa(rows),
            )
            for rows in by_period.values()
        ),
        years=tuple(
            YearGpa(year_id=year_id, year_title=rows[0][0].year_title, credits=credits(rows), gpa=gpa(rows))
            for year_id, rows in by_year.items()
        ),
        credits=credits(counted),
        gpa=gpa(counted),
    )
