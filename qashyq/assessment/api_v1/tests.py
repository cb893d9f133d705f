"""REST API (read) of tests, attempts and results.

- Tests: the tests you may open — students the tests of published items of their courses, teachers and tutors
  those of the courses they staff, the administration service, the head and the didactic-means service all of
  them (`?course=`); one test with its settings (never its access code), its window and attempts allowed, and,
  for its student, their own window (an accommodation included) and the attempts left.
- Results: per student of the course by the test's grading method, for those who may see the results (course
  staff — a tutor the students of their groups only —, administration, head); 403 for others who may open it.
- Attempts: a student their own (`?test=` to narrow), staff the attempts of a test whose results they may see
  (`?test=` required). One attempt with its questions in the attempt's order: the right answers, fractions,
  feedback and scores only as the test's review settings allow its student, and always for staff.

Access goes through permissions/tests.py (`access_test`, `can_see_results`, `access_attempt_staff`) and
permissions/attempts.py (`access_own_attempt`): "not yours" and "missing" are both 404."""

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qashyq.accounts.api import Role, acting_roles
from qashyq.assessment.api_v1.banks import IdPagination
from qashyq.assessment.data import (
    AttemptStatus,
    FinishedBy,
    GradingMethod,
    IdentityCheck,
    QuestionType,
    ReviewWhen,
)
from qashyq.assessment.models import Attempt, Test
from qashyq.assessment.permissions.attempts import access_own_attempt
from qashyq.assessment.permissions.tests import access_attempt_staff, access_test, can_see_results
from qashyq.assessment.selectors import api as selectors
from qashyq.assessment.selectors import results
from qashyq.content import api as content_api

# --- fields -------------------------------------------------------------------------------------------------
# Choice fields are described by a pattern of their values (as in the content and DLT APIs): "status", "type"…
# name other apps' enums too, and drf-spectacular would warn about colliding enum components.


def _one_of(values: Sequence[str], *, blank: bool = False) -> dict[str, str]:
    return {"type": "string", "pattern": f"^({'|'.join(values)}){'?' if blank else ''}$"}


def _field(name: str, values: Sequence[str], doc: str, *, blank: bool = False) -> type[serializers.CharField]:
    field = type(name, (serializers.CharField,), {"__doc__": doc})
    return extend_schema_field(_one_of(list(values), blank=blank))(field)


AttemptStatusField = _field("AttemptStatusField", AttemptStatus.values, "in_progress, needs_grading or graded.")
FinishedByField = _field(
    "FinishedByField", FinishedBy.values, 'Who finished the attempt ("" while in progress).', blank=True
)
GradingMethodField = _field("GradingMethodField", GradingMethod.values, "highest, last or average.")
IdentityCheckField = _field("IdentityCheckField", IdentityCheck.values, "none, webcam or id_document.")
QuestionTypeField = _field("QuestionTypeField", QuestionType.values, "The type of a question.")
ReviewWhenField = _field("ReviewWhenField", ReviewWhen.values, "never, after_submit or after_close.")


def _test_param(request: Request) -> int | None:
    params = TestFilterSerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    value = params.validated_data.get("test")
    return int(value) if value is not None else None


class CourseFilterSerializer(serializers.Serializer):
    course = serializers.IntegerField(required=False, min_value=1)


class TestFilterSerializer(serializers.Serializer):
    test = serializers.IntegerField(required=False, min_value=1)


# --- tests ------------------------------------------------------------------------------------------------------


class TestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    item_id = serializers.IntegerField(help_text="The course item of kind test")
    course_id = serializers.IntegerField()
    title = serializers.CharField(help_text="The item's published title in the language of the request")
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)
    time_limit_minutes = serializers.IntegerField(help_text="0: no time limit")
    attempts_allowed = serializers.IntegerField(help_text="0: unlimited")
    grading_method = GradingMethodField()
    question_count = serializers.IntegerField(help_text="Questions an attempt draws (the blueprint's total)")

    class Meta:
        ref_name = "AssessmentTest"


