"""Forms of the administration service's and the head's pages: reopening an entry window, closing a period,
deciding a change request, filtering the change requests, adding a version of the grading policy. They check
the shape of the input; `services.locks` and `services.policy` check the rules."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qashyq.core.forms import BootstrapForm, DateInput
from qashyq.gradebook.data import ChangeStatus, Rounding
from qashyq.gradebook.forms.measures import DateTimeLocalInput

Choices = list[tuple[Any, Any]]


class ReopenForm(BootstrapForm):
    measure = forms.TypedChoiceField(label=_("Control measure"), coerce=int)
    student = forms.TypedChoiceField(label=_("Student"), coerce=int)
    until = forms.DateTimeField(
        label=_("Open until"),
        widget=DateTimeLocalInput(),
        help_text=_("The teacher or tutor may enter this student's grade on this measure until then."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log with the reopening."),
    )

    def __init__(self, *args: Any, measures: Choices, students: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = measures  # type: ignore[attr-defined]
        self.fields["student"].choices = students  # type: ignore[attr-defined]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "measure_id": data["measure"],
            "student_id": data["student"],
            "until": data["until"],
            "reason": data["reason"],
        }


class PeriodCloseForm(BootstrapForm):
    confirm = forms.BooleanField(
        label=_("I understand that every grade of the period is locked and a change then needs the head's approval."),
        required=True,
    )


class DecisionForm(BootstrapForm):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note on the decision"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the administration service with the decision."),
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class ChangeFilterForm(BootstrapForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *ChangeStatus.choices]
    )


class PolicyForm(BootstrapForm):
    valid_from = forms.DateField(
        label=_("In force from"),
        widget=DateInput(),
        help_text=_("After the latest version, not in the past and not inside a closed period."),
    )
    scale = forms.TypedChoiceField(label=_("Letter scale"), coerce=int)
    current_weight = forms.DecimalField(
        label=_("Weight of current control in R1 and R2"), min_value=0, max_value=1, max_digits=3, decimal_places=2
    )
    exam_weight = forms.DecimalField(
        label=_("Weight of the exam in the final grade"), min_value=0, max_value=1, max_digits=3, decimal_places=2
    )
    admission_threshold = forms.DecimalField(
        label=_("Admission rating needed for the exam"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    exam_threshold = forms.DecimalField(
        label=_("Exam score needed for a positive grade"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    rounding = forms.ChoiceField(label=_("Rounding"), choices=Rounding.choices)
    entry_window_days = forms.IntegerField(
        label=_("Days a week's column stays open for entry"), min_value=1, max_value=365
    )
    retake_window_days = forms.IntegerField(label=_("Days for the free FX retake"), min_value=1, max_value=365)

    def __init__(self, *args: Any, scales: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scale"].choices = scales  # type: ignore[attr-defined]

    @staticmethod
    def initial_from(latest: Any, *, today: date) -> dict[str, Any]:
        """The latest version's values, in force from the day after it (and no earlier than tomorrow)."""
        if latest is None:
            return {"valid_from": today + timedelta(days=1)}
        return {
            "valid_from": max(today, latest.valid_from) + timedelta(days=1),
            "scale": latest.scale_id,
            "current_weight": latest.current_weight,
            "exam_weight": latest.exam_weight,
            "admission_threshold": latest.admission_threshold,
            "exam_threshold": latest.exam_threshold,
            "rounding": latest.rounding,
            "entry_window_days": latest.entry_window_days,
            "retake_window_days": latest.retake_window_days,
        }

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["scale_id"] = data.pop("scale")
        return data
