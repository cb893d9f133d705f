"""A student's own gradebook (rules 29–30): every course grouped by academic period, each with its control
measures (score, due date, pass points), the computed parts and ratings, admission and what is still missing,
the exam, the final score, the letter, its digital equivalent and traditional grade; FX with its retake window,
F with the discipline to be studied again; the GPA per period, per year and cumulative.

The page, the XLSX export and the REST API read it here, in a fixed number of queries."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import translation

from qashyq.academics.data import PeriodData
from qashyq.content.data import CourseData
from qashyq.core.i18n import LANGUAGE_ORDER
from qashyq.gradebook.data import GpaData, Outcome, PeriodGpa, RatingPart, YearGpa
from qashyq.gradebook.models import (
    CourseResult,
    Grade,
    GradeBand,
    GradingPolicy,
    PeriodClosure,
)
from qashyq.gradebook.selectors import results as results_selectors
from qashyq.gradebook.selectors.results import MeasureRow, StudentResult


@dataclass(frozen=True)
class MeasureLine:
    """One control measure of a course and the student's score on it (None: not graded). For the exam,
    `retake` is the FX retake's score. `passed` is None while ungraded."""

    id: int
    name: str
    part: str
    part_label: str
    due_at: datetime | None
    week: int | None
    weight: Decimal
    required: bool
    pass_points: Decimal
    score: Decimal | None
    retake: Decimal | None

    @property
    def passed(self) -> bool | None:
        if self.score is None:
            return None
        return self.score >= self.pass_points

    @property
    def is_exam(self) -> bool:
        return self.part == RatingPart.EXAM


@dataclass(frozen=True)
class CourseLine:
    """One course of the student. `result` is None until the course's results are computed. `missing` is what
    is still needed for admission, in words; `retake_until` the end of the free FX retake window; `repeat`:
    the discipline goes into the plan of a later period (F)."""

    row: StudentResult
    measures: tuple[MeasureLine, ...]
    missing: tuple[str, ...]
    traditional: str
    retake_until: datetime | None
    repeat: bool

    @property
    def course(self) -> CourseData:
        return self.row.course

    @property
    def result(self) -> CourseResult | None:
        return self.row.result

    @property
    def outcome(self) -> str:
        return self.row.outcome

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.row.outcome).label)

    @property
    def admitted(self) -> bool:
        return self.row.result is not None and self.row.result.admitted

    @property
    def discipline_name(self) -> str:
        discipline = self.row.discipline
        if discipline is None:
            return self.row.course.title
        return _localized(discipline.name_kk, discipline.name_ru, discipline.name_en)


@dataclass(frozen=True)
class PeriodBlock:
    period: PeriodData | None
    closed: bool
    courses: tuple[CourseLine, ...]
    gpa: PeriodGpa | None


@dataclass(frozen=True)
class YearBlock:
    year_id: int
    year_title: str
    periods: tuple[PeriodBlock, ...]
    gpa: YearGpa | None


@dataclass(frozen=True)
class OwnGradebook:
    student_id: int
    years: tuple[YearBlock, ...]
    gpa: GpaData

    @property
    def periods(self) -> tuple[PeriodBlock, ...]:
        return tuple(p for y in self.years for p in y.periods)

    @property
    def courses(self) -> tuple[CourseLine, ...]:
        return tuple(c for p in self.periods for c in p.courses)


def _localized(kk: str, ru: str, en: str) -> str:
    values = {"kk": kk, "ru": ru, "en": en}
    language = (translation.get_language() or "kk")[:2]
    for code in (language, *LANGUAGE_ORDER):
        if values.get(code):
            return values[code]
    return ""


def _part_label(part: str) -> str:
    return str(RatingPart(part).label) if part in RatingPart.values else part


def _measure_lines(
    measures: Iterable[MeasureRow],
    scores: dict[tuple[int, int], Decimal],
) -> tuple[MeasureLine, ...]:
    return tuple(
        MeasureLine(
            id=m.id,
            name=m.name,
            part=m.part,
            part_label=_part_label(m.part),
            due_at=m.due_at,
            week=m.week,
            weight=m.weight,
            required=m.required,
            pass_points=m.pass_points,
            score=scores.get((m.id, 1)),
            retake=scores.get((m.id, 2)) if m.part == RatingPart.EXAM else None,
        )
        for m in measures
    )