def _test_row(test: Test) -> dict[str, Any]:
    return {
        "id": test.pk,
        "item_id": test.item_id,
        "course_id": test.course_id,
        "title": selectors.title_of(test),
        "opens_at": test.opens_at,
        "closes_at": test.closes_at,
        "time_limit_minutes": test.time_limit_minutes,
        "attempts_allowed": test.attempts_allowed,
        "grading_method": test.grading_method,
        "question_count": selectors.question_count(test),
    }


@extend_schema(parameters=[OpenApiParameter("course", int, description="Only the tests of this course")])
class TestListApi(generics.ListAPIView):
    """The tests you may open, by id."""

    serializer_class = TestSerializer
    pagination_class = IdPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Test]:
        params = CourseFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.visible_tests(user=self.request.user, course_id=params.validated_data.get("course"))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        return self.get_paginated_response(TestSerializer([_test_row(t) for t in page], many=True).data)


class StandingSerializer(serializers.Serializer):
    opens_at = serializers.DateTimeField(allow_null=True, help_text="Your opening time (an accommodation's own)")
    closes_at = serializers.DateTimeField(allow_null=True, help_text="Your closing time (an accommodation's own)")
    time_limit_minutes = serializers.IntegerField(help_text="The test's (0: no limit)")
    extra_time_percent = serializers.IntegerField(help_text="Extra time granted to you, %")
    time_limit_seconds = serializers.IntegerField(allow_null=True, help_text="Yours, extra time included (null: none)")
    attempts_allowed = serializers.IntegerField(help_text="Yours, extra attempts included (0: unlimited)")
    attempts_used = serializers.IntegerField()
    attempts_left = serializers.IntegerField(allow_null=True, help_text="null: unlimited")
    active_attempt_id = serializers.IntegerField(allow_null=True, help_text="Your attempt in progress, if any")

    class Meta:
        ref_name = "AssessmentStanding"


class TestDetailSerializer(TestSerializer):
    instructions = serializers.CharField()
    grace_seconds = serializers.IntegerField(help_text="Saves are accepted this long after the deadline")
    shuffle_questions = serializers.BooleanField()
    shuffle_options = serializers.BooleanField()
    access_code_required = serializers.BooleanField(help_text="The access code itself is never given")
    ip_restricted = serializers.BooleanField(help_text="Attempts start only from the allowed networks")
    identity_check = IdentityCheckField()
    review_when = ReviewWhenField()
    review_score = serializers.BooleanField()
    review_responses = serializers.BooleanField()
    review_correct = serializers.BooleanField()
    review_feedback = serializers.BooleanField()
    pass_percent = serializers.IntegerField()
    you = StandingSerializer(allow_null=True, help_text="Students of the course: their own window and attempts")

    class Meta:
        ref_name = "AssessmentTestDetail"


class TestDetailApi(APIView):
    """One test's settings (404 when you may not open it)."""

    @extend_schema(responses=TestDetailSerializer)
    def get(self, request: Request, test_id: int) -> Response:
        test, access = access_test(user=request.user, test_id=test_id)
        standing = None
        if access.student_id is not None:
            standing = selectors.student_standing(test=test, student_id=access.student_id)
        body = _test_row(test) | {
            "instructions": test.instructions,
            "grace_seconds": test.grace_seconds,
            "shuffle_questions": test.shuffle_questions,
            "shuffle_options": test.shuffle_options,
            "access_code_required": bool(test.access_code),
            "ip_restricted": bool(test.allowed_networks.strip()),
            "identity_check": test.identity_check,
            "review_when": test.review_when,
            "review_score": test.review_score,
            "review_responses": test.review_responses,
            "review_correct": test.review_correct,
            "review_feedback": test.review_feedback,
            "pass_percent": test.pass_percent,
            "you": standing,
        }
        return Response(TestDetailSerializer(body).data)


