"""Forms of the teacher's side of a test: settings, a blueprint rule, an accommodation. The services validate
again; the forms give the fields their labels and turn text into values."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qashyq.assessment.data import Difficulty, GradingMethod, IdentityCheck, ReviewWhen
from qashyq.assessment.models import Bank, Category, Test
from qashyq.assessment.services.tests import (
    MAX_ATTEMPTS,
    MAX_EXTRA_ATTEMPTS,
    MAX_EXTRA_TIME_PERCENT,
    MAX_GRACE_SECONDS,
    MAX_RULE_COUNT,
    MAX_TIME_LIMIT_MINUTES,
    SETTINGS_FIELDS,
)
from qashyq.content.data import CourseEnrolmentData
from qashyq.core.forms import BootstrapForm

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date and time picker; read and written in the project's time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


def datetime_field(label: Any, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        help_text=help_text,
    )


class TestSettingsForm(BootstrapForm):
    instructions = forms.CharField(
        label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    opens_at = datetime_field(_("Opens"), _("Empty: open as soon as the item is published."))
    closes_at = datetime_field(_("Closes"), _("Empty: no closing time."))
    time_limit_minutes = forms.IntegerField(
        label=_("Time limit, minutes"), min_value=0, max_value=MAX_TIME_LIMIT_MINUTES, help_text=_("0: no limit.")
    )
    grace_seconds = forms.IntegerField(
        label=_("Grace period, seconds"),
        min_value=0,
        max_value=MAX_GRACE_SECONDS,
        help_text=_("Answers sent this long after the deadline (a slow connection) are still accepted."),
    )
    attempts_allowed = forms.IntegerField(
        label=_("Attempts allowed"), min_value=0, max_value=MAX_ATTEMPTS, help_text=_("0: unlimited.")
    )
    grading_method = forms.ChoiceField(label=_("Grading method"), choices=GradingMethod.choices)
    pass_percent = forms.IntegerField(label=_("Pass mark, %"), min_value=0, max_value=100)
    shuffle_questions = forms.BooleanField(label=_("Shuffle questions"), required=False)
    shuffle_options = forms.BooleanField(label=_("Shuffle answer options"), required=False)
    access_code = forms.CharField(
        label=_("Access code"), required=False, max_length=50, help_text=_("Empty: no code is asked.")
    )
    allowed_networks = forms.CharField(
        label=_("Allowed IP ranges"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One address or range a line, such as 10.20.0.0/16. Empty: from anywhere."),
    )
    identity_check = forms.ChoiceField(label=_("Identity check at the start"), choices=IdentityCheck.choices)
    review_when = forms.ChoiceField(label=_("Review is open"), choices=ReviewWhen.choices)
    review_score = forms.BooleanField(label=_("Students see their score"), required=False)
    review_responses = forms.BooleanField(label=_("Students see their answers"), required=False)
    review_correct = forms.BooleanField(label=_("Students see the right answers"), required=False)
    review_feedback = forms.BooleanField(label=_("Students see the feedback"), required=False)

    @classmethod
    def for_test(cls, test: Test, data: Any = None) -> "TestSettingsForm":
        initial = {name: getattr(test, name) for name in SETTINGS_FIELDS}
        return cls(data, initial=initial)

    def service_arguments(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in SETTINGS_FIELDS}


class BlueprintRuleForm(BootstrapForm):
    bank = forms.TypedChoiceField(label=_("Question bank"), coerce=int)
    categories = forms.TypedMultipleChoiceField(
        label=_("Topics"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("None chosen: any topic of the bank. Hold Ctrl to choose several."),
    )
    difficulty = forms.TypedChoiceField(
        label=_("Difficulty"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Any difficulty")), *Difficulty.choices],
    )
    count = forms.IntegerField(label=_("Number of questions"), min_value=1, max_value=MAX_RULE_COUNT, initial=5)
    points = forms.DecimalField(
        label=_("Points each"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal(1000),
        decimal_places=2,
        help_text=_("Empty: each question's own points."),
    )

    def __init__(self, *args: Any, banks: Sequence[Bank], categories: Sequence[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = {b.pk: b.name for b in banks}
        self.fields["bank"].choices = [(b.pk, b.name) for b in banks]  # type: ignore[attr-defined]
        self.fields["categories"].choices = [  # type: ignore[attr-defined]
            (c.pk, f"{names.get(c.bank_id, '')}: {c.path}") for c in categories if c.bank_id in names
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "bank_id": data["bank"],
            "category_ids": data["categories"],
            "difficulty": data["difficulty"],
            "count": data["count"],
            "points": data["points"],
        }


class AccommodationForm(BootstrapForm):
    student = forms.TypedChoiceField(label=_("Student"), coerce=int)
    extra_time_percent = forms.IntegerField(
        label=_("Extra time, %"), min_value=0, max_value=MAX_EXTRA_TIME_PERCENT, initial=0, required=False
    )
    extra_attempts = forms.IntegerField(
        label=_("Extra attempts"), min_value=0, max_value=MAX_EXTRA_ATTEMPTS, initial=0, required=False
    )
    opens_at = datetime_field(_("The student's window opens"), _("Empty: as for everyone."))
    closes_at = datetime_field(_("The student's window closes"), _("Empty: as for everyone."))
    reason = forms.CharField(
        label=_("Reason"), max_length=500, help_text=_("Kept in the audit log, such as a disability or study abroad.")
    )

    def __init__(self, *args: Any, students: Sequence[CourseEnrolmentData], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["student"].choices = [(s.student_id, s.full_name) for s in students]  # type: ignore[attr-defined]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "student_id": data["student"],
            "extra_time_percent": data["extra_time_percent"] or 0,
            "extra_attempts": data["extra_attempts"] or 0,
            "opens_at": data["opens_at"],
            "closes_at": data["closes_at"],
            "reason": data["reason"],
        }


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)
