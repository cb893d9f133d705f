"""What a student's transcript prints: every discipline with a final letter, by academic year and period,
with its credits, final score, letter, digital equivalent and traditional grade, and the GPA per period, per
year and cumulative (`selectors.results.student_gpa`: credit-weighted, F counts 0, an FX waiting for its
retake does not count yet). A course in progress or waiting for its retake is not printed.

About twenty queries whatever the number of courses: the student's results twice (once for the lines, once
inside `student_gpa`), the grade bands of the results' policies, the student, their programme and group."""

from dataclasses import dataclass
from decimal import Decimal

from qashyq.academics import api as academics_api
from qashyq.academics.data import GroupData, ProgrammeData
from qashyq.core.i18n import LANGUAGE_ORDER, localized
from qashyq.gradebook.models import GradeBand, TranscriptJob
from qashyq.gradebook.selectors import results as results_selectors
from qashyq.records import api as records_api
from qashyq.records.data import StudentData


@dataclass(frozen=True)
class TranscriptLine:
    course_id: int
    code: str  # the discipline's code
    name: str  # the discipline's name in the transcript's language
    credits: int
    points: Decimal | None  # the final score (None: an F given at the period's closure, without an exam)
    letter: str
    gpa: Decimal
    traditional: str


@dataclass(frozen=True)
class TranscriptPeriod:
    period_id: int
    number: int
    kind: str
    lines: tuple[TranscriptLine, ...]
    credits: int
    gpa: Decimal | None


@dataclass(frozen=True)
class TranscriptYear:
    year_id: int
    title: str
    periods: tuple[TranscriptPeriod, ...]
    credits: int
    gpa: Decimal | None


@dataclass(frozen=True)
class Transcript:
    student: StudentData
    programme: ProgrammeData | None
    group: GroupData | None
    language: str
    years: tuple[TranscriptYear, ...]
    credits: int
    gpa: Decimal | None

    @property
    def lines(self) -> tuple[TranscriptLine, ...]:
        return tuple(line for year in self.years for period in year.periods for line in period.lines)


def _traditional(policy_ids: set[int]) -> dict[tuple[int, str], tuple[str, str, str]]:
    """{(policy id, letter): (kk, ru, en)} of the scales of these policies (one query)."""
    if not policy_ids:
        return {}
    rows = GradeBand.objects.filter(scale__policies__in=sorted(policy_ids)).values_list(
        "scale__policies__id", "letter", "traditional_kk", "traditional_ru", "traditional_en"
    )
    return {(policy_id, letter): (kk, ru, en) for policy_id, letter, kk, ru, en in rows}


def _in_language(values: tuple[str, str, str], language: str) -> str:
    """The word in `language`, else the first filled one in kk, ru, en order."""
    words = dict(zip(LANGUAGE_ORDER, values, strict=True))
    return next((words[code] for code in (language, *LANGUAGE_ORDER) if words.get(code)), "")


def transcript_get(*, student_id: int, language: str) -> Transcript | None:
    """The transcript of the student in `language` ("kk", "ru", "en"); None for an unknown student."""
    student = records_api.student_get(student_id=student_id)
    if student is None:
        return None
    finals = [r for r in results_selectors.student_results(student_id=student_id) if r.counts_in_gpa]
    gpa = results_selectors.student_gpa(student_id=student_id)
    words = _traditional({r.result.policy_id for r in finals if r.result is not None})
    lines_by_period: dict[int, list[TranscriptLine]] = {}
    for row in finals:
        result = row.result
        if result is None or result.gpa is None or row.period is None:
            continue
        discipline = row.discipline
        lines_by_period.setdefault(row.period.id, []).append(
            TranscriptLine(
                course_id=row.course.id,
                code=discipline.code if discipline is not None else row.course.code,
                name=localized(discipline, "name", language) if discipline is not None else row.course.title,
                credits=row.credits,
                points=result.final,
                letter=result.letter,
                gpa=result.gpa,
                traditional=_in_language(words.get((result.policy_id, result.letter), ("", "", "")), language),
            )
        )
    periods_of_year: dict[int, list[TranscriptPeriod]] = {}
    kinds = {r.period.id: r.period.kind for r in finals if r.period is not None}
    for period in gpa.periods:
        periods_of_year.setdefault(period.year_id, []).append(
            TranscriptPeriod(
                period_id=period.period_id,
                number=period.number,
                kind=kinds.get(period.period_id, ""),
                lines=tuple(lines_by_period.get(period.period_id, ())),
                credits=period.credits,
                gpa=period.gpa,
            )
        )
    years = tuple(
        TranscriptYear(
            year_id=year.year_id,
            title=year.year_title,
            periods=tuple(periods_of_year.get(year.year_id, ())),
            credits=year.credits,
            gpa=year.gpa,
        )
        for year in gpa.years
    )
    programme = academics_api.programme_get(programme_id=student.programme_id)
    group = academics_api.group_get(group_id=student.group_id) if student.group_id is not None else None
    return Transcript(
        student=student,
        programme=programme,
        group=group,
        language=language,
        years=years,
        credits=gpa.credits,
        gpa=gpa.gpa,
    )


def transcript_jobs(*, limit: int = 20) -> list[TranscriptJob]:
    """The latest bulk transcript jobs, newest first, with who started them (one query)."""
    return list(TranscriptJob.objects.select_related("started_by").order_by("-created_at", "-pk")[:limit])
