"""Forms of grading by hand, reopening an attempt and regrading a test."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qashyq.assessment.services.grading import MAX_REOPEN_MINUTES
from qashyq.core.forms import BootstrapForm


class GradeForm(BootstrapForm):
    """The points of every criterion of the rubric (when the essay has one) or a single score, the feedback to
    the student, and the reason when the grade is changed."""

    feedback = forms.CharField(
        label=_("Feedback to the student"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        help_text=_("Required when you change a grade already given; kept in the audit log."),
    )

    def __init__(self, *args: Any, rubric: list[dict[str, Any]], points: Decimal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        fields: dict[str, forms.Field] = {}
        if rubric:
            for index, criterion in enumerate(rubric):
                top = Decimal(str(criterion.get("points") or 0))
                fields[f"rubric_{index}"] = forms.DecimalField(
                    label=_("%(criterion)s (0–%(max)s)")
                    % {"criterion": criterion.get("criterion") or index + 1, "max": top},
                    min_value=Decimal(0),
                    max_value=top,
                    decimal_places=2,
                    widget=forms.NumberInput(attrs={"step": "0.5", "class": "form-control"}),
                )
        else:
            fields["score"] = forms.DecimalField(
                label=_("Score (0–%(max)s)") % {"max": points},
                min_value=Decimal(0),
                max_value=points,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.01", "class": "form-control"}),
            )
        self.fields = fields | self.fields  # the points first

    @property
    def rubric_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("rubric_")]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        arguments: dict[str, Any] = {"feedback": data["feedback"], "reason": data["reason"]}
        if self.rubric:
            arguments["rubric_scores"] = {str(i): data[f"rubric_{i}"] for i in range(len(self.rubric))}
        else:
            arguments["score"] = data["score"]
        return arguments


class ReopenForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, help_text=_("Kept in the audit log, such as a power cut in the room.")
    )
    extra_minutes = forms.IntegerField(
        label=_("Minutes to finish"), min_value=1, max_value=MAX_REOPEN_MINUTES, initial=15
    )


class RegradeForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, help_text=_("Kept in the audit log, such as the question that was fixed.")
    )
