"""The individual schedule of the learning activity (rule 13, R40): for every discipline still to study, within
the application's period, the midterm controls (RK1, RK2), the deadline for control materials (the day before
the exam session), the exam or course-work defence with its mode, the practice, the TV broadcasts of the plan's
courses, and their published tests, assignments (with deadlines) and on-line consultations.

It is built from the approved academic calendar and what the courses hold, and re-generated whenever it is
read (the page, its PDF, its iCal feed) and once a day, so a changed date shows up by itself; nothing depends on
the daily run. Re-generation keeps the entries the administration service changed or added by hand, updates
the others, deletes those whose source is gone, and raises the version only when something changed. An entry
of the calendar or a course that the administration service deleted stays deleted (`Schedule.dismissed_keys`).
"""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qashyq.academics import api as academics_api
from qashyq.academics.data import CalendarEventData, EventKind, FinalControl
from qashyq.audit import api as audit_api
from qashyq.content import api as content_api
from qashyq.content.data import ItemKind
from qashyq.core.i18n import LANGUAGE_ORDER
from qashyq.dlt.data import EntryKind
from qashyq.dlt.models import Application, Schedule, ScheduleEntry, StudyPlan, StudyPlanLine, feed_token
from qashyq.dlt.permissions import is_administration, sees_everything
from qashyq.dlt.services.plans import PLANNED_STATUSES, Position, student_position, study_plan_generate

ENTRY_FIELDS = (
    "discipline_id",
    "kind",
    "starts_on",
    "ends_on",
    "starts_at",
    "name_kk",
    "name_ru",
    "name_en",
    "mode",
    "note",
)
ENTRY_DELETED = "dlt.schedule_entry_deleted"
NAME_MAX_LENGTH = 300
NOTE_MAX_LENGTH = 300
# A schedule without dates of its own (an application with no period) covers a year from today.
DEFAULT_SPAN = timedelta(days=365)
MIDTERMS = {EventKind.MIDTERM_1: EntryKind.MIDTERM_1, EventKind.MIDTERM_2: EntryKind.MIDTERM_2}
ITEM_KINDS = {
    ItemKind.TEST: EntryKind.TEST,
    ItemKind.ASSIGNMENT: EntryKind.ASSIGNMENT,
    ItemKind.CONSULTATION: EntryKind.CONSULTATION,
}


def zone() -> ZoneInfo:
    """Times of a schedule are in the institution's time (Asia/Almaty)."""
    return ZoneInfo(settings.TIME_ZONE)


def _today(today: date | None) -> date:
    return today if today is not None else timezone.localdate()


def schedule_window(application: Application, *, today: date) -> tuple[date, date]:
    """The days a schedule covers: the application's period (a year from its start when it has no end)."""
    start = application.starts_on or today
    end = application.ends_on or start + DEFAULT_SPAN
    return start, end


def schedule_is_live(application: Application, *, today: date | None = None) -> bool:
    """A schedule is kept up to date while its application is accepted, in an order or enrolled and its DLT
    period has not ended."""
    today = _today(today)
    return application.status in PLANNED_STATUSES and (application.ends_on is None or application.ends_on >= today)


# --- What generation would write --------------------------------------------------------------------


def _overlaps(starts_on: date, ends_on: date | None, window: tuple[date, date]) -> bool:
    return starts_on <= window[1] and (ends_on or starts_on) >= window[0]


