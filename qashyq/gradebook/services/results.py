"""The computed side of the gradebook: each student's `CourseResult` derived from the grades (never entered by
hand), the SCORM scores pulled into the grades, and the disciplines an F sends into a later period's plan.

`result_refresh` recomputes a few students of one course (after a grade is entered); `results_recalculate`
recomputes whole courses in bulk: a fixed number of reads per batch of courses, and only the results that
changed are written, by one INSERT … ON CONFLICT DO UPDATE (bulk_create; many rows on PostgreSQL through COPY
into a temporary table first)."""

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from qashyq.academics import api as academics_api
from qashyq.content import api as content_api
from qashyq.content.data import CourseData
from qashyq.gradebook import rules
from qashyq.gradebook.data import Outcome, ResultSource
from qashyq.gradebook.models import CourseResult, Grade, GradingPolicy, PeriodClosure, RepeatDiscipline
from qashyq.gradebook.selectors import results as selectors

# The computed columns of CourseResult, in the order `_values` gives them (policy as its id).
COLUMNS = (
    "tk1",
    "rk1",
    "tk2",
    "rk2",
    "r1",
    "r2",
    "admission",
    "admitted",
    "missing",
    "exam",
    "exam_attempt",
    "final",
    "letter",
    "gpa",
    "outcome",
    "policy_id",
)
POINT_COLUMNS = frozenset({"tk1", "rk1", "tk2", "rk2", "r1", "r2", "admission", "exam", "final", "gpa"})
UPDATE_FIELDS = [*(c.removesuffix("_id") for c in COLUMNS), "computed_at"]
# Students per batch of courses in results_recalculate: what one read of grades and results holds.
BATCH_STUDENTS = 20_000
# From this many changed results on PostgreSQL, they go through COPY into a temporary table and one INSERT …
# ON CONFLICT DO UPDATE (a tenth of bulk_create's CPU time); fewer, and on other databases, through bulk_create.
COPY_ROWS = 500
WRITE_BATCH = 2_000
LOAD_TABLE = "gradebook_result_load"

Values = tuple[Any, ...]


def _reasons(reasons: Sequence[rules.Reason]) -> str:
    """The reasons as CourseResult.missing keeps them, as JSON text in the form PostgreSQL prints a jsonb (keys by
    length; selectors.stored_reasons reads them back), so a stored result compares as text."""
    if not reasons:
        return "[]"
    found: list[dict[str, Any]] = []
    for reason in reasons:
        item: dict[str, Any] = {"code": reason.code}
        if reason.score is not None:
            item["score"] = str(reason.score)
        if reason.needed is not None:
            item["needed"] = str(reason.needed)
        if reason.measure_id is not None:
            item["measure"] = reason.measure_id
        found.append(item)
    return json.dumps(found, ensure_ascii=False)


def _values(standing: rules.CourseStanding, policy_id: int) -> Values:
    band = standing.band
    return (
        standing.tk1,
        standing.rk1,
        standing.tk2,
        standing.rk2,
        standing.r1,
        standing.r2,
        standing.admission,
        standing.admitted,
        _reasons(standing.reasons),
        standing.exam,
        standing.exam_attempt,
        standing.final,
        band.letter if band is not None else "",
        band.gpa if band is not None else None,
        standing.outcome,
        policy_id,
    )


def _stored(course_ids: Iterable[int], student_ids: Iterable[int] | None = None) -> dict[tuple[int, int], Values]:
    """{(course id, student id): stored computed columns, as `_values` gives them} (one query: points read as
    cents, the reasons as text)."""
    rows = CourseResult.objects.filter(course_id__in=sorted(set(course_ids)))
    if student_ids is not None:
        rows = rows.filter(student_id__in=sorted(set(student_ids)))
    read = {f"{c}_cents": selectors.in_cents(c) for c in POINT_COLUMNS}
    read["missing_text"] = Cast("missing", TextField())
    names = [f"{c}_cents" if c in POINT_COLUMNS else "missing_text" if c == "missing" else c for c in COLUMNS]
    point_at = [i for i, c in enumerate(COLUMNS) if c in POINT_COLUMNS]
    found: dict[tuple[int, int], Values] = {}
    for row in selectors.plain_rows(rows.annotate(**read).values_list("course_id", "student_id", *names)):
        values = list(row[2:])
        for i in point_at:
            if values[i] is not None:
                values[i] = selectors.points(values[i])
        found[(row[0], row[1])] = tuple(values)
    return found


