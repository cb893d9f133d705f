"""Fields the gradebook API shares. Scores are decimals to the cent (as strings, like every DRF decimal);
enumerations are described by a pattern, not an enum, so drf-spectacular makes no colliding enum components."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qashyq.gradebook.data import Outcome, RatingPart


def _one_of(values: list[str]) -> dict[str, str]:
    return {"type": "string", "pattern": f"^({'|'.join(values)})$"}


class Score(serializers.DecimalField):
    """A score or rating on the 100-point scale, to the cent; null when there is none."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        super().__init__(max_digits=5, decimal_places=2, **kwargs)


class Points(serializers.DecimalField):
    """A digital (GPA) equivalent, 0.00–4.00; null when there is none."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        super().__init__(max_digits=3, decimal_places=2, **kwargs)


@extend_schema_field(_one_of(Outcome.values))
class OutcomeField(serializers.CharField):
    """in_progress, not_admitted, admitted, passed, fx (exam retake), f (to be studied again)."""


@extend_schema_field(_one_of([*RatingPart.values, "retake"]))
class PartField(serializers.CharField):
    """tk1, rk1, tk2, rk2, exam, or retake (the exam's FX retake, attempt 2)."""


RESULT_FIELDS = (
    "tk1", "rk1", "r1", "tk2", "rk2", "r2", "admission", "admitted", "exam", "exam_attempt", "final", "letter", "gpa"
)  # fmt: skip


def result_values(result: Any, **more: Any) -> dict[str, Any]:
    """The computed columns of a course result (a `CourseResult` or a journal row's result) for a response."""
    return {name: getattr(result, name) for name in RESULT_FIELDS} | more


class GradebookResultSerializer(serializers.Serializer):
    """The computed columns of a course result (`result_values`)."""

    tk1 = Score()
    rk1 = Score()
    r1 = Score()
    tk2 = Score()
    rk2 = Score()
    r2 = Score()
    admission = Score(help_text="The admission rating (R1 + R2) / 2")
    admitted = serializers.BooleanField()
    exam = Score(help_text="The exam's score counted (the retake's, when there is one)")
    exam_attempt = serializers.IntegerField(help_text="0: no exam score, 1: the first sitting, 2: the retake")
    final = Score()
    letter = serializers.CharField(allow_blank=True)
    gpa = Points(help_text="The letter's digital equivalent")
    traditional = serializers.CharField(allow_blank=True, help_text="In the language of the request")
