"""Forms of the individual study plan (a line's teacher, tutor, course and DLT type) and of the individual
schedule (an entry added or changed by the administration service)."""

from datetime import time
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qashyq.academics.data import FinalControl
from qashyq.accounts.api import Role
from qashyq.content.data import CourseData
from qashyq.core.forms import BootstrapForm, DateInput, add_service_errors
from qashyq.dlt.data import DltType, EntryKind
from qashyq.dlt.models import ScheduleEntry, StudyPlanLine
from qashyq.dlt.services.schedules import zone


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name or obj.get_username()


def people_with_role(role: Role) -> QuerySet[Any]:
    """The active accounts holding a role, by name."""
    return (
        get_user_model()
        .objects.filter(groups__name=role.value, is_active=True)
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


class PlanLineForm(BootstrapForm):
    """A line of the plan: its teacher and tutor, its course and its DLT type, set by hand."""

    teacher = PersonChoiceField(label=_("Teacher"), queryset=get_user_model().objects.none(), required=False)
    tutor = PersonChoiceField(label=_("Tutor"), queryset=get_user_model().objects.none(), required=False)
    course = forms.TypedChoiceField(label=_("Course"), coerce=int, required=False, empty_value=None)
    dlt_type = forms.ChoiceField(label=_("DLT type"), choices=DltType.choices)

    SERVICE_FIELDS = {"teacher_id": "teacher", "tutor_id": "tutor", "course_id": "course"}

    def __init__(self, *args: Any, line: StudyPlanLine, courses: list[CourseData], **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "teacher": line.teacher_id,
                "tutor": line.tutor_id,
                "course": line.course_id,
                "dlt_type": line.dlt_type or None,
            },
        )
        super().__init__(*args, **kwargs)
        for name, role in (("teacher", Role.TEACHER), ("tutor", Role.TUTOR)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = people_with_role(role)
            field.empty_label = _("— nobody —")
        course = self.fields["course"]
        assert isinstance(course, forms.ChoiceField)
        course.choices = [("", _("— no course —")), *((c.id, f"{c.code} · {c.title}") for c in courses)]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "teacher_id": data["teacher"].pk if data["teacher"] else None,
            "tutor_id": data["tutor"].pk if data["tutor"] else None,
            "course_id": data["course"],
            "dlt_type": data["dlt_type"],
        }

    def add_service_error(self, error: ValidationError) -> None:
        add_service_errors(self, error, renamed=self.SERVICE_FIELDS)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class ScheduleEntryForm(BootstrapForm):
    """An entry of the schedule: what it is, its discipline, its dates and time (Asia/Almaty), its name in three
    languages, the mode of the control and a note."""

    kind = forms.ChoiceField(label=_("Kind"), choices=EntryKind.choices)
    discipline = forms.TypedChoiceField(label=_("Discipline"), coerce=int, required=False, empty_value=None)
    starts_on = forms.DateField(label=_("Date"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Until"), widget=DateInput(), required=False, help_text=_("For an entry that lasts several days.")
    )
    at = forms.TimeField(
        label=_("Time"), widget=TimeInput(), required=False, help_text=_("Time in Kazakhstan (Asia/Almaty, UTC+5).")
    )
    name_kk = forms.CharField(
        label=_("Name (Kazakh)"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to name the entry by its discipline."),
    )
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    mode = forms.ChoiceField(label=_("Mode of the control"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    SERVICE_FIELDS = {"discipline_id": "discipline"}

    def __init__(
        self, *args: Any, disciplines: list[tuple[int, str]], entry: ScheduleEntry | None = None, **kwargs: Any
    ) -> None:
        if entry is not None:
            at: time | None = None
            if entry.starts_at is not None:
                at = timezone.localtime(entry.starts_at, zone()).time().replace(second=0, microsecond=0)
            kwargs.setdefault(
                "initial",
                {
                    "kind": entry.kind,
                    "discipline": entry.discipline_id,
                    "starts_on": entry.starts_on,
                    "ends_on": entry.ends_on,
                    "at": at,
                    "name_kk": entry.name_kk,
                    "name_ru": entry.name_ru,
                    "name_en": entry.name_en,
                    "mode": entry.mode,
                    "note": entry.note,
                },
            )
        super().__init__(*args, **kwargs)
        discipline = self.fields["discipline"]
        assert isinstance(discipline, forms.ChoiceField)
        discipline.choices = [("", _("— none —")), *disciplines]
        mode = self.fields["mode"]
        assert isinstance(mode, forms.ChoiceField)
        mode.choices = [("", _("— none —")), *FinalControl.choices]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "discipline_id": data["discipline"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "at": data["at"],
            "name_kk": data["name_kk"],
            "name_ru": data["name_ru"],
            "name_en": data["name_en"],
            "mode": data["mode"],
            "note": data["note"],
        }

    def add_service_error(self, error: ValidationError) -> None:
        add_service_errors(self, error, renamed=self.SERVICE_FIELDS)
