"""REST API (read) of student records, restricted like the student list: the administration service and
the head see every student, teachers and tutors the students of their groups, a student their own record.

The IIN is masked unless the caller may see it (records.permissions.can_see_iin); the disability status
is left out unless the caller may see it (can_see_disability)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from qashyq.academics.data import FormOfStudy
from qashyq.records import permissions
from qashyq.records.data import StudentStatus
from qashyq.records.models import Student
from qashyq.records.selectors import students as selectors


class SeesStudents(BasePermission):
    """The list: those who may use the student list. One record: anyone signed in (access_student decides)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if isinstance(view, StudentDetailApi):
            return bool(request.user and request.user.is_authenticated)
        return permissions.can_list_students(user=request.user)


@extend_schema_field(serializers.CharField(help_text="The IIN, masked (e.g. 9501********) unless you may see it"))
class IinField(serializers.Field):
    def to_representation(self, student: Student) -> str:
        return permissions.iin_shown(user=self.context["request"].user, student=student)


class StudentSerializer(serializers.ModelSerializer):
    iin = IinField(source="*", read_only=True)
    programme_id = serializers.IntegerField(read_only=True)
    programme_code = serializers.CharField(source="programme.code", read_only=True)
    group_id = serializers.IntegerField(read_only=True, allow_null=True)
    group_code = serializers.CharField(source="group.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Student
        fields = [
            "id",
            "iin",
            "last_name",
            "first_name",
            "patronymic",
            "name_latin",
            "birth_date",
            "sex",
            "citizenship",
            "phone",
            "email",
            "address",
            "programme_id",
            "programme_code",
            "group_id",
            "group_code",
            "form_of_study",
            "language",
            "funding",
            "bolashak",
            "disability",
            "status",
            "course_year",
        ]
        extra_kwargs = {"disability": {"help_text": "Only for the administration service and the head"}}

    def to_representation(self, instance: Student) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not self.context.get("show_disability"):
            data.pop("disability", None)
        return data


class StudentFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=100, allow_blank=True)
    group = serializers.IntegerField(required=False, min_value=1)
    programme = serializers.IntegerField(required=False, min_value=1)
    status = serializers.ChoiceField(choices=StudentStatus.choices, required=False)
    form_of_study = serializers.ChoiceField(choices=FormOfStudy.choices, required=False)

    def filters(self) -> selectors.StudentFilters:
        data = self.validated_data
        return selectors.StudentFilters(
            q=data.get("q", "").strip(),
            group_id=data.get("group"),
            programme_id=data.get("programme"),
            status=data.get("status", ""),
            form_of_study=data.get("form_of_study", ""),
        )


class StudentPagination(CursorPagination):
    ordering = "id"


class _StudentApi:
    request: Request

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()  # type: ignore[misc]
        context["show_disability"] = permissions.can_see_disability(user=self.request.user)
        return context


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="An IIN or its first digits, or words of a name in any script"),
        OpenApiParameter("group", int, description="Id of a study group"),
        OpenApiParameter("programme", int, description="Id of a programme"),
        OpenApiParameter("status", str, enum=StudentStatus.values),
        OpenApiParameter("form_of_study", str, enum=FormOfStudy.values),
    ]
)
class StudentListApi(_StudentApi, generics.ListAPIView):
    """The students you may see, by id, with the filters of the student list."""

    serializer_class = StudentSerializer
    permission_classes = [SeesStudents]
    pagination_class = StudentPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Student]:
        params = StudentFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.student_queryset(user=self.request.user, filters=params.filters())


class StudentDetailApi(_StudentApi, generics.RetrieveAPIView):
    """One student's record (404 when it is not yours to see)."""

    serializer_class = StudentSerializer
    permission_classes = [SeesStudents]

    def get_object(self) -> Student:
        return permissions.access_student(user=self.request.user, student_id=int(self.kwargs["student_id"]))
