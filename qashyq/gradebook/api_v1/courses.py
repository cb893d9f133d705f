"""REST API of a course's gradebook for its staff (a tutor limited to groups sees their students only), the
administration service and the head: the score columns, and each student's scores and computed result. 404 for
anyone else, as for a course that does not exist."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qashyq.gradebook.api_v1.fields import (
    GradebookResultSerializer,
    OutcomeField,
    PartField,
    Score,
    result_values,
)
from qashyq.gradebook.permissions import access_course_gradebook
from qashyq.gradebook.selectors import journal as selectors


class JournalColumnSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="<measure id>-<attempt>")
    measure_id = serializers.IntegerField()
    attempt = serializers.IntegerField(help_text="2: the exam's FX retake")
    part = PartField()
    kind = serializers.CharField()
    name = serializers.CharField(source="label", help_text="In the language of the request")
    week = serializers.IntegerField(allow_null=True)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    due_at = serializers.DateTimeField(allow_null=True)
    required = serializers.BooleanField()
    pass_points = Score(allow_null=False)


class JournalResultSerializer(GradebookResultSerializer):
    outcome = OutcomeField()


class JournalStudentSerializer(serializers.Serializer):
    student_id = serializers.IntegerField()
    full_name = serializers.CharField()
    group_id = serializers.IntegerField(allow_null=True)
    group_code = serializers.CharField(allow_blank=True)
    scores = serializers.ListField(child=Score(), help_text="One per column, in the columns' order (null: none)")
    result = JournalResultSerializer(allow_null=True, help_text="null until the results are computed")


class CourseGradebookSerializer(serializers.Serializer):
    course_id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    period_id = serializers.IntegerField()
    closed = serializers.BooleanField(help_text="The period is closed: its grades are locked")
    group_ids = serializers.ListField(child=serializers.IntegerField(), help_text="The groups you see")
    columns = JournalColumnSerializer(many=True)
    students = JournalStudentSerializer(many=True)


class GroupParamSerializer(serializers.Serializer):
    group = serializers.IntegerField(required=False, min_value=1)


def journal_body(journal: selectors.Journal) -> dict[str, Any]:
    students = []
    for row in journal.rows:
        r = row.result
        students.append(
            {
                "student_id": row.student_id,
                "full_name": row.full_name,
                "group_id": row.group_id,
                "group_code": row.group_code,
                "scores": [cell.score for cell in row.cells],
                "result": result_values(r, traditional=r.traditional, outcome=r.outcome) if row.has_result else None,
            }
        )
    return {
        "course_id": journal.course.id,
        "code": journal.course.code,
        "title": journal.course.title,
        "period_id": journal.course.period_id,
        "closed": journal.closed,
        "group_ids": [g.id for g in journal.groups],
        "columns": list(journal.columns),
        "students": students,
    }


class CourseGradebookApi(APIView):
    """A course's gradebook: columns and students with their scores and results (404 unless you may open it)."""

    @extend_schema(
        parameters=[OpenApiParameter("group", int, description="Only the students of this study group")],
        responses=CourseGradebookSerializer,
    )
    def get(self, request: Request, course_id: int) -> Response:
        access = access_course_gradebook(user=request.user, course_id=course_id)
        params = GroupParamSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        group_id = params.validated_data.get("group")
        if group_id is not None and (group_id not in access.course.group_ids or not access.sees_group(group_id)):
            raise NotFound
        journal = selectors.course_journal(
            course=access.course,
            group_ids=access.group_ids,
            group_id=group_id,
            unbound_by_window=access.is_administration,
        )
        return Response(CourseGradebookSerializer(journal_body(journal)).data)
