"""Every change to the institution profile, its structural units, positions and staff.

Each function validates, writes in one transaction and records an audit event with the values
before and after. Holding a position grants the role the position names (R13), through
accounts' own service, so the role change has its own audit event too.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qashyq.accounts.api import Role, user_roles, user_roles_set
from qashyq.audit import api as audit_api
from qashyq.organization.models import EducationLevel, Institution, Position, StaffMember, Unit, UnitKind
from qashyq.organization.rules import bin_validate

INSTITUTION_FIELDS = (
    "name_kk",
    "name_ru",
    "name_en",
    "bin",
    "ownership",
    "subordination",
    "education_levels",
    "city_kk",
    "city_ru",
    "licence_number",
    "licence_date",
    "licence_issuer",
    "dlt_permission_number",
    "dlt_permission_date",
    "dlt_permission_valid_until",
    "order_number_suffix",
)
UNIT_FIELDS = ("kind", "name_kk", "name_ru", "name_en", "parent")
# The three services of the DLT unit (rule 15) sit inside it.
DLT_SERVICES = frozenset({UnitKind.ADMINISTRATION, UnitKind.DIDACTICS, UnitKind.IT_SUPPORT})
# Only the head may appoint someone to a position that grants these roles.
HEAD_APPOINTS = frozenset({Role.HEAD, Role.IT_SUPPORT})


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Unit | Position):
        return value.pk
    return value


def _values(obj: Any, fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {name: _json(getattr(obj, name)) for name in fields}


def _set_fields(obj: models.Model, fields: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    """Set `fields` on `obj`; return the values of all `allowed` fields as they were before."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = _values(obj, allowed)
    for name, value in fields.items():
        setattr(obj, name, value)
    return before


def _save_changes(actor: Any, action: str, obj: models.Model, before: dict[str, Any]) -> None:
    """Save the fields of `obj` that differ from `before` and audit them; do nothing if none differ."""
    after = _values(obj, tuple(before))
    changed = [name for name in before if before[name] != after[name]]
    if not changed:
        return
    obj.save(update_fields=[*changed, "updated_at"])
    audit_api.record(
        actor=actor,
        action=action,
        target=obj,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
    )


def _today() -> date:
    return timezone.localdate()


# --- Institution --------------------------------------------------------------------------------


def _institution_validate(institution: Institution) -> None:
    errors: dict[str, str] = {}
    try:
        bin_validate(institution.bin)
    except ValidationError as error:
        errors["bin"] = error.messages[0]
    levels = institution.education_levels
    if not isinstance(levels, list) or not levels:
        errors["education_levels"] = _("Choose at least one level of education the institution provides.")
    elif unknown := [lv for lv in levels if lv not in EducationLevel.values]:
        errors["education_levels"] = _("Unknown level of education: %(value)s.") % {
            "value": ", ".join(map(str, unknown))
        }
    has_number = bool(institution.dlt_permission_number.strip())
    has_date = institution.dlt_permission_date is not None
    if has_number != has_date:
        field = "dlt_permission_date" if has_number else "dlt_permission_number"
        errors[field] = _("Give both the number and the date of the permission to use DLT, or neither.")
    if institution.dlt_permission_valid_until is not None:
        if not has_date:
            errors["dlt_permission_valid_until"] = _("A permission without a date cannot have an end date.")
        elif (
            institution.dlt_permission_date and institution.dlt_permission_valid_until < institution.dlt_permission_date
        ):
            errors["dlt_permission_valid_until"] = _("The permission cannot end before the date it was given.")
    if not institution.order_number_suffix.strip() or any(c.isspace() for c in institution.order_number_suffix):
        errors["order_number_suffix"] = _("The suffix of order numbers is one word without spaces, e.g. ОД.")
    if errors:
        raise ValidationError(errors)
    institution.full_clean()


