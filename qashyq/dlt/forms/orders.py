"""Forms of DLT orders: the filters of the list and of the accepted applications, the new draft (which
applications, from when, on what basis) and more applications for a draft."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from qashyq.academics import api as academics_api
from qashyq.core.forms import BootstrapForm, DateInput
from qashyq.core.i18n import localized
from qashyq.dlt.data import Category, DltType
from qashyq.dlt.selectors.orders import CandidateFilters
from qashyq.records.api import OrderStatus


class OrderFilterForm(BootstrapForm):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any")), *OrderStatus.choices])
    q = forms.CharField(label=_("Number or student"), required=False, max_length=100)


class CandidateFilterForm(BootstrapForm):
    """Which accepted applications to show."""

    programme = forms.TypedChoiceField(label=_("Programme"), required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("Any")), *Category.choices])
    dlt_type = forms.ChoiceField(label=_("DLT type"), required=False, choices=[("", _("Any")), *DltType.choices])
    q = forms.CharField(label=_("Student"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["programme"]).choices = [
            ("", _("Any")),
            *((p.id, f"{p.code} {localized(p, 'name')}") for p in academics_api.programme_list()),
        ]

    def filters(self) -> CandidateFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return CandidateFilters(
            programme_id=data.get("programme") or None,
            category=data.get("category") or "",
            dlt_type=data.get("dlt_type") or "",
            query=(data.get("q") or "").strip(),
        )


class ApplicationsField(forms.TypedMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Accepted applications"))
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Choose at least one accepted application."),
                "invalid_choice": _("Application %(value)s is not accepted or is in an order already."),
            },
        )
        super().__init__(**kwargs)


class OrderCreateForm(BootstrapForm):
    """A new draft DLT order: the applications (their checkboxes are in the table of applications), from when
    it is in force, and its basis in Kazakh and in Russian (a default naming the applications and rule 12)."""

    applications = ApplicationsField()
    effective_date = forms.DateField(label=_("In force from"), widget=DateInput())
    basis_kk = forms.CharField(
        label=_("Basis (Kazakh)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "lang": "kk"}),
        help_text=_("Leave empty for the usual basis: the students' applications and rule 12 of the DLT rules."),
    )
    basis_ru = forms.CharField(
        label=_("Basis (Russian)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "lang": "ru"}),
        help_text=_("Leave empty for the usual basis: the students' applications and rule 12 of the DLT rules."),
    )

    def __init__(self, *args: Any, applications: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["applications"]).choices = applications


class AddApplicationsForm(BootstrapForm):
    applications = ApplicationsField()

    def __init__(self, *args: Any, applications: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["applications"]).choices = applications
