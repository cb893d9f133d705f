"""Forms of the course pages: they check the shape of the input; the services check the rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qashyq.academics.data import Language
from qashyq.content.selectors.courses import CourseFilters
from qashyq.core.forms import BootstrapForm

Choices = list[tuple[Any, Any]]


class CourseFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Discipline or course"), required=False, max_length=100)
    period = forms.TypedChoiceField(label=_("Academic period"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, periods: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", _("Any period")), *periods]  # type: ignore[attr-defined]

    def filters(self) -> CourseFilters:
        return CourseFilters(period_id=self.cleaned_data["period"], q=self.cleaned_data["q"].strip())


class CourseForm(BootstrapForm):
    discipline = forms.TypedChoiceField(label=_("Discipline"), coerce=int)
    period = forms.TypedChoiceField(label=_("Academic period"), coerce=int)
    code = forms.CharField(
        label=_("Course code"),
        max_length=60,
        help_text=_("Unique, for example the discipline code, the period and the group: IS-2101-2026-1."),
    )
    name_kk = forms.CharField(
        label=_("Title (Kazakh)"),
        max_length=300,
        required=False,
        help_text=_("Leave the titles empty to use the discipline's names."),
    )
    name_ru = forms.CharField(label=_("Title (Russian)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    language = forms.ChoiceField(label=_("Language of instruction"), choices=Language.choices)
    groups = forms.TypedMultipleChoiceField(
        label=_("Study groups"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    description_kk = forms.CharField(
        label=_("Description (Kazakh)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_ru = forms.CharField(
        label=_("Description (Russian)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, disciplines: Choices, periods: Choices, groups: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["discipline"].choices = [("", "—"), *disciplines]  # type: ignore[attr-defined]
        self.fields["period"].choices = [("", "—"), *periods]  # type: ignore[attr-defined]
        self.fields["groups"].choices = groups  # type: ignore[attr-defined]

    def course_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["discipline_id"] = data.pop("discipline")
        data["period_id"] = data.pop("period")
        data["group_ids"] = data.pop("groups")
        return data


class CourseStaffForm(BootstrapForm):
    """Teachers and tutors of a course; for each current tutor, the groups they look after (none: all)."""

    teachers = forms.TypedMultipleChoiceField(
        label=_("Teachers"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    tutors = forms.TypedMultipleChoiceField(
        label=_("Tutors"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        teachers: Choices,
        tutors: Choices,
        current_tutors: Choices,
        groups: Choices,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teachers"].choices = teachers  # type: ignore[attr-defined]
        self.fields["tutors"].choices = tutors  # type: ignore[attr-defined]
        self.limit_fields: list[str] = []
        if groups:
            for user_id, name in current_tutors:
                key = f"tutor_groups_{user_id}"
                self.fields[key] = forms.TypedMultipleChoiceField(
                    label=_("Groups of %(name)s") % {"name": name},
                    coerce=int,
                    required=False,
                    choices=groups,
                    widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                    help_text=_("None ticked: every group of the course."),
                )
                self.limit_fields.append(key)

    def limits(self) -> dict[int, list[int]]:
        """The group limits of the tutors who stay (as ticked)."""
        tutors = set(self.cleaned_data["tutors"])
        found = {}
        for key in self.limit_fields:
            user_id = int(key.removeprefix("tutor_groups_"))
            if user_id in tutors:
                found[user_id] = list(self.cleaned_data[key])
        return found

    def limit_bound_fields(self) -> list[forms.BoundField]:
        return [self[key] for key in self.limit_fields]


class EnrolmentEndForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ProgressFilterForm(BootstrapForm):
    group = forms.TypedChoiceField(label=_("Group"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, groups: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All groups")), *groups]  # type: ignore[attr-defined]
