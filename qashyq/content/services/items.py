"""Writes of a course's structure: sections (weeks or topics) and their items, the files and caption tracks
of items, publishing (a frozen version per publication) and what a student does with an item.

The item's own fields are the teacher's draft; `item_publish` copies them into an `ItemVersion` and points
`live_version` at it, so students only ever see what was published (interfaces.md). Every write checks that
the actor is a teacher of the course (PermissionDenied otherwise) and validates before it stores anything:
a refused upload, a broken WebVTT file or a contradiction in the fields leaves no row and no file behind.
Publishing, unpublishing and deleting published items are audit events.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from qashyq.audit import api as audit_api
from qashyq.content import rules
from qashyq.content.data import Activity, AssetPurpose, CompletionRule, ItemKind, ProgressStatus, TrackKind
from qashyq.content.models import Asset, Course, Enrolment, Item, ItemProgress, ItemTrack, ItemVersion, Section
from qashyq.content.permissions.courses import can_edit_course
from qashyq.content.selectors.items import has_captions, item_draft_data, item_tracks
from qashyq.content.services.progress import progress_record
from qashyq.content.services.scorm import scorm_package_upload
from qashyq.content.storage import (
    AUDIO_TYPES,
    DOCUMENT_TYPES,
    IMAGE_TYPES,
    VIDEO_TYPES,
    VTT_TYPES,
    ZIP_TYPES,
    store_upload,
    vtt_check,
)
from qashyq.core.i18n import LANGUAGE_ORDER

# What the upload of each kind may be (read from the bytes by storage.store_upload).
FILE_TYPES = DOCUMENT_TYPES | IMAGE_TYPES | ZIP_TYPES
UPLOAD_TYPES: dict[str, frozenset[str]] = {
    ItemKind.FILE.value: FILE_TYPES,
    ItemKind.VIDEO.value: VIDEO_TYPES,
    ItemKind.AUDIO.value: AUDIO_TYPES,
}
UPLOAD_PURPOSE = {
    ItemKind.FILE.value: AssetPurpose.FILE,
    ItemKind.VIDEO.value: AssetPurpose.VIDEO,
    ItemKind.AUDIO.value: AssetPurpose.AUDIO,
}
MEDIA_KINDS = frozenset({ItemKind.VIDEO.value, ItemKind.AUDIO.value})
TRANSCRIPT_TYPES = frozenset({"text/plain"}) | VTT_TYPES
TRACK_MAX_MB = 5
TRANSCRIPT_MAX_MB = 5
IMAGE_MAX_MB = 10
TRACK_LANGUAGES = LANGUAGE_ORDER
ITEM_FIELDS = (
    "name_kk",
    "name_ru",
    "name_en",
    "activity",
    "completion",
    "minutes",
    "body",
    "url",
    "available_from",
    "available_until",
    "prerequisite_id",
)
SECTION_FIELDS = ("name_kk", "name_ru", "name_en", "summary_kk", "summary_ru", "summary_en")
MAX_MINUTES = 10_000


# --- Helpers ---------------------------------------------------------------------------------------


def _refuse_unless_editor(actor: Any, course: Course) -> None:
    if not can_edit_course(user=actor, course=course):
        raise PermissionDenied(_("Only a teacher of the course edits its sections and items."))


@contextmanager
def _discard_on_error(stored: list[Asset]) -> Iterator[None]:
    """Files stored inside the block are removed again when the block fails (their rows roll back with the
    transaction; the files would otherwise stay in storage)."""
    try:
        yield
    except BaseException:
        for asset in stored:
            asset.file.storage.delete(str(asset.file.name))
        raise


def _clean_names(values: dict[str, Any], *, fields: tuple[str, ...]) -> dict[str, Any]:
    cleaned = dict(values)
    for name in fields:
        if isinstance(cleaned.get(name), str):
            cleaned[name] = cleaned[name].strip()
    return cleaned


def _refuse_unknown_fields(function: str, fields: dict[str, Any], *, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{function}() got unexpected fields: {sorted(unknown)}")


def _current(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in fields}


def _assign_changed(row: Any, values: dict[str, Any]) -> list[str]:
    """Set the values that differ from the row's; their names, in the order of `values`."""
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    return changed


