"""Reads of the TV broadcast schedule and of the students' calendar.

The calendar is built from `CalendarEntry` rows (a stable uid, a start and an end, a title, a link), the shape a
per-user calendar with an iCal feed needs: the communication capability can take them over as one of its
sources (broadcasts and the opening and closing dates of published materials).
"""

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from qashyq.content.data import BroadcastData
from qashyq.content.models import Broadcast, Course, Enrolment, Item
from qashyq.content.permissions.broadcasts import broadcasts_visible_to
from qashyq.content.services.broadcasts import (
    MAX_DURATION_MINUTES,
    broadcast_ends_at,
    channel_key,
    schedule_zone,
)
from qashyq.core.i18n import LANGUAGE_ORDER, localized

UPCOMING = "upcoming"
PAST = "past"
ALL = "all"


# --- The schedule ----------------------------------------------------------------------------------


def local_midnight(day: date) -> datetime:
    """The start of `day` in the institution's time, as an aware moment."""
    return datetime.combine(day, time.min, tzinfo=schedule_zone())


# What the calendar and broadcasts_for read of a broadcast, its course and its recording item (not the bodies).
BROADCAST_FIELDS = (
    "course_id",
    "channel",
    "starts_at",
    "duration_minutes",
    *(f"name_{code}" for code in LANGUAGE_ORDER),
    "recording_url",
    "recording_item_id",
    "course__code",
    "course__discipline_id",
    *(f"course__name_{code}" for code in LANGUAGE_ORDER),
    "recording_item__live_version_id",
)


def on_air_ids(*, now: datetime) -> list[int]:
    """The broadcasts that have started but not ended at `now` (one query over the last few hours only: no
    broadcast runs longer than MAX_DURATION_MINUTES, and SQLite cannot add minutes to a time portably)."""
    recent = Broadcast.objects.filter(
        starts_at__lte=now, starts_at__gt=now - timedelta(minutes=MAX_DURATION_MINUTES)
    ).values_list("pk", "starts_at", "duration_minutes")
    return [pk for pk, starts_at, minutes in recent if starts_at + timedelta(minutes=minutes) > now]


def broadcast_list(
    *,
    user: Any,
    now: datetime,
    when: str = UPCOMING,
    start: date | None = None,
    end: date | None = None,
    course_id: int | None = None,
    channel: str = "",
) -> QuerySet[Broadcast]:
    """The broadcasts `user` may see: upcoming (not yet ended, soonest first), past (latest first) or all,
    between two dates (inclusive, institution time), of one course and/or one channel."""
    visible = broadcasts_visible_to(user=user)
    if visible is None:
        return Broadcast.objects.none()
    broadcasts = Broadcast.objects.filter(visible).select_related("course", "course__discipline", "recording_item")
    if when in (UPCOMING, PAST):
        not_ended = Q(starts_at__gt=now)
        on_air = on_air_ids(now=now)
        if on_air:
            not_ended |= Q(pk__in=on_air)
        if when == UPCOMING:
            broadcasts = broadcasts.filter(not_ended).order_by("starts_at", "pk")
        else:
            broadcasts = broadcasts.exclude(not_ended).order_by("-starts_at", "-pk")
    else:
        broadcasts = broadcasts.order_by("starts_at", "pk")
    if start is not None:
        broadcasts = broadcasts.filter(starts_at__gte=local_midnight(start))
    if end is not None:
        broadcasts = broadcasts.filter(starts_at__lt=local_midnight(end + timedelta(days=1)))
    if course_id is not None:
        broadcasts = broadcasts.filter(course_id=course_id)
    if channel:
        # Channel names are stored cleaned; the same channel may have been typed in other letter cases.
        broadcasts = broadcasts.filter(channel__iexact=channel)
    return broadcasts


def broadcast_courses(*, user: Any) -> QuerySet[Course]:
    """The courses with broadcasts `user` may see (the course filter of the schedule; one query)."""
    visible = broadcasts_visible_to(user=user)
    if visible is None:
        return Course.objects.none()
    course_ids = Broadcast.objects.filter(visible).values("course_id")
    return Course.objects.filter(pk__in=course_ids).order_by("code")