def _moment(value: str) -> datetime | None:
    """An ISO moment published by a course ("" or a bad value: none); a naive one is institution time."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=zone()) if timezone.is_naive(moment) else moment


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment, zone()).date()


def _discipline_names(line: StudyPlanLine) -> dict[str, str]:
    return {f"name_{code}": getattr(line.discipline, f"name_{code}") for code in LANGUAGE_ORDER}


def _entry(
    line: StudyPlanLine,
    kind: str,
    starts_on: date,
    *,
    ends_on: date | None = None,
    starts_at: datetime | None = None,
    names: dict[str, str] | None = None,
    mode: str = "",
    note: str = "",
) -> dict[str, Any]:
    return {
        "discipline_id": line.discipline_id,
        "kind": kind,
        "starts_on": starts_on,
        "ends_on": ends_on if ends_on is not None and ends_on != starts_on else None,
        "starts_at": starts_at,
        **(names if names is not None else _discipline_names(line)),
        "mode": mode,
        "note": note,
    }


def _events_of_line(
    line: StudyPlanLine,
    *,
    by_period: dict[int, list[CalendarEventData]],
    events: list[CalendarEventData],
    position: Position,
    shared: bool = False,
) -> list[CalendarEventData]:
    """The calendar events of the academic period in which the line is studied: the period of its course,
    else the period the student reaches it in; with neither in the calendar, the first period in the window
    with the line's number within the year. `shared`: other remaining lines of the plan have the same
    discipline (in other periods), so the course, which they share, does not tell the period: only the
    line's own period does."""
    mapped = position.period_of(line.period_number)
    course_period = line.course.period_id if line.course is not None and not shared else None
    for period_id in (course_period, mapped.id if mapped else None):
        if period_id is not None and period_id in by_period:
            return by_period[period_id]
    if mapped is not None:
        return []
    number = position.number_in_year(line.period_number)
    matching = [e for e in events if e.period_number == number]
    return [e for e in matching if e.period_id == matching[0].period_id] if matching else []


def _calendar_entries(
    line: StudyPlanLine, events: list[CalendarEventData], *, window: tuple[date, date]
) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    control = line.final_control
    for event in events:
        key = f"calendar:{event.id}:{line.discipline_id}"
        if control == FinalControl.PRACTICE_REPORT:
            if event.kind == EventKind.PRACTICE:
                entries[key] = _entry(line, EntryKind.PRACTICE, event.start_date, ends_on=event.end_date, mode=control)
            continue
        if event.kind in MIDTERMS:
            entries[key] = _entry(line, MIDTERMS[EventKind(event.kind)], event.start_date, ends_on=event.end_date)
        elif event.kind == EventKind.ATTESTATION:
            kind = EntryKind.COURSE_WORK if control == FinalControl.COURSE_WORK else EntryKind.EXAM
            entries[key] = _entry(line, kind, event.start_date, ends_on=event.end_date, mode=control)
            due = event.start_date - timedelta(days=1)
            if _overlaps(due, None, window):
                entries[f"{key}:materials"] = _entry(line, EntryKind.CONTROL_MATERIALS, due)
    return entries


def _broadcast_entries(
    lines_by_course: dict[int, StudyPlanLine], *, window: tuple[date, date]
) -> dict[str, dict[str, Any]]:
    """The TV broadcasts of the plan's courses in the window, with their topics in every language (one query
    a language)."""
    if not lines_by_course:
        return {}
    found: dict[int, Any] = {}
    topics: dict[int, dict[str, str]] = {}
    for code in LANGUAGE_ORDER:
        with translation.override(code):
            for broadcast in content_api.broadcasts_of_courses(
                course_ids=lines_by_course, start=window[0], end=window[1] + timedelta(days=1)
            ):
                found[broadcast.id] = broadcast
                topics.setdefault(broadcast.id, {})[f"name_{code}"] = broadcast.topic
    entries = {}
    for broadcast_id, broadcast in found.items():
        starts_at = _moment(broadcast.starts_at_iso)
        entries[f"broadcast:{broadcast_id}"] = _entry(
            lines_by_course[broadcast.course_id],
            EntryKind.BROADCAST,
            broadcast.on,
            starts_at=starts_at,
            names=topics[broadcast_id],
            note=broadcast.channel,
        )
    return entries


