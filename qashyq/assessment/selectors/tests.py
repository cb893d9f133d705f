"""Reads of the teacher's side of a test: its results per student, the queue of essays awaiting grading, and
the input of item analysis. Each costs a fixed number of queries whatever the number of students."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from html import unescape
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from qashyq.academics import api as academics_api
from qashyq.accounts.api import Role, acting_roles
from qashyq.assessment.data import AttemptStatus
from qashyq.assessment.models import Accommodation, Attempt, AttemptQuestion, Test
from qashyq.assessment.rules import analysis
from qashyq.assessment.selectors import results
from qashyq.content import api as content_api
from qashyq.content.data import ItemAccessData, StaffRole

FINISHED = (AttemptStatus.NEEDS_GRADING, AttemptStatus.GRADED)


def visible_group_ids(access: ItemAccessData, group_id: int | None = None) -> list[int] | None:
    """The groups whose students `access` sees (None: every group), narrowed to `group_id` when given."""
    groups: set[int] | None = None if access.tutor_group_ids is None else set(access.tutor_group_ids)
    if group_id is not None:
        groups = {group_id} if groups is None or group_id in groups else set()
    return None if groups is None else sorted(groups)


def group_codes(group_ids: Iterable[int]) -> dict[int, str]:
    """The codes of these study groups, by code (one query)."""
    wanted = set(group_ids)
    return {g.id: g.code for g in sorted(academics_api.group_list(), key=lambda g: g.code) if g.id in wanted}


# --- Results ---------------------------------------------------------------------------------------------


@dataclass
class AttemptRow:
    attempt: Attempt
    pending: int  # essays awaiting grading
    graders: list[str] = field(default_factory=list)


@dataclass
class StudentRow:
    student_id: int
    full_name: str
    group_code: str
    attempts: list[AttemptRow]
    grade: Decimal | None  # by the test's grading method over graded attempts
    pending: bool
    accommodated: bool


def results_table(*, test: Test, access: ItemAccessData, group_id: int | None = None) -> list[StudentRow]:
    """Every student of the course the user may see (of `group_id` only, when given), by name, with their
    attempts (score, status, who graded them) and the grade by the test's method. Five queries."""
    groups = visible_group_ids(access, group_id)
    enrolments = content_api.course_enrolments(course_id=test.course_id, group_ids=groups)
    student_ids = [e.student_id for e in enrolments]
    attempts = list(
        Attempt.objects.filter(test=test, student_id__in=student_ids)
        .annotate(pending=Count("questions", filter=Q(questions__needs_grading=True)))
        .order_by("student_id", "number")
    )
    graders: dict[int, list[str]] = {}
    graded = (
        AttemptQuestion.objects.filter(attempt__in=[a.pk for a in attempts], graded_by__isnull=False)
        .values_list("attempt_id", "graded_by__last_name", "graded_by__first_name", "graded_by__username")
        .distinct()
        .order_by("attempt_id", "graded_by__last_name", "graded_by__first_name")
    )
    for attempt_id, last, first, username in graded:
        graders.setdefault(attempt_id, []).append(" ".join(p for p in (last, first) if p) or username)
    accommodated = set(
        Accommodation.objects.filter(test=test, student_id__in=student_ids).values_list("student_id", flat=True)
    )
    codes = group_codes(e.group_id for e in enrolments if e.group_id is not None)
    by_student: dict[int, list[AttemptRow]] = {}
    for attempt in attempts:
        by_student.setdefault(attempt.student_id, []).append(
            AttemptRow(attempt=attempt, pending=attempt.pending, graders=graders.get(attempt.pk, []))
        )
    rows = []
    for e in enrolments:
        own = by_student.get(e.student_id, [])
        result = results.result_of(test, [r.attempt for r in own], student_id=e.student_id)
        rows.append(
            StudentRow(
                student_id=e.student_id,
                full_name=e.full_name,
                group_code=codes.get(e.group_id or 0, ""),
                attempts=own,
                grade=result.percent,
                pending=result.pending,
                accommodated=e.student_id in accommodated,
            )
        )
    return rows


# --- The grading queue -------------------------------------------------------------------------------------


def _queue_filter(*, user: Any, course_ids: Iterable[int]) -> Q | None:
    """Which pending questions `user` grades: every one of the courses they teach, those of the students of
    their groups in the courses they tutor (every group when their row names none)."""
    roles = acting_roles(user)
    kinds = set()
    if Role.TEACHER in roles:
        kinds.add(StaffRole.TEACHER.value)
    if Role.TUTOR in roles:
        kinds.add(StaffRole.TUTOR.value)
    if not kinds:
        return None
    where = Q(pk__in=[])
    found = False
    for staff in content_api.course_staff(course_ids=course_ids):
        if staff.user_id != user.pk or staff.role not in kinds:
            continue
        found = True
        course = Q(attempt__test__course_id=staff.course_id)
        if staff.role == StaffRole.TUTOR.value and staff.group_ids:
            course &= Q(attempt__student__group_id__in=list(staff.group_ids))
        where |= course
    return where if found else None


