"""The filters of the DLT registry."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qashyq.academics.data import PeriodData
from qashyq.core.forms import BootstrapForm
from qashyq.dlt.data import Category, DltType
from qashyq.dlt.selectors.registry import RegistryFilters, RegistryStatus

Choices = list[tuple[int, str]]


class RegistryFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any category")), *Category.choices]
    )
    dlt_type = forms.ChoiceField(label=_("DLT type"), required=False, choices=[("", _("Any type")), *DltType.choices])
    programme = forms.TypedChoiceField(label=_("Programme"), required=False, coerce=int, empty_value=None)
    period = forms.TypedChoiceField(label=_("Academic period"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *RegistryStatus.choices]
    )

    def __init__(self, *args: Any, programmes: Choices, periods: list[PeriodData], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periods = {p.id: p for p in periods}
        self.fields["programme"].choices = [("", _("Any programme")), *programmes]  # type: ignore[attr-defined]
        self.fields["period"].choices = [  # type: ignore[attr-defined]
            ("", _("Any period")),
            *((p.id, f"{p.year_title} · {p.number}") for p in periods),
        ]

    def filters(self) -> RegistryFilters:
        data = self.cleaned_data
        period = self.periods.get(data["period"]) if data["period"] else None
        return RegistryFilters(
            q=data["q"].strip(),
            category=data["category"],
            dlt_type=data["dlt_type"],
            programme_id=data["programme"],
            period_start=period.start_date if period else None,
            period_end=period.end_date if period else None,
            status=data["status"],
        )
