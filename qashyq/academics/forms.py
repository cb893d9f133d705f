"""Forms of the academic pages. They check the shape of the input; the services check the rules."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qashyq.academics.data import (
    Component,
    Cycle,
    EventKind,
    FinalControl,
    FormOfStudy,
    Language,
    Level,
    PeriodKind,
    ShortenedBasis,
    TeachingRole,
)
from qashyq.academics.models import AcademicPeriod, Discipline, Programme, StudyGroup
from qashyq.core.forms import BootstrapForm, DateInput


class ProgrammeForm(BootstrapForm):
    code = forms.CharField(
        label=_("Code"), max_length=20, help_text=_("E.g. 6B01101, 7M01101, 8D01101, or a TVET code such as 0101000.")
    )
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=300)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    forms_offered = forms.MultipleChoiceField(
        label=_("Forms of study offered"), choices=FormOfStudy.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages of instruction"), choices=Language.choices, widget=forms.CheckboxSelectMultiple
    )
    periods = forms.IntegerField(label=_("Academic periods"), min_value=1, max_value=16, initial=8)
    shortened = forms.BooleanField(label=_("Shortened programme"), required=False)
    shortened_basis = forms.ChoiceField(
        label=_("Basis of the shortened programme"),
        choices=[("", _("— not shortened —")), *ShortenedBasis.choices],
        required=False,
    )


class ProgrammeFilterForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=[("", _("All levels")), *Level.choices], required=False)
    form = forms.ChoiceField(
        label=_("Form of study"), choices=[("", _("All forms")), *FormOfStudy.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for bound in self.fields.values():
            bound.widget.attrs["class"] = "form-select"


class DisciplineForm(BootstrapForm):
    code = forms.CharField(label=_("Code"), max_length=30)
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=300)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    credits = forms.IntegerField(label=_("Credits"), min_value=1, max_value=60)


class DisciplineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {obj.name} ({obj.credits})"


class CurriculumEntryForm(BootstrapForm):
    discipline = DisciplineChoiceField(label=_("Discipline"), queryset=Discipline.objects.order_by("code"))
    period_number = forms.TypedChoiceField(label=_("Academic period"), coerce=int)
    credits = forms.IntegerField(
        label=_("Credits"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_("Leave empty to take the discipline's own credits."),
    )
    cycle = forms.ChoiceField(label=_("Cycle"), choices=Cycle.choices)
    component = forms.ChoiceField(label=_("Component"), choices=Component.choices)
    final_control = forms.ChoiceField(label=_("Form of final control"), choices=FinalControl.choices)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period_number"].choices = [(n, n) for n in range(1, programme.periods + 1)]  # type: ignore[attr-defined]


class AcademicYearForm(BootstrapForm):
    title = forms.CharField(label=_("Title"), max_length=20, help_text=_("E.g. 2026–2027."))
    start_date = forms.DateField(label=_("Start"), widget=DateInput())
    end_date = forms.DateField(label=_("End"), widget=DateInput())


class AcademicPeriodForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=PeriodKind.choices)
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=4)
    start_date = forms.DateField(label=_("Start"), widget=DateInput())
    end_date = forms.DateField(label=_("End"), widget=DateInput())


class CalendarForm(BootstrapForm):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)


class CalendarEventForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Event"), choices=EventKind.choices)
    start_date = forms.DateField(label=_("Start"), widget=DateInput())
    end_date = forms.DateField(label=_("End"), widget=DateInput())
    period = forms.ModelChoiceField(
        label=_("Academic period"),
        queryset=AcademicPeriod.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )

    def __init__(self, *args: Any, year_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["period"]
        field.queryset = AcademicPeriod.objects.filter(year_id=year_id).order_by("number")  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: f"{p.get_kind_display()} {p.number}"  # type: ignore[attr-defined]


class CalendarApproveForm(BootstrapForm):
    approved_on = forms.DateField(label=_("Approved by the academic council on"), widget=DateInput())
    protocol_number = forms.CharField(label=_("Protocol number"), max_length=30)


class CalendarReopenForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Why the approved calendar must change"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class StudyGroupForm(BootstrapForm):
    code = forms.CharField(label=_("Code"), max_length=30)
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.order_by("code"))
    admission_year = forms.IntegerField(label=_("Year of admission"), min_value=2000, max_value=2100)
    language = forms.ChoiceField(label=_("Language of instruction"), choices=Language.choices)
    form_of_study = forms.ChoiceField(label=_("Form of study"), choices=FormOfStudy.choices)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500, initial=30)
    closed = forms.BooleanField(label=_("Closed for admission and transfer"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].label_from_instance = lambda p: f"{p.code} {p.name}"  # type: ignore[attr-defined]


class StudyGroupEditForm(BootstrapForm):
    code = forms.CharField(label=_("Code"), max_length=30)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)
    closed = forms.BooleanField(label=_("Closed for admission and transfer"), required=False)


class GroupFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.order_by("code"),
        required=False,
        empty_label=_("All programmes"),
    )
    form = forms.ChoiceField(
        label=_("Form of study"), choices=[("", _("All forms")), *FormOfStudy.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].label_from_instance = lambda p: p.code  # type: ignore[attr-defined]
        for bound in self.fields.values():
            bound.widget.attrs["class"] = "form-select"


class TeachingAssignmentForm(BootstrapForm):
    user = forms.CharField(label=_("Username or e-mail of the teacher or tutor"), max_length=254)
    role = forms.ChoiceField(label=_("Serves as"), choices=TeachingRole.choices)
    discipline = DisciplineChoiceField(label=_("Discipline"), queryset=Discipline.objects.order_by("code"))
    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=StudyGroup.objects.order_by("code"),
        required=False,
        empty_label=_("— every group that studies the discipline —"),
    )

    def clean_user(self) -> Any:
        login = str(self.cleaned_data["user"]).strip()
        found = get_user_model().objects.filter(Q(username=login) | Q(email__iexact=login), is_active=True).first()
        if found is None:
            raise forms.ValidationError(
                _("No active account has the username or e-mail “%(value)s”."), params={"value": login}
            )
        return found
