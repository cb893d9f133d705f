"""Grade distributions read off the computed results (`CourseResult`): per course, how many students hold each
letter of the scale and how the final scores fall into 10-point bins; per academic period, the same for every
course side by side and for the period as a whole. A fixed number of queries whatever the size."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from qashyq.content import api as content_api
from qashyq.content.data import CourseData
from qashyq.gradebook.models import CourseResult, GradeBand, GradingPolicy
from qashyq.gradebook.rules import cents

BIN_WIDTH = 10
BIN_COUNT = 10  # 0–9, 10–19, … 90–100 (100 joins the last bin)


@dataclass(frozen=True)
class LetterCount:
    letter: str
    count: int
    passing: bool
    min_points: int
    max_points: int


@dataclass(frozen=True)
class ScoreBin:
    low: int
    high: int
    count: int

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high}"


@dataclass(frozen=True)
class Distribution:
    """`students`: the results counted; `graded`: those with a final score (the histogram); `lettered`: those
    with a letter (an F given at the closing of the period has a letter but no final score)."""

    letters: tuple[LetterCount, ...]
    bins: tuple[ScoreBin, ...]
    students: int
    graded: int
    lettered: int
    mean: Decimal | None

    @property
    def top_letter(self) -> int:
        return max((lc.count for lc in self.letters), default=0)

    @property
    def top_bin(self) -> int:
        return max((b.count for b in self.bins), default=0)


@dataclass(frozen=True)
class CourseDistribution:
    course: CourseData
    distribution: Distribution
    counts: tuple[int, ...]  # per letter of the period's table, in its order


@dataclass(frozen=True)
class PeriodDistribution:
    period_id: int
    courses: tuple[CourseDistribution, ...]
    total: Distribution
    letters: tuple[str, ...]  # the columns of the per-course table, best first


@dataclass(frozen=True)
class _Band:
    letter: str
    passing: bool
    min_points: int
    max_points: int


def bin_index(final: Decimal) -> int:
    """The 10-point bin of a final score: 0–9.99 → 0, …, 90–100 → 9."""
    return min(int(final // BIN_WIDTH), BIN_COUNT - 1)


def _bands(scale_ids: Iterable[int]) -> list[_Band]:
    """The letters of the scales the results were graded on, best first; without results, the letters of the
    scale in force today. One query (two without results)."""
    ids = sorted(set(scale_ids))
    if not ids:
        today = timezone.localdate()
        policy = (
            GradingPolicy.objects.filter(valid_from__lte=today).order_by("-valid_from").only("scale_id").first()
            or GradingPolicy.objects.order_by("valid_from").only("scale_id").first()
        )
        if policy is None:
            return []
        ids = [policy.scale_id]
    found: dict[str, _Band] = {}
    for band in GradeBand.objects.filter(scale_id__in=ids).order_by("-scale__valid_from", "-min_points"):
        found.setdefault(band.letter, _Band(band.letter, band.passing, band.min_points, band.max_points))
    return sorted(found.values(), key=lambda b: -b.min_points)


def _distribution(rows: Iterable[tuple[str, Decimal | None]], bands: list[_Band]) -> Distribution:
    letters = {b.letter: 0 for b in bands}
    bins = [0] * BIN_COUNT
    students = graded = lettered = 0
    total = Decimal(0)
    for letter, final in rows:
        students += 1
        if letter:
            lettered += 1
            letters[letter] = letters.get(letter, 0) + 1
        if final is not None:
            graded += 1
            total += final
            bins[bin_index(final)] += 1
    order = {b.letter: b for b in bands}
    return Distribution(
        letters=tuple(
            LetterCount(
                letter=letter,
                count=count,
                passing=order[letter].passing if letter in order else False,
                min_points=order[letter].min_points if letter in order else 0,
                max_points=order[letter].max_points if letter in order else 0,
            )
            for letter, count in letters.items()
        ),
        bins=tuple(
            ScoreBin(low=i * BIN_WIDTH, high=100 if i == BIN_COUNT - 1 else i * BIN_WIDTH + BIN_WIDTH - 1, count=c)
            for i, c in enumerate(bins)
        ),
        students=students,
        graded=graded,
        lettered=lettered,
        mean=cents(total / graded) if graded else None,
    )


def course_distribution(
    *, course: CourseData, group_ids: frozenset[int] | None, group_id: int | None = None
) -> Distribution:
    """The distribution of the course's students a viewer sees (`group_ids`, None: every group), of one group
    when `group_id` is given (the caller checked it is among them). At most four queries: the enrolments, the
    results, the letters (and the policy in force when there is no result)."""
    shown: Iterable[int] | None = [group_id] if group_id is not None else group_ids
    student_ids = [e.student_id for e in content_api.course_enrolments(course_id=course.id, group_ids=shown)]
    rows = list(
        CourseResult.objects.filter(course_id=course.id, student_id__in=student_ids).values_list(
            "letter", "final", "policy__scale_id"
        )
    )
    bands = _bands(scale for _letter, _final, scale in rows)
    return _distribution(((letter, final) for letter, final, _scale in rows), bands)


def period_distribution(*, period_id: int) -> PeriodDistribution:
    """Every course of the academic period with its distribution, and the period as a whole. Four queries
    (five without any result): the courses with their groups, the results, the letters."""
    courses = content_api.course_list(period_id=period_id)
    by_course: dict[int, list[tuple[str, Decimal | None]]] = {c.id: [] for c in courses}
    scales: set[int] = set()
    if courses:
        for course_id, letter, final, scale in CourseResult.objects.filter(course_id__in=list(by_course)).values_list(
            "course_id", "letter", "final", "policy__scale_id"
        ):
            by_course[course_id].append((letter, final))
            scales.add(scale)
    bands = _bands(scales)
    total = _distribution((row for rows in by_course.values() for row in rows), bands)
    letters = tuple(lc.letter for lc in total.letters)
    per_course = []
    for course in courses:
        distribution = _distribution(by_course[course.id], bands)
        counts = {lc.letter: lc.count for lc in distribution.letters}
        per_course.append(
            CourseDistribution(
                course=course, distribution=distribution, counts=tuple(counts.get(letter, 0) for letter in letters)
            )
        )
    return PeriodDistribution(period_id=period_id, courses=tuple(per_course), total=total, letters=letters)
