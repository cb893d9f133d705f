"""Writes of the didactic catalogue (rule 17): the didactic-means service adds and edits entries.

An entry may carry an address (URL) and/or one stored file (`storage.store_upload`, purpose "resource",
downloaded through `content:asset` after `access_asset`). Every create and update is an audit event.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qashyq.academics import api as academics_api
from qashyq.audit import api as audit_api
from qashyq.content import storage
from qashyq.content.data import AssetPurpose, ResourceMedia
from qashyq.content.models import DidacticResource
from qashyq.content.permissions.catalogue import can_manage_catalogue
from qashyq.content.services._audit import record_changes

FIELDS = ("name_kk", "name_ru", "name_en", "kind", "origin", "media", "status", "authors", "year", "url", "description")
EARLIEST_YEAR = 1950


def resource_file_types() -> frozenset[str]:
    """What a catalogue entry's file may be: documents, images, video, audio and ZIP archives."""
    return storage.DOCUMENT_TYPES | storage.IMAGE_TYPES | storage.VIDEO_TYPES | storage.AUDIO_TYPES | storage.ZIP_TYPES


def _require_manager(actor: Any) -> None:
    if not can_manage_catalogue(user=actor):
        raise PermissionDenied(_("Only the didactic-means service keeps the catalogue."))


def _snapshot(resource: DidacticResource, discipline_ids: Iterable[int]) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(resource, name) for name in FIELDS}
    values["discipline_ids"] = sorted(discipline_ids)
    values["asset"] = str(resource.asset_id) if resource.asset_id else None
    return values


def _check(resource: DidacticResource, discipline_ids: list[int], *, has_file: bool) -> None:
    """Every problem of the entry, by field (ValidationError); nothing is written before this passes."""
    errors: dict[str, list[str]] = {}
    try:
        resource.full_clean(exclude=["created_by", "asset", "disciplines"], validate_unique=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    latest = timezone.localdate().year + 1
    if resource.year is not None and not EARLIEST_YEAR <= resource.year <= latest:
        errors.setdefault("year", []).append(
            _("Enter a year from %(first)s to %(last)s.") % {"first": EARLIEST_YEAR, "last": latest}
        )
    if resource.media == ResourceMedia.NETWORK and not resource.url and not has_file:
        errors.setdefault("url", []).append(_("A network resource needs an address or an attached file."))
    if discipline_ids:
        known = {d.id for d in academics_api.discipline_list(ids=discipline_ids)}
        unknown = sorted(set(discipline_ids) - known)
        if unknown:
            errors.setdefault("disciplines", []).append(
                _("These disciplines do not exist: %(ids)s.") % {"ids": ", ".join(str(i) for i in unknown)}
            )
    if errors:
        raise ValidationError(errors)


def _store(upload: UploadedFile, actor: Any) -> Any:
    return storage.store_upload(
        upload=upload,
        purpose=AssetPurpose.RESOURCE,
        actor=actor,
        allowed=resource_file_types(),
        field="file",
    )


@transaction.atomic
def resource_create(
    *,
    actor: Any,
    name_kk: str,
    kind: str,
    origin: str,
    media: str,
    status: str,
    name_ru: str = "",
    name_en: str = "",
    discipline_ids: Iterable[int] = (),
    authors: str = "",
    year: int | None = None,
    url: str = "",
    description: str = "",
    upload: UploadedFile | None = None,
) -> DidacticResource:
    """A new catalogue entry. Bad values (or a refused file) raise ValidationError naming the field; nothing
    is stored then."""
    _require_manager(actor)
    ids = sorted(set(discipline_ids))
    resource = DidacticResource(
        name_kk=name_kk.strip(),
        name_ru=name_ru.strip(),
        name_en=name_en.strip(),
        kind=kind,
        origin=origin,
        media=media,
        status=status,
        authors=authors.strip(),
        year=year,
        url=url.strip(),
        description=description.strip(),
        created_by=actor,
    )
    _check(resource, ids, has_file=upload is not None)
    if upload is not None:
        resource.asset = _store(upload, actor)
    resource.save()
    resource.disciplines.set(ids)
    audit_api.record(actor=actor, action="content.resource_created", target=resource, after=_snapshot(resource, ids))
    return resource


@transaction.atomic
def resource_update(
    *,
    actor: Any,
    resource: DidacticResource,
    name_kk: str,
    kind: str,
    origin: str,
    media: str,
    status: str,
    name_ru: str = "",
    name_en: str = "",
    discipline_ids: Iterable[int] = (),
    authors: str = "",
    year: int | None = None,
    url: str = "",
    description: str = "",
    upload: UploadedFile | None = None,
    remove_file: bool = False,
) -> DidacticResource:
    """Change a catalogue entry; a new file replaces the old one, `remove_file` detaches it (the stored file
    itself is kept: earlier downloads and the audit trail still name it)."""
    _require_manager(actor)
    resource = DidacticResource.objects.select_for_update().get(pk=resource.pk)
    old_ids = sorted(resource.disciplines.values_list("pk", flat=True))
    before = _snapshot(resource, old_ids)
    ids = sorted(set(discipline_ids))
    for name, value in (
        ("name_kk", name_kk.strip()),
        ("name_ru", name_ru.strip()),
        ("name_en", name_en.strip()),
        ("kind", kind),
        ("origin", origin),
        ("media", media),
        ("status", status),
        ("authors", authors.strip()),
        ("year", year),
        ("url", url.strip()),
        ("description", description.strip()),
    ):
        setattr(resource, name, value)
    keeps_file = upload is not None or (resource.asset_id is not None and not remove_file)
    _check(resource, ids, has_file=keeps_file)
    if upload is not None:
        resource.asset = _store(upload, actor)
    elif remove_file:
        resource.asset = None
    after = _snapshot(resource, ids)
    if after == before:
        return resource
    resource.save()
    if ids != old_ids:
        resource.disciplines.set(ids)
    record_changes(actor=actor, action="content.resource_updated", target=resource, before=before, after=after)
    return resource