def grading_queue(*, user: Any, test_id: int | None = None) -> list[AttemptQuestion]:
    """The essays of finished attempts awaiting grading that `user` grades (of one test, when given), oldest
    attempt first, with their attempt, student, test and item. Four queries at most."""
    if not acting_roles(user) & {Role.TEACHER, Role.TUTOR}:
        return []
    pending = AttemptQuestion.objects.filter(needs_grading=True, attempt__status__in=FINISHED)
    if test_id is not None:
        pending = pending.filter(attempt__test_id=test_id)
    course_ids = set(pending.values_list("attempt__test__course_id", flat=True).distinct())
    if not course_ids:
        return []
    where = _queue_filter(user=user, course_ids=course_ids)
    if where is None:
        return []
    return list(
        pending.filter(where)
        .select_related("attempt", "attempt__student", "attempt__test", "attempt__test__item", "attempt__test__course")
        .order_by("attempt__finished_at", "attempt_id", "position")
    )


# --- Item analysis --------------------------------------------------------------------------------------------


_TAGS = re.compile(r"<[^>]+>")


def plain(html: str, limit: int = 120) -> str:
    """The text of an HTML fragment, shortened to `limit` characters."""
    text = " ".join(unescape(_TAGS.sub(" ", html or "")).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class AnalysedQuestion:
    question_id: int
    label: str
    qtype: str
    points: Decimal
    stats: analysis.QuestionStats
    options: list[tuple[str, str, bool, int]]  # (id, text, right, chosen by how many)
    blank: int  # answered with no option (choice questions)


@dataclass
class AnalysisData:
    questions: list[AnalysedQuestion]
    stats: analysis.TestStats
    attempts: int


def _options(qtype: str, data: dict[str, Any]) -> list[tuple[str, str, bool]]:
    if qtype in ("single", "multiple"):
        return [
            (str(o.get("id")), plain(str(o.get("text", "")), 60), float(o.get("fraction") or 0) > 0)
            for o in data.get("options", [])
            if isinstance(o, dict)
        ]
    if qtype == "true_false":
        right = bool(data.get("answer"))
        return [("true", _("True"), right), ("false", _("False"), not right)]
    return []


def analysis_input(*, test: Test, access: ItemAccessData) -> AnalysisData:
    """The first finished attempt of each student the user may see, as a score matrix (a column per question,
    in the order questions first appear), with the answers' option counts and the statistics. Two queries."""
    groups = visible_group_ids(access)
    attempts_qs = Attempt.objects.filter(test=test, status__in=FINISHED)
    if groups is not None:
        attempts_qs = attempts_qs.filter(student__group_id__in=groups)
    first: dict[int, Attempt] = {}
    for attempt in attempts_qs.order_by("student_id", "number"):
        first.setdefault(attempt.student_id, attempt)
    attempts = sorted(first.values(), key=lambda a: a.pk)
    row_of = {a.pk: i for i, a in enumerate(attempts)}
    slots = (
        AttemptQuestion.objects.filter(attempt_id__in=list(row_of))
        .select_related("version")
        .order_by("position", "attempt_id")
    )
    columns: dict[int, int] = {}
    meta: dict[int, tuple[str, str, Decimal, dict[str, Any]]] = {}
    answers: dict[int, list[Any]] = {}
    cells: list[dict[int, float | None]] = [{} for _ in attempts]
    for slot in slots:
        column = columns.setdefault(slot.question_id, len(columns))
        version = slot.version
        if slot.question_id not in meta or version.number > int(meta[slot.question_id][3].get("_number", 0)):
            label = version.name or plain(version.stem)
            data = version.data | {"_number": version.number}
            meta[slot.question_id] = (label, slot.type, Decimal(slot.points), data)
        answers.setdefault(slot.question_id, []).append(slot.answer)
        points = Decimal(slot.points)
        share: float | None
        if slot.score is None or points <= 0:
            share = None if slot.needs_grading else 0.0
        else:
            share = float(Decimal(slot.score) / points)
        cells[row_of[slot.attempt_id]][column] = share
    order = sorted(columns, key=lambda q: columns[q])
    matrix = [[row.get(columns[q]) for q in order] for row in cells]
    percents = [float(a.percent) if a.percent is not None else 0.0 for a in attempts]
    stats = analysis.analyse(matrix, percents=percents)
    questions = []
    for question_id, column_stats in zip(order, stats.questions, strict=True):
        label, qtype, points, data = meta[question_id]
        options = _options(qtype, data)
        counts, blank = analysis.distractor_counts(qtype, answers[question_id], [o[0] for o in options])
        questions.append(
            AnalysedQuestion(
                question_id=question_id,
                label=label,
                qtype=qtype,
                points=points,
                stats=column_stats,
                options=[(oid, text, right, counts[oid]) for oid, text, right in options],
                blank=blank if options else 0,
            )
        )
    return AnalysisData(questions=questions, stats=stats, attempts=len(attempts))
