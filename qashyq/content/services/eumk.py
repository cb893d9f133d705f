"""Writes of e-learning methodical complexes (rule 14; R41): one per discipline and academic year.

Life of an e-UMK:
  incomplete --submit (every required component holds a material)--> under review
  under review --approve (didactic-means service)--> approved (approved_on, approved_by)
  under review | approved --return with a comment (didactic-means service)--> incomplete
Materials change only while it is incomplete: an approved e-UMK is frozen. To change one, the didactic-means
service returns it (it is then no longer approved, and the coverage of its curricula drops until it is approved
again), or next year's version is started from it (`copy_previous`). Every status change is a row of the review
trail (EumkReview) and an audit event ("content.eumk_submitted", "content.eumk_returned", "content.eumk_approved").

The list of components is configurable by the didactic-means service (component_type_*).
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from qashyq.academics import api as academics_api
from qashyq.audit import api as audit_api
from qashyq.content.data import EumkReviewAction, EumkStatus
from qashyq.content.models import DidacticResource, Eumk, EumkComponentType, EumkLink, EumkReview, Item
from qashyq.content.permissions.catalogue import (
    can_configure_eumk,
    can_create_eumk,
    can_edit_eumk,
    can_review_eumk,
)
from qashyq.content.selectors.eumk import eumk_missing_components, eumk_previous
from qashyq.content.services._audit import record_changes

# --- Helpers ------------------------------------------------------------------------------------


def _lock(eumk: Eumk) -> Eumk:
    return Eumk.objects.select_for_update().select_related("discipline", "year").get(pk=eumk.pk)


def _require_editor(actor: Any, eumk: Eumk) -> None:
    if not can_edit_eumk(user=actor, eumk=eumk):
        raise PermissionDenied(
            _("Only the didactic-means service or a teacher of this discipline's courses builds its e-UMK.")
        )


def _require_reviewer(actor: Any) -> None:
    if not can_review_eumk(user=actor):
        raise PermissionDenied(_("Only the didactic-means service reviews e-UMKs."))


def _require_incomplete(eumk: Eumk) -> None:
    if eumk.status != EumkStatus.INCOMPLETE:
        raise ValidationError(
            _(
                "This e-UMK is %(status)s: its materials cannot change. The didactic-means service may return it "
                "for changes."
            )
            % {"status": EumkStatus(eumk.status).label.lower()},
            code="frozen",
        )


def _missing_message(missing: list[EumkComponentType]) -> str:
    return _("Every required component needs at least one material. Missing: %(components)s.") % {
        "components": ", ".join(f"“{c.name}”" for c in missing)
    }


def _state(eumk: Eumk) -> dict[str, Any]:
    return {
        "status": eumk.status,
        "approved_on": eumk.approved_on.isoformat() if eumk.approved_on else None,
        "approved_by": eumk.approved_by_id,
    }


def _clean_comment(comment: str, *, required: bool) -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise ValidationError({"comment": _("Write a comment: say what must change.")}, code="required")
    return comment


# --- Creating and filling -----------------------------------------------------------------------


@transaction.atomic
def eumk_create(*, actor: Any, discipline_id: int, year_id: int, copy_previous: bool = False) -> Eumk:
    """Start the e-UMK of a discipline for an academic year; with `copy_previous`, as a new version of the
    latest earlier one, copying its materials."""
    discipline = academics_api.discipline_get(discipline_id=discipline_id)
    if discipline is None:
        raise ValidationError({"discipline": _("Choose a discipline.")}, code="invalid")
    if not can_create_eumk(user=actor, discipline_id=discipline_id):
        raise PermissionDenied(
            _("Only the didactic-means service or a teacher of this discipline's courses builds its e-UMK.")
        )
    year = academics_api.year_get(year_id=year_id)
    if year is None:
        raise ValidationError({"year": _("Choose an academic year.")}, code="invalid")
    exists = _("The e-UMK of %(discipline)s for %(year)s already exists.") % {
        "discipline": f"{discipline.code} {discipline.name}",
        "year": year.title,
    }
    if Eumk.objects.filter(discipline_id=discipline_id, year_id=year_id).exists():
        raise ValidationError({"year": exists}, code="exists")
    based_on = None
    if copy_previous:
        based_on = eumk_previous(discipline_id=discipline_id, before=year.start_date)
        if based_on is None:
            raise ValidationError(
                {
                    "copy_previous": _("%(discipline)s has no e-UMK of an earlier year to copy.")
                    % {"discipline": f"{discipline.code} {discipline.name}"}
                },
                code="no_previous",
            )
    try:
        with transaction.atomic():
            eumk = Eumk.objects.create(
                discipline_id=discipline_id, year_id=year_id, based_on=based_on, created_by=actor
            )
    except IntegrityError:  # started by someone else a moment ago
        raise ValidationError({"year": exists}, code="exists") from None
    copied = 0
    if based_on is not None:
        copied = len(
            EumkLink.objects.bulk_create(
                [
                    EumkLink(
                        eumk=eumk, component_id=link.component_id, item_id=link.item_id, resource_id=link.resource_id
                    )
                    for link in based_on.links.order_by("pk")
                ]
            )
        )
    audit_api.record(
        actor=actor,
        action="content.eumk_created",
        target=eumk,
        after={
            "discipline_id": discipline_id,
            "year_id": year_id,
            "status": eumk.status,
            "based_on": based_on.pk if based_on else None,
            "links_copied": copied,
        },
    )
    return eumk


@transaction.atomic
def eumk_link_add(
    *, actor: Any, eumk: Eumk, component_id: int, item_id: int | None = None, resource_id: int | None = None
) -> EumkLink:
    """Fill a component with an item of a course of the discipline or a catalogue resource linked to it."""
    _require_editor(actor, eumk)
    eumk = _lock(eumk)
    _require_incomplete(eumk)
    if (item_id is None) == (resource_id is None):
        raise ValidationError({"material": _("Choose one material: a course item or a catalogue resource.")})
    component = EumkComponentType.objects.filter(pk=component_id, active=True).first()
    if component is None:
        raise ValidationError({"component": _("Choose a component in use.")}, code="invalid")
    if item_id is not None:
        if not Item.objects.filter(pk=item_id, course__discipline_id=eumk.discipline_id).exists():
            raise ValidationError({"material": _("Choose an item of a course of this discipline.")}, code="invalid")
        duplicate = EumkLink.objects.filter(eumk=eumk, component=component, item_id=item_id)
    elif resource_id is not None:
        if not DidacticResource.objects.filter(pk=resource_id, disciplines=eumk.discipline_id).exists():
            raise ValidationError(
                {"material": _("Choose a catalogue resource linked to this discipline.")}, code="invalid"
            )
        duplicate = EumkLink.objects.filter(eumk=eumk, component=component, resource_id=resource_id)
    if duplicate.exists():
        raise ValidationError(
            {"material": _("This material is already in “%(component)s”.") % {"component": component.name}},
            code="duplicate",
        )
    link = EumkLink.objects.create(eumk=eumk, component=component, item_id=item_id, resource_id=resource_id)
    audit_api.record(
        actor=actor,
        action="content.eumk_link_added",
        target=eumk,
        after={"link": link.pk, "component": component.code, "item": item_id, "resource": resource_id},
    )
    return link


@transaction.atomic
def eumk_link_remove(*, actor: Any, link: EumkLink) -> None:
    """Take a material out of an incomplete e-UMK."""
    eumk = link.eumk
    _require_editor(actor, eumk)
    eumk = _lock(eumk)
    _require_incomplete(eumk)
    before = {
        "link": link.pk,
        "component": link.component.code,
        "item": link.item_id,
        "resource": link.resource_id,
    }
    EumkLink.objects.filter(pk=link.pk).delete()
    audit_api.record(actor=actor, action="content.eumk_link_removed", target=eumk, before=before)


# --- Review -------------------------------------------------------------------------------------


@transaction.atomic
def eumk_submit(*, actor: Any, eumk: Eumk, comment: str = "") -> Eumk:
    """Send an incomplete e-UMK for review: refused, changing nothing, while a required component is empty."""
    _require_editor(actor, eumk)
    eumk = _lock(eumk)
    if eumk.status != EumkStatus.INCOMPLETE:
        raise ValidationError(_("Only an incomplete e-UMK is submitted for review."), code="status")
    missing = eumk_missing_components(eumk=eumk)
    if missing:
        raise ValidationError(_missing_message(missing), code="missing")
    before = _state(eumk)
    eumk.status = EumkStatus.UNDER_REVIEW
    eumk.submitted_at = timezone.now()
    eumk.save(update_fields=["status", "submitted_at", "updated_at"])
    comment = _clean_comment(comment, required=False)
    EumkReview.objects.create(eumk=eumk, actor=actor, action=EumkReviewAction.SUBMITTED, comment=comment)
    audit_api.record(
        actor=actor, action="content.eumk_submitted", target=eumk, before=before, after=_state(eumk), reason=comment
    )
    return eumk


@transaction.atomic
def eumk_comment(*, actor: Any, eumk: Eumk, comment: str) -> EumkReview:
    """A comment on the review trail, by the didactic-means service or the e-UMK's authors; the status stays."""
    if not (can_review_eumk(user=actor) or can_edit_eumk(user=actor, eumk=eumk)):
        raise PermissionDenied(_("Only the didactic-means service and the authors comment on an e-UMK."))
    comment = _clean_comment(comment, required=True)
    eumk = _lock(eumk)
    review = EumkReview.objects.create(eumk=eumk, actor=actor, action=EumkReviewAction.COMMENTED, comment=comment)
    audit_api.record(actor=actor, action="content.eumk_commented", target=eumk, after={"comment": comment})
    return review


