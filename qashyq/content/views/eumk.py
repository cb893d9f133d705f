"""Pages of e-learning methodical complexes (rule 14): the list, starting one, its page (materials by component,
submission, review and the trail), the settings page of the components, and the coverage report of a programme
(with an XLSX export)."""

import tempfile
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from qashyq.academics import api as academics_api
from qashyq.accounts.api import AuthedRequest
from qashyq.content.data import EumkStatus
from qashyq.content.forms.catalogue import (
    ComponentTypeForm,
    CoverageForm,
    EumkCreateForm,
    EumkFilterForm,
    EumkLinkForm,
    EumkReviewForm,
    EumkSubmitForm,
)
from qashyq.content.models import Eumk, EumkComponentType, EumkLink
from qashyq.content.permissions import catalogue as permissions
from qashyq.content.selectors import eumk as selectors
from qashyq.content.services import eumk as services
from qashyq.content.views.catalogue import discipline_choices
from qashyq.core.forms import add_service_errors

# --- The list and starting one ------------------------------------------------------------------


@login_required
@require_GET
def eumk_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not permissions.can_list_eumks(user=user):
        raise Http404
    years = selectors.year_choices()
    current = selectors.year_today()
    data = request.GET.copy()
    if "year" not in data:  # the current year unless another (or "all", an empty value) is chosen
        data["year"] = str(current.id) if current else ""
    form = EumkFilterForm(data, years=years)
    can_review = permissions.can_review_eumk(user=user)
    context: dict[str, Any] = {
        "form": form,
        "page": None,
        "can_start": can_review or bool(permissions.staffed_discipline_ids(user=user, teachers_only=True)),
        "can_configure": permissions.can_configure_eumk(user=user),
        "can_see_coverage": permissions.can_see_coverage(user=user),
    }
    if not form.is_valid():
        return render(request, "content/eumk/list.html", context, status=400)
    filters = form.filters()
    query = data.copy()
    query.pop("page", None)
    context.update(
        page=selectors.eumk_list(user=user, filters=filters, page=request.GET.get("page", 1)),
        query=query.urlencode(),
        to_start=selectors.disciplines_to_start(user=user, year_id=filters.year_id),
        year_id=filters.year_id,
    )
    return render(request, "content/eumk/list.html", context)


def _creatable_disciplines(user: Any) -> list[tuple[int, str]]:
    if permissions.can_review_eumk(user=user):
        return discipline_choices()
    ids = permissions.staffed_discipline_ids(user=user, teachers_only=True)
    return discipline_choices(ids) if ids else []


