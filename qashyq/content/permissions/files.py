"""Who may download a stored file. "Not yours" and "does not exist" both give 404.

A file is visible to
- its uploader;
- those who may see the drafts of a course (its staff, administration, head, didactics) when an item of the
  course holds it (as its file, transcript or a caption track, in the draft, in any published version, or as
  an image of a page), or its SCORM package;
- a student of the course when the item's *published* version names it (file, transcript, track, or an image
  of the page), the item is published and open to them now (availability dates, prerequisite);
- those who may read the didactic catalogue, when a catalogue resource holds it;
- those who may build the course's case packages, for a built case package.
"""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from qashyq.accounts.api import Role, user_roles
from qashyq.content.data import AssetPurpose, ProgressStatus
from qashyq.content.models import (
    Asset,
    CasePackage,
    DidacticResource,
    Enrolment,
    Item,
    ItemProgress,
    ItemVersion,
    ScormPackage,
)
from qashyq.content.permissions.catalogue import access_resource
from qashyq.content.permissions.courses import can_see_drafts, enrolment_for
from qashyq.content.permissions.delivery import can_build_case_package
from qashyq.content.permissions.items import access_item
from qashyq.content.rules import item_lock

# Roles that may see some course's drafts; anyone else is only ever a student of the published version.
DRAFT_ROLES = frozenset({Role.TEACHER, Role.TUTOR, Role.ADMINISTRATION, Role.HEAD, Role.DIDACTICS})
# Files that may appear as images or links inside a page's text.
EMBEDDABLE = frozenset({AssetPurpose.IMAGE, AssetPurpose.FILE})


def _same(value: Any, hex_id: str) -> bool:
    return isinstance(value, str) and value.replace("-", "").lower() == hex_id


def names_asset(data: dict[str, Any], asset_id: UUID) -> bool:
    """Whether a published version's data names the file: as its file, transcript, a track, or in its text."""
    hex_id = asset_id.hex
    for key in ("asset", "transcript"):
        ref = data.get(key)
        if isinstance(ref, dict) and _same(ref.get("id"), hex_id):
            return True
    for track in data.get("tracks") or ():
        if isinstance(track, dict) and _same(track.get("asset_id"), hex_id):
            return True
    text = f"{data.get('body') or ''} {data.get('url') or ''}"
    return str(asset_id) in text or hex_id in text


def _via_drafts(user: Any, asset: Asset) -> bool:
    held = Q(asset_id=asset.pk) | Q(transcript_id=asset.pk) | Q(tracks__asset_id=asset.pk)
    if asset.purpose in EMBEDDABLE:
        held |= Q(body__contains=str(asset.pk))
    scorm = ScormPackage.objects.filter(asset_id=asset.pk).values("pk")
    if asset.purpose == AssetPurpose.SCORM:
        held |= Q(scorm_package__in=scorm)
    for item in Item.objects.filter(held).select_related("course").distinct():
        if can_see_drafts(user=user, course=item.course):
            return True
    return False


def _open_to_student(user: Any, version: ItemVersion) -> bool:
    """A live version's item as its student may open it now (published, course visible, not locked)."""
    try:
        item = access_item(user=user, item_id=version.item_id)
    except Http404:
        return False
    if item.live_version_id != version.pk:
        return False
    enrolment = enrolment_for(user=user, course=item.course)
    if enrolment is None:
        return True
    prerequisite = version.data.get("prerequisite_id")
    completed: set[int] = set()
    if (
        prerequisite is not None
        and ItemProgress.objects.filter(
            enrolment=enrolment, item_id=int(prerequisite), status=ProgressStatus.COMPLETED
        ).exists()
    ):
        completed.add(int(prerequisite))
    return not item_lock(data=version.data, now=timezone.now(), completed_item_ids=completed)


def _via_versions(user: Any, asset: Asset, roles: frozenset[Role]) -> bool:
    versions = ItemVersion.objects.filter(
        Q(data__icontains=str(asset.pk)) | Q(data__icontains=asset.pk.hex)
    ).select_related("item__course")
    if not roles & DRAFT_ROLES:
        # A student sees the live versions of the courses they are enrolled in, nothing else.
        versions = versions.filter(
            Exists(
                Enrolment.objects.filter(course_id=OuterRef("item__course_id"), active=True, student__user_id=user.pk)
            ),
            item__live_version=F("pk"),
        )
    for version in versions:
        if not names_asset(version.data, asset.pk):
            continue
        if can_see_drafts(user=user, course=version.item.course):
            return True
        if version.item.live_version_id == version.pk and _open_to_student(user, version):
            return True
    return False


def _via_catalogue(user: Any, asset: Asset) -> bool:
    for resource_id in DidacticResource.objects.filter(asset_id=asset.pk).values_list("pk", flat=True):
        try:
            access_resource(user=user, resource_id=resource_id)
        except Http404:
            continue
        return True
    return False


def _via_case_package(user: Any, asset: Asset) -> bool:
    return any(
        can_build_case_package(user=user, course=package.course)
        for package in CasePackage.objects.filter(asset_id=asset.pk).select_related("course")
    )


def access_asset(*, user: Any, asset_id: UUID | str) -> Asset:
    """The stored file if `user` may download it (see the module's docstring); else 404."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise Http404
    try:
        asset = Asset.objects.get(pk=asset_id)
    except (Asset.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    if asset.uploaded_by_id is not None and asset.uploaded_by_id == user.pk:
        return asset
    roles = user_roles(user)
    if not roles:
        raise Http404
    if asset.purpose == AssetPurpose.CASE_PACKAGE:
        if _via_case_package(user, asset):
            return asset
        raise Http404
    if asset.purpose == AssetPurpose.RESOURCE and _via_catalogue(user, asset):
        return asset
    if roles & DRAFT_ROLES and _via_drafts(user, asset):
        return asset
    if _via_versions(user, asset, roles):
        return asset
    if asset.purpose != AssetPurpose.RESOURCE and _via_catalogue(user, asset):
        return asset
    raise Http404