def _item_entries(lines_by_course: dict[int, StudyPlanLine], *, window: tuple[date, date]) -> dict[str, dict[str, Any]]:
    """The published tests (while open), assignments (their deadline) and consultations (their start) of the
    plan's courses in the window (one query)."""
    if not lines_by_course:
        return {}
    entries = {}
    for item in content_api.scheduled_items(course_ids=lines_by_course):
        opens, closes = item.opens_at, item.closes_at
        # A consultation is held when it opens; an assignment is due when it closes; a test is open from
        # when it opens (or, with no opening, at its close) until it closes.
        if item.kind == ItemKind.ASSIGNMENT:
            starts_at = closes
        elif item.kind == ItemKind.CONSULTATION:
            starts_at = opens
        else:
            starts_at = opens or closes
        ends_on = _local_day(closes) if closes is not None and opens is not None and starts_at is opens else None
        if starts_at is None or item.kind not in ITEM_KINDS:
            continue
        starts_on = _local_day(starts_at)
        if ends_on is not None and ends_on < starts_on:
            ends_on = None
        if not _overlaps(starts_on, ends_on, window):
            continue
        names = {f"name_{code}": getattr(item, f"name_{code}") for code in LANGUAGE_ORDER}
        entries[f"item:{item.item_id}"] = _entry(
            lines_by_course[item.course_id],
            ITEM_KINDS[ItemKind(item.kind)],
            starts_on,
            ends_on=ends_on,
            starts_at=starts_at,
            names=names,
        )
    return entries


def desired_entries(*, application: Application, plan: StudyPlan, today: date) -> dict[str, dict[str, Any]]:
    """The entries generation would write, by source key, as field values."""
    lines = list(plan.lines.filter(completed=False).select_related("discipline", "course"))
    if not lines:
        return {}
    window = schedule_window(application, today=today)
    student = application.student
    position = student_position(course_year=student.course_year, today=today)
    programme = academics_api.programme_get(programme_id=student.programme_id)
    events = (
        [
            e
            for e in academics_api.calendar_events(level=programme.level, start=window[0], end=window[1])
            if e.period_id is not None
        ]
        if programme is not None
        else []
    )
    by_period: dict[int, list[CalendarEventData]] = {}
    for event in events:
        by_period.setdefault(event.period_id or 0, []).append(event)
    per_discipline: dict[int, int] = {}
    for line in lines:
        per_discipline[line.discipline_id] = per_discipline.get(line.discipline_id, 0) + 1
    entries: dict[str, dict[str, Any]] = {}
    for line in sorted(lines, key=lambda line: (line.period_number, line.discipline_id)):
        shared = per_discipline[line.discipline_id] > 1
        line_events = _events_of_line(line, by_period=by_period, events=events, position=position, shared=shared)
        for key, values in _calendar_entries(line, line_events, window=window).items():
            # Lines of one discipline in different periods have events of their own periods; should two
            # fall on the same event, the earlier period's line keeps it.
            entries.setdefault(key, values)
    lines_by_course: dict[int, StudyPlanLine] = {}
    for line in sorted(lines, key=lambda line: line.period_number):
        if line.course_id is not None:
            lines_by_course.setdefault(line.course_id, line)
    entries.update(_broadcast_entries(lines_by_course, window=window))
    entries.update(_item_entries(lines_by_course, window=window))
    return entries


def deleted_sources(schedule: Schedule) -> set[str]:
    """The source keys of generated entries the administration service deleted: generation does not bring
    them back."""
    return set(schedule.dismissed_keys)


# --- Snapshots and the difference ------------------------------------------------------------------


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def entry_snapshot(entry: ScheduleEntry) -> dict[str, Any]:
    """What the ledger keeps of an entry."""
    return {
        "id": entry.pk,
        "source_key": entry.source_key,
        "edited": entry.edited,
        **{field.removesuffix("_id"): _iso(_local(getattr(entry, field))) for field in ENTRY_FIELDS},
    }


def _local(value: Any) -> Any:
    return timezone.localtime(value, zone()) if isinstance(value, datetime) else value


def _values_snapshot(values: dict[str, Any]) -> dict[str, Any]:
    return {field.removesuffix("_id"): _iso(_local(values[field])) for field in ENTRY_FIELDS}