class StudentResultSerializer(serializers.Serializer):
    student_id = serializers.IntegerField()
    full_name = serializers.CharField()
    group_id = serializers.IntegerField(allow_null=True)
    percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text="By the grading method (null: nothing graded)"
    )
    passed = serializers.BooleanField(allow_null=True, help_text="At least the pass mark (null: no grade yet)")
    attempts = serializers.IntegerField(help_text="Finished attempts")
    pending = serializers.BooleanField(help_text="An answer awaits grading by the tutor or teacher")
    attempt_ids = serializers.ListField(child=serializers.IntegerField(), help_text="The finished attempts")

    class Meta:
        ref_name = "AssessmentStudentResult"


class TestResultsSerializer(serializers.Serializer):
    test_id = serializers.IntegerField()
    grading_method = GradingMethodField()
    pass_percent = serializers.IntegerField()
    results = StudentResultSerializer(many=True, help_text="One per active student of the course, by name")

    class Meta:
        ref_name = "AssessmentTestResults"


class TestResultsApi(APIView):
    """The results of a test's students (a tutor: of their groups); 403 unless you may see results."""

    @extend_schema(responses=TestResultsSerializer)
    def get(self, request: Request, test_id: int) -> Response:
        test, access = access_test(user=request.user, test_id=test_id)
        if not can_see_results(access):
            raise PermissionDenied
        students = content_api.course_enrolments(course_id=test.course_id, group_ids=access.tutor_group_ids)
        results = selectors.results_of(test=test, student_ids=[s.student_id for s in students])
        rows = []
        for student in students:
            result = results[student.student_id]
            rows.append(
                {
                    "student_id": student.student_id,
                    "full_name": student.full_name,
                    "group_id": student.group_id,
                    "percent": result.percent,
                    "passed": None if result.percent is None else result.percent >= test.pass_percent,
                    "attempts": result.attempts,
                    "pending": result.pending,
                    "attempt_ids": list(result.attempt_ids),
                }
            )
        body = {
            "test_id": test.pk,
            "grading_method": test.grading_method,
            "pass_percent": test.pass_percent,
            "results": rows,
        }
        return Response(TestResultsSerializer(body).data)


# --- attempts ---------------------------------------------------------------------------------------------


class AttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    test_id = serializers.IntegerField()
    item_id = serializers.IntegerField()
    student_id = serializers.IntegerField()
    number = serializers.IntegerField(help_text="1, 2, … of this student in this test")
    status = AttemptStatusField()
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField(allow_null=True, help_text="null: no time limit")
    finished_at = serializers.DateTimeField(allow_null=True)
    finished_by = FinishedByField()
    points = serializers.DecimalField(
        max_digits=8, decimal_places=2, allow_null=True, help_text="null while not graded or not shown to you"
    )
    max_points = serializers.DecimalField(max_digits=8, decimal_places=2)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    review_open = serializers.BooleanField(help_text="You may see the review (always true for staff)")

    class Meta:
        ref_name = "AssessmentAttempt"


def _attempt_row(attempt: Attempt, review: results.Review) -> dict[str, Any]:
    return {
        "id": attempt.pk,
        "test_id": attempt.test_id,
        "item_id": attempt.test.item_id,
        "student_id": attempt.student_id,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "finished_at": attempt.finished_at,
        "finished_by": attempt.finished_by,
        "points": attempt.points if review.score else None,
        "max_points": attempt.max_points,
        "percent": attempt.percent if review.score else None,
        "review_open": review.open,
    }


class AttemptPagination(CursorPagination):
    ordering = "-id"