@transaction.atomic
def eumk_return(*, actor: Any, eumk: Eumk, comment: str) -> Eumk:
    """The didactic-means service returns an e-UMK under review, or an approved one, for changes (a comment
    saying what must change is required): it becomes incomplete and is no longer approved."""
    _require_reviewer(actor)
    comment = _clean_comment(comment, required=True)
    eumk = _lock(eumk)
    if eumk.status not in (EumkStatus.UNDER_REVIEW, EumkStatus.APPROVED):
        raise ValidationError(_("Only an e-UMK under review or approved can be returned."), code="status")
    before = _state(eumk)
    eumk.status = EumkStatus.INCOMPLETE
    eumk.submitted_at = None
    eumk.approved_on = None
    eumk.approved_by = None
    eumk.save(update_fields=["status", "submitted_at", "approved_on", "approved_by", "updated_at"])
    EumkReview.objects.create(eumk=eumk, actor=actor, action=EumkReviewAction.RETURNED, comment=comment)
    audit_api.record(
        actor=actor, action="content.eumk_returned", target=eumk, before=before, after=_state(eumk), reason=comment
    )
    return eumk


@transaction.atomic
def eumk_approve(*, actor: Any, eumk: Eumk, comment: str = "") -> Eumk:
    """The didactic-means service approves an e-UMK under review whose required components are all filled."""
    _require_reviewer(actor)
    eumk = _lock(eumk)
    if eumk.status != EumkStatus.UNDER_REVIEW:
        raise ValidationError(_("Only an e-UMK under review can be approved."), code="status")
    missing = eumk_missing_components(eumk=eumk)  # the required list may have grown since it was submitted
    if missing:
        raise ValidationError(_missing_message(missing), code="missing")
    comment = _clean_comment(comment, required=False)
    before = _state(eumk)
    eumk.status = EumkStatus.APPROVED
    eumk.approved_on = timezone.localdate()
    eumk.approved_by = actor
    eumk.save(update_fields=["status", "approved_on", "approved_by", "updated_at"])
    EumkReview.objects.create(eumk=eumk, actor=actor, action=EumkReviewAction.APPROVED, comment=comment)
    audit_api.record(
        actor=actor, action="content.eumk_approved", target=eumk, before=before, after=_state(eumk), reason=comment
    )
    return eumk


