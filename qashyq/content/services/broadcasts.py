"""The TV broadcast schedule (rule 2: TV technology): the administration service, or a teacher of the course,
schedules a broadcast of a course on a TV channel, and links its recording afterwards.

Two broadcasts never overlap on one channel (channel names compare without case and extra spaces). Writers of
the schedule are serialized (a PostgreSQL advisory lock; SQLite transactions start IMMEDIATE), so two people
cannot book the same slot at once. Every change is an audit event.
"""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from qashyq.audit import api as audit_api
from qashyq.content.models import Broadcast, Course, Item
from qashyq.content.permissions.broadcasts import can_schedule_for
from qashyq.content.services._audit import changed_keys, record_changes

# The longest broadcast accepted: it also bounds the search for overlapping ones.
MAX_DURATION_MINUTES = 8 * 60
CHANNEL_MAX_LENGTH = 200
NAME_MAX_LENGTH = 300
URL_MAX_LENGTH = 1000
# Any 64-bit constant: every writer of the schedule takes the same PostgreSQL advisory lock.
_SCHEDULE_LOCK_KEY = 0x7B_0ADC_A57


def schedule_zone() -> ZoneInfo:
    """Broadcast times are shown and entered in the institution's time (Asia/Almaty)."""
    return ZoneInfo(settings.TIME_ZONE)


def channel_clean(channel: str) -> str:
    """The channel name as stored: spaces trimmed and collapsed."""
    return " ".join(channel.split())


def channel_key(channel: str) -> str:
    """What makes two channel names the same channel."""
    return channel_clean(channel).casefold()


def _known_spelling(channel: str) -> str:
    """The channel as the schedule already spells it (so "хабар" joins "Хабар"), else as typed (cleaned)."""
    cleaned = channel_clean(channel)
    key = channel_key(cleaned)
    for known in Broadcast.objects.values_list("channel", flat=True).distinct().order_by("channel"):
        if channel_key(known) == key:
            return known
    return cleaned


def broadcast_ends_at(broadcast: Broadcast) -> datetime:
    return broadcast.starts_at + timedelta(minutes=broadcast.duration_minutes)


def broadcast_snapshot(broadcast: Broadcast) -> dict[str, Any]:
    """What the audit ledger keeps of a broadcast."""
    return {
        "course": broadcast.course_id,
        "channel": broadcast.channel,
        "starts_at": timezone.localtime(broadcast.starts_at, schedule_zone()).isoformat(),
        "duration_minutes": broadcast.duration_minutes,
        "name_kk": broadcast.name_kk,
        "name_ru": broadcast.name_ru,
        "name_en": broadcast.name_en,
        "recording_url": broadcast.recording_url,
        "recording_item": broadcast.recording_item_id,
    }


def _local(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment, schedule_zone()), "SHORT_DATETIME_FORMAT")


def _lock_schedule() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SCHEDULE_LOCK_KEY])


def _refuse_unless_scheduler(actor: Any, course: Course) -> None:
    if not can_schedule_for(user=actor, course=course):
        raise ValidationError(
            _("Only the administration service or a teacher of the course schedules its broadcasts."),
            code="forbidden",
        )


def _validate(broadcast: Broadcast, *, now: datetime) -> None:
    """Every rule of one broadcast as it would be saved; raises ValidationError naming each field."""
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not broadcast.channel:
        refuse("channel", _("Name the TV channel."))
    elif len(broadcast.channel) > CHANNEL_MAX_LENGTH:
        refuse("channel", _("The channel name is longer than %(max)d characters.") % {"max": CHANNEL_MAX_LENGTH})
    if timezone.is_naive(broadcast.starts_at):
        refuse("starts_at", _("The start time must carry its time zone."))
    if not 1 <= broadcast.duration_minutes <= MAX_DURATION_MINUTES:
        refuse(
            "duration_minutes",
            _("The duration must be from 1 to %(max)d minutes.") % {"max": MAX_DURATION_MINUTES},
        )
    if not broadcast.name_kk.strip():
        refuse("name_kk", _("Give the topic in Kazakh."))
    for field in ("name_kk", "name_ru", "name_en"):
        if len(getattr(broadcast, field)) > NAME_MAX_LENGTH:
            refuse(field, _("The topic is longer than %(max)d characters.") % {"max": NAME_MAX_LENGTH})
    if broadcast.recording_url:
        try:
            URLValidator(schemes=["http", "https"])(broadcast.recording_url)
        except ValidationError:
            refuse("recording_url", _("The recording address must be a web address (https://…)."))
        if len(broadcast.recording_url) > URL_MAX_LENGTH:
            refuse("recording_url", _("The address is longer than %(max)d characters.") % {"max": URL_MAX_LENGTH})
    if broadcast.recording_item_id is not None:
        item = Item.objects.filter(pk=broadcast.recording_item_id).values("course_id", "live_version_id").first()
        if item is None or item["course_id"] != broadcast.course_id or item["live_version_id"] is None:
            refuse("recording_item", _("The recording must be a published item of this course."))
    if broadcast.recording_url and broadcast.recording_item_id is not None:
        refuse(
            "recording_url",
            _("Give the recording either as an address or as an item of the course, not both."),
        )
    has_recording = bool(broadcast.recording_url) or broadcast.recording_item_id is not None
    if has_recording and "starts_at" not in errors and broadcast.starts_at > now:
        refuse("recording_url", _("A recording can be linked only once the broadcast has started."))
    if errors:
        raise ValidationError(errors)
    clash = _overlapping(broadcast)
    if clash is not None:
        raise ValidationError(
            {
                "starts_at": _(
                    "The channel “%(channel)s” is already taken from %(start)s to %(end)s by a broadcast "
                    "of course %(course)s."
                )
                % {
                    "channel": clash.channel,
                    "start": _local(clash.starts_at),
                    "end": _local(broadcast_ends_at(clash)),
                    "course": clash.course.code,
                }
            },
            code="overlap",
        )