def broadcast_channels(*, user: Any | None = None) -> list[str]:
    """The distinct channel names of the broadcasts `user` may see (all, without a user), sorted (one query)."""
    broadcasts = Broadcast.objects.all()
    if user is not None:
        visible = broadcasts_visible_to(user=user)
        if visible is None:
            return []
        broadcasts = broadcasts.filter(visible)
    seen: dict[str, str] = {}
    for name in broadcasts.order_by("channel").values_list("channel", flat=True).distinct():
        seen.setdefault(channel_key(name), name)
    return sorted(seen.values(), key=str.casefold)


def recording_items(*, course: Course) -> QuerySet[Item]:
    """The published items of a course that may be linked as a broadcast's recording, in course order."""
    return (
        Item.objects.filter(course=course, live_version__isnull=False)
        .select_related("section")
        .order_by("section__position", "section_id", "position", "pk")
    )


def recording_link(broadcast: Broadcast, *, for_student: bool) -> str:
    """Where the recording of a broadcast is: its address, or the page of the item; "" when none (for a
    student, an item counts only while it is published)."""
    if broadcast.recording_url:
        return broadcast.recording_url
    item = broadcast.recording_item
    if item is None or (for_student and item.live_version_id is None):
        return ""
    return reverse("content:item-detail", args=[item.pk])


# --- The students' calendar ------------------------------------------------------------------------

BROADCAST = "broadcast"
OPENS = "opens"
CLOSES = "closes"


@dataclass(frozen=True)
class CalendarEntry:
    uid: str  # stable across reads: an iCal UID
    kind: str  # BROADCAST, OPENS, CLOSES
    starts_at: datetime
    ends_at: datetime | None
    title: str
    course_id: int
    course_code: str
    course_title: str
    where: str  # the TV channel of a broadcast
    url: str  # the recording of a past broadcast, the material of an opening or closing date; "" when none
    past: bool

    @property
    def day(self) -> date:
        return timezone.localtime(self.starts_at, schedule_zone()).date()

    # Ready-made for the page (a month may hold hundreds of entries: template filters cost more).
    @property
    def start_iso(self) -> str:
        return timezone.localtime(self.starts_at, schedule_zone()).isoformat()

    @property
    def start_time(self) -> str:
        return timezone.localtime(self.starts_at, schedule_zone()).strftime("%H:%M")

    @property
    def end_iso(self) -> str:
        return timezone.localtime(self.ends_at, schedule_zone()).isoformat() if self.ends_at else ""

    @property
    def end_time(self) -> str:
        return timezone.localtime(self.ends_at, schedule_zone()).strftime("%H:%M") if self.ends_at else ""


@dataclass(frozen=True)
class CalendarDay:
    day: date
    entries: tuple[CalendarEntry, ...]


def student_course_ids(*, user_id: int) -> list[int]:
    """The courses of the active enrolments of the student records of an account (one query)."""
    return sorted(
        set(Enrolment.objects.filter(student__user_id=user_id, active=True).values_list("course_id", flat=True))
    )


def _name_from(data: dict[str, Any], field: str = "name") -> str:
    language = (translation.get_language() or "kk")[:2]
    for code in (language, *LANGUAGE_ORDER):
        value = data.get(f"{field}_{code}")
        if value:
            return str(value)
    return ""


def _moment(value: Any) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return timezone.make_aware(moment, schedule_zone()) if timezone.is_naive(moment) else moment


def _broadcast_entry(broadcast: Broadcast, *, now: datetime) -> CalendarEntry:
    ends = broadcast_ends_at(broadcast)
    past = ends <= now
    return CalendarEntry(
        uid=f"content-broadcast-{broadcast.pk}",
        kind=BROADCAST,
        starts_at=broadcast.starts_at,
        ends_at=ends,
        title=broadcast.name,
        course_id=broadcast.course_id,
        course_code=broadcast.course.code,
        course_title=broadcast.course.name,
        where=broadcast.channel,
        url=recording_link(broadcast, for_student=True) if past else "",
        past=past,
    )


def _item_url_maker() -> Callable[[int], str]:
    """The page of an item by its id, without a reverse() per item (a month may hold thousands of dates)."""
    marker = 987_654_321
    template = reverse("content:item-detail", args=[marker])
    return lambda pk: template.replace(str(marker), str(pk), 1)


