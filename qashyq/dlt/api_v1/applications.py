"""REST API (read) of DLT applications (rule 11).

The list: a student gets their own applications (drafts too), the administration service and the head every
submitted one (a draft is the student's own until it is submitted); anyone else gets 403. One application,
with its supporting documents (metadata, and where to download each) and its trail: whoever may see it
(permissions.applications.access_application), else 404."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from qashyq.accounts.api import Role, acting_roles
from qashyq.dlt.api_v1.fields import (
    ApplicationStatusField,
    CategoryField,
    DltTypeField,
    DocumentTypeField,
    LanguageField,
    OptionalApplicationStatusField,
    OptionalDltTypeField,
    PersonSerializer,
)
from qashyq.dlt.data import ApplicationStatus, Category
from qashyq.dlt.models import Application, SupportingDocument
from qashyq.dlt.permissions import applications as permissions
from qashyq.dlt.permissions import sees_everything
from qashyq.dlt.selectors import applications as selectors
from qashyq.dlt.services.applications import STUDENT_FIELDS


class SeesApplications(BasePermission):
    """The list: students (their own) and the administration service and the head (all submitted)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return Role.STUDENT in acting_roles(request.user) or sees_everything(request.user)


class ApplicationSerializer(serializers.ModelSerializer):
    student = PersonSerializer(read_only=True, help_text="The student's record (id) and name")
    category = CategoryField(read_only=True, help_text="Rule 10")
    dlt_types = serializers.ListField(child=DltTypeField(), read_only=True, help_text="The DLT types asked for")
    language = LanguageField(read_only=True, help_text="The language of the application")
    status = ApplicationStatusField(read_only=True)
    granted_type = OptionalDltTypeField(read_only=True, help_text='The DLT type granted on acceptance ("" before)')

    class Meta:
        model = Application
        fields = [
            "id",
            "student",
            *STUDENT_FIELDS,
            "status",
            "submitted_at",
            "decided_at",
            "granted_type",
            "comment",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"comment": {"help_text": "The latest reason to return or reject it"}}
        ref_name = "DltApplication"


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    doc_type = DocumentTypeField()
    name = serializers.CharField(source="file.original_name", help_text="The uploaded file's name")
    content_type = serializers.CharField(source="file.content_type")
    size = serializers.IntegerField(source="file.size", help_text="Bytes")
    issued_on = serializers.DateField(allow_null=True)
    description = serializers.CharField()
    uploaded_at = serializers.DateTimeField(source="created_at")
    url = serializers.SerializerMethodField(help_text="Where the file is downloaded (signed in)")

    class Meta:
        ref_name = "DltSupportingDocument"

    def get_url(self, document: SupportingDocument) -> str:
        return reverse("dlt:application-document", args=[document.pk])


class EventSerializer(serializers.Serializer):
    status_from = OptionalApplicationStatusField(help_text='The state it left ("" for its first step)')
    status_to = ApplicationStatusField()
    comment = serializers.CharField()
    actor = PersonSerializer(allow_null=True, help_text="Who took the step (null: the system)")
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "DltApplicationEvent"


class ApplicationDetailSerializer(ApplicationSerializer):
    documents = DocumentSerializer(
        source="documents_list", many=True, read_only=True, help_text="Supporting documents, as attached"
    )
    events = EventSerializer(source="events_list", many=True, read_only=True, help_text="The trail, oldest first")

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "documents", "events"]
        read_only_fields = fields
        ref_name = "DltApplicationDetail"


class ApplicationFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, required=False)
    category = serializers.ChoiceField(choices=Category.choices, required=False)


class ApplicationPagination(CursorPagination):
    ordering = "-id"


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, enum=ApplicationStatus.values),
        OpenApiParameter("category", str, enum=Category.values),
    ]
)
class ApplicationListApi(generics.ListAPIView):
    """Your DLT applications (a student) or every submitted one (the administration service, the head),
    newest first."""

    serializer_class = ApplicationSerializer
    permission_classes = [SeesApplications]
    pagination_class = ApplicationPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Application]:
        params = ApplicationFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        visible = permissions.applications_visible_to(user=self.request.user)
        if visible is None:  # pragma: no cover - SeesApplications lets only active accounts through
            return Application.objects.none()
        applications = Application.objects.filter(visible).select_related("student")
        if params.validated_data.get("status"):
            applications = applications.filter(status=params.validated_data["status"])
        if params.validated_data.get("category"):
            applications = applications.filter(category=params.validated_data["category"])
        return applications


class ApplicationDetailApi(generics.RetrieveAPIView):
    """One DLT application with its supporting documents and its trail (404 when it is not yours to see)."""

    serializer_class = ApplicationDetailSerializer

    def get_object(self) -> Application:
        application = permissions.access_application(
            user=self.request.user, application_id=int(self.kwargs["application_id"])
        )
        application.documents_list = selectors.application_documents(application=application)  # type: ignore[attr-defined]
        application.events_list = selectors.application_events(application=application)  # type: ignore[attr-defined]
        return application