# --- The list of components ---------------------------------------------------------------------


def _require_configurer(actor: Any) -> None:
    if not can_configure_eumk(user=actor):
        raise PermissionDenied(_("Only the didactic-means service changes the e-UMK components."))


def _component_snapshot(component: EumkComponentType) -> dict[str, Any]:
    return {
        "code": component.code,
        "name_kk": component.name_kk,
        "name_ru": component.name_ru,
        "name_en": component.name_en,
        "position": component.position,
        "required": component.required,
        "active": component.active,
    }


def _free_code(wanted: str) -> str:
    base = (slugify(wanted) or "component")[:34]
    taken = set(EumkComponentType.objects.filter(code__startswith=base).values_list("code", flat=True))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


@transaction.atomic
def component_type_create(
    *, actor: Any, name_kk: str, name_ru: str = "", name_en: str = "", code: str = "", required: bool = True
) -> EumkComponentType:
    """A new component at the end of the list. Without a code, one is made from the English (or another) name."""
    _require_configurer(actor)
    code = code.strip()
    if code and EumkComponentType.objects.filter(code=code).exists():
        raise ValidationError({"code": _("The code “%(code)s” is taken.") % {"code": code}}, code="unique")
    component = EumkComponentType(
        code=code or _free_code(name_en or name_ru or name_kk),
        name_kk=name_kk.strip(),
        name_ru=name_ru.strip(),
        name_en=name_en.strip(),
        required=required,
        active=True,
        position=(EumkComponentType.objects.aggregate(last=Max("position"))["last"] or 0) + 1,
    )
    component.full_clean(validate_unique=False)
    component.save()
    audit_api.record(
        actor=actor, action="content.eumk_component_created", target=component, after=_component_snapshot(component)
    )
    return component