def _write(changed: dict[tuple[int, int], Values]) -> int:
    """Insert or update these results; the number written."""
    if not changed:
        return 0
    now = timezone.now()
    if len(changed) >= COPY_ROWS and connection.vendor == "postgresql":
        _write_by_copy(changed, now)
        return len(changed)
    rows = []
    for (course_id, student_id), values in changed.items():
        fields = dict(zip(COLUMNS, values, strict=True))
        fields["missing"] = json.loads(fields["missing"])
        rows.append(CourseResult(course_id=course_id, student_id=student_id, computed_at=now, **fields))
    CourseResult.objects.bulk_create(
        rows,
        batch_size=WRITE_BATCH,
        update_conflicts=True,
        unique_fields=["course", "student"],
        update_fields=UPDATE_FIELDS,
    )
    return len(changed)


def _write_by_copy(changed: dict[tuple[int, int], Values], now: datetime) -> None:
    """PostgreSQL: COPY the rows into a temporary table, then one INSERT … ON CONFLICT DO UPDATE (in the caller's
    transaction; the table is dropped at once, so a caller may write again in the same transaction)."""
    table = CourseResult._meta.db_table
    columns = ["course_id", "student_id", "computed_at", *COLUMNS]
    listed = ", ".join(columns)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns[2:])
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {LOAD_TABLE} AS SELECT {listed} FROM {table} WITH NO DATA")  # noqa: S608
        with cursor.copy(f"COPY {LOAD_TABLE} ({listed}) FROM STDIN") as copy:
            for (course_id, student_id), values in changed.items():
                copy.write_row((course_id, student_id, now, *values))
        cursor.execute(
            f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {LOAD_TABLE} "  # noqa: S608
            f"ON CONFLICT (course_id, student_id) DO UPDATE SET {updates}"
        )
        cursor.execute(f"DROP TABLE {LOAD_TABLE}")


def _repeats(*, courses: Sequence[CourseData], outcomes: dict[int, dict[int, str]]) -> None:
    """These courses' periods are closed: an F puts the discipline into the student's plan again (once); a
    result that is no longer F takes back its repeat unless it is cleared (studied again). `outcomes`:
    {course id: {student id: outcome}} of the students recomputed (one query, and one per kind of write)."""
    ids = [c.id for c in courses]
    held = {
        (course_id, student_id): (pk, cleared_at)
        for pk, course_id, student_id, cleared_at in RepeatDiscipline.objects.filter(
            failed_course_id__in=ids
        ).values_list("pk", "failed_course_id", "student_id", "cleared_at")
    }
    new = [
        RepeatDiscipline(student_id=student_id, discipline_id=course.discipline_id, failed_course_id=course.id)
        for course in courses
        for student_id, outcome in outcomes.get(course.id, {}).items()
        if outcome == Outcome.F and (course.id, student_id) not in held
    ]
    taken_back = [
        pk
        for (course_id, student_id), (pk, cleared_at) in held.items()
        if cleared_at is None and outcomes.get(course_id, {}).get(student_id, Outcome.F) != Outcome.F
    ]
    if new:
        RepeatDiscipline.objects.bulk_create(new, batch_size=WRITE_BATCH, ignore_conflicts=True)
    if taken_back:
        RepeatDiscipline.objects.filter(pk__in=taken_back).delete()


@transaction.atomic
def result_refresh(*, course_id: int, student_ids: Iterable[int]) -> None:
    """Recompute the results of these students in one course from their grades (after a grade changed)."""
    ids = sorted(set(student_ids))
    if not ids:
        return
    found = selectors.standings_with_measures(course_id=course_id, student_ids=ids)
    if found is None:
        return
    standings, _measures, context = found
    stored = _stored([course_id], ids)
    values = {(course_id, s): _values(standing, context.policy_row.pk) for s, standing in standings.items()}
    _write({key: v for key, v in values.items() if stored.get(key) != v})
    if context.closed:
        _repeats(courses=[context.course], outcomes={course_id: {s: st.outcome for s, st in standings.items()}})


