"""REST API (read) of question banks and their questions, for staff who may open the bank: the didactic-means
service, administration and head (every bank), teachers and tutors (banks of the disciplines they teach or
tutor). Anyone else gets 404 for a bank or a question, as for a missing one; students get none.

A question comes with its current version: the text (sanitized HTML, images as /assessment/images/<id>/),
the type-specific `data` in the shapes of rules/__init__.py (right answers included: staff only) and its
version number."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.pagination import CursorPagination

from qashyq.assessment.data import QuestionType
from qashyq.assessment.models import Bank, Question
from qashyq.assessment.permissions import banks as permissions
from qashyq.assessment.selectors import banks as selectors


@extend_schema_field({"type": "string", "pattern": f"^({'|'.join(QuestionType.values)})$"})
class QuestionTypeField(serializers.CharField):
    """single, multiple, true_false, matching, ordering, short, numeric, cloze or essay."""


class BankDisciplineSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True, help_text="In the language of the request")


class BankSerializer(serializers.ModelSerializer):
    discipline = BankDisciplineSerializer(read_only=True)
    questions = serializers.IntegerField(source="count_all", read_only=True, help_text="Questions in use")
    simple = serializers.IntegerField(source="count_1", read_only=True, help_text="Questions of difficulty 1")
    medium = serializers.IntegerField(source="count_2", read_only=True, help_text="Questions of difficulty 2")
    hard = serializers.IntegerField(source="count_3", read_only=True, help_text="Questions of difficulty 3")

    class Meta:
        model = Bank
        fields = ["id", "name", "description", "discipline", "questions", "simple", "medium", "hard", "created_at"]


class QuestionSerializer(serializers.ModelSerializer):
    type = QuestionTypeField(read_only=True)
    bank = serializers.IntegerField(source="bank_id", read_only=True)
    topic = serializers.CharField(source="category.path", read_only=True, default="", help_text="The topic path")
    version = serializers.IntegerField(source="current.number", read_only=True, default=None)
    name = serializers.CharField(source="current.name", read_only=True, default="")
    stem = serializers.CharField(source="current.stem", read_only=True, default="", help_text="Sanitized HTML")
    data = serializers.JSONField(
        source="current.data", read_only=True, default=dict, help_text="Options, answers, pairs, gaps or rubric"
    )
    points = serializers.DecimalField(
        source="current.points", max_digits=6, decimal_places=2, read_only=True, default=None
    )
    feedback = serializers.CharField(source="current.feedback", read_only=True, default="")

    class Meta:
        model = Question
        fields = [
            "id",
            "bank",
            "type",
            "topic",
            "difficulty",
            "language",
            "archived",
            "version",
            "name",
            "stem",
            "data",
            "points",
            "feedback",
            "updated_at",
        ]


class QuestionFilterSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=QuestionType.choices, required=False)
    difficulty = serializers.IntegerField(required=False, min_value=1, max_value=3)
    topic = serializers.IntegerField(required=False, min_value=1)
    archived = serializers.BooleanField(required=False, default=False)
    q = serializers.CharField(required=False, max_length=100, allow_blank=True)

    def filters(self) -> selectors.QuestionFilters:
        data = self.validated_data
        return selectors.QuestionFilters(
            category_id=data.get("topic"),
            qtype=data.get("type", ""),
            difficulty=data.get("difficulty"),
            q=data.get("q", "").strip(),
            archived=data.get("archived", False),
        )


class IdPagination(CursorPagination):
    ordering = "id"


@extend_schema(parameters=[OpenApiParameter("discipline", int, description="Id of a discipline")])
class BankListApi(generics.ListAPIView):
    """The question banks you may open, with their numbers of questions by difficulty."""

    serializer_class = BankSerializer
    pagination_class = IdPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Bank]:
        raw = self.request.query_params.get("discipline", "")
        discipline_id = int(raw) if raw.isdigit() else None
        return selectors.bank_queryset(user=self.request.user, discipline_id=discipline_id).order_by("id")


class BankDetailApi(generics.RetrieveAPIView):
    """One question bank (404 when you may not open it)."""

    serializer_class = BankSerializer

    def get_object(self) -> Bank:
        bank = permissions.access_bank(user=self.request.user, bank_id=int(self.kwargs["bank_id"]))
        return selectors.bank_queryset(user=self.request.user).get(pk=bank.pk)


@extend_schema(
    parameters=[
        OpenApiParameter("type", str, description="A question type"),
        OpenApiParameter("difficulty", int, description="1 simple, 2 medium, 3 hard"),
        OpenApiParameter("topic", int, description="Id of a topic (its subtopics included)"),
        OpenApiParameter("archived", bool, description="true: the archived questions instead of those in use"),
        OpenApiParameter("q", str, description="Words of the question's text or name"),
    ]
)
class QuestionListApi(generics.ListAPIView):
    """The questions of a bank with their current versions (right answers included)."""

    serializer_class = QuestionSerializer
    pagination_class = IdPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Question]:
        bank = permissions.access_bank(user=self.request.user, bank_id=int(self.kwargs["bank_id"]))
        params = QuestionFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.question_queryset(bank=bank, filters=params.filters()).order_by("id")


class QuestionDetailApi(generics.RetrieveAPIView):
    """One question with its current version (404 when you may not open its bank)."""

    serializer_class = QuestionSerializer

    def get_object(self) -> Question:
        return permissions.access_question(user=self.request.user, question_id=int(self.kwargs["question_id"]))
