"""Reads of sections and items: the draft as a snapshot (the same shape as a published version's data),
what a student may see of an item now, its versions, and the texts shown next to a video or audio."""

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.utils import timezone

from qashyq.content import rules
from qashyq.content.data import ItemKind, ProgressStatus, TrackKind
from qashyq.content.models import Asset, Enrolment, Item, ItemProgress, ItemTrack, ItemVersion, Section
from qashyq.content.storage import vtt_transcript
from qashyq.core.i18n import LANGUAGE_ORDER, localized

TEXT_PREVIEW_MAX_BYTES = 200 * 1024
TRANSCRIPT_MAX_BYTES = 2 * 1024 * 1024
_CACHE_SECONDS = 24 * 3600


def asset_data(asset: Asset | None) -> dict[str, Any] | None:
    if asset is None:
        return None
    return {"id": str(asset.pk), "name": asset.original_name, "type": asset.content_type, "size": asset.size}


def _moment(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _track_order(track: ItemTrack) -> tuple[int, str, str]:
    language = LANGUAGE_ORDER.index(track.language) if track.language in LANGUAGE_ORDER else len(LANGUAGE_ORDER)
    return (language, track.language, track.kind)


def item_draft_data(item: Item, *, tracks: list[ItemTrack] | None = None) -> dict[str, Any]:
    """The item's own fields (the teacher's draft) in the format of `ItemVersion.data` (interfaces.md),
    plus "images": the stored files a page shows. `item.asset` and `item.transcript` should be selected
    with it; `tracks` are read unless given."""
    if tracks is None:
        tracks = list(item.tracks.all())
    return {
        "name_kk": item.name_kk,
        "name_ru": item.name_ru,
        "name_en": item.name_en,
        "kind": item.kind,
        "activity": item.activity,
        "completion": item.completion,
        "minutes": item.minutes,
        "body": item.body,
        "url": item.url,
        "asset": asset_data(item.asset),
        "transcript": asset_data(item.transcript),
        "scorm_package_id": item.scorm_package_id,
        "tracks": [
            {"language": t.language, "kind": t.kind, "asset_id": str(t.asset_id)}
            for t in sorted(tracks, key=_track_order)
        ],
        "available_from": _moment(item.available_from),
        "available_until": _moment(item.available_until),
        "prerequisite_id": item.prerequisite_id,
        "images": rules.body_asset_ids(item.body) if item.kind == ItemKind.PAGE else [],
    }


def data_title(data: dict[str, Any]) -> str:
    """The title in a version's data in the reader's language (falling back through kk, ru, en)."""
    return localized(_Names(data), "name")


@dataclass
class _Names:
    data: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        return self.data.get(name, "")


def item_tracks(*, item: Item) -> list[ItemTrack]:
    return sorted(ItemTrack.objects.filter(item=item).select_related("asset"), key=_track_order)


def has_captions(tracks: list[ItemTrack] | list[dict[str, Any]]) -> bool:
    kinds = [t["kind"] if isinstance(t, dict) else t.kind for t in tracks]
    return TrackKind.CAPTIONS.value in kinds


def item_versions(*, item: Item) -> list[ItemVersion]:
    return list(ItemVersion.objects.filter(item=item).select_related("published_by").order_by("-number"))


def item_version(*, item: Item, number: int) -> ItemVersion | None:
    return ItemVersion.objects.filter(item=item, number=number).select_related("published_by").first()


def prerequisite_choices(*, course_id: int, exclude_id: int | None = None) -> list[tuple[int, str]]:
    """(id, "section · item") of the course's items in course order, for choosing a prerequisite. Reads only
    the names (a course may hold hundreds of items with long texts)."""
    items = Item.objects.filter(course_id=course_id)
    if exclude_id is not None:
        items = items.exclude(pk=exclude_id)
    rows = items.order_by("section__position", "section_id", "position", "pk").values_list(
        "pk", "name_kk", "name_ru", "name_en", "section__name_kk", "section__name_ru", "section__name_en"
    )
    choices = []
    for pk, *names in rows:
        item = _Names({"name_kk": names[0], "name_ru": names[1], "name_en": names[2]})
        section = _Names({"name_kk": names[3], "name_ru": names[4], "name_en": names[5]})
        choices.append((pk, f"{localized(section, 'name')} · {localized(item, 'name')}"))
    return choices


def section_ids(*, course_id: int) -> list[int]:
    """The ids of a course's sections in order."""
    return list(Section.objects.filter(course_id=course_id).order_by("position", "pk").values_list("pk", flat=True))


def section_items(*, section: Section) -> list[Item]:
    return list(Item.objects.filter(section=section).order_by("position", "pk"))


def completed_item_ids(*, enrolment: Enrolment | None) -> set[int]:
    if enrolment is None:
        return set()
    return set(
        ItemProgress.objects.filter(enrolment=enrolment, status=ProgressStatus.COMPLETED).values_list(
            "item_id", flat=True
        )
    )


def item_progress(*, enrolment: Enrolment | None, item: Item) -> ItemProgress | None:
    if enrolment is None:
        return None
    return ItemProgress.objects.filter(enrolment=enrolment, item=item).first()


def prerequisite_title(*, data: dict[str, Any], course_id: int) -> str:
    """The title a student knows the prerequisite by (its published title; its draft title otherwise)."""
    prerequisite_id = data.get("prerequisite_id")
    if prerequisite_id is None:
        return ""
    row = Item.objects.filter(pk=prerequisite_id, course_id=course_id).select_related("live_version").first()
    if row is None:
        return ""
    if row.live_version is not None:
        return data_title(row.live_version.data)
    return row.name


def student_lock(*, item: Item, data: dict[str, Any], enrolment: Enrolment | None) -> str:
    """Why the student may not open the item now ("" when open), from its published data."""
    return rules.item_lock(
        data=data,
        now=timezone.now(),
        completed_item_ids=completed_item_ids(enrolment=enrolment),
        prerequisite_title=prerequisite_title(data=data, course_id=item.course_id),
    )


# --- Texts shown with an item (read from storage, cached: a stored file never changes) -------------------


def _read(asset_id: str, *, limit: int) -> bytes | None:
    asset = Asset.objects.filter(pk=asset_id).only("file", "size").first()
    if asset is None or asset.size > limit:
        return None
    with default_storage.open(str(asset.file.name), "rb") as handle:
        data: bytes = handle.read(limit + 1)
    return data if len(data) <= limit else None


def text_of(asset: dict[str, Any] | None) -> str | None:
    """The text of a small plain-text file (to show it on the page), or None when it is not shown."""
    if not asset or asset.get("type") != "text/plain" or int(asset.get("size") or 0) > TEXT_PREVIEW_MAX_BYTES:
        return None
    key = f"content:text:{asset['id']}"
    text: str | None = cache.get(key)
    if text is None:
        data = _read(asset["id"], limit=TEXT_PREVIEW_MAX_BYTES)
        if data is None:
            return None
        text = data.decode("utf-8", "replace")
        cache.set(key, text, _CACHE_SECONDS)
    return text


def transcript_of(data: dict[str, Any], *, language: str) -> str:
    """The transcript shown below a video or audio: the uploaded transcript if any, else the text of the
    captions (those of the reader's language first)."""
    transcript = data.get("transcript")
    if transcript:
        source, is_vtt = transcript["id"], transcript.get("type") == "text/vtt"
    else:
        tracks = [t for t in data.get("tracks") or [] if t["kind"] in (TrackKind.CAPTIONS, TrackKind.SUBTITLES)]
        if not tracks:
            return ""
        tracks.sort(key=lambda t: (t["language"] != language, t["kind"] != TrackKind.CAPTIONS))
        source, is_vtt = tracks[0]["asset_id"], True
    key = f"content:transcript:{source}"
    text: str | None = cache.get(key)
    if text is None:
        raw = _read(source, limit=TRANSCRIPT_MAX_BYTES)
        if raw is None:
            return ""
        text = vtt_transcript(raw) if is_vtt else raw.decode("utf-8", "replace").strip()
        cache.set(key, text, _CACHE_SECONDS)
    return text
