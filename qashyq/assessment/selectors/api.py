"""Reads behind the REST API of tests and attempts (api_v1/tests.py) and `api.py`: which tests a user may list,
what a student may see of an attempt (the review settings), an attempt's questions as the API shows them,
and the results of many students at once.

Correct answers leave the server only through `attempt_questions(..., review=...)` when `review.correct` is
set: staff always, a student once the test's review settings open it."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from qashyq.accounts.api import Role, acting_roles
from qashyq.assessment.data import AttemptStatus, QuestionType, TestResultData
from qashyq.assessment.models import Attempt, AttemptQuestion, Test
from qashyq.assessment.rules.grading import right_answer
from qashyq.assessment.selectors.results import Review, result_of
from qashyq.assessment.services.attempts import student_window

# Who may list every test (as content lets them open every course).
SEE_ALL_TESTS = frozenset({Role.ADMINISTRATION, Role.HEAD, Role.DIDACTICS})
# The staff row kind of a course that counts for a holder of each role.
STAFF_KINDS = {Role.TEACHER: "teacher", Role.TUTOR: "tutor"}
FINISHED = (AttemptStatus.NEEDS_GRADING.value, AttemptStatus.GRADED.value)


# --- tests ------------------------------------------------------------------------------------------------


def tests_visible_to(*, user: Any) -> Q | None:
    """The tests `user` may list, as a filter on Test; None when none. Administration, head and the
    didactic-means service: every test; teachers and tutors: the tests of the courses they staff; students:
    the tests of published items of the courses of their active enrolments."""
    roles = acting_roles(user)
    if not roles:
        return None
    if roles & SEE_ALL_TESTS:
        return Q()
    visible = Q(pk__in=[])
    kinds = [kind for role, kind in STAFF_KINDS.items() if role in roles]
    if kinds:
        staffed = Test.objects.filter(course__staff__user_id=user.pk, course__staff__role__in=kinds)
        visible |= Q(pk__in=staffed.values("pk"))
    if Role.STUDENT in roles:
        studied = Test.objects.filter(
            course__enrolments__active=True,
            course__enrolments__student__user_id=user.pk,
            item__live_version__isnull=False,
        )
        visible |= Q(pk__in=studied.values("pk"))
    return visible


def visible_tests(*, user: Any, course_id: int | None = None) -> QuerySet[Test]:
    """The tests `user` may list (of one course, when given), with their items and question counts (one query)."""
    visible = tests_visible_to(user=user)
    if visible is None:
        return Test.objects.none()
    tests = (
        Test.objects.filter(visible)
        .select_related("item", "item__live_version")
        .annotate(question_count=Coalesce(Sum("rules__count"), 0))
    )
    if course_id is not None:
        tests = tests.filter(course_id=course_id)
    return tests


def title_of(test: Test) -> str:
    """The item's published title in the active language (its draft name while it is unpublished)."""
    live = test.item.live_version
    if live is None:
        return str(test.item.name)
    data = live.data
    return str(data.get(f"name_{get_language() or 'kk'}") or data.get("name_kk") or test.item.name)


def question_count(test: Test) -> int:
    annotated = getattr(test, "question_count", None)
    if annotated is not None:
        return int(annotated)
    return int(test.rules.aggregate(total=Sum("count"))["total"] or 0)


@dataclass(frozen=True)
class StudentStanding:
    """A student's window and attempts in a test (their accommodation included)."""

    opens_at: datetime | None
    closes_at: datetime | None
    time_limit_minutes: int  # the test's (0: none)
    extra_time_percent: int
    time_limit_seconds: int | None  # theirs, extra time included (None: none)
    attempts_allowed: int  # 0: unlimited
    attempts_used: int
    attempts_left: int | None  # None: unlimited
    active_attempt_id: int | None


def student_standing(*, test: Test, student_id: int) -> StudentStanding:
    """Two queries: the accommodation and the student's attempts."""
    window, accommodation = student_window(test, student_id=student_id)
    rows = list(Attempt.objects.filter(test=test, student_id=student_id).values_list("pk", "status"))
    return StudentStanding(
        opens_at=window.opens_at,
        closes_at=window.closes_at,
        time_limit_minutes=test.time_limit_minutes,
        extra_time_percent=accommodation.extra_time_percent if accommodation is not None else 0,
        time_limit_seconds=int(window.time_limit.total_seconds()) if window.time_limit is not None else None,
        attempts_allowed=window.attempts_allowed,
        attempts_used=len(rows),
        attempts_left=window.attempts_left(len(rows)),
        active_attempt_id=next((pk for pk, status in rows if status == AttemptStatus.IN_PROGRESS), None),
    )


# --- results --------------------------------------------------------------------------------------------------