def results_recalculate(*, course_ids: Iterable[int] | None = None) -> int:
    """Recompute the results of every enrolled student of these courses (None: of every course), first pulling
    the SCORM scores of open periods into the grades; returns the number of results written (only those that
    changed). Courses go in batches of about BATCH_STUDENTS enrolments, each batch one transaction with one
    read of its grades and one of its stored results."""
    courses = content_api.course_list() if course_ids is None else content_api.course_list(ids=course_ids)
    if not courses:
        return 0
    periods = {p.id: p for p in academics_api.period_list()}
    closed = set(PeriodClosure.objects.values_list("period_id", flat=True))
    versions = selectors.policy_versions()
    enrolled = content_api.course_students(course_ids=[c.id for c in courses])
    measures = selectors.measures_of(course_ids=[c.id for c in courses])
    _scorm_pull(courses=[c for c in courses if c.period_id not in closed], enrolled=enrolled, measures=measures)
    written = 0
    for batch in _batches(courses, enrolled):
        with transaction.atomic():
            written += _recalculate_batch(
                batch, enrolled=enrolled, measures=measures, periods=periods, closed=closed, versions=versions
            )
    return written


def _batches(courses: Sequence[CourseData], enrolled: dict[int, list[int]]) -> Iterator[list[CourseData]]:
    batch: list[CourseData] = []
    size = 0
    for course in sorted(courses, key=lambda c: c.id):
        count = len(enrolled.get(course.id, ()))
        if batch and size + count > BATCH_STUDENTS:
            yield batch
            batch, size = [], 0
        batch.append(course)
        size += count
    if batch:
        yield batch


def _recalculate_batch(
    batch: list[CourseData],
    *,
    enrolled: dict[int, list[int]],
    measures: dict[int, list[selectors.MeasureRow]],
    periods: dict[int, Any],
    closed: set[int],
    versions: list[tuple[GradingPolicy, rules.Policy]],
) -> int:
    course_of = {m.id: m.course_id for c in batch for m in measures.get(c.id, ())}
    grades: dict[int, list[selectors.GradeRow]] = {c.id: [] for c in batch}
    if course_of:
        for row in selectors.grade_rows(measure_ids=course_of):
            grades[course_of[row[0]]].append(row)
    stored = _stored(c.id for c in batch)
    changed: dict[tuple[int, int], Values] = {}
    closed_outcomes: dict[int, dict[int, str]] = {}
    for course in batch:
        period = periods[course.period_id]
        policy_row, policy = selectors.policy_in(versions, period.start_date)
        is_closed = course.period_id in closed
        standings = selectors.standings_from(
            student_ids=enrolled.get(course.id, ()),
            measures=measures.get(course.id, []),
            grades=grades[course.id],
            policy=policy,
            closed=is_closed,
            period_start=period.start_date,
        )
        for student_id, standing in standings.items():
            values = _values(standing, policy_row.pk)
            key = (course.id, student_id)
            if stored.get(key) != values:
                changed[key] = values
        if is_closed:
            closed_outcomes[course.id] = {s: standing.outcome for s, standing in standings.items()}
    written = _write(changed)
    if closed_outcomes:
        _repeats(courses=[c for c in batch if c.id in closed_outcomes], outcomes=closed_outcomes)
    return written


def _scorm_pull(
    *, courses: Sequence[CourseData], enrolled: dict[int, list[int]], measures: dict[int, list[selectors.MeasureRow]]
) -> int:
    """Feed the SCORM scores of these courses' measures into the grades where they differ from the grade held
    (through services.grades.grade_record_result: audited like any result); returns how many were fed. A
    package's score is clamped to 0–100."""
    from qashyq.gradebook.services import grades as grade_services

    fed_by: dict[int, list[selectors.MeasureRow]] = {}
    for course in courses:
        for measure in measures.get(course.id, ()):
            if measure.item_id is not None:
                fed_by.setdefault(measure.item_id, []).append(measure)
    if not fed_by:
        return 0
    scores = content_api.scorm_scores(item_ids=fed_by)
    if not scores:
        return 0
    held: dict[tuple[int, int], Decimal] = {}
    measure_ids = [m.id for item_id in scores for m in fed_by[item_id]]
    for measure_id, student_id, _attempt, score in (
        Grade.objects.filter(measure_id__in=measure_ids)
        .order_by("attempt")
        .values_list("measure_id", "student_id", "attempt", "score")
    ):
        held[(measure_id, student_id)] = score  # the latest attempt's
    fed = 0
    for item_id, by_student in scores.items():
        fed_measures = fed_by[item_id]
        students = set(enrolled.get(fed_measures[0].course_id, ()))
        for student_id, reported in by_student.items():
            score = min(max(reported, Decimal(0)), Decimal(100))
            if student_id not in students or all(held.get((m.id, student_id)) == score for m in fed_measures):
                continue
            try:
                grade_services.grade_record_result(
                    item_id=item_id, student_id=student_id, score=score, source=ResultSource.SCORM
                )
            except ValidationError:
                continue
            fed += 1
    return fed