@transaction.atomic
def component_type_update(
    *,
    actor: Any,
    component: EumkComponentType,
    name_kk: str,
    name_ru: str = "",
    name_en: str = "",
    required: bool,
    active: bool,
) -> EumkComponentType:
    """Rename a component, make it required or optional, take it out of use (or back). Approved e-UMKs stay
    approved; the new list applies to the next submission and approval."""
    _require_configurer(actor)
    component = EumkComponentType.objects.select_for_update().get(pk=component.pk)
    before = _component_snapshot(component)
    component.name_kk, component.name_ru, component.name_en = name_kk.strip(), name_ru.strip(), name_en.strip()
    component.required, component.active = required, active
    component.full_clean(validate_unique=False)
    after = _component_snapshot(component)
    if after != before:
        component.save()
        record_changes(
            actor=actor, action="content.eumk_component_updated", target=component, before=before, after=after
        )
    return component


@transaction.atomic
def component_type_move(*, actor: Any, component: EumkComponentType, up: bool) -> None:
    """Move a component one place up or down the list (the positions are renumbered 1, 2, 3…)."""
    _require_configurer(actor)
    components = list(EumkComponentType.objects.select_for_update().order_by("position", "pk"))
    index = next(i for i, c in enumerate(components) if c.pk == component.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(components):
        return
    before = [c.code for c in components]
    components[index], components[other] = components[other], components[index]
    for position, each in enumerate(components, start=1):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])
    audit_api.record(
        actor=actor,
        action="content.eumk_component_moved",
        target=component,
        before={"order": before},
        after={"order": [c.code for c in components]},
    )
