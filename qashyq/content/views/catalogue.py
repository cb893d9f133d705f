"""Pages of the didactic catalogue (rule 17): the list with filters, an entry, a new entry, editing one."""

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qashyq.academics import api as academics_api
from qashyq.accounts.api import AuthedRequest
from qashyq.content.forms.catalogue import ResourceFilterForm, ResourceForm
from qashyq.content.models import DidacticResource
from qashyq.content.permissions import catalogue as permissions
from qashyq.content.selectors import catalogue as selectors
from qashyq.content.services import catalogue as services
from qashyq.core.forms import add_service_errors


def discipline_choices(ids: Iterable[int] | None = None) -> list[tuple[int, str]]:
    """Every discipline (or those of `ids`) as (id, "code name"), by code (one query)."""
    return [(d.id, f"{d.code} {d.name}") for d in academics_api.discipline_list(ids=ids)]


@login_required
@require_GET
def resource_list(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_see_catalogue(user=request.user):
        raise Http404
    form = ResourceFilterForm(request.GET or None, disciplines=discipline_choices())
    context: dict[str, Any] = {
        "form": form,
        "page": None,
        "can_manage": permissions.can_manage_catalogue(user=request.user),
    }
    filters = selectors.ResourceFilters()
    if request.GET:
        if not form.is_valid():
            return render(request, "content/catalogue/list.html", context, status=400)
        filters = form.filters()
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        page=selectors.resource_list(filters=filters, page=request.GET.get("page", 1)), query=query.urlencode()
    )
    return render(request, "content/catalogue/list.html", context)


@login_required
@require_GET
def resource_detail(request: AuthedRequest, resource_id: int) -> HttpResponse:
    resource = permissions.access_resource(user=request.user, resource_id=resource_id)
    context = {
        "resource": resource,
        "disciplines": resource.disciplines.order_by("code"),
        "can_manage": permissions.can_manage_catalogue(user=request.user),
    }
    return render(request, "content/catalogue/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def resource_create(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_manage_catalogue(user=request.user):
        raise Http404
    status = 200
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES, disciplines=discipline_choices())
        if form.is_valid():
            try:
                resource = services.resource_create(actor=request.user, **form.resource_fields())
            except ValidationError as error:
                add_service_errors(form, error, renamed={"discipline_ids": "disciplines", "media": "medium"})
            else:
                messages.success(request, _("“%(title)s” is added to the catalogue.") % {"title": resource.name})
                return redirect("content:resource-detail", resource_id=resource.pk)
        status = 400
    else:
        form = ResourceForm(disciplines=discipline_choices())
    return render(request, "content/catalogue/form.html", {"form": form, "resource": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: AuthedRequest, resource_id: int) -> HttpResponse:
    resource = permissions.access_resource(user=request.user, resource_id=resource_id)
    if not permissions.can_manage_catalogue(user=request.user):
        raise Http404
    has_file = resource.asset_id is not None
    status = 200
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES, disciplines=discipline_choices(), has_file=has_file)
        if form.is_valid():
            try:
                resource = services.resource_update(
                    actor=request.user,
                    resource=resource,
                    remove_file=bool(form.cleaned_data.get("remove_file")),
                    **form.resource_fields(),
                )
            except ValidationError as error:
                add_service_errors(form, error, renamed={"discipline_ids": "disciplines", "media": "medium"})
            else:
                messages.success(request, _("“%(title)s” is saved.") % {"title": resource.name})
                return redirect("content:resource-detail", resource_id=resource.pk)
        status = 400
    else:
        form = ResourceForm(initial=_initial(resource), disciplines=discipline_choices(), has_file=has_file)
    return render(request, "content/catalogue/form.html", {"form": form, "resource": resource}, status=status)


def _initial(resource: DidacticResource) -> dict[str, Any]:
    return {
        "name_kk": resource.name_kk,
        "name_ru": resource.name_ru,
        "name_en": resource.name_en,
        "kind": resource.kind,
        "origin": resource.origin,
        "medium": resource.media,
        "status": resource.status,
        "disciplines": list(resource.disciplines.values_list("pk", flat=True)),
        "authors": resource.authors,
        "year": resource.year,
        "url": resource.url,
        "description": resource.description,
    }