def _differences(
    existing: list[ScheduleEntry], desired: dict[str, dict[str, Any]], deleted: set[str]
) -> tuple[list[str], list[tuple[ScheduleEntry, list[str]]], list[ScheduleEntry]]:
    """What re-generation changes: keys to create, generated entries to update (with the fields), generated
    entries whose source is gone. Entries edited or added by hand stay as they are."""
    held: dict[str, ScheduleEntry] = {}
    for entry in existing:
        if entry.source_key:
            held.setdefault(entry.source_key, entry)
    create = [key for key in desired if key not in held and key not in deleted]
    update = []
    remove = []
    for key, entry in held.items():
        if entry.edited:
            continue
        if key not in desired:
            remove.append(entry)
            continue
        changed = [field for field in ENTRY_FIELDS if getattr(entry, field) != desired[key][field]]
        if changed:
            update.append((entry, changed))
    return create, update, remove


# --- Generation -------------------------------------------------------------------------------------


def schedule_generate(*, application: Application, actor: Any = None, today: date | None = None) -> Schedule:
    """Create the schedule of an accepted application (and its plan, if it has none), or bring it up to date.
    The version rises, and `dlt.schedule_regenerated` is audited, only when something changed. `actor`: the
    administration service or the head, or None (the system, as when a page re-reads it)."""
    if actor is not None and not sees_everything(actor):
        raise ValidationError(_("Only the administration service makes individual schedules."), code="forbidden")
    today = _today(today)
    schedule = Schedule.objects.filter(application_id=application.pk).first()
    plan = StudyPlan.objects.filter(application_id=application.pk).first()
    if schedule is not None and plan is not None:
        # Most reads change nothing: look first without locking anything.
        current = Application.objects.select_related("student").get(pk=application.pk)
        if current.status in PLANNED_STATUSES:
            desired = desired_entries(application=current, plan=plan, today=today)
            create, update, remove = _differences(list(schedule.entries.all()), desired, deleted_sources(schedule))
            if not (create or update or remove):
                return schedule
    return _schedule_write(application=application, actor=actor, today=today)


@transaction.atomic
def _schedule_write(*, application: Application, actor: Any, today: date) -> Schedule:
    application = Application.objects.select_for_update(of=("self",)).select_related("student").get(pk=application.pk)
    if application.status not in PLANNED_STATUSES:
        raise ValidationError(
            _("An individual schedule is made once the application is accepted; this one is “%(status)s”.")
            % {"status": application.get_status_display()},
            code="not_accepted",
        )
    plan = StudyPlan.objects.filter(application=application).first()
    if plan is None:
        plan = study_plan_generate(application=application, actor=actor, today=today)
    schedule = Schedule.objects.select_for_update().filter(application=application).first()
    created = schedule is None
    if schedule is None:
        schedule = Schedule.objects.create(application=application)
    desired = desired_entries(application=application, plan=plan, today=today)
    existing = list(schedule.entries.all())
    create, update, remove = _differences(existing, desired, set() if created else deleted_sources(schedule))
    if not (created or create or update or remove):
        return schedule
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for entry in remove:
        before[entry.source_key] = entry_snapshot(entry)
        entry.delete()
    for entry, changed in update:
        before[entry.source_key] = entry_snapshot(entry)
        for field in changed:
            setattr(entry, field, desired[entry.source_key][field])
        entry.save(update_fields=changed)
        after[entry.source_key] = entry_snapshot(entry)
    ScheduleEntry.objects.bulk_create(
        ScheduleEntry(schedule=schedule, source_key=key, **desired[key]) for key in create
    )
    for key in create:
        after[key] = _values_snapshot(desired[key])
    version = schedule.version
    if not created:
        schedule.version += 1
    schedule.generated_at = timezone.now()
    schedule.save(update_fields=["version", "generated_at", "updated_at"])
    audit_api.record(
        actor=actor,
        action="dlt.schedule_generated" if created else "dlt.schedule_regenerated",
        target=schedule,
        before={} if created else {"version": version, "entries": before},
        after={"version": schedule.version, "entries": after},
    )
    return schedule


def schedules_refresh(*, today: date | None = None) -> int:
    """Re-generate every schedule still kept up to date (the daily run; reads do it too). Returns how many
    changed."""
    today = _today(today)
    applications = (
        Application.objects.filter(status__in=PLANNED_STATUSES, schedule__isnull=False)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("schedule")
        .order_by("pk")
    )
    changed = 0
    for application in applications.iterator():
        version = application.schedule.version
        try:
            schedule = schedule_generate(application=application, today=today)
        except ValidationError:
            continue  # the application moved on meanwhile
        changed += schedule.version != version
    return changed


