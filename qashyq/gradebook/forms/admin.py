"""Forms of the administration service's and the head's pages: reopening an entry window, closing a period,
deciding a change request, filtering the change requests. They check the shape of the input; `services.locks`
checks the rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qashyq.core.forms import BootstrapForm
from qashyq.gradebook.data import ChangeStatus
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
