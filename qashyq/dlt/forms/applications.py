"""Forms of DLT applications: the application itself (what each category needs in its own fieldset), a
supporting document, the reviewer's decision and the review queue's filters."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qashyq.academics import api as academics_api
from qashyq.core.forms import BootstrapForm, DateInput, add_service_errors
from qashyq.dlt.data import ApplicationStatus, Category, DltType, DocumentType
from qashyq.dlt.models import LANGUAGE_CHOICES, Application
from qashyq.dlt.services.applications import STUDENT_FIELDS

# The fieldsets of the application form: (legend, help, fields).
FIELDSETS = (
    (_("Category and justification"), "", ("category", "justification")),
    (_("What you ask for"), "", ("dlt_types", "starts_on", "ends_on", "language")),
    (
        _("Exchange programme"),
        _("Only for the category “abroad on an exchange programme”: the host institution and its country."),
        ("host_institution", "host_country"),
    ),
    (
        _("Dates abroad"),
        _(
            "For an exchange programme: the dates of your stay abroad. For a business trip: the dates of the trip "
            "as the order on it gives them (it must last more than 4 months)."
        ),
        ("abroad_from", "abroad_until"),
    ),
)


class ApplicationForm(BootstrapForm):
    """What the student writes. A draft may be incomplete: what is missing is listed when it is submitted."""

    category = forms.ChoiceField(
        label=_("Category (rule 10)"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        help_text=_("The category of students to whom DLT applies that you belong to."),
    )
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Why you ask to study by distance learning technologies (required before you submit)."),
    )
    dlt_types = forms.MultipleChoiceField(
        label=_("DLT types asked for"),
        choices=DltType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One or more: the administration service grants one of them."),
    )
    starts_on = forms.DateField(label=_("Study by DLT from"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Study by DLT until"), required=False, widget=DateInput())
    language = forms.ChoiceField(
        label=_("Language of the application"),
        choices=LANGUAGE_CHOICES,
        help_text=_("The application is printed as a document to the head in this language."),
    )
    host_institution = forms.CharField(label=_("Host institution"), required=False, max_length=300)
    host_country = forms.CharField(label=_("Country"), required=False, max_length=100)
    abroad_from = forms.DateField(label=_("Abroad from"), required=False, widget=DateInput())
    abroad_until = forms.DateField(label=_("Abroad until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, application: Application | None = None, **kwargs: Any) -> None:
        if application is not None:
            kwargs.setdefault("initial", {key: getattr(application, key) for key in STUDENT_FIELDS})
        super().__init__(*args, **kwargs)

    def fieldsets(self) -> list[dict[str, Any]]:
        return [
            {"legend": legend, "help": help_text, "fields": [self[name] for name in names]}
            for legend, help_text, names in FIELDSETS
        ]

    def service_arguments(self) -> dict[str, Any]:
        return {key: self.cleaned_data[key] for key in STUDENT_FIELDS}

    def add_service_error(self, error: ValidationError) -> None:
        add_service_errors(self, error)


class DocumentForm(BootstrapForm):
    doc_type = forms.ChoiceField(
        label=_("Type of the document"), choices=[("", _("Choose the type…")), *DocumentType.choices]
    )
    upload = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, a photo or scan (JPEG, PNG) or an office document."),
    )
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput())
    description = forms.CharField(label=_("Description"), required=False, max_length=300)

    def service_arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    def add_service_error(self, error: ValidationError) -> None:
        add_service_errors(self, error)


class DecisionForm(BootstrapForm):
    """The reviewer's decision: the comment (to return) or reason (to reject), the type granted (to accept).
    The buttons name the action; the service says what each needs."""

    ACTIONS = ("take", "return", "reject", "accept")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS], widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment or reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to return the application (what to change) or to reject it (why)."),
    )
    granted_type = forms.ChoiceField(label=_("DLT type granted"), required=False, choices=())

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["granted_type"]
        assert isinstance(field, forms.ChoiceField)
        asked = [(value, label) for value, label in DltType.choices if value in application.dlt_types]
        field.choices = asked
        if len(asked) == 1:
            field.initial = asked[0][0]

    def add_service_error(self, error: ValidationError) -> None:
        add_service_errors(self, error)


class QueueFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Student's name"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    programme = forms.TypedChoiceField(label=_("Programme"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [
            ("", _("Every status")),
            *((v, label) for v, label in ApplicationStatus.choices if v != ApplicationStatus.DRAFT),
        ]
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", _("Every category")), *Category.choices]
        programme = self.fields["programme"]
        assert isinstance(programme, forms.ChoiceField)
        programme.choices = [
            ("", _("Every programme")),
            *((p.id, f"{p.code} {p.name}") for p in academics_api.programme_list()),
        ]

    def filters(self) -> dict[str, Any] | None:
        """The selector's arguments; None when the filters are not valid."""
        if not self.is_bound:
            return {}
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return {
            "q": data["q"].strip(),
            "status": data["status"],
            "category": data["category"],
            "programme_id": data["programme"],
        }
