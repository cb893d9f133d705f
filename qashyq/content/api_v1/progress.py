"""REST API (read) of progress: a student's own progress in a course, and the progress of a course's students
for those who may see it (course staff — a tutor limited to groups sees their students only —, administration,
head). Completion counts published items only."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qashyq.content.api_v1.fields import ProgressStatusField
from qashyq.content.permissions import courses as permissions
from qashyq.content.selectors import progress as selectors


class ItemProgressSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    status = ProgressStatusField()
    score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    viewed_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)


class MyProgressSerializer(serializers.Serializer):
    course_id = serializers.IntegerField()
    completed = serializers.IntegerField(help_text="Completed published items")
    total = serializers.IntegerField(help_text="Published items")
    percent = serializers.IntegerField(help_text="Whole per cent, rounded down")
    items = ItemProgressSerializer(many=True, help_text="Items with any progress (the others: not started)")


class MyProgressApi(APIView):
    """Your progress in a course (404 unless you are its enrolled student)."""

    @extend_schema(responses=MyProgressSerializer)
    def get(self, request: Request, course_id: int) -> Response:
        course = permissions.access_course(user=request.user, course_id=course_id)
        enrolment = permissions.enrolment_for(user=request.user, course=course)
        if enrolment is None:
            raise NotFound
        completion = selectors.completion_of(enrolment=enrolment)
        rows = selectors.published_progress_of(enrolment=enrolment)
        body = {
            "course_id": course.pk,
            "completed": completion.completed,
            "total": completion.total,
            "percent": completion.percent,
            "items": [
                {
                    "item_id": p.item_id,
                    "status": p.status,
                    "score": p.score,
                    "viewed_at": p.viewed_at,
                    "completed_at": p.completed_at,
                }
                for p in rows
            ],
        }
        return Response(MyProgressSerializer(body).data)


class MatrixItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField(help_text="1, 2, 3… in course order")
    title = serializers.CharField(help_text="The published title, in the language of the request")


class StudentProgressSerializer(serializers.Serializer):
    enrolment_id = serializers.IntegerField()
    student_id = serializers.IntegerField()
    student_name = serializers.CharField()
    group_id = serializers.IntegerField(allow_null=True)
    group_code = serializers.CharField(allow_blank=True)
    completed = serializers.IntegerField(source="completion.completed")
    total = serializers.IntegerField(source="completion.total")
    percent = serializers.IntegerField(source="completion.percent")
    statuses = serializers.ListField(child=ProgressStatusField(), help_text="One per item, in the items' order")
    scores = serializers.ListField(
        child=serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True),
        help_text="One per item, in the items' order (null: no score)",
    )


class CourseProgressSerializer(serializers.Serializer):
    course_id = serializers.IntegerField()
    items = MatrixItemSerializer(many=True, help_text="The published items")
    students = StudentProgressSerializer(many=True, source="rows")


class ProgressFilterSerializer(serializers.Serializer):
    group = serializers.IntegerField(required=False, min_value=1)


class CourseProgressApi(APIView):
    """The progress of the course's active students on its published items (403 unless you may see it)."""

    @extend_schema(
        parameters=[OpenApiParameter("group", int, description="Only the students of this study group")],
        responses=CourseProgressSerializer,
    )
    def get(self, request: Request, course_id: int) -> Response:
        course = permissions.access_course(user=request.user, course_id=course_id)
        if not permissions.can_see_progress(user=request.user, course=course):
            raise PermissionDenied
        params = ProgressFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        group_ids = permissions.progress_group_ids(user=request.user, course=course)
        matrix = selectors.progress_matrix(
            course=course, group_ids=group_ids, group_id=params.validated_data.get("group")
        )
        body = {"course_id": course.pk, "items": matrix.items, "rows": matrix.rows}
        return Response(CourseProgressSerializer(body).data)
