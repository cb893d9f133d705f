"""Forms of assignments: the settings, a student's submission, a paper work, a hand-over, a review and the
collection's filters. They check shapes only; the services decide."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qashyq.core.forms import BootstrapForm, DateInput
from qashyq.coursework import rules
from qashyq.coursework.data import Decision, FileType, LatePolicy
from qashyq.coursework.models import Assignment


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the list may be empty when the field is not required."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


class DateTimeInput(forms.DateTimeInput):
    """A browser date-and-time picker (ISO 8601, the only format it reads)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class AssignmentSettingsForm(BootstrapForm):
    instructions = forms.CharField(
        label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 8}), max_length=20_000
    )
    due_at = forms.DateTimeField(
        label=_("Due"),
        required=False,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Institution time. Leave empty for no due date."),
    )
    late_policy = forms.ChoiceField(label=_("Late work"), choices=LatePolicy.choices, widget=forms.RadioSelect)
    late_penalty_percent = forms.IntegerField(
        label=_("Penalty for late work, %"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Taken off the points of a late work when the policy is “accepted with a penalty”."),
    )
    allow_text = forms.BooleanField(label=_("Accept text typed in the form"), required=False)
    allow_files = forms.BooleanField(label=_("Accept files"), required=False)
    file_types = forms.MultipleChoiceField(
        label=_("Kinds of files accepted"),
        required=False,
        choices=FileType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Checked by the content of each file, not by its name."),
    )
    max_files = forms.IntegerField(label=_("Files at most"), min_value=1, max_value=20)
    max_file_mb = forms.IntegerField(label=_("Largest file, MB"), min_value=1)
    resubmission_allowed = forms.BooleanField(
        label=_("The student may submit again after a return for revision"), required=False
    )
    rubric = forms.CharField(
        label=_("Rubric"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        help_text=_(
            "Optional. One criterion per line, its points first, as “40 Content”; the points add up to 100. "
            "Without a rubric the tutor gives a single score out of 100."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["max_file_mb"].help_text = _("At most %(max)d MB.") % {"max": int(settings.QASHYQ_UPLOAD_MAX_MB)}

    @classmethod
    def for_assignment(cls, assignment: Assignment, data: Any = None) -> "AssignmentSettingsForm":
        due = timezone.localtime(assignment.due_at).replace(tzinfo=None) if assignment.due_at else None
        initial = {
            "instructions": assignment.instructions,
            "due_at": due,
            "late_policy": assignment.late_policy,
            "late_penalty_percent": assignment.late_penalty_percent or None,
            "allow_text": assignment.allow_text,
            "allow_files": assignment.allow_files,
            "file_types": list(assignment.file_types),
            "max_files": assignment.max_files,
            "max_file_mb": assignment.max_file_mb,
            "resubmission_allowed": assignment.resubmission_allowed,
            "rubric": rules.rubric_text(assignment.rubric),
        }
        return cls(data, initial=initial)

    def clean_rubric(self) -> list[dict[str, Any]]:
        criteria, problems = rules.parse_rubric(self.cleaned_data.get("rubric") or "")
        if problems:
            raise forms.ValidationError([p.message for p in problems])
        return criteria

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        due: datetime | None = data["due_at"]
        if due is not None and timezone.is_naive(due):
            due = timezone.make_aware(due)
        data["due_at"] = due
        data["late_penalty_percent"] = data.get("late_penalty_percent") or 0
        return data


class SubmitForm(BootstrapForm):
    text = forms.CharField(
        label=_("Your work as text"), required=False, widget=forms.Textarea(attrs={"rows": 10}), max_length=100_000
    )
    attachments = MultipleFileField(label=_("Files of your work"), required=False)

    def __init__(self, *args: Any, assignment: Assignment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not assignment.allow_text:
            del self.fields["text"]
        if assignment.allow_files:
            kinds = ", ".join(str(FileType(k).label) for k in FileType.values if k in set(assignment.file_types))
            field = self.fields["attachments"]
            field.widget.attrs["accept"] = rules.accept_attribute(assignment.file_types)
            field.help_text = _("%(kinds)s; at most %(count)d files of at most %(size)d MB each.") % {
                "kinds": kinds,
                "count": assignment.max_files,
                "size": assignment.max_file_mb,
            }
        else:
            del self.fields["attachments"]

    def service_arguments(self) -> dict[str, Any]:
        return {"text": self.cleaned_data.get("text") or "", "uploads": self.cleaned_data.get("attachments") or []}


class PaperForm(BootstrapForm):
    student = forms.TypedChoiceField(label=_("Student"), coerce=int)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    scans = MultipleFileField(
        label=_("Scanned copy"),
        help_text=_("PDF or images (PNG, JPEG, GIF, WebP) of every page."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Such as how the work came: by post, in person."),
    )

    def __init__(self, *args: Any, students: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["student"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Choose the student")), *students]
        self.fields["scans"].widget.attrs["accept"] = rules.accept_attribute(rules.SCAN_TYPES)
        self.fields["received_on"].initial = timezone.localdate()

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "student_id": data["student"],
            "received_on": data["received_on"],
            "scans": data["scans"],
            "note": data["note"],
        }


class HandOverForm(BootstrapForm):
    tutor = forms.TypedChoiceField(label=_("Hand over to"), coerce=int)
    note = forms.CharField(label=_("Note to the tutor"), required=False, max_length=2000)

    def __init__(self, *args: Any, recipients: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tutor"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = recipients


class BatchHandOverForm(forms.Form):
    submissions = forms.TypedMultipleChoiceField(coerce=int, choices=[])

    def __init__(self, *args: Any, submission_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["submissions"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(i, str(i)) for i in submission_ids]
        field.error_messages["required"] = _("Choose the works to hand over.")


class ReviewForm(BootstrapForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    points = forms.DecimalField(
        label=_("Points (0–100)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
        help_text=_("Needed to accept the work."),
    )
    feedback = forms.CharField(
        label=_("Feedback to the student"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Needed to return the work: say what to revise."),
    )
    file = forms.FileField(
        label=_("Annotated file"), required=False, help_text=_("Optional: the work with your remarks.")
    )

    def __init__(self, *args: Any, assignment: Assignment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rubric = list(assignment.rubric or [])
        field = self.fields["decision"]
        assert isinstance(field, forms.ChoiceField)
        if not assignment.resubmission_allowed:
            field.choices = [(Decision.ACCEPTED.value, Decision.ACCEPTED.label)]
        if self.rubric:
            del self.fields["points"]
            extra: dict[str, forms.Field] = {}
            for index, criterion in enumerate(self.rubric):
                extra[f"rubric_{index}"] = forms.DecimalField(
                    label=_("%(criterion)s (0–%(max)s)")
                    % {"criterion": criterion["title"], "max": criterion["points"]},
                    required=False,
                    min_value=Decimal(0),
                    max_value=Decimal(criterion["points"]),
                    decimal_places=2,
                    widget=forms.NumberInput(attrs={"step": "0.5", "class": "form-control"}),
                )
            self.fields = {"decision": self.fields["decision"], **extra} | self.fields

    @property
    def rubric_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("rubric_")]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        arguments: dict[str, Any] = {
            "decision": data["decision"],
            "feedback": data["feedback"],
            "annotated": data.get("file"),
        }
        if data["decision"] == Decision.ACCEPTED:
            if self.rubric:
                arguments["rubric_points"] = {
                    str(i): data.get(f"rubric_{i}")
                    for i in range(len(self.rubric))
                    if data.get(f"rubric_{i}") is not None
                }
            else:
                arguments["points"] = data.get("points")
        return arguments


class CollectionFilterForm(BootstrapForm):
    course = forms.TypedChoiceField(label=_("Course"), coerce=int, required=False, empty_value=None)
    group = forms.TypedChoiceField(label=_("Group"), coerce=int, required=False, empty_value=None)
    assignment = forms.TypedChoiceField(label=_("Assignment"), coerce=int, required=False, empty_value=None)
    show = forms.ChoiceField(label=_("Show"), required=False)

    def __init__(
        self,
        *args: Any,
        courses: list[tuple[int, str]],
        groups: list[tuple[int, str]],
        assignments: list[tuple[int, str]],
        shows: list[tuple[str, Any]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, choices, empty in (
            ("course", courses, _("Every course")),
            ("group", groups, _("Every group")),
            ("assignment", assignments, _("Every assignment")),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = [("", empty), *choices]
        show = self.fields["show"]
        assert isinstance(show, forms.ChoiceField)
        show.choices = shows
