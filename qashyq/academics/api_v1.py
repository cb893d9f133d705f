"""REST API v1 (read only): programmes and study groups, for those who may read the academic structure."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions as drf_permissions
from rest_framework import serializers, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.routers import SimpleRouter

from qashyq.academics import selectors
from qashyq.academics.data import FormOfStudy, Language, Level
from qashyq.academics.models import Programme, StudyGroup
from qashyq.academics.permissions import can_view_academics


class CanViewAcademics(drf_permissions.BasePermission):
    """Signed-in holders of a role that may read the academic structure (see permissions.READERS)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return can_view_academics(user=request.user)


class ByCode(CursorPagination):
    ordering = ("code", "id")
    page_size = 50


# The lists name the same choice sets as a group's form of study and language (one enum each in the schema).
@extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/FormOfStudyEnum"}})
class FormsField(serializers.ListField):
    child = serializers.ChoiceField(choices=FormOfStudy.choices)


@extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/LanguageEnum"}})
class LanguagesField(serializers.ListField):
    child = serializers.ChoiceField(choices=Language.choices)


class ProgrammeSerializer(serializers.ModelSerializer):
    forms_offered = FormsField()
    languages = LanguagesField()

    class Meta:
        model = Programme
        fields = [
            "id",
            "code",
            "name_kk",
            "name_ru",
            "name_en",
            "level",
            "forms_offered",
            "languages",
            "periods",
            "shortened",
            "shortened_basis",
        ]
        read_only_fields = fields


class StudyGroupSerializer(serializers.ModelSerializer):
    programme_code = serializers.CharField(source="programme.code", read_only=True)

    class Meta:
        model = StudyGroup
        fields = [
            "id",
            "code",
            "programme",
            "programme_code",
            "admission_year",
            "language",
            "form_of_study",
            "capacity",
            "closed",
        ]
        read_only_fields = fields


class ProgrammeFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices)
    form = django_filters.ChoiceFilter(choices=FormOfStudy.choices, method="filter_form", label="Form of study offered")
    language = django_filters.ChoiceFilter(choices=Language.choices, method="filter_language", label="Language")

    class Meta:
        model = Programme
        fields = ["level", "shortened"]

    def filter_form(self, queryset: QuerySet[Programme], name: str, value: str) -> QuerySet[Programme]:
        return selectors.programme_filter(queryset, form=value)

    def filter_language(self, queryset: QuerySet[Programme], name: str, value: str) -> QuerySet[Programme]:
        return selectors.programme_filter(queryset, language=value)


class StudyGroupFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(field_name="programme__level", choices=Level.choices)

    class Meta:
        model = StudyGroup
        fields = ["programme", "level", "form_of_study", "language", "admission_year", "closed"]


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """Educational programmes: code, names in three languages, level, forms and languages, shortened or not."""

    serializer_class = ProgrammeSerializer
    permission_classes = [drf_permissions.IsAuthenticated, CanViewAcademics]
    pagination_class = ByCode
    filterset_class = ProgrammeFilter
    queryset = Programme.objects.all()


class StudyGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """Study groups: programme, year of admission, language, form of study, places, closed or open."""

    serializer_class = StudyGroupSerializer
    permission_classes = [drf_permissions.IsAuthenticated, CanViewAcademics]
    pagination_class = ByCode
    filterset_class = StudyGroupFilter
    queryset = StudyGroup.objects.select_related("programme")


router = SimpleRouter()
router.register("programmes", ProgrammeViewSet, basename="api-programme")
router.register("groups", StudyGroupViewSet, basename="api-group")
