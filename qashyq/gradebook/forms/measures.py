"""The form of a control measure: it checks the shape of the input; `services.grades.measure_create` and
`measure_update` check the rules (the due date inside the period, one exam per course, the item's course)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qashyq.core.forms import BootstrapForm
from qashyq.gradebook.data import MeasureKind, MeasureMode, RatingPart

Choices = list[tuple[Any, Any]]
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date and time picker; read and written in the project's time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


class MeasureForm(BootstrapForm):
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=300)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeasureKind.choices)
    part = forms.ChoiceField(
        label=_("Part of the rating"),
        choices=RatingPart.choices,
        help_text=_("R1 = (TK1 + RK1) / 2, R2 = (TK2 + RK2) / 2; the exam counts in the final grade."),
    )
    mode = forms.ChoiceField(label=_("Mode (rule 27)"), choices=MeasureMode.choices)
    week = forms.IntegerField(
        label=_("Week of the period"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_("Without a due date, the column stays open for entry until some days after this week."),
    )
    weight = forms.DecimalField(
        label=_("Weight within its part"), min_value=0, max_digits=5, decimal_places=2, initial=1, localize=True
    )
    due_at = forms.DateTimeField(
        label=_("Due"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        help_text=_("Within the course's academic period."),
    )
    item = forms.TypedChoiceField(
        label=_("Course item whose results feed it"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("A test or an assignment of the course; its grade then enters the journal by itself."),
    )
    required = forms.BooleanField(label=_("Required for admission to the exam"), required=False, initial=True)
    pass_points = forms.DecimalField(
        label=_("Points needed to pass"), min_value=0, max_value=100, decimal_places=2, initial=0, localize=True
    )
    late_allowed = forms.BooleanField(label=_("Late submissions accepted"), required=False, initial=True)
    position = forms.IntegerField(
        label=_("Position in the journal"), min_value=0, initial=0, help_text=_("Smaller numbers come first.")
    )

    def __init__(self, *args: Any, items: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("None: grades are entered by hand")), *items]  # type: ignore[attr-defined]

    def measure_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["item_id"] = data.pop("item")
        return data
