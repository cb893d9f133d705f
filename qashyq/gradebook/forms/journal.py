"""Forms of the journal: they check the shape of the input; `services.grades` and `services.locks` check the
rules (the score's range, the reason, the window, the lock)."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qashyq.core.forms import BootstrapForm

Choices = list[tuple[Any, Any]]
NOT_A_NUMBER = Decimal("NaN")


def score_value(text: str) -> Decimal:
    """The typed score as a number ("87,5" as well as "87.5"); NaN when it is not one, so the service refuses
    it with its own message."""
    try:
        return Decimal(text.strip().replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except (InvalidOperation, ValueError):
        return NOT_A_NUMBER


class GroupFilterForm(BootstrapForm):
    group = forms.TypedChoiceField(label=_("Study group"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, groups: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All my groups")), *groups]  # type: ignore[attr-defined]


class PeriodFilterForm(BootstrapForm):
    period = forms.TypedChoiceField(label=_("Academic period"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, periods: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", _("Any period")), *periods]  # type: ignore[attr-defined]


class GradeEntryForm(BootstrapForm):
    """One cell of the journal: a score for a student on a measure (attempt 2: the exam's FX retake)."""

    measure = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    student = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    attempt = forms.TypedChoiceField(
        choices=[(1, "1"), (2, "2")], coerce=int, required=False, empty_value=None, widget=forms.HiddenInput
    )
    score = forms.CharField(
        label=_("Score (0–100)"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=1000,
        required=False,
        help_text=_("A change of a grade already entered needs a reason; it is kept in the audit log."),
    )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "measure_id": data["measure"],
            "student_id": data["student"],
            "attempt": data["attempt"] or 1,
            "score": score_value(data["score"]),
            "reason": data["reason"].strip(),
        }


class ChangeRequestForm(GradeEntryForm):
    """A change to a grade of a closed period, for the head to approve."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The head reads it before deciding."),
    )