# --- Changes by the administration service -----------------------------------------------------------


def _refuse_unless_administration(actor: Any) -> None:
    if not is_administration(actor):
        raise ValidationError(_("Only the administration service changes individual schedules."), code="forbidden")


def _validated(
    *,
    schedule: Schedule,
    kind: str,
    starts_on: date | None,
    ends_on: date | None,
    at: time | None,
    discipline_id: int | None,
    name_kk: str,
    name_ru: str,
    name_en: str,
    mode: str,
    note: str,
) -> dict[str, Any]:
    """The entry's field values, or ValidationError by field naming every problem."""
    application = schedule.application
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if kind not in EntryKind.values:
        refuse("kind", _("Choose what the entry is."))
    if starts_on is None:
        refuse("starts_on", _("Give the date."))
    else:
        if ends_on is not None and ends_on < starts_on:
            refuse("ends_on", _("The end date is before the start date."))
        if application.starts_on and starts_on < application.starts_on:
            refuse(
                "starts_on",
                _("The date is before the DLT period, which starts on %(date)s.")
                % {"date": application.starts_on.strftime("%d.%m.%Y")},
            )
        last = ends_on or starts_on
        if application.ends_on and last > application.ends_on:
            refuse(
                "ends_on" if ends_on is not None else "starts_on",
                _("The date is after the DLT period, which ends on %(date)s.")
                % {"date": application.ends_on.strftime("%d.%m.%Y")},
            )
    if (
        discipline_id is not None
        and not StudyPlanLine.objects.filter(plan__application_id=application.pk, discipline_id=discipline_id).exists()
    ):
        refuse("discipline_id", _("Choose a discipline of the student's plan."))
    names = {"name_kk": name_kk.strip(), "name_ru": name_ru.strip(), "name_en": name_en.strip()}
    if discipline_id is None and not names["name_kk"]:
        refuse("name_kk", _("Name the entry in Kazakh, or choose its discipline."))
    for field, value in names.items():
        if len(value) > NAME_MAX_LENGTH:
            refuse(field, _("The name is longer than %(max)d characters.") % {"max": NAME_MAX_LENGTH})
    if mode and mode not in FinalControl.values:
        refuse("mode", _("Choose the mode of the control from the list."))
    if len(note.strip()) > NOTE_MAX_LENGTH:
        refuse("note", _("The note is longer than %(max)d characters.") % {"max": NOTE_MAX_LENGTH})
    if errors:
        raise ValidationError(errors)
    assert starts_on is not None
    return {
        "discipline_id": discipline_id,
        "kind": kind,
        "starts_on": starts_on,
        "ends_on": ends_on if ends_on != starts_on else None,
        "starts_at": datetime.combine(starts_on, at, tzinfo=zone()) if at is not None else None,
        **names,
        "mode": mode,
        "note": note.strip(),
    }


def _lock(schedule: Schedule) -> Schedule:
    return Schedule.objects.select_for_update(of=("self",)).select_related("application__student").get(pk=schedule.pk)


def _bump(schedule: Schedule) -> int:
    version = schedule.version
    schedule.version += 1
    schedule.save(update_fields=["version", "updated_at"])
    return version


@transaction.atomic
def schedule_entry_add(
    *,
    actor: Any,
    schedule: Schedule,
    kind: str,
    starts_on: date | None,
    ends_on: date | None = None,
    at: time | None = None,
    discipline_id: int | None = None,
    name_kk: str = "",
    name_ru: str = "",
    name_en: str = "",
    mode: str = "",
    note: str = "",
) -> ScheduleEntry:
    """The administration service adds an entry by hand (kept over re-generation). ValidationError by field:
    an unknown kind, an end before the start, a date outside the application's period, a discipline not in
    the plan, no name and no discipline. Audit `dlt.schedule_entry_added` (on the schedule)."""
    _refuse_unless_administration(actor)
    current = _lock(schedule)
    values = _validated(
        schedule=current,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        at=at,
        discipline_id=discipline_id,
        name_kk=name_kk,
        name_ru=name_ru,
        name_en=name_en,
        mode=mode,
        note=note,
    )
    entry = ScheduleEntry.objects.create(schedule=current, source_key="", edited=True, **values)
    version = _bump(current)
    audit_api.record(
        actor=actor,
        action="dlt.schedule_entry_added",
        target=current,
        before={"version": version},
        after={"version": current.version, "entry": entry_snapshot(entry)},
    )
    return entry


