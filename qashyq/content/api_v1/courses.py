"""REST API (read) of courses: the courses a user may open (as on "My courses"), and one course.

Administration, head and the didactic-means service see every course; teachers and tutors those they staff;
students those of their active enrolments. A course that is not yours answers 404, like a missing one."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.pagination import CursorPagination

from qashyq.academics.data import Language
from qashyq.content.models import Course
from qashyq.content.permissions import courses as permissions
from qashyq.content.selectors import courses as selectors


class DisciplineRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True, help_text="In the language of the request")


class PeriodRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    year = serializers.CharField(source="year.title", read_only=True, help_text="The academic year, e.g. 2026–2027")
    number = serializers.IntegerField(read_only=True)
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True)


class CourseSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="name", read_only=True, help_text="In the language of the request")
    language = serializers.ChoiceField(choices=Language.choices, read_only=True)
    discipline = DisciplineRefSerializer(read_only=True)
    period = PeriodRefSerializer(read_only=True)
    group_ids = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = [
            "id",
            "code",
            "title",
            "name_kk",
            "name_ru",
            "name_en",
            "description_kk",
            "description_ru",
            "description_en",
            "language",
            "discipline",
            "period",
            "group_ids",
        ]

    def get_group_ids(self, course: Course) -> list[int]:
        return sorted(g.pk for g in course.groups.all())


class CourseFilterSerializer(serializers.Serializer):
    period = serializers.IntegerField(required=False, min_value=1)
    q = serializers.CharField(required=False, max_length=100, allow_blank=True)

    def filters(self) -> selectors.CourseFilters:
        return selectors.CourseFilters(
            period_id=self.validated_data.get("period"), q=self.validated_data.get("q", "").strip()
        )


class CoursePagination(CursorPagination):
    ordering = "id"


@extend_schema(
    parameters=[
        OpenApiParameter("period", int, description="Id of an academic period"),
        OpenApiParameter("q", str, description="Words of the discipline's code or name, or of the course's"),
    ]
)
class CourseListApi(generics.ListAPIView):
    """The courses you may open, by id, with the filters of the course list."""

    serializer_class = CourseSerializer
    pagination_class = CoursePagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Course]:
        params = CourseFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.course_queryset(user=self.request.user, filters=params.filters()).prefetch_related("groups")


class CourseDetailApi(generics.RetrieveAPIView):
    """One course (404 when it is not yours to open)."""

    serializer_class = CourseSerializer

    def get_object(self) -> Course:
        return permissions.access_course(user=self.request.user, course_id=int(self.kwargs["course_id"]))
