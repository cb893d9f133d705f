"""The DLT registry (R56) of the administration service and the head: the filtered list with its counts, and
its export to XLSX."""

import tempfile
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from qashyq.academics import api as academics_api
from qashyq.accounts.api import AuthedRequest
from qashyq.core.iin import iin_mask
from qashyq.dlt.forms.registry import RegistryFilterForm
from qashyq.dlt.permissions import registry as permissions
from qashyq.dlt.selectors import registry as selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(request: AuthedRequest) -> RegistryFilterForm:
    """The filters of the query string, with the programmes and academic periods to choose from (two queries)."""
    programmes = [(p.id, f"{p.code} {p.name}") for p in academics_api.programme_list()]
    return RegistryFilterForm(request.GET, programmes=programmes, periods=academics_api.period_list())


@login_required
@require_GET
def registry(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_view_registry(user=request.user):
        raise Http404
    form = _form(request)
    if not form.is_valid():
        return render(request, "dlt/registry/list.html", {"form": form, "registry": None}, status=400)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "registry": selectors.registry_page(
            filters=form.filters(), today=timezone.localdate(), page=request.GET.get("page", 1)
        ),
        "query": query.urlencode(),
    }
    return render(request, "dlt/registry/list.html", context)


def _export_header() -> list[str]:
    return [
        _("Student"),
        _("IIN"),
        _("Programme"),
        _("Group"),
        _("Category"),
        _("DLT type"),
        _("From"),
        _("Until"),
        _("Status"),
        _("Order number"),
        _("Order date"),
    ]


def _export_values(row: selectors.RegistryRow, *, full_iin: bool) -> list[Any]:
    enrolment = row.enrolment
    student, order = enrolment.student, enrolment.order
    return [
        student.full_name,
        student.iin if full_iin else iin_mask(student.iin),
        enrolment.programme.code,
        student.group.code if student.group is not None else "",
        enrolment.get_category_display(),
        enrolment.get_dlt_type_display(),
        enrolment.starts_on,
        enrolment.ends_on,
        str(row.status.label),
        order.number_label,
        order.order_date,
    ]


@login_required
@require_GET
def registry_export(request: AuthedRequest) -> HttpResponseBase:
    """The filtered registry as XLSX, written row by row (openpyxl's write-only mode, the rows read in chunks)
    to a temporary file that is streamed back."""
    user = request.user
    if not permissions.can_view_registry(user=user):
        raise Http404
    form = _form(request)
    if not form.is_valid():
        return render(
            request,
            "error.html",
            {"status": 400, "title": _("Bad request"), "message": _("The filters are not valid.")},
            status=400,
        )
    full_iin = permissions.can_see_iin(user=user)
    today = timezone.localdate()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("DLT registry")[:31])
    sheet.append(_export_header())
    for row in selectors.registry_export_rows(filters=form.filters(), today=today):
        sheet.append(_export_values(row, full_iin=full_iin))
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"dlt-registry-{today.isoformat()}.xlsx", content_type=XLSX)
