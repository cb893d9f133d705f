"""Pages of the institution profile and structure: check access, validate, call one service, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qashyq.accounts.api import AuthedRequest
from qashyq.core.forms import add_service_errors
from qashyq.organization import api, permissions, selectors, services
from qashyq.organization.forms import InstitutionForm, PositionForm, StaffAssignForm, StaffEndForm, UnitForm
from qashyq.organization.models import EducationLevel, Institution, UnitKind

_REDISPLAY = 400  # a form sent back with errors


def _institution_initial(institution: Institution | None) -> dict[str, Any]:
    if institution is None:
        return {"order_number_suffix": "ОД"}
    return {name: getattr(institution, name) for name in services.INSTITUTION_FIELDS}


@login_required
@require_GET
def institution_detail(request: AuthedRequest) -> HttpResponse:
    institution = permissions.access_institution(user=request.user)
    context = {
        "institution": institution,
        "can_edit": permissions.can_manage_organization(user=request.user),
        "levels": [dict(EducationLevel.choices).get(v, v) for v in institution.education_levels] if institution else [],
        "dlt": api.dlt_allowed(on=timezone.localdate()) if institution else None,
    }
    return render(request, "organization/institution.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def institution_edit(request: AuthedRequest) -> HttpResponse:
    institution = permissions.access_institution(user=request.user, edit=True)
    status = 200
    if request.method == "POST":
        form = InstitutionForm(request.POST)
        if form.is_valid():
            try:
                services.institution_update(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The institution profile is saved."))
                return redirect("organization:institution")
        status = _REDISPLAY
    else:
        form = InstitutionForm(initial=_institution_initial(institution))
    return render(
        request, "organization/institution_form.html", {"form": form, "institution": institution}, status=status
    )


@login_required
@require_GET
def structure(request: AuthedRequest) -> HttpResponse:
    permissions.access_structure(user=request.user)
    nodes = selectors.unit_tree()
    roots = [node for node in nodes if node.depth == 0]
    has_dlt_unit = any(node.unit.kind == UnitKind.DLT_UNIT for node in nodes)
    return render(request, "organization/structure.html", {"roots": roots, "has_dlt_unit": has_dlt_unit})


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: AuthedRequest) -> HttpResponse:
    permissions.access_structure(user=request.user)
    choices = selectors.unit_choices()
    status = 200
    if request.method == "POST":
        form = UnitForm(request.POST, parent_choices=choices)
        if form.is_valid():
            data = dict(form.cleaned_data)
            parent_id = data.pop("parent")
            parent = permissions.access_unit(user=request.user, unit_id=parent_id) if parent_id else None
            try:
                unit = services.unit_create(actor=request.user, parent=parent, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The unit “%(name)s” is added.") % {"name": unit.name})
                return redirect("organization:structure")
        status = _REDISPLAY
    else:
        parent_id = request.GET.get("parent", "")
        form = UnitForm(initial={"parent": parent_id if parent_id.isdigit() else ""}, parent_choices=choices)
    return render(request, "organization/unit_form.html", {"form": form, "unit": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: AuthedRequest, unit_id: int) -> HttpResponse:
    unit = permissions.access_unit(user=request.user, unit_id=unit_id)
    choices = selectors.unit_choices(exclude=unit)
    status = 200
    if request.method == "POST":
        form = UnitForm(request.POST, parent_choices=choices)
        if form.is_valid():
            data = dict(form.cleaned_data)
            parent_id = data.pop("parent")
            parent = permissions.access_unit(user=request.user, unit_id=parent_id) if parent_id else None
            try:
                services.unit_update(actor=request.user, unit=unit, parent=parent, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The unit “%(name)s” is saved.") % {"name": unit.name})
                return redirect("organization:structure")
        status = _REDISPLAY
    else:
        form = UnitForm(
            initial={
                "kind": unit.kind,
                "name_kk": unit.name_kk,
                "name_ru": unit.name_ru,
                "name_en": unit.name_en,
                "parent": unit.parent_id or "",
            },
            parent_choices=choices,
        )
    return render(request, "organization/unit_form.html", {"form": form, "unit": unit}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def position_create(request: AuthedRequest, unit_id: int) -> HttpResponse:
    unit = permissions.access_unit(user=request.user, unit_id=unit_id)
    status = 200
    if request.method == "POST":
        form = PositionForm(request.POST)
        if form.is_valid():
            try:
                position = services.position_create(actor=request.user, unit=unit, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The position “%(name)s” is added.") % {"name": position.name})
                return redirect("organization:structure")
        status = _REDISPLAY
    else:
        form = PositionForm()
    return render(request, "organization/position_form.html", {"form": form, "unit": unit}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def staff_assign(request: AuthedRequest, position_id: int) -> HttpResponse:
    position = permissions.access_position(user=request.user, position_id=position_id)
    status = 200
    if request.method == "POST":
        form = StaffAssignForm(request.POST)
        if form.is_valid():
            person = form.cleaned_data["user"]
            try:
                services.staff_assign(
                    actor=request.user, user=person, position=position, start_date=form.cleaned_data["start_date"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is appointed to the position “%(position)s”.")
                    % {"name": person.full_name, "position": position.name},
                )
                return redirect("organization:structure")
        status = _REDISPLAY
    else:
        form = StaffAssignForm()
    context = {"form": form, "position": position, "history": selectors.staff_history(position=position)}
    return render(request, "organization/staff_assign.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def staff_end(request: AuthedRequest, staff_member_id: int) -> HttpResponse:
    member = permissions.access_staff_member(user=request.user, staff_member_id=staff_member_id)
    status = 200
    if request.method == "POST":
        form = StaffEndForm(request.POST)
        if form.is_valid():
            try:
                services.staff_end(actor=request.user, staff_member=member, end_date=form.cleaned_data["end_date"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s no longer holds the position “%(position)s”.")
                    % {"name": member.user.full_name, "position": member.position.name},
                )
                return redirect("organization:structure")
        status = _REDISPLAY
    else:
        form = StaffEndForm()
    return render(request, "organization/staff_end.html", {"form": form, "member": member}, status=status)
