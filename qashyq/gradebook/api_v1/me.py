"""REST API of a student's own gradebook: every course with its control measures and scores, ratings,
admission (and what is still missing), exam, final score and letter, and the GPA per period, per year and
cumulative. 404 for anyone without a student record."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qashyq.gradebook.api_v1.fields import (
    GradebookResultSerializer,
    OutcomeField,
    PartField,
    Points,
    Score,
    result_values,
)
from qashyq.gradebook.permissions import access_own_gradebook
from qashyq.gradebook.selectors import student as selectors


class OwnMeasureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="In the language of the request")
    part = PartField()
    due_at = serializers.DateTimeField(allow_null=True)
    week = serializers.IntegerField(allow_null=True, help_text="The week of the period it is held in")
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="Its weight within its part")
    required = serializers.BooleanField(help_text="Needed for admission to the exam")
    pass_points = Score(allow_null=False)
    score = Score(help_text="null: not graded yet")
    retake = Score(help_text="The exam's FX retake (attempt 2); null for other measures and before a retake")


class OwnCourseSerializer(serializers.Serializer):
    course_id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    discipline_id = serializers.IntegerField()
    discipline = serializers.CharField(help_text="The discipline's name in the language of the request")
    credits = serializers.IntegerField()
    period_id = serializers.IntegerField()
    period_closed = serializers.BooleanField(help_text="The period is closed: its grades are locked")
    outcome = OutcomeField()
    outcome_label = serializers.CharField()
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="What is still missing for admission, one line each"
    )
    retake_until = serializers.DateTimeField(allow_null=True, help_text="FX: the end of the free retake window")
    study_again = serializers.BooleanField(help_text="F: the discipline is studied again in a later period")
    result = GradebookResultSerializer(allow_null=True, help_text="null until the course's results are computed")
    measures = OwnMeasureSerializer(many=True)


class PeriodGpaSerializer(serializers.Serializer):
    period_id = serializers.IntegerField()
    year_id = serializers.IntegerField()
    year = serializers.CharField(source="year_title")
    number = serializers.IntegerField()
    credits = serializers.IntegerField()
    gpa = Points()


class YearGpaSerializer(serializers.Serializer):
    year_id = serializers.IntegerField()
    year = serializers.CharField(source="year_title")
    credits = serializers.IntegerField()
    gpa = Points()


class GpaSerializer(serializers.Serializer):
    gpa = Points(help_text="Cumulative, credit-weighted; F counts 0")
    credits = serializers.IntegerField()
    periods = PeriodGpaSerializer(many=True)
    years = YearGpaSerializer(many=True)


class OwnGradesSerializer(serializers.Serializer):
    student_id = serializers.IntegerField()
    courses = OwnCourseSerializer(many=True)
    gpa = GpaSerializer()


def result_body(line: selectors.CourseLine) -> dict[str, Any] | None:
    r = line.result
    if r is None:
        return None
    return result_values(r, traditional=line.traditional)


def own_body(book: selectors.OwnGradebook) -> dict[str, Any]:
    courses = []
    for block in book.periods:
        for line in block.courses:
            courses.append(
                {
                    "course_id": line.course.id,
                    "code": line.course.code,
                    "title": line.course.title,
                    "discipline_id": line.course.discipline_id,
                    "discipline": line.discipline_name,
                    "credits": line.row.credits,
                    "period_id": line.course.period_id,
                    "period_closed": block.closed,
                    "outcome": line.outcome,
                    "outcome_label": line.outcome_label,
                    "missing": list(line.missing),
                    "retake_until": line.retake_until,
                    "study_again": line.repeat,
                    "result": result_body(line),
                    "measures": [m.__dict__ for m in line.measures],
                }
            )
    return {"student_id": book.student_id, "courses": courses, "gpa": book.gpa}


class OwnGradesApi(APIView):
    """Your own grades and results, course by course, with your GPA (404 unless you are a student)."""

    @extend_schema(responses=OwnGradesSerializer)
    def get(self, request: Request) -> Response:
        student_id = access_own_gradebook(user=request.user)
        book = selectors.own_gradebook(student_id=student_id)
        return Response(OwnGradesSerializer(own_body(book)).data)