def own_gradebook(*, student_id: int) -> OwnGradebook:
    """The student's gradebook: a fixed number of queries whatever the number of courses and measures."""
    rows = results_selectors.student_results(student_id=student_id)
    gpa = results_selectors.student_gpa(student_id=student_id, rows=rows)
    course_ids = [r.course.id for r in rows]
    measures = results_selectors.measures_of(course_ids=course_ids) if rows else {}
    measure_ids = [m.id for found in measures.values() for m in found]
    scores: dict[tuple[int, int], Decimal] = {}
    exam_entered: dict[int, datetime] = {}
    if measure_ids:
        for measure_id, attempt, score, entered_at, part in Grade.objects.filter(
            student_id=student_id, measure_id__in=measure_ids
        ).values_list("measure_id", "attempt", "score", "entered_at", "measure__part"):
            scores[(measure_id, attempt)] = score
            if part == RatingPart.EXAM and attempt == 1:
                exam_entered[measure_id] = entered_at
    results = [r.result for r in rows if r.result is not None]
    policies = {p.pk: p for p in GradingPolicy.objects.filter(pk__in={r.policy_id for r in results})} if results else {}
    bands = (
        {
            (b.scale_id, b.letter): b
            for b in GradeBand.objects.filter(scale_id__in={p.scale_id for p in policies.values()})
        }
        if policies
        else {}
    )
    period_ids = {r.period.id for r in rows if r.period is not None}
    closed = (
        set(PeriodClosure.objects.filter(period_id__in=period_ids).values_list("period_id", flat=True))
        if period_ids
        else set()
    )
    lines: list[CourseLine] = []
    for row in rows:
        course_measures = measures.get(row.course.id, [])
        names = {m.id: m.name for m in course_measures}
        result = row.result
        missing: tuple[str, ...] = ()
        traditional = ""
        retake_until = None
        if result is not None:
            if not result.admitted and result.missing:
                reasons = results_selectors.stored_reasons(result.missing)
                missing = tuple(results_selectors.reason_texts(reasons, names))
            policy = policies.get(result.policy_id)
            band = bands.get((policy.scale_id, result.letter)) if policy is not None and result.letter else None
            if band is not None:
                traditional = _localized(band.traditional_kk, band.traditional_ru, band.traditional_en)
            if result.outcome == Outcome.FX and policy is not None:
                exam = next((m.id for m in course_measures if m.part == RatingPart.EXAM), None)
                first = exam_entered.get(exam) if exam is not None else None
                if first is not None:
                    retake_until = first + timedelta(days=policy.retake_window_days)
        lines.append(
            CourseLine(
                row=row,
                measures=_measure_lines(course_measures, scores),
                missing=missing,
                traditional=traditional,
                retake_until=retake_until,
                repeat=row.outcome == Outcome.F,
            )
        )
    return OwnGradebook(student_id=student_id, years=_years(lines, gpa, closed), gpa=gpa)


def _years(lines: list[CourseLine], gpa: GpaData, closed: set[int]) -> tuple[YearBlock, ...]:
    """The courses by academic year and period, in the order of `student_results` (by period, then code)."""
    period_gpa = {p.period_id: p for p in gpa.periods}
    year_gpa = {y.year_id: y for y in gpa.years}
    by_period: dict[int | None, list[CourseLine]] = {}
    periods: dict[int | None, PeriodData | None] = {}
    for line in lines:
        key = line.row.period.id if line.row.period is not None else None
        by_period.setdefault(key, []).append(line)
        periods[key] = line.row.period
    years: dict[int, list[PeriodBlock]] = {}
    titles: dict[int, str] = {}
    for key, courses in by_period.items():
        period = periods[key]
        year_id = period.year_id if period is not None else 0
        titles[year_id] = period.year_title if period is not None else ""
        years.setdefault(year_id, []).append(
            PeriodBlock(
                period=period,
                closed=key in closed,
                courses=tuple(courses),
                gpa=period_gpa.get(key) if key is not None else None,
            )
        )
    return tuple(
        YearBlock(year_id=year_id, year_title=titles[year_id], periods=tuple(blocks), gpa=year_gpa.get(year_id))
        for year_id, blocks in years.items()
    )
