"""Forms of the order pages: they check the shape of the input; the services check the rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qashyq.core.forms import BootstrapForm, DateInput
from qashyq.records.data import ExpulsionReason, OrderKind, OrderStatus

# Cancellations are drafted from the order they cancel, DLT orders from accepted applications (dlt app).
DRAFTABLE_KINDS = [(k, label) for k, label in OrderKind.choices if k not in (OrderKind.CANCELLATION, OrderKind.DLT)]


class OrderFilterForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *OrderKind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *OrderStatus.choices])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    number = forms.CharField(label=_("Number"), required=False, max_length=30)
    student = forms.CharField(label=_("Student (IIN or name)"), required=False, max_length=100)


class OrderCreateForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=DRAFTABLE_KINDS)
    effective_date = forms.DateField(label=_("In force from"), widget=DateInput())
    title_kk = forms.CharField(
        label=_("Title (Kazakh)"),
        required=False,
        max_length=500,
        help_text=_("Leave empty for the usual title of this kind of order."),
    )
    title_ru = forms.CharField(
        label=_("Title (Russian)"),
        required=False,
        max_length=500,
        help_text=_("Leave empty for the usual title of this kind of order."),
    )
    basis_kk = forms.CharField(label=_("Basis (Kazakh)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    basis_ru = forms.CharField(label=_("Basis (Russian)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class OrderUpdateForm(BootstrapForm):
    effective_date = forms.DateField(label=_("In force from"), widget=DateInput())
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=500)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=500)
    basis_kk = forms.CharField(label=_("Basis (Kazakh)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    basis_ru = forms.CharField(label=_("Basis (Russian)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class OrderCancelForm(BootstrapForm):
    effective_date = forms.DateField(
        label=_("In force from"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty for the day the cancellation is signed."),
    )
    basis_kk = forms.CharField(label=_("Basis (Kazakh)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    basis_ru = forms.CharField(label=_("Basis (Russian)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


TRANSFER_DIRECTIONS = [
    ("internal", _("Within the institution (another group, programme or form of study)")),
    ("in", _("From another institution")),
    ("out", _("To another institution")),
]


class OrderItemForm(BootstrapForm):
    """One student for a draft. Which fields count depends on the order's kind (see `fields_for`)."""

    student = forms.TypedChoiceField(label=_("Student"), coerce=int, widget=forms.RadioSelect)
    transfer = forms.ChoiceField(label=_("Transfer"), choices=TRANSFER_DIRECTIONS, initial="internal")
    group = forms.TypedChoiceField(label=_("Group"), coerce=int, required=False)
    course_year = forms.IntegerField(
        label=_("Course year"),
        required=False,
        min_value=1,
        max_value=12,
        help_text=_("Leave empty to keep the student's course year."),
    )
    institution = forms.CharField(label=_("Other institution"), required=False, max_length=300)
    reason = forms.ChoiceField(label=_("Reason"), required=False, choices=[("", "—"), *ExpulsionReason.choices])
    until = forms.DateField(label=_("Leave until"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    FIELDS_BY_KIND: dict[str, tuple[str, ...]] = {
        OrderKind.ADMISSION: ("student", "group", "course_year", "note"),
        OrderKind.TRANSFER: ("student", "transfer", "group", "course_year", "institution", "note"),
        OrderKind.REINSTATEMENT: ("student", "group", "course_year", "note"),
        OrderKind.EXPULSION: ("student", "reason", "note"),
        OrderKind.ACADEMIC_LEAVE: ("student", "until", "note"),
        OrderKind.RETURN_FROM_LEAVE: ("student", "group", "course_year", "note"),
    }

    def __init__(
        self,
        *args: Any,
        kind: str,
        students: list[tuple[int, str]],
        groups: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        wanted = self.FIELDS_BY_KIND.get(kind, ("student",))
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        self.fields["student"].choices = students  # type: ignore[attr-defined]
        if "group" in self.fields:
            blank = _("The student's own group") if kind == OrderKind.RETURN_FROM_LEAVE else "—"
            self.fields["group"].choices = [("", blank), *groups]  # type: ignore[attr-defined]
        if kind == OrderKind.EXPULSION:
            self.fields["reason"].required = True
            self.fields["reason"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in ExpulsionReason.choices if value != ExpulsionReason.TRANSFER_OUT
            ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.kind == OrderKind.TRANSFER:
            direction = cleaned.get("transfer")
            if direction in ("in", "out") and not (cleaned.get("institution") or "").strip():
                self.add_error("institution", _("Name the other institution."))
            if direction == "out":
                cleaned["group"] = None
        return cleaned

    def changes(self) -> dict[str, Any]:
        """The `changes` for order_item_add."""
        data = self.cleaned_data
        changes: dict[str, Any] = {}
        if data.get("group"):
            changes["group"] = data["group"]
        if data.get("course_year"):
            changes["course_year"] = data["course_year"]
        if data.get("until"):
            changes["until"] = data["until"].isoformat()
        if self.kind == OrderKind.TRANSFER:
            institution = (data.get("institution") or "").strip()
            if data.get("transfer") == "in":
                changes["from_institution"] = institution
            elif data.get("transfer") == "out":
                changes["to_institution"] = institution
        return changes