def results_of(*, test: Test, student_ids: Iterable[int] | None = None) -> dict[int, TestResultData]:
    """The results of these students (None: every student with a finished attempt) by student id, by the
    rule of selectors/results.py; a student with no finished attempt gets percent None and 0 attempts.
    One query."""
    attempts = Attempt.objects.filter(test=test, status__in=FINISHED).only(
        "pk", "student_id", "number", "status", "percent"
    )
    wanted = None if student_ids is None else sorted(set(student_ids))
    if wanted is not None:
        attempts = attempts.filter(student_id__in=wanted)
    by_student: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in attempts.order_by("student_id", "number"):
        by_student[attempt.student_id].append(attempt)
    ids = wanted if wanted is not None else sorted(by_student)
    return {sid: result_of(test, by_student.get(sid, []), student_id=sid) for sid in ids}


# --- what a student may see of an attempt ----------------------------------------------------------------------


# --- an attempt's questions -------------------------------------------------------------------------------


def _ordered(entries: Sequence[dict[str, Any]], order: Sequence[str] | None) -> list[dict[str, Any]]:
    """`entries` (dicts with an "id") in the order of `order` (those it does not name at the end)."""
    if not order:
        return list(entries)
    rank = {entry_id: n for n, entry_id in enumerate(order)}
    return sorted(entries, key=lambda e: rank.get(str(e.get("id")), len(rank)))


def _options(entries: Sequence[dict[str, Any]], order: Sequence[str] | None) -> list[dict[str, str]]:
    return [{"id": str(o["id"]), "text": str(o.get("text", ""))} for o in _ordered(entries, order)]


def shown_content(qtype: str, data: dict[str, Any], layout: dict[str, Any]) -> dict[str, Any]:
    """What a question shows to the one answering it, in the attempt's order: never an answer, a fraction or a
    feedback. The keys by type: options (single, multiple), left and right (matching), items (ordering), units
    (numeric), text and gaps (cloze), rubric, min_words, max_words and template (essay)."""
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return {"options": _options(data.get("options", []), layout.get("options"))}
    if qtype == QuestionType.MATCHING:
        pairs = data.get("pairs", [])
        right = [{"id": str(p["id"]), "text": str(p.get("right", ""))} for p in pairs]
        right += [{"id": f"x{n}", "text": str(t)} for n, t in enumerate(data.get("distractors", []), start=1)]
        return {
            "left": [{"id": str(p["id"]), "text": str(p.get("left", ""))} for p in pairs],
            "right": _ordered(right, layout.get("right")),
        }
    if qtype == QuestionType.ORDERING:
        return {"items": _options(data.get("items", []), layout.get("items"))}
    if qtype == QuestionType.NUMERIC:
        return {"units": [str(u.get("unit", "")) for u in data.get("units", [])]}
    if qtype == QuestionType.CLOZE:
        orders = layout.get("gaps", {})
        gaps = []
        for gap in data.get("gaps", []):
            shown: dict[str, Any] = {
                "id": str(gap["id"]),
                "kind": gap.get("kind", "short"),
                "points": gap.get("points"),
            }
            if gap.get("kind") == "choice":
                shown["options"] = _options(gap.get("options", []), orders.get(str(gap["id"])))
            gaps.append(shown)
        return {"text": data.get("text", ""), "gaps": gaps}
    if qtype == QuestionType.ESSAY:
        return {
            "rubric": [
                {"criterion": r.get("criterion", ""), "points": r.get("points")} for r in data.get("rubric", [])
            ],
            "min_words": data.get("min_words", 0),
            "max_words": data.get("max_words", 0),
            "template": data.get("template", ""),
        }
    return {}


FEEDBACK_KEYS = frozenset({"feedback", "feedback_true", "feedback_false"})


def _without_feedback(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_feedback(v) for k, v in value.items() if k not in FEEDBACK_KEYS}
    if isinstance(value, list):
        return [_without_feedback(v) for v in value]
    return value


def attempt_questions(*, attempt: Attempt, review: Review) -> list[dict[str, Any]]:
    """The attempt's questions by position (one query), with what `review` lets the reader see: the saved
    answers (responses), the scores (score), the right answer and the whole solution — options with their
    fractions, accepted answers — (correct), the general and the grader's feedback (feedback)."""
    rows = AttemptQuestion.objects.filter(attempt=attempt).select_related("version").order_by("position")
    questions = []
    for aq in rows:
        version = aq.version
        data = version.data or {}
        entry: dict[str, Any] = {
            "position": aq.position,
            "question_id": aq.question_id,
            "version": version.number,
            "type": aq.type,
            "name": version.name,
            "stem": version.stem,
            "points": aq.points,
            "content": shown_content(aq.type, data, aq.layout or {}),
            "flagged": aq.flagged,
            "answer": aq.answer if review.responses else None,
            "saved_at": aq.saved_at if review.responses else None,
            "score": aq.score if review.score else None,
            "needs_grading": aq.needs_grading if review.score else None,
            "right_answer": right_answer(aq.type, data) if review.correct else None,
            "solution": (data if review.feedback else _without_feedback(data)) if review.correct else None,
            "feedback": version.feedback if review.feedback else None,
            "grader_feedback": aq.feedback if review.feedback else None,
            "rubric_scores": aq.rubric_scores if review.score else None,
        }
        questions.append(entry)
    return questions
