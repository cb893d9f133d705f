"""Forms of the TV broadcast schedule: a broadcast (time entered in institution time), the schedule filter and
the month of the calendar."""

import re
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qashyq.content.models import Broadcast, Course, Item
from qashyq.content.selectors import broadcasts as selectors
from qashyq.content.services.broadcasts import MAX_DURATION_MINUTES, schedule_zone
from qashyq.core.forms import BootstrapForm, DateInput, add_service_errors

CHANNELS_DATALIST_ID = "broadcast-channels"


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {obj.name}"


class RecordingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.section.name} · {obj.name}"


class BroadcastForm(BootstrapForm):
    """A broadcast: the course (when new), channel, date and time (Asia/Almaty), duration, topic in three
    languages, and (when editing) its recording. Service errors are placed on these fields by `add_service_error`."""

    course = CourseChoiceField(label=_("Course"), queryset=Course.objects.none())
    channel = forms.CharField(
        label=_("TV channel"), max_length=200, help_text=_("Choose a channel used before or type a new one.")
    )
    day = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(
        label=_("Start time"), widget=TimeInput(), help_text=_("Time in Kazakhstan (Asia/Almaty, UTC+5).")
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration, minutes"), min_value=1, max_value=MAX_DURATION_MINUTES, initial=45
    )
    name_kk = forms.CharField(label=_("Topic (Kazakh)"), max_length=300)
    name_ru = forms.CharField(label=_("Topic (Russian)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Topic (English)"), max_length=300, required=False)
    recording_url = forms.URLField(
        label=_("Recording: address"),
        max_length=1000,
        required=False,
        assume_scheme="https",
        help_text=_("A web address of the recording, once the broadcast has been on air."),
    )
    recording_item = RecordingChoiceField(
        label=_("Recording: a published item of the course"),
        queryset=Item.objects.none(),
        required=False,
        help_text=_("Or choose the published video (or other item) of the course that holds the recording."),
    )

    # Where the service's errors go on this form.
    SERVICE_FIELDS = {"course_id": "course", "starts_at": "time", "recording_item_id": "recording_item"}

    def __init__(
        self, *args: Any, courses: QuerySet[Course], broadcast: Broadcast | None = None, **kwargs: Any
    ) -> None:
        if broadcast is not None:
            local = timezone.localtime(broadcast.starts_at, schedule_zone())
            kwargs.setdefault(
                "initial",
                {
                    "channel": broadcast.channel,
                    "day": local.date(),
                    "time": local.time().replace(second=0, microsecond=0),
                    "duration_minutes": broadcast.duration_minutes,
                    "name_kk": broadcast.name_kk,
                    "name_ru": broadcast.name_ru,
                    "name_en": broadcast.name_en,
                    "recording_url": broadcast.recording_url,
                    "recording_item": broadcast.recording_item_id,
                },
            )
        super().__init__(*args, **kwargs)
        self.broadcast = broadcast
        self.fields["channel"].widget.attrs["list"] = CHANNELS_DATALIST_ID
        self.fields["channel"].widget.attrs["autocomplete"] = "off"
        if broadcast is None:
            # A new broadcast is still to come: its recording is linked afterwards.
            assert isinstance(self.fields["course"], forms.ModelChoiceField)
            self.fields["course"].queryset = courses
            del self.fields["recording_url"]
            del self.fields["recording_item"]
        else:
            del self.fields["course"]
            recording = self.fields["recording_item"]
            assert isinstance(recording, forms.ModelChoiceField)
            recording.queryset = selectors.recording_items(course=broadcast.course)

    def starts_at(self) -> datetime:
        """The start as an aware moment: the date and time were entered in institution time."""
        day: date = self.cleaned_data["day"]
        return datetime.combine(day, self.cleaned_data["time"], tzinfo=schedule_zone())

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        arguments: dict[str, Any] = {
            "channel": data["channel"],
            "starts_at": self.starts_at(),
            "duration_minutes": data["duration_minutes"],
            "name_kk": data["name_kk"],
            "name_ru": data["name_ru"],
            "name_en": data["name_en"],
        }
        if self.broadcast is None:
            arguments["course_id"] = data["course"].pk
        else:
            arguments["recording_url"] = data["recording_url"]
            recording = data["recording_item"]
            arguments["recording_item_id"] = recording.pk if recording is not None else None
        return arguments

    def add_service_error(self, error: ValidationError) -> None:
        add_service_errors(self, error, renamed=self.SERVICE_FIELDS)


WHEN_CHOICES = (
    (selectors.UPCOMING, _("Upcoming and on air")),
    (selectors.PAST, _("Past")),
    (selectors.ALL, _("All")),
)


class BroadcastFilterForm(BootstrapForm):
    when = forms.ChoiceField(label=_("Show"), choices=WHEN_CHOICES, required=False)
    start = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("To"), widget=DateInput(), required=False)
    course = CourseChoiceField(label=_("Course"), queryset=Course.objects.none(), required=False)
    channel = forms.ChoiceField(label=_("TV channel"), required=False)

    def __init__(self, *args: Any, courses: QuerySet[Course], channels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        course = self.fields["course"]
        assert isinstance(course, forms.ModelChoiceField)
        course.queryset = courses
        course.empty_label = _("All courses")
        channel = self.fields["channel"]
        assert isinstance(channel, forms.ChoiceField)
        channel.choices = [("", _("All channels")), *((name, name) for name in channels)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period is before its start."))
        return data

    def filters(self) -> dict[str, Any]:
        """The selector's arguments (upcoming broadcasts when nothing valid is chosen)."""
        if not self.is_bound or not self.is_valid():
            return {"when": selectors.UPCOMING}
        data = self.cleaned_data
        return {
            "when": data["when"] or selectors.UPCOMING,
            "start": data["start"],
            "end": data["end"],
            "course_id": data["course"].pk if data["course"] else None,
            "channel": data["channel"],
        }


MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_from(value: str | None, *, today: date) -> tuple[int, int]:
    """A `YYYY-MM` query value as (year, month); this month when missing or not a month."""
    match = MONTH.match(value or "")
    if match:
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12 and 2000 <= year <= 2100:
            return year, month
    return today.year, today.month