@extend_schema(
    parameters=[
        OpenApiParameter(
            "test", int, description="The attempts of this test (required unless you are a student: yours)"
        )
    ]
)
class AttemptListApi(generics.ListAPIView):
    """Your attempts (a student), or the attempts of a test whose results you may see (staff), newest first."""

    serializer_class = AttemptSerializer
    pagination_class = AttemptPagination
    filter_backends: list[Any] = []
    staff_view = False

    def get_queryset(self) -> QuerySet[Attempt]:
        user = self.request.user
        test_id = _test_param(self.request)
        attempts = Attempt.objects.select_related("test")
        if test_id is None:
            if Role.STUDENT not in acting_roles(user):
                raise ValidationError({"test": [_("Choose the test whose attempts to list.")]})
            return attempts.filter(user_id=user.pk)
        test, access = access_test(user=user, test_id=test_id)
        if can_see_results(access):
            self.staff_view = True
            attempts = attempts.filter(test=test)
            if access.tutor_group_ids is not None:
                attempts = attempts.filter(student__group_id__in=sorted(access.tutor_group_ids))
            return attempts
        if access.student_id is not None:
            return attempts.filter(test=test, user_id=user.pk)
        raise PermissionDenied

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        now = timezone.now()
        rows = []
        tests: dict[int, Test] = {}  # one Test object per test: its latest closing time is read once
        for attempt in page:
            if self.staff_view:
                review = results.STAFF_REVIEW
            else:
                test = tests.setdefault(attempt.test_id, attempt.test)
                review = results.student_review(test=test, attempt=attempt, now=now)
            rows.append(_attempt_row(attempt, review))
        return self.get_paginated_response(AttemptSerializer(rows, many=True).data)


class AttemptQuestionSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    question_id = serializers.IntegerField()
    version = serializers.IntegerField(help_text="The version of the question this attempt showed")
    type = QuestionTypeField()
    name = serializers.CharField()
    stem = serializers.CharField(help_text="Sanitized HTML; formulas as \\( … \\) for MathJax")
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    content = serializers.JSONField(
        help_text="What the question shows, in this attempt's order, never an answer: options [{id, text}] "
        "(single, multiple); left and right [{id, text}] (matching); items [{id, text}] (ordering); units "
        "(numeric); text with {{n}} and gaps [{id, kind, points, options}] (cloze); rubric, min_words, "
        "max_words, template (essay)"
    )
    flagged = serializers.BooleanField()
    answer = serializers.JSONField(allow_null=True, help_text="The saved answer (null: none, or not shown to you)")
    saved_at = serializers.DateTimeField(allow_null=True)
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    needs_grading = serializers.BooleanField(allow_null=True)
    right_answer = serializers.JSONField(allow_null=True, help_text="In the answer's shape (only once reviewable)")
    solution = serializers.JSONField(
        allow_null=True, help_text="The question's whole content: options with fractions, accepted answers…"
    )
    feedback = serializers.CharField(allow_null=True, help_text="The question's general feedback")
    grader_feedback = serializers.CharField(allow_null=True, help_text="The grader's comment")
    rubric_scores = serializers.JSONField(allow_null=True, help_text="Essay: {criterion index: points}")

    class Meta:
        ref_name = "AssessmentAttemptQuestion"


class AttemptDetailSerializer(AttemptSerializer):
    questions = AttemptQuestionSerializer(many=True)

    class Meta:
        ref_name = "AssessmentAttemptDetail"


class AttemptDetailApi(APIView):
    """One attempt with its questions (yours, or one whose test's results you may see; else 404)."""

    @extend_schema(responses=AttemptDetailSerializer)
    def get(self, request: Request, attempt_id: int) -> Response:
        try:
            attempt = access_own_attempt(user=request.user, attempt_id=attempt_id)
            review = results.student_review(test=attempt.test, attempt=attempt)
        except Http404:
            attempt = access_attempt_staff(user=request.user, attempt_id=attempt_id)
            review = results.STAFF_REVIEW
        body = _attempt_row(attempt, review) | {
            "questions": selectors.attempt_questions(attempt=attempt, review=review)
        }
        return Response(AttemptDetailSerializer(body).data)
