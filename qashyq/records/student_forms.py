"""Forms of the student pages: they check the shape of the input; the services check the rules."""

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from qashyq.academics.data import FormOfStudy, Language
from qashyq.core.forms import BootstrapForm, DateInput
from qashyq.records import imports
from qashyq.records.data import Disability, Funding, Sex, StudentStatus
from qashyq.records.selectors.students import StudentFilters

Choices = list[tuple[Any, Any]]


class StudentFilterForm(BootstrapForm):
    q = forms.CharField(label=_("IIN or name"), required=False, max_length=100)
    group = forms.TypedChoiceField(label=_("Group"), required=False, coerce=int, empty_value=None)
    programme = forms.TypedChoiceField(label=_("Programme"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *StudentStatus.choices]
    )
    form_of_study = forms.ChoiceField(
        label=_("Form of study"), required=False, choices=[("", _("Any form")), *FormOfStudy.choices]
    )

    def __init__(self, *args: Any, groups: Choices, programmes: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("Any group")), *groups]  # type: ignore[attr-defined]
        self.fields["programme"].choices = [("", _("Any programme")), *programmes]  # type: ignore[attr-defined]

    def filters(self) -> StudentFilters:
        data = self.cleaned_data
        return StudentFilters(
            q=data["q"].strip(),
            group_id=data["group"],
            programme_id=data["programme"],
            status=data["status"],
            form_of_study=data["form_of_study"],
        )


class StudentCreateForm(BootstrapForm):
    iin = forms.CharField(label=_("IIN"), max_length=12, min_length=12)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    name_latin = forms.CharField(
        label=_("Name in Latin letters"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to write it by the Kazakh Latin alphabet of 2021."),
    )
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput())
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    citizenship = forms.CharField(label=_("Citizenship (country code)"), max_length=2, initial="KZ")
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    programme = forms.TypedChoiceField(label=_("Programme"), coerce=int)
    group = forms.TypedChoiceField(label=_("Group"), coerce=int, required=False, empty_value=None)
    form_of_study = forms.ChoiceField(label=_("Form of study"), choices=FormOfStudy.choices)
    language = forms.ChoiceField(label=_("Language of instruction"), choices=Language.choices)
    funding = forms.ChoiceField(label=_("Funding"), choices=Funding.choices)
    bolashak = forms.BooleanField(label=_("Bolashak scholar"), required=False)
    disability = forms.ChoiceField(label=_("Disability"), choices=Disability.choices, required=False)
    course_year = forms.IntegerField(label=_("Course year"), min_value=1, max_value=8, initial=1)

    def __init__(self, *args: Any, groups: Choices, programmes: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", "—"), *programmes]  # type: ignore[attr-defined]
        self.fields["group"].choices = [("", _("No group yet")), *groups]  # type: ignore[attr-defined]

    def student_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["programme_id"] = data.pop("programme")
        data["group_id"] = data.pop("group")
        data["citizenship"] = data["citizenship"].upper()
        return data


class StudentContactsForm(BootstrapForm):
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    name_latin = forms.CharField(
        label=_("Name in Latin letters"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to write it by the Kazakh Latin alphabet of 2021."),
    )


class StudentImportForm(BootstrapForm):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=format_lazy(
            _("At most {size} MB and {rows} students; the first row holds the column names of the template."),
            size=imports.MAX_BYTES >> 20,
            rows=f"{imports.MAX_ROWS:,}".replace(",", " "),
        ),
    )


class StudentImportConfirmForm(BootstrapForm):
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)