def _overlapping(broadcast: Broadcast) -> Broadcast | None:
    """Another broadcast on the same channel whose time overlaps this one's, if any."""
    start, end = broadcast.starts_at, broadcast_ends_at(broadcast)
    key = channel_key(broadcast.channel)
    # Every broadcast that could overlap starts less than the longest duration before this one ends.
    candidates = (
        Broadcast.objects.filter(starts_at__lt=end, starts_at__gt=start - timedelta(minutes=MAX_DURATION_MINUTES))
        .exclude(pk=broadcast.pk)
        .select_related("course")
        .order_by("starts_at")
    )
    for other in candidates:
        if channel_key(other.channel) == key and broadcast_ends_at(other) > start:
            return other
    return None


@transaction.atomic
def broadcast_create(
    *,
    actor: Any,
    course_id: int,
    channel: str,
    starts_at: datetime,
    duration_minutes: int,
    name_kk: str,
    name_ru: str = "",
    name_en: str = "",
    recording_url: str = "",
    recording_item_id: int | None = None,
) -> Broadcast:
    """Schedule a broadcast of a course; refused when its channel is taken at that time."""
    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        raise ValidationError({"course_id": _("Choose a course.")})
    _refuse_unless_scheduler(actor, course)
    _lock_schedule()
    broadcast = Broadcast(
        course=course,
        channel=_known_spelling(channel),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        name_kk=name_kk.strip(),
        name_ru=name_ru.strip(),
        name_en=name_en.strip(),
        recording_url=recording_url.strip(),
        recording_item_id=recording_item_id,
        created_by=actor,
    )
    _validate(broadcast, now=timezone.now())
    broadcast.save()
    audit_api.record(
        actor=actor, action="content.broadcast_created", target=broadcast, after=broadcast_snapshot(broadcast)
    )
    return broadcast


@transaction.atomic
def broadcast_update(
    *,
    actor: Any,
    broadcast: Broadcast,
    channel: str,
    starts_at: datetime,
    duration_minutes: int,
    name_kk: str,
    name_ru: str = "",
    name_en: str = "",
    recording_url: str = "",
    recording_item_id: int | None = None,
) -> Broadcast:
    """Change a broadcast (its time, channel, topic) or link its recording. The course stays."""
    _refuse_unless_scheduler(actor, broadcast.course)
    _lock_schedule()
    current = Broadcast.objects.select_related("course").get(pk=broadcast.pk)
    before = broadcast_snapshot(current)
    current.channel = channel if channel_key(channel) == channel_key(current.channel) else _known_spelling(channel)
    current.channel = channel_clean(current.channel)
    current.starts_at = starts_at
    current.duration_minutes = duration_minutes
    current.name_kk = name_kk.strip()
    current.name_ru = name_ru.strip()
    current.name_en = name_en.strip()
    current.recording_url = recording_url.strip()
    current.recording_item_id = recording_item_id
    _validate(current, now=timezone.now())
    after = broadcast_snapshot(current)
    changed = changed_keys(before, after)
    if not changed:
        return current
    current.save(update_fields=[*changed, "updated_at"])
    record_changes(actor=actor, action="content.broadcast_updated", target=current, before=before, after=after)
    return current


@transaction.atomic
def broadcast_delete(*, actor: Any, broadcast: Broadcast, reason: str = "") -> None:
    """Take a broadcast off the schedule (the audit ledger keeps what it was)."""
    _refuse_unless_scheduler(actor, broadcast.course)
    current = Broadcast.objects.filter(pk=broadcast.pk).first()
    if current is None:
        return
    audit_api.record(
        actor=actor,
        action="content.broadcast_deleted",
        target=current,
        before=broadcast_snapshot(current),
        reason=reason,
    )
    current.delete()