def _renumber(rows: list[Any]) -> None:
    """Positions 0, 1, 2… in the given order (written only where they changed)."""
    changed = []
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            changed.append(row)
    if changed:
        type(rows[0]).objects.bulk_update(changed, ["position"])


def _move(rows: list[Any], target: Any, direction: str) -> None:
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move up or down.")})
    index = next(i for i, row in enumerate(rows) if row.pk == target.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    _renumber(rows)
    target.position = next(row.position for row in rows if row.pk == target.pk)


# --- Sections --------------------------------------------------------------------------------------


def _validate_section(values: dict[str, Any]) -> None:
    if not values.get("name_kk"):
        raise ValidationError({"name_kk": _("Give the section a name in Kazakh.")})


@transaction.atomic
def section_create(
    *,
    actor: Any,
    course: Course,
    name_kk: str,
    name_ru: str = "",
    name_en: str = "",
    summary_kk: str = "",
    summary_ru: str = "",
    summary_en: str = "",
) -> Section:
    """A new section at the end of the course."""
    _refuse_unless_editor(actor, course)
    values = _clean_names(
        {
            "name_kk": name_kk,
            "name_ru": name_ru,
            "name_en": name_en,
            "summary_kk": summary_kk,
            "summary_ru": summary_ru,
            "summary_en": summary_en,
        },
        fields=SECTION_FIELDS,
    )
    _validate_section(values)
    last = Section.objects.filter(course=course).aggregate(m=Max("position"))["m"]
    section = Section(course=course, position=0 if last is None else last + 1, **values)
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def section_update(*, actor: Any, section: Section, **fields: Any) -> Section:
    """Change the names and summaries of a section."""
    _refuse_unless_editor(actor, section.course)
    _refuse_unknown_fields("section_update", fields, allowed=SECTION_FIELDS)
    values = _clean_names(fields, fields=SECTION_FIELDS)
    _validate_section(_current(section, SECTION_FIELDS) | values)
    changed = _assign_changed(section, values)
    if changed:
        section.full_clean()
        section.save(update_fields=[*changed, "updated_at"])
    return section


@transaction.atomic
def section_move(*, actor: Any, section: Section, direction: str) -> Section:
    """Move a section one place up or down in its course (at the ends nothing moves)."""
    _refuse_unless_editor(actor, section.course)
    rows = list(Section.objects.select_for_update().filter(course_id=section.course_id).order_by("position", "pk"))
    _move(rows, section, direction)
    return section


@transaction.atomic
def section_delete(*, actor: Any, section: Section) -> None:
    """Delete an empty section (its items are deleted or moved first: nothing a student did is lost)."""
    _refuse_unless_editor(actor, section.course)
    if section.items.exists():
        raise ValidationError(
            _("The section “%(name)s” still holds items: delete them first.") % {"name": section.name}
        )
    course_id = section.course_id
    section.delete()
    _renumber(list(Section.objects.select_for_update().filter(course_id=course_id).order_by("position", "pk")))


# --- Items -----------------------------------------------------------------------------------------


def _validate_item(values: dict[str, Any], *, kind: str, course_id: int, item_id: int | None) -> None:
    """Every field error at once, as ValidationError({field: message})."""
    errors: dict[str, str] = {}
    if not values.get("name_kk"):
        errors["name_kk"] = _("Give the item a title in Kazakh.")
    if values.get("activity") not in Activity.values:
        errors["activity"] = _("Choose the type of work: pedagogical interaction or independent work.")
    allowed = completion_choices(kind)
    if values.get("completion") not in allowed:
        errors["completion"] = _("This completion rule does not fit this kind of item.")
    minutes = values.get("minutes")
    if not isinstance(minutes, int) or not 0 <= minutes <= MAX_MINUTES:
        errors["minutes"] = _("Give the expected time as a whole number of minutes from 0 to %(max)d.") % {
            "max": MAX_MINUTES
        }
    if kind == ItemKind.LINK and not values.get("url"):
        errors["url"] = _("Give the address the link opens.")
    elif values.get("url") and not str(values["url"]).lower().startswith(("https://", "http://")):
        errors["url"] = _("The address must begin with https:// or http://.")
    message = rules.availability_error(values.get("available_from"), values.get("available_until"))
    if message:
        errors["available_until"] = message
    prerequisite_id = values.get("prerequisite_id")
    if prerequisite_id is not None:
        parents = dict(Item.objects.filter(course_id=course_id).values_list("pk", "prerequisite_id"))
        if prerequisite_id not in parents:
            errors["prerequisite"] = _("The prerequisite must be an item of the same course.")
        elif prerequisite_id == item_id:
            errors["prerequisite"] = _("An item cannot open after itself.")
        elif rules.prerequisite_cycle(item_id=item_id, prerequisite_id=prerequisite_id, parents=parents):
            errors["prerequisite"] = _("This prerequisite would make a loop: it already opens after this item.")
    if errors:
        raise ValidationError(errors)


def completion_choices(kind: str) -> tuple[str, ...]:
    """The completion rules an item of `kind` may have (only a SCORM package reports its own)."""
    if kind == ItemKind.SCORM:
        return (CompletionRule.SCORM.value, CompletionRule.VIEW.value, CompletionRule.MANUAL.value)
    return (CompletionRule.VIEW.value, CompletionRule.MANUAL.value)


def _normalized(values: dict[str, Any], *, kind: str) -> dict[str, Any]:
    values = _clean_names(values, fields=("name_kk", "name_ru", "name_en", "url"))
    if "body" in values:
        body = values["body"] or ""
        # A page is rich text (sanitized); every other kind keeps a plain description.
        values["body"] = rules.sanitize_html(body) if kind == ItemKind.PAGE else body.strip()
    return values


def _store_kind_upload(*, actor: Any, kind: str, upload: Any, package: Any, stored: list[Asset]) -> dict[str, Any]:
    """Store the file (or SCORM package) of an item; the fields to set on it."""
    if kind in UPLOAD_TYPES and upload is not None:
        asset = store_upload(
            upload=upload, purpose=UPLOAD_PURPOSE[kind], actor=actor, allowed=UPLOAD_TYPES[kind], field="upload"
        )
        stored.append(asset)
        return {"asset": asset}
    if kind == ItemKind.SCORM and package is not None:
        return {"scorm_package": scorm_package_upload(upload=package, actor=actor, field="package")}
    return {}


@transaction.atomic
def item_create(
    *,
    actor: Any,
    section: Section,
    kind: str,
    name_kk: str,
    activity: str,
    name_ru: str = "",
    name_en: str = "",
    completion: str = CompletionRule.VIEW,
    minutes: int = 0,
    body: str = "",
    url: str = "",
    available_from: datetime | None = None,
    available_until: datetime | None = None,
    prerequisite_id: int | None = None,
    upload: Any = None,
    package: Any = None,
) -> Item:
    """A new draft item at the end of the section. A file, video or audio item comes with its upload, a SCORM
    item with its package (.zip); the placeholders (test, assignment, consultation) need a title only."""
    course = section.course
    _refuse_unless_editor(actor, course)
    if kind not in ItemKind.values:
        raise ValidationError({"kind": _("Unknown kind of item “%(kind)s”.") % {"kind": kind}})
    values = _normalized(
        {
            "name_kk": name_kk,
            "name_ru": name_ru,
            "name_en": name_en,
            "activity": activity,
            "completion": completion,
            "minutes": minutes,
            "body": body,
            "url": url,
            "available_from": available_from,
            "available_until": available_until,
            "prerequisite_id": prerequisite_id,
        },
        kind=kind,
    )
    _validate_item(values, kind=kind, course_id=course.pk, item_id=None)
    if kind in UPLOAD_TYPES and upload is None:
        raise ValidationError({"upload": _("Choose the file to upload.")})
    if kind == ItemKind.SCORM and package is None:
        raise ValidationError({"package": _("Choose the SCORM package (.zip) to upload.")})
    stored: list[Asset] = []
    with _discard_on_error(stored):
        files = _store_kind_upload(actor=actor, kind=kind, upload=upload, package=package, stored=stored)
        last = Item.objects.filter(section=section).aggregate(m=Max("position"))["m"]
        item = Item(
            course=course,
            section=section,
            kind=kind,
            position=0 if last is None else last + 1,
            draft_changed=True,
            **values,
            **files,
        )
        item.full_clean(exclude=["asset", "transcript", "scorm_package", "prerequisite", "live_version"])
        item.save()
    return item


@transaction.atomic
def item_update(*, actor: Any, item: Item, upload: Any = None, package: Any = None, **fields: Any) -> Item:
    """Change the draft of an item (students keep seeing the published version until it is published again).
    A new upload replaces the file (or package); the old one stays stored for the versions that show it."""
    _refuse_unless_editor(actor, item.course)
    _refuse_unknown_fields("item_update", fields, allowed=ITEM_FIELDS)
    values = _normalized(fields, kind=item.kind)
    _validate_item(_current(item, ITEM_FIELDS) | values, kind=item.kind, course_id=item.course_id, item_id=item.pk)
    changed = _assign_changed(item, values)
    stored: list[Asset] = []
    with _discard_on_error(stored):
        for name, value in _store_kind_upload(
            actor=actor, kind=item.kind, upload=upload, package=package, stored=stored
        ).items():
            setattr(item, name, value)
            changed.append(name)
        if changed:
            item.draft_changed = True
            item.full_clean(exclude=["asset", "transcript", "scorm_package", "prerequisite", "live_version"])
            item.save(update_fields=[*changed, "draft_changed", "updated_at"])
    return item


@transaction.atomic
def item_move(*, actor: Any, item: Item, direction: str) -> Item:
    """Move an item one place up or down in its section (at the ends nothing moves)."""
    _refuse_unless_editor(actor, item.course)
    rows = list(Item.objects.select_for_update().filter(section_id=item.section_id).order_by("position", "pk"))
    _move(rows, item, direction)
    return item


@transaction.atomic
def item_delete(*, actor: Any, item: Item) -> None:
    """Delete an item no other item opens after and no student has progress on (unpublish it instead)."""
    _refuse_unless_editor(actor, item.course)
    dependants = list(Item.objects.filter(prerequisite=item).order_by("pk")[:3])
    if dependants:
        raise ValidationError(
            _("“%(names)s” open(s) after this item: choose another prerequisite for them first.")
            % {"names": "”, “".join(d.name for d in dependants)}
        )
    if ItemProgress.objects.filter(item=item).exclude(status=ProgressStatus.NOT_STARTED).exists():
        raise ValidationError(_("Students have already worked with this item: unpublish it instead of deleting it."))
    if item.live_version_id is not None or item.versions.exists():
        audit_api.record(
            actor=actor,
            action="content.item_deleted",
            target=item,
            before={"name": item.name_kk, "version": item.live_version.number if item.live_version else None},
            after=None,
        )
    section_id = item.section_id
    item.delete()
    _renumber(list(Item.objects.select_for_update().filter(section_id=section_id).order_by("position", "pk")))


# --- Publishing ------------------------------------------------------------------------------------


def publish_problems(item: Item, *, tracks: list[ItemTrack]) -> list[str]:
    """Why the draft cannot be published (translated), or []."""
    problems: list[str] = []
    kind = item.kind
    if kind == ItemKind.PAGE and rules.html_is_blank(item.body):
        problems.append(_("The page has no text yet."))
    if kind in UPLOAD_TYPES and item.asset_id is None:
        problems.append(_("The item has no file yet."))
    if kind == ItemKind.VIDEO and not has_captions(tracks):
        problems.append(
            _("A video cannot be published without captions: add a WebVTT captions track in at least one language.")
        )
    if kind == ItemKind.LINK and not item.url:
        problems.append(_("The link has no address."))
    if kind == ItemKind.SCORM and item.scorm_package_id is None:
        problems.append(_("The item has no SCORM package yet."))
    if item.prerequisite_id is not None:
        prerequisite = Item.objects.filter(pk=item.prerequisite_id).only("live_version_id", "name_kk").first()
        if prerequisite is not None and prerequisite.live_version_id is None:
            problems.append(
                _("It opens after “%(name)s”, which is not published: publish that item first.")
                % {"name": prerequisite.name}
            )
    return problems


@transaction.atomic
def item_publish(*, actor: Any, item: Item) -> ItemVersion:
    """Freeze the draft into a new version that students see from now on (the earlier versions are kept)."""
    _refuse_unless_editor(actor, item.course)
    locked = (
        Item.objects.select_for_update(of=("self",))
        .select_related("asset", "transcript", "live_version")
        .get(pk=item.pk)
    )
    tracks = item_tracks(item=locked)
    problems = publish_problems(locked, tracks=tracks)
    if problems:
        raise ValidationError(problems, code="not_publishable")
    if locked.live_version is not None and not locked.draft_changed:
        raise ValidationError(
            _("Version %(number)d already shows this draft: there is nothing new to publish.")
            % {"number": locked.live_version.number},
            code="unchanged",
        )
    previous = locked.live_version.number if locked.live_version is not None else None
    last = ItemVersion.objects.filter(item=locked).aggregate(m=Max("number"))["m"] or 0
    version = ItemVersion.objects.create(
        item=locked, number=last + 1, data=item_draft_data(locked, tracks=tracks), published_by=actor
    )
    locked.live_version = version
    locked.draft_changed = False
    locked.save(update_fields=["live_version", "draft_changed", "updated_at"])
    audit_api.record(
        actor=actor,
        action="content.item_published",
        target=locked,
        before={"version": previous},
        after={"version": version.number},
    )
    item.live_version = version
    item.draft_changed = False
    return version


@transaction.atomic
def item_unpublish(*, actor: Any, item: Item, reason: str = "") -> Item:
    """Hide an item from students (its versions are kept; publishing again makes a new version)."""
    _refuse_unless_editor(actor, item.course)
    locked = Item.objects.select_for_update(of=("self",)).select_related("live_version").get(pk=item.pk)
    if locked.live_version is None:
        raise ValidationError(_("The item is not published."), code="not_published")
    number = locked.live_version.number
    locked.live_version = None
    locked.draft_changed = True
    locked.save(update_fields=["live_version", "draft_changed", "updated_at"])
    audit_api.record(
        actor=actor,
        action="content.item_unpublished",
        target=locked,
        before={"version": number},
        after={"version": None},
        reason=reason,
    )
    item.live_version = None
    item.draft_changed = True
    return item


# --- Caption tracks, transcripts and page images ---------------------------------------------------


def _read_small(upload: Any, *, max_mb: int, field: str) -> bytes:
    """The bytes of a small upload (captions, a transcript), refusing a larger one before reading it."""
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if size is not None and size > max_mb * 1024 * 1024:
        raise ValidationError(
            {field: _("“%(name)s” is too large; at most %(max)d MB is accepted here.") % {"name": name, "max": max_mb}}
        )
    upload.seek(0)
    data: bytes = upload.read()
    upload.seek(0)
    return data


@transaction.atomic
def item_track_add(*, actor: Any, item: Item, language: str, kind: str, upload: Any) -> ItemTrack:
    """Add (or replace) the WebVTT track of one language and kind of a video or audio item."""
    _refuse_unless_editor(actor, item.course)
    if item.kind not in MEDIA_KINDS:
        raise ValidationError(_("Only video and audio items have caption tracks."))
    errors = {}
    if language not in TRACK_LANGUAGES:
        errors["language"] = _("Choose the language of the track.")
    if kind not in TrackKind.values:
        errors["kind"] = _("Choose the kind of track.")
    if errors:
        raise ValidationError(errors)
    data = _read_small(upload, max_mb=TRACK_MAX_MB, field="file")
    name = getattr(upload, "name", "") or "captions.vtt"
    try:
        vtt_check(data, name=name)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    stored: list[Asset] = []
    with _discard_on_error(stored):
        asset = store_upload(
            upload=upload, purpose=AssetPurpose.CAPTIONS, actor=actor, allowed=VTT_TYPES, max_mb=TRACK_MAX_MB
        )
        stored.append(asset)
        ItemTrack.objects.filter(item=item, language=language, kind=kind).delete()
        track = ItemTrack.objects.create(item=item, language=language, kind=kind, asset=asset)
        Item.objects.filter(pk=item.pk).update(draft_changed=True)
    item.draft_changed = True
    return track


@transaction.atomic
def item_track_remove(*, actor: Any, track: ItemTrack) -> None:
    """Remove a track from the draft (a published version keeps showing it until the next publication)."""
    item = track.item
    _refuse_unless_editor(actor, item.course)
    track.delete()
    Item.objects.filter(pk=item.pk).update(draft_changed=True)
    item.draft_changed = True


@transaction.atomic
def item_transcript_set(*, actor: Any, item: Item, upload: Any) -> Asset:
    """Attach a transcript (plain text, or WebVTT) shown below a video or audio instead of the captions' text."""
    _refuse_unless_editor(actor, item.course)
    if item.kind not in MEDIA_KINDS:
        raise ValidationError(_("Only video and audio items have a transcript."))
    data = _read_small(upload, max_mb=TRANSCRIPT_MAX_MB, field="file")
    name = getattr(upload, "name", "") or ""
    if name.lower().endswith(".vtt"):
        try:
            vtt_check(data, name=name)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
    else:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError({"file": _("“%(name)s” is not UTF-8 text.") % {"name": name}}) from None
    stored: list[Asset] = []
    with _discard_on_error(stored):
        asset = store_upload(
            upload=upload,
            purpose=AssetPurpose.TRANSCRIPT,
            actor=actor,
            allowed=TRANSCRIPT_TYPES,
            max_mb=TRANSCRIPT_MAX_MB,
        )
        stored.append(asset)
        item.transcript = asset
        item.draft_changed = True
        item.save(update_fields=["transcript", "draft_changed", "updated_at"])
    return asset


@transaction.atomic
def item_transcript_remove(*, actor: Any, item: Item) -> None:
    _refuse_unless_editor(actor, item.course)
    if item.transcript_id is not None:
        item.transcript = None
        item.draft_changed = True
        item.save(update_fields=["transcript", "draft_changed", "updated_at"])


@transaction.atomic
def item_image_upload(*, actor: Any, item: Item, upload: Any) -> Asset:
    """Store an image to be shown on a page (inserted into its text by the URL of the stored file)."""
    _refuse_unless_editor(actor, item.course)
    if item.kind != ItemKind.PAGE:
        raise ValidationError(_("Images are inserted into pages only."))
    return store_upload(
        upload=upload, purpose=AssetPurpose.IMAGE, actor=actor, allowed=IMAGE_TYPES, max_mb=IMAGE_MAX_MB
    )


# --- What a student does with an item --------------------------------------------------------------


def item_view_record(*, enrolment: Enrolment, item: Item) -> ItemProgress:
    """The enrolled student opened the published, unlocked item: "viewed", or "completed" when viewing
    completes it."""
    if item.live_version is None:
        raise ValidationError(_("The item is not published."))
    completion = item.live_version.data.get("completion")
    status = ProgressStatus.COMPLETED if completion == CompletionRule.VIEW else ProgressStatus.VIEWED
    return progress_record(enrolment=enrolment, item=item, status=status)


def item_complete(*, enrolment: Enrolment, item: Item, lock: str) -> ItemProgress:
    """The student marks an item done (items whose completion rule is "manual"); `lock` is the reason the
    item is closed now ("" when open)."""
    if item.live_version is None:
        raise ValidationError(_("The item is not published."))
    if lock:
        raise ValidationError(lock)
    if item.live_version.data.get("completion") != CompletionRule.MANUAL:
        raise ValidationError(_("This item is completed by itself, not by marking it done."))
    return progress_record(enrolment=enrolment, item=item, status=ProgressStatus.COMPLETED)