@login_required
@require_http_methods(["GET", "POST"])
def eumk_create(request: AuthedRequest) -> HttpResponse:
    disciplines = _creatable_disciplines(request.user)
    if not disciplines:
        raise Http404
    years = selectors.year_choices()
    status = 200
    if request.method == "POST":
        form = EumkCreateForm(request.POST, disciplines=disciplines, years=years)
        if form.is_valid():
            try:
                eumk = services.eumk_create(
                    actor=request.user,
                    discipline_id=form.cleaned_data["discipline"],
                    year_id=form.cleaned_data["year"],
                    copy_previous=form.cleaned_data["copy_previous"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The e-UMK is started: link a material to every required component."))
                return redirect("content:eumk-detail", eumk_id=eumk.pk)
        status = 400
    else:
        current = selectors.year_today()
        form = EumkCreateForm(
            initial={
                "discipline": request.GET.get("discipline"),
                "year": request.GET.get("year") or (current and current.id),
            },
            disciplines=disciplines,
            years=years,
        )
    return render(request, "content/eumk/create.html", {"form": form}, status=status)


# --- One e-UMK ----------------------------------------------------------------------------------


def _material_choices(page: selectors.EumkPage) -> list[tuple[str, Any]]:
    """The items of the discipline's courses, grouped by course, then the catalogue resources."""
    groups: dict[int, tuple[str, list[tuple[str, str]]]] = {}
    for item in page.items:
        label = f"{item.course.code} — {item.course.name}"
        state = _("published") if item.live_version_id else _("draft")
        groups.setdefault(item.course_id, (label, []))[1].append((f"item:{item.pk}", f"{item.name} ({state})"))
    choices: list[tuple[str, Any]] = [(label, options) for label, options in groups.values()]
    if page.resources:
        choices.append(
            (
                _("Didactic resources"),
                [(f"resource:{r.pk}", f"{r.name} ({r.get_kind_display()})") for r in page.resources],
            )
        )
    return choices


def _link_form(page: selectors.EumkPage, data: Any = None) -> EumkLinkForm:
    """The form linking a material: the components of the page and what may be linked to them."""
    return EumkLinkForm(
        data,
        components=[(row.component.pk, row.component.name) for row in page.rows],
        materials=_material_choices(page),
    )


def _render_detail(
    request: AuthedRequest,
    eumk: Eumk,
    *,
    link_form: EumkLinkForm | None = None,
    submit_form: EumkSubmitForm | None = None,
    review_form: EumkReviewForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_edit = permissions.can_edit_eumk(user=user, eumk=eumk)
    editable = can_edit and not permissions.eumk_frozen(eumk)
    can_review = permissions.can_review_eumk(user=user)
    page = selectors.eumk_page(eumk=eumk, with_candidates=editable)
    if editable and link_form is None:
        link_form = _link_form(page)
    context = {
        "eumk": eumk,
        "page": page,
        "can_edit": can_edit,
        "editable": editable,
        "can_submit": can_edit and eumk.status == EumkStatus.INCOMPLETE,
        "can_review": can_review,
        "can_see_catalogue": permissions.can_see_catalogue(user=user),
        "can_comment": can_review or can_edit,
        "can_return": can_review and eumk.status in (EumkStatus.UNDER_REVIEW, EumkStatus.APPROVED),
        "can_approve": can_review and eumk.status == EumkStatus.UNDER_REVIEW,
        "link_form": link_form,
        "submit_form": submit_form or EumkSubmitForm(),
        "review_form": review_form or EumkReviewForm(initial={"action": "comment"}),
        "error": error,
    }
    return render(request, "content/eumk/detail.html", context, status=status)


@login_required
@require_GET
def eumk_detail(request: AuthedRequest, eumk_id: int) -> HttpResponse:
    eumk = permissions.access_eumk(user=request.user, eumk_id=eumk_id)
    return _render_detail(request, eumk)


@login_required
@require_POST
def eumk_link_add(request: AuthedRequest, eumk_id: int) -> HttpResponse:
    eumk = permissions.access_eumk(user=request.user, eumk_id=eumk_id)
    if not permissions.can_edit_eumk(user=request.user, eumk=eumk):
        raise Http404
    page = selectors.eumk_page(eumk=eumk, with_candidates=True)
    form = _link_form(page, request.POST)
    if form.is_valid():
        try:
            services.eumk_link_add(
                actor=request.user, eumk=eumk, component_id=form.cleaned_data["component"], **form.target()
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # frozen: nothing on the form to correct
                return _render_detail(request, eumk, error=" ".join(error.messages), status=400)
            add_service_errors(form, error)
        else:
            messages.success(request, _("The material is linked."))
            return redirect(reverse("content:eumk-detail", kwargs={"eumk_id": eumk.pk}) + "#components")
    return _render_detail(request, eumk, link_form=form, status=400)


@login_required
@require_POST
def eumk_link_remove(request: AuthedRequest, link_id: int) -> HttpResponse:
    link = get_object_or_404(EumkLink.objects.select_related("component"), pk=link_id)
    eumk = permissions.access_eumk(user=request.user, eumk_id=link.eumk_id)
    if not permissions.can_edit_eumk(user=request.user, eumk=eumk):
        raise Http404
    link.eumk = eumk
    try:
        services.eumk_link_remove(actor=request.user, link=link)
    except ValidationError as error:
        return _render_detail(request, eumk, error=" ".join(error.messages), status=400)
    messages.success(request, _("The material is taken out."))
    return redirect(reverse("content:eumk-detail", kwargs={"eumk_id": eumk.pk}) + "#components")


@login_required
@require_POST
def eumk_submit(request: AuthedRequest, eumk_id: int) -> HttpResponse:
    eumk = permissions.access_eumk(user=request.user, eumk_id=eumk_id)
    if not permissions.can_edit_eumk(user=request.user, eumk=eumk):
        raise Http404
    form = EumkSubmitForm(request.POST)
    if form.is_valid():
        try:
            services.eumk_submit(actor=request.user, eumk=eumk, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            return _render_detail(request, eumk, submit_form=form, error=" ".join(error.messages), status=400)
        messages.success(request, _("The e-UMK is submitted for review."))
        return redirect("content:eumk-detail", eumk_id=eumk.pk)
    return _render_detail(request, eumk, submit_form=form, status=400)


@login_required
@require_POST
def eumk_review(request: AuthedRequest, eumk_id: int) -> HttpResponse:
    """Comment (the didactic-means service or the authors), return for changes or approve (the service)."""
    eumk = permissions.access_eumk(user=request.user, eumk_id=eumk_id)
    form = EumkReviewForm(request.POST)
    if form.is_valid():
        action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
        try:
            if action == "approve":
                services.eumk_approve(actor=request.user, eumk=eumk, comment=comment)
                done = _("The e-UMK is approved.")
            elif action == "return":
                services.eumk_return(actor=request.user, eumk=eumk, comment=comment)
                done = _("The e-UMK is returned for changes.")
            else:
                services.eumk_comment(actor=request.user, eumk=eumk, comment=comment)
                done = _("The comment is added.")
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_service_errors(form, error)
                return _render_detail(request, eumk, review_form=form, status=400)
            return _render_detail(request, eumk, review_form=form, error=" ".join(error.messages), status=400)
        messages.success(request, done)
        return redirect(reverse("content:eumk-detail", kwargs={"eumk_id": eumk.pk}) + "#trail")
    return _render_detail(request, eumk, review_form=form, status=400)


# --- Components ---------------------------------------------------------------------------------


def _require_configurer(request: AuthedRequest) -> None:
    if not permissions.can_configure_eumk(user=request.user):
        raise Http404


@login_required
@require_GET
def component_list(request: AuthedRequest) -> HttpResponse:
    _require_configurer(request)
    components = selectors.component_types(active_only=False)
    return render(request, "content/eumk/components.html", {"components": components})


@login_required
@require_http_methods(["GET", "POST"])
def component_create(request: AuthedRequest) -> HttpResponse:
    _require_configurer(request)
    status = 200
    if request.method == "POST":
        form = ComponentTypeForm(request.POST, creating=True)
        if form.is_valid():
            try:
                services.component_type_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The component is added."))
                return redirect("content:eumk-components")
        status = 400
    else:
        form = ComponentTypeForm(creating=True, initial={"required": True})
    return render(request, "content/eumk/component_form.html", {"form": form, "component": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def component_edit(request: AuthedRequest, component_id: int) -> HttpResponse:
    _require_configurer(request)
    component = get_object_or_404(EumkComponentType, pk=component_id)
    status = 200
    if request.method == "POST":
        form = ComponentTypeForm(request.POST, creating=False)
        if form.is_valid():
            try:
                services.component_type_update(actor=request.user, component=component, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The component is saved."))
                return redirect("content:eumk-components")
        status = 400
    else:
        form = ComponentTypeForm(
            creating=False,
            initial={
                "name_kk": component.name_kk,
                "name_ru": component.name_ru,
                "name_en": component.name_en,
                "required": component.required,
                "active": component.active,
            },
        )
    context = {"form": form, "component": component}
    return render(request, "content/eumk/component_form.html", context, status=status)


@login_required
@require_POST
def component_move(request: AuthedRequest, component_id: int) -> HttpResponse:
    _require_configurer(request)
    component = get_object_or_404(EumkComponentType, pk=component_id)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return render(
            request,
            "error.html",
            {"status": 400, "title": _("Bad request"), "message": _("Move a component up or down.")},
            status=400,
        )
    services.component_type_move(actor=request.user, component=component, up=direction == "up")
    return redirect(reverse("content:eumk-components") + f"#component-{component.pk}")


# --- Coverage -----------------------------------------------------------------------------------


def _coverage_form(request: AuthedRequest) -> tuple[CoverageForm, dict[int, str], dict[int, str]]:
    """The programme and year chosen (by default the first programme and the current year), with the labels."""
    programmes = {p.id: f"{p.code} {p.name}" for p in academics_api.programme_list()}
    years = dict(selectors.year_choices())
    data = request.GET.copy()
    if not data.get("programme") and programmes:
        data["programme"] = str(next(iter(programmes)))
    if not data.get("year"):
        current = selectors.year_today()
        if current is not None:
            data["year"] = str(current.id)
    form = CoverageForm(data, programmes=list(programmes.items()), years=list(years.items()))
    return form, programmes, years


def _coverage_summary(rows: list[selectors.CoverageLine]) -> dict[str, int]:
    disciplines = {row.line.discipline.id for row in rows}
    approved = {row.line.discipline.id for row in rows if row.approved}
    return {"total": len(disciplines), "approved": len(approved)}


@login_required
@require_GET
def coverage(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_see_coverage(user=request.user):
        raise Http404
    form, programmes, years = _coverage_form(request)
    if not form.is_valid():
        return render(request, "content/eumk/coverage.html", {"form": form, "rows": None}, status=400)
    programme_id, year_id = form.cleaned_data["programme"], form.cleaned_data["year"]
    rows = selectors.coverage_lines(programme_id=programme_id, year_id=year_id)
    context = {
        "form": form,
        "rows": rows,
        "programme": programmes[programme_id],
        "year": years[year_id],
        "summary": _coverage_summary(rows),
        "query": urlencode({"programme": programme_id, "year": year_id}),
    }
    return render(request, "content/eumk/coverage.html", context)


@login_required
@require_GET
def coverage_export(request: AuthedRequest) -> HttpResponseBase:
    """The coverage report as an XLSX workbook."""
    if not permissions.can_see_coverage(user=request.user):
        raise Http404
    form, programmes, years = _coverage_form(request)
    if not form.is_valid():
        return render(
            request,
            "error.html",
            {"status": 400, "title": _("Bad request"), "message": _("Choose a programme and an academic year.")},
            status=400,
        )
    programme_id, year_id = form.cleaned_data["programme"], form.cleaned_data["year"]
    rows = selectors.coverage_lines(programme_id=programme_id, year_id=year_id)
    summary = _coverage_summary(rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("e-UMK coverage")[:31])
    sheet.append([_("Educational programme"), programmes[programme_id]])
    sheet.append([_("Academic year"), years[year_id]])
    sheet.append(
        [
            _("Approved"),
            _("%(approved)s of %(total)s disciplines") % summary,
        ]
    )
    sheet.append([])
    sheet.append([_("Academic period"), _("Code"), _("Discipline"), _("Credits"), _("e-UMK status"), _("Approved on")])
    for row in rows:
        sheet.append(
            [
                row.line.period_number,
                row.line.discipline.code,
                row.line.discipline.name,
                row.line.credits,
                str(EumkStatus(row.eumk.status).label) if row.eumk else _("No e-UMK"),
                row.eumk.approved_on if row.eumk and row.eumk.approved_on else None,
            ]
        )
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(out)
    out.seek(0)
    programme_code = programmes[programme_id].split(" ", 1)[0]
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"eumk-coverage-{programme_code}-{timezone.localdate().isoformat()}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
