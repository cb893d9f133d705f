"""The individual schedule as an iCalendar feed (RFC 5545) the student subscribes to: one event per entry, in
the student's language, with times in Asia/Almaty."""

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from qashyq.academics.data import FinalControl
from qashyq.core.i18n import LANGUAGE_ORDER, localized
from qashyq.dlt.data import DltType, EntryKind
from qashyq.dlt.models import Schedule
from qashyq.dlt.selectors.plans import EntryRow, label, schedule_rows
from qashyq.dlt.services.schedules import zone


def feed_language(schedule: Schedule) -> str:
    """The student's language: their account's, else their language of instruction, else Kazakh."""
    student = schedule.application.student
    for code in (student.user.language if student.user_id and student.user else "", student.language):
        if code and code[:2] in LANGUAGE_ORDER:
            return code[:2]
    return LANGUAGE_ORDER[0]


def _host() -> str:
    return urlsplit(settings.QASHYQ_PUBLIC_URL).hostname or "qashyq"


def _summary(row: EntryRow, language: str) -> str:
    entry = row.entry
    name = localized(entry, "name", language)
    if not name and entry.discipline is not None:
        name = localized(entry.discipline, "name", language)
    kind = label(EntryKind, entry.kind)
    return f"{kind}: {name}" if name else kind


def _description(row: EntryRow, language: str) -> str:
    entry, line = row.entry, row.line
    parts = []
    if entry.discipline is not None:
        parts.append(
            _("Discipline: %(discipline)s")
            % {"discipline": f"{entry.discipline.code} {localized(entry.discipline, 'name', language)}"}
        )
    if entry.mode:
        parts.append(_("Mode: %(mode)s") % {"mode": label(FinalControl, entry.mode)})
    if line is not None and line.dlt_type:
        parts.append(_("DLT type: %(type)s") % {"type": label(DltType, line.dlt_type)})
    if line is not None and line.tutor is not None:
        parts.append(_("Tutor: %(name)s") % {"name": line.tutor.full_name})
    if entry.starts_at is not None and entry.ends_on is not None:
        parts.append(_("Until: %(date)s") % {"date": entry.ends_on.strftime("%d.%m.%Y")})
    if entry.note:
        parts.append(entry.note)
    return "\n".join(parts)


def _event(row: EntryRow, *, schedule: Schedule, language: str, stamp: datetime) -> Event:
    entry = row.entry
    event = Event()
    event.add("uid", f"dlt-schedule-{schedule.pk}-entry-{entry.pk}@{_host()}")
    event.add("dtstamp", stamp)
    if entry.starts_at is not None:
        starts_at = timezone.localtime(entry.starts_at, zone())
        event.add("dtstart", starts_at)
        if entry.ends_on is not None and entry.ends_on > starts_at.date():
            event.add("dtend", datetime.combine(entry.ends_on + timedelta(days=1), time(0, 0), tzinfo=zone()))
    else:
        last: date = entry.ends_on or entry.starts_on
        event.add("dtstart", entry.starts_on)
        event.add("dtend", last + timedelta(days=1))
    event.add("summary", _summary(row, language))
    description = _description(row, language)
    if description:
        event.add("description", description)
    event.add("categories", [label(EntryKind, entry.kind)])
    event.add("transp", "TRANSPARENT")
    return event


def schedule_calendar(schedule: Schedule) -> bytes:
    """The schedule as a VCALENDAR: one VEVENT per entry (UID stable per entry; DTSTART a DATE, or a DATE-TIME
    in Asia/Almaty when the entry has a time), SUMMARY in the student's language, DESCRIPTION with the
    discipline, mode and tutor, and X-WR-CALNAME. Three queries."""
    language = feed_language(schedule)
    rows = schedule_rows(schedule=schedule)
    stamp = (schedule.generated_at or schedule.updated_at).astimezone(UTC)
    with translation.override(language):
        calendar = Calendar()
        calendar.add("prodid", f"-//Qashyq//DLT schedule//{language.upper()}")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add(
            "x-wr-calname",
            _("Individual schedule: %(name)s") % {"name": schedule.application.student.full_name},
        )
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
        for row in rows:
            calendar.add_component(_event(row, schedule=schedule, language=language, stamp=stamp))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
