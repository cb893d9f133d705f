"""Forms of the organization pages. They check the shape of the input; the services check the rules."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qashyq.accounts.api import Role
from qashyq.core.forms import BootstrapForm, DateInput
from qashyq.organization.models import EducationLevel, Ownership, UnitKind
from qashyq.organization.rules import bin_validate


class InstitutionForm(BootstrapForm):
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=300)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    bin = forms.CharField(
        label=_("BIN"),
        max_length=12,
        help_text=_("Business identification number: 12 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    ownership = forms.ChoiceField(label=_("Form of ownership"), choices=Ownership.choices)
    subordination = forms.CharField(label=_("Departmental subordination"), max_length=300)
    education_levels = forms.MultipleChoiceField(
        label=_("Levels of education provided"), choices=EducationLevel.choices, widget=forms.CheckboxSelectMultiple
    )
    city_kk = forms.CharField(label=_("City (Kazakh)"), max_length=100)
    city_ru = forms.CharField(label=_("City (Russian)"), max_length=100, required=False)
    licence_number = forms.CharField(label=_("Education licence number"), max_length=50)
    licence_date = forms.DateField(label=_("Education licence date"), widget=DateInput())
    licence_issuer = forms.CharField(label=_("Licence issued by"), max_length=300)
    dlt_permission_number = forms.CharField(label=_("DLT permission number"), max_length=50, required=False)
    dlt_permission_date = forms.DateField(label=_("DLT permission date"), required=False, widget=DateInput())
    dlt_permission_valid_until = forms.DateField(
        label=_("DLT permission valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty when the permission has no end date."),
    )
    order_number_suffix = forms.CharField(
        label=_("Suffix of order numbers"), max_length=20, help_text=_("Printed after the number, e.g. 137-ОД.")
    )

    def clean_bin(self) -> str:
        value = str(self.cleaned_data["bin"]).strip()
        bin_validate(value)
        return value


class UnitForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=300)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    parent = forms.TypedChoiceField(label=_("Inside the unit"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, parent_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("— none (a top-level unit) —")), *parent_choices]  # type: ignore[attr-defined]


class PositionForm(BootstrapForm):
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=300)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    grants_role = forms.ChoiceField(
        label=_("Role it grants"),
        choices=[("", _("— no role —")), *Role.choices],
        required=False,
        help_text=_("Whoever holds the position gets this role while they hold it."),
    )


class StaffAssignForm(BootstrapForm):
    user = forms.CharField(
        label=_("Username or e-mail of the person"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    start_date = forms.DateField(label=_("From"), widget=DateInput())

    def clean_user(self) -> Any:
        login = str(self.cleaned_data["user"]).strip()
        user_model = get_user_model()
        found = user_model.objects.filter(Q(username=login) | Q(email__iexact=login), is_active=True).first()
        if found is None:
            raise forms.ValidationError(
                _("No active account has the username or e-mail “%(value)s”."), params={"value": login}
            )
        return found


class StaffEndForm(BootstrapForm):
    end_date = forms.DateField(label=_("Last day in the position"), widget=DateInput())