def institution_update(*, actor: Any, **fields: Any) -> Institution:
    """Fill in or change the institution profile (one per installation); creates it the first time."""
    unknown = set(fields) - set(INSTITUTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown institution fields: {sorted(unknown)}")
    with transaction.atomic():
        institution = Institution.objects.select_for_update().order_by("pk").first()
        if institution is None:
            institution = Institution(**fields)
            _institution_validate(institution)
            institution.save()
            audit_api.record(
                actor=actor,
                action="organization.institution_created",
                target=institution,
                after=_values(institution, INSTITUTION_FIELDS),
            )
            return institution
        before = _set_fields(institution, fields, INSTITUTION_FIELDS)
        _institution_validate(institution)
        _save_changes(actor, "organization.institution_updated", institution, before)
    return institution


# --- Structural units and positions -------------------------------------------------------------


def _unit_validate(unit: Unit) -> None:
    parent = unit.parent
    if unit.kind in DLT_SERVICES and (parent is None or parent.kind != UnitKind.DLT_UNIT):
        raise ValidationError(
            {
                "parent": _("The %(kind)s is one of the three services of the DLT unit: place it inside the DLT unit.")
                % {"kind": UnitKind(unit.kind).label}
            }
        )
    if unit.kind == UnitKind.DLT_UNIT:
        other = Unit.objects.filter(kind=UnitKind.DLT_UNIT).exclude(pk=unit.pk).first()
        if other is not None:
            raise ValidationError({"kind": _("There is already a DLT unit: %(name)s.") % {"name": other.name}})
    if unit.pk is not None:
        ancestor = parent
        seen: set[int] = set()
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.pk == unit.pk:
                raise ValidationError(
                    {"parent": _("A unit cannot be placed inside itself or one of its own sub-units.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        if unit.kind != UnitKind.DLT_UNIT and unit.children.filter(kind__in=DLT_SERVICES).exists():
            raise ValidationError(
                {"kind": _("The services of the DLT unit are inside this unit: it must stay the DLT unit.")}
            )
    unit.full_clean()


def unit_create(
    *, actor: Any, kind: str, name_kk: str, name_ru: str = "", name_en: str = "", parent: Unit | None = None
) -> Unit:
    unit = Unit(kind=kind, name_kk=name_kk, name_ru=name_ru, name_en=name_en, parent=parent)
    with transaction.atomic():
        _unit_validate(unit)
        unit.save()
        audit_api.record(actor=actor, action="organization.unit_created", target=unit, after=_values(unit, UNIT_FIELDS))
    return unit


def unit_update(*, actor: Any, unit: Unit, **fields: Any) -> Unit:
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        before = _set_fields(unit, fields, UNIT_FIELDS)
        _unit_validate(unit)
        _save_changes(actor, "organization.unit_updated", unit, before)
    return unit


def position_create(
    *, actor: Any, unit: Unit, name_kk: str, name_ru: str = "", name_en: str = "", grants_role: str = ""
) -> Position:
    if grants_role and grants_role not in Role.values:
        raise ValidationError({"grants_role": _("Unknown role “%(value)s”.") % {"value": grants_role}})
    position = Position(unit=unit, name_kk=name_kk, name_ru=name_ru, name_en=name_en, grants_role=grants_role)
    with transaction.atomic():
        position.full_clean()
        position.save()
        audit_api.record(
            actor=actor,
            action="organization.position_created",
            target=position,
            after={
                "unit": unit.pk,
                "name_kk": name_kk,
                "name_ru": name_ru,
                "name_en": name_en,
                "grants_role": grants_role,
            },
        )
    return position


# --- Staff ---------------------------------------------------------------------------------------


def _position_label(position: Position) -> str:
    return f"{position.name} ({position.unit.name})"


def staff_assign(*, actor: Any, user: Any, position: Position, start_date: date) -> StaffMember:
    """Appoint `user` to `position` from `start_date`; they gain the role the position grants."""
    if start_date > _today():
        raise ValidationError(
            {
                "start_date": _("An appointment is recorded from its first day: %(date)s is still to come.")
                % {"date": f"{start_date:%d.%m.%Y}"}
            }
        )
    role = Role(position.grants_role) if position.grants_role else None
    if actor is not None:
        if actor.pk == user.pk:
            raise ValidationError(_("Nobody may appoint themselves: ask the head or a colleague."))
        if role in HEAD_APPOINTS and Role.HEAD not in user_roles(actor):
            raise ValidationError(
                _("Only the head may appoint someone to “%(position)s”: it grants the role “%(role)s”.")
                % {"position": position.name, "role": role.label if role else ""}
            )
    with transaction.atomic():
        if StaffMember.objects.filter(user=user, position=position, end_date__isnull=True).exists():
            raise ValidationError(
                {
                    "user": _("%(name)s already holds the position “%(position)s”.")
                    % {"name": user.full_name, "position": position.name}
                }
            )
        member = StaffMember(user=user, position=position, start_date=start_date)
        member.full_clean()
        member.save()
        audit_api.record(
            actor=actor,
            action="organization.staff_assigned",
            target=member,
            after={
                "user": user.pk,
                "position": position.pk,
                "start_date": start_date.isoformat(),
                "grants_role": position.grants_role,
            },
        )
        if role is not None:
            user_roles_set(
                actor=actor,
                user=user,
                roles=user_roles(user) | {role},
                reason=_("Appointed to the position %(position)s") % {"position": _position_label(position)},
            )
    return member


def staff_end(*, actor: Any, staff_member: StaffMember, end_date: date) -> StaffMember:
    """Record the last day of an appointment; the role goes unless another current position grants it."""
    with transaction.atomic():
        member = (
            StaffMember.objects.select_for_update().select_related("position__unit", "user").get(pk=staff_member.pk)
        )
        if member.end_date is not None:
            raise ValidationError(
                _("This appointment already ended on %(date)s.") % {"date": f"{member.end_date:%d.%m.%Y}"}
            )
        if end_date < member.start_date:
            raise ValidationError(
                {
                    "end_date": _("The appointment cannot end before it began (%(date)s).")
                    % {"date": f"{member.start_date:%d.%m.%Y}"}
                }
            )
        if end_date > _today():
            raise ValidationError(
                {
                    "end_date": _(
                        "The end of an appointment is recorded on or after its last day: %(date)s is still to come."
                    )
                    % {"date": f"{end_date:%d.%m.%Y}"}
                }
            )
        member.end_date = end_date
        member.full_clean()
        member.save(update_fields=["end_date", "updated_at"])
        audit_api.record(
            actor=actor,
            action="organization.staff_ended",
            target=member,
            before={"end_date": None},
            after={"end_date": end_date.isoformat()},
        )
        grants = member.position.grants_role
        if grants:
            still_granted = (
                StaffMember.objects.filter(user=member.user, end_date__isnull=True, position__grants_role=grants)
                .exclude(pk=member.pk)
                .exists()
            )
            if not still_granted:
                user = member.user
                user_roles_set(
                    actor=actor,
                    user=user,
                    roles=user_roles(user) - {Role(grants)},
                    reason=_("Left the position %(position)s") % {"position": _position_label(member.position)},
                )
    return member