@transaction.atomic
def schedule_entry_update(
    *,
    actor: Any,
    entry: ScheduleEntry,
    kind: str,
    starts_on: date | None,
    ends_on: date | None = None,
    at: time | None = None,
    discipline_id: int | None = None,
    name_kk: str = "",
    name_ru: str = "",
    name_en: str = "",
    mode: str = "",
    note: str = "",
) -> ScheduleEntry:
    """The administration service changes an entry (from then on kept over re-generation); validated as when
    adding. Audit `dlt.schedule_entry_updated` (on the schedule) with the values before and after."""
    _refuse_unless_administration(actor)
    schedule = _lock(entry.schedule)
    current = ScheduleEntry.objects.get(pk=entry.pk)
    values = _validated(
        schedule=schedule,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        at=at,
        discipline_id=discipline_id,
        name_kk=name_kk,
        name_ru=name_ru,
        name_en=name_en,
        mode=mode,
        note=note,
    )
    changed = [field for field, value in values.items() if getattr(current, field) != value]
    if not changed:
        return current
    before = entry_snapshot(current)
    for field in changed:
        setattr(current, field, values[field])
    current.edited = True
    current.save(update_fields=[*changed, "edited"])
    version = _bump(schedule)
    audit_api.record(
        actor=actor,
        action="dlt.schedule_entry_updated",
        target=schedule,
        before={"version": version, "entry": before},
        after={"version": schedule.version, "entry": entry_snapshot(current)},
    )
    return current


@transaction.atomic
def schedule_entry_delete(*, actor: Any, entry: ScheduleEntry, reason: str = "") -> None:
    """The administration service deletes an entry; a generated one is not brought back by re-generation.
    Audit `dlt.schedule_entry_deleted` (on the schedule) with what it was."""
    _refuse_unless_administration(actor)
    schedule = _lock(entry.schedule)
    current = ScheduleEntry.objects.filter(pk=entry.pk).first()
    if current is None:
        return
    before = entry_snapshot(current)
    current.delete()
    if current.source_key and current.source_key not in schedule.dismissed_keys:
        schedule.dismissed_keys = [*schedule.dismissed_keys, current.source_key]
        schedule.save(update_fields=["dismissed_keys"])
    version = _bump(schedule)
    audit_api.record(
        actor=actor,
        action=ENTRY_DELETED,
        target=schedule,
        before={**before, "version": version},
        after={"version": schedule.version},
        reason=reason,
    )


@transaction.atomic
def schedule_feed_rotate(*, actor: Any, schedule: Schedule) -> Schedule:
    """Give the iCal feed a new address; the old one stops working at once. The student themselves or the
    administration service. Audit `dlt.schedule_feed_rotated` (the addresses themselves are not recorded)."""
    current = _lock(schedule)
    student_user_id = current.application.student.user_id
    own = actor is not None and actor.is_authenticated and actor.is_active and student_user_id == actor.pk
    if not (own or is_administration(actor)):
        raise ValidationError(
            _("Only the student or the administration service gives the feed a new address."), code="forbidden"
        )
    current.feed_token = feed_token()
    current.save(update_fields=["feed_token", "updated_at"])
    audit_api.record(actor=actor, action="dlt.schedule_feed_rotated", target=current, after={"feed": "rotated"})
    return current


def schedule_refreshed(schedule: Schedule) -> Schedule:
    """The schedule brought up to date with the calendar and the courses before it is read (page, PDF, feed,
    API), while it is kept so (`schedule_is_live`)."""
    if schedule_is_live(schedule.application):
        fresh = schedule_generate(application=schedule.application)
        schedule.version, schedule.generated_at = fresh.version, fresh.generated_at
    return schedule