def calendar_entries(
    *, course_ids: Iterable[int], start: datetime, end: datetime, now: datetime
) -> list[CalendarEntry]:
    """What a student of these courses sees between `start` and `end`: the broadcasts, and the dates when
    published materials open and close (from their published version, never the draft). Three queries
    at most, whatever the number of courses and items; in time order."""
    course_ids = list(course_ids)
    if not course_ids:
        return []
    broadcasts = (
        Broadcast.objects.filter(
            course_id__in=course_ids,
            starts_at__lt=end,
            starts_at__gte=start - timedelta(days=1),  # one that began the evening before and runs on
        )
        .select_related("course", "recording_item")
        .only(*BROADCAST_FIELDS)
        .order_by("starts_at", "pk")
    )
    entries = [_broadcast_entry(b, now=now) for b in broadcasts if b.starts_at >= start or broadcast_ends_at(b) > start]
    # Only the few keys needed are read from the published data (not the pages' bodies); a key holding JSON
    # null is no date.
    data_keys = ("name_kk", "name_ru", "name_en", "available_from", "available_until")
    items = (
        Item.objects.filter(course_id__in=course_ids, live_version__isnull=False)
        .filter(~Q(live_version__data__available_from=None) | ~Q(live_version__data__available_until=None))
        .values(
            "pk",
            "course_id",
            "course__code",
            *(f"course__name_{code}" for code in LANGUAGE_ORDER),
            *(f"live_version__data__{key}" for key in data_keys),
        )
    )
    item_url = _item_url_maker()
    for row in items:
        data = {key: row[f"live_version__data__{key}"] for key in data_keys}
        course_title = _name_from({f"name_{code}": row[f"course__name_{code}"] for code in LANGUAGE_ORDER})
        for kind, key in ((OPENS, "available_from"), (CLOSES, "available_until")):
            moment = _moment(data[key])
            if moment is None or not start <= moment < end:
                continue
            entries.append(
                CalendarEntry(
                    uid=f"content-item-{row['pk']}-{kind}",
                    kind=kind,
                    starts_at=moment,
                    ends_at=None,
                    title=_name_from(data),
                    course_id=row["course_id"],
                    course_code=row["course__code"],
                    course_title=course_title,
                    where="",
                    url=item_url(row["pk"]),
                    past=moment <= now,
                )
            )
    entries.sort(key=lambda e: (e.starts_at, e.kind != BROADCAST, e.uid))
    return entries


def calendar_days(entries: Iterable[CalendarEntry]) -> list[CalendarDay]:
    """Entries grouped by their day in institution time, days in order."""
    days: dict[date, list[CalendarEntry]] = {}
    for entry in entries:
        days.setdefault(entry.day, []).append(entry)
    return [CalendarDay(day=day, entries=tuple(found)) for day, found in sorted(days.items())]


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The first moment of a month and of the next one, in institution time."""
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return local_midnight(first), local_midnight(following)


def month_weeks(year: int, month: int) -> list[list[date | None]]:
    """The weeks of a month, Monday first; days of the neighbouring months are None."""
    return [
        [day if day.month == month else None for day in week]
        for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
    ]


# --- For other apps (content.api) --------------------------------------------------------------------


def _bounds(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, schedule_zone())
    return local_midnight(value)


def broadcasts_for_student(*, student_id: int, start: date | datetime, end: date | datetime) -> list[BroadcastData]:
    """The broadcasts of the courses of a student record's active enrolments starting in [start, end) (a date
    counts from its midnight in institution time). One query."""
    course_ids = Enrolment.objects.filter(student_id=student_id, active=True).values("course_id")
    return broadcasts_of_courses(course_ids=course_ids, start=start, end=end)


def broadcasts_of_courses(*, course_ids: Any, start: date | datetime, end: date | datetime) -> list[BroadcastData]:
    """The broadcasts of some courses (ids, or a subquery of them) starting in [start, end). One query."""
    broadcasts = (
        Broadcast.objects.filter(course_id__in=course_ids, starts_at__gte=_bounds(start), starts_at__lt=_bounds(end))
        .select_related("course", "recording_item")
        .only(*BROADCAST_FIELDS)
        .order_by("starts_at", "pk")
    )
    zone = schedule_zone()
    return [
        BroadcastData(
            id=b.pk,
            course_id=b.course_id,
            discipline_id=b.course.discipline_id,
            channel=b.channel,
            starts_at_iso=timezone.localtime(b.starts_at, zone).isoformat(),
            duration_minutes=b.duration_minutes,
            topic=localized(b, "name"),
            recording_url=recording_link(b, for_student=True),
            on=timezone.localtime(b.starts_at, zone).date(),
        )
        for b in broadcasts
    ]
