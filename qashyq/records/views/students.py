"""Pages of the student body: the list with search and filters, export, the card, a new record,
contacts, and the import (upload → preview → confirm)."""

import csv
import tempfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from qashyq.academics import api as academics_api
from qashyq.academics.data import FormOfStudy, Language
from qashyq.accounts.api import AuthedRequest
from qashyq.core.forms import add_service_errors
from qashyq.records import imports, permissions
from qashyq.records.models import Student
from qashyq.records.selectors import orders as order_selectors
from qashyq.records.selectors import students as selectors
from qashyq.records.services import orders as order_services
from qashyq.records.services import students as services
from qashyq.records.student_forms import (
    StudentContactsForm,
    StudentCreateForm,
    StudentFilterForm,
    StudentImportConfirmForm,
    StudentImportForm,
)

IMPORT_SESSION_KEY = "records.student_import"
EXPORT_COLUMNS = (*imports.COLUMN_KEYS, "status")

_STUDENT_FIELDS = {"programme_id": "programme", "group_id": "group"}


def _choices() -> dict[str, list[tuple[int, str]]]:
    """Groups and programmes for the filter and create forms."""
    return {
        "groups": [(g.id, g.code) for g in academics_api.group_list()],
        "programmes": [(p.id, f"{p.code} {p.name}") for p in academics_api.programme_list()],
    }


# The search text may be an IIN, which never goes into a URL (it would land in logs and history):
# it travels by POST and is kept in the session; the other filters stay in the query string.
SEARCH_SESSION_KEY = "records.student_search"


def _filters(request: AuthedRequest) -> tuple[StudentFilterForm, selectors.StudentFilters | None]:
    data = request.GET.copy()
    data["q"] = request.session.get(SEARCH_SESSION_KEY, "")
    form = StudentFilterForm(data, **_choices())
    return form, (form.filters() if form.is_valid() else None)


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, value))


@login_required
@require_http_methods(["GET", "POST"])
def student_list(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_list_students(user=request.user):
        raise Http404
    if request.method == "POST" or "q" in request.GET:
        form = StudentFilterForm(request.POST if request.method == "POST" else request.GET, **_choices())
        if form.is_valid():
            request.session[SEARCH_SESSION_KEY] = form.cleaned_data["q"].strip()
            query = {k: v for k, v in form.data.items() if k not in ("q", "page", "csrfmiddlewaretoken") and v}
            url = reverse("records:student-list")
            return redirect(f"{url}?{urlencode(query)}" if query else url)
        return render(request, "records/students/list.html", {"form": form, "page": None}, status=400)
    form, filters = _filters(request)
    if filters is None:
        return render(request, "records/students/list.html", {"form": form, "page": None}, status=400)
    page = selectors.student_list(user=request.user, filters=filters, page=request.GET.get("page", 1))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [
            (
                student,
                permissions.iin_shown(user=request.user, student=student),
                _label(FormOfStudy, student.form_of_study),
            )
            for student in page.object_list
        ],
        "capped": page.paginator.capped,  # type: ignore[attr-defined]
        "count_cap": selectors.COUNT_CAP,
        "query": query.urlencode(),
        "can_manage": permissions.can_manage_students(user=request.user),
    }
    return render(request, "records/students/list.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _export_values(user: Any, student: Student, *, disability: bool) -> list[Any]:
    values: dict[str, Any] = {
        "iin": permissions.iin_shown(user=user, student=student),
        "last_name": student.last_name,
        "first_name": student.first_name,
        "patronymic": student.patronymic,
        "name_latin": student.name_latin,
        "birth_date": student.birth_date,
        "sex": student.sex,
        "citizenship": student.citizenship,
        "phone": student.phone,
        "email": student.email,
        "address": student.address,
        "programme": student.programme.code,
        "group": student.group.code if student.group is not None else "",
        "form_of_study": student.form_of_study,
        "language": student.language,
        "funding": student.funding,
        "bolashak": "yes" if student.bolashak else "no",
        "disability": student.disability,
        "course_year": student.course_year,
        "status": student.status,
    }
    return [values[key] for key in _export_columns(disability=disability)]


def _export_columns(*, disability: bool) -> list[str]:
    return [key for key in EXPORT_COLUMNS if disability or key != "disability"]


@login_required
@require_GET
def student_export(request: AuthedRequest, fmt: str) -> HttpResponseBase:
    """The filtered list as CSV (streamed) or XLSX (written row by row to a temporary file); the IIN
    is masked and the disability column left out for those who may not see them."""
    if fmt not in ("csv", "xlsx") or not permissions.can_list_students(user=request.user):
        raise Http404
    _form, filters = _filters(request)
    if filters is None:
        return render(
            request,
            "error.html",
            {"status": 400, "title": _("Bad request"), "message": _("The filters are not valid.")},
            status=400,
        )
    user = request.user
    disability = permissions.can_see_disability(user=user)
    columns = _export_columns(disability=disability)
    students = selectors.student_export_rows(user=user, filters=filters)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":

        def lines() -> Iterator[str]:
            writer = csv.writer(_Echo(), delimiter=";")
            yield "\ufeff" + writer.writerow(columns)  # the mark makes spreadsheet programs read UTF-8
            for student in students:
                yield writer.writerow(_export_values(user, student, disability=disability))

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="students-{stamp}.csv"'
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(imports.SHEET_NAME)
    sheet.append(columns)
    for student in students:
        sheet.append(_export_values(user, student, disability=disability))
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(out)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"students-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_GET
def student_detail(request: AuthedRequest, student_id: int) -> HttpResponse:
    student = permissions.access_student(user=request.user, student_id=student_id)
    order_services.orders_apply_due(today=timezone.localdate())  # orders due today change the record
    card = selectors.student_card(student_id=student.pk)
    student = card.student
    can_view_orders = permissions.can_view_orders(user=request.user)
    history = [(item, order_selectors.item_description(item, item.order.kind)) for item in card.history]
    context = {
        "student": student,
        "iin": permissions.iin_shown(user=request.user, student=student),
        "form_of_study": _label(FormOfStudy, student.form_of_study),
        "language": _label(Language, student.language),
        "show_disability": permissions.can_see_disability(user=request.user),
        "history": history,
        "can_view_orders": can_view_orders,
        "can_manage": permissions.can_manage_students(user=request.user),
    }
    return render(request, "records/students/detail.html", context)


@login_required
@require_GET
def student_mine(request: AuthedRequest) -> HttpResponse:
    """ "My record" of the student menu: the signed-in student's own card."""
    student_id = selectors.student_for_user(user_id=request.user.pk)
    if student_id is None:
        raise Http404
    return redirect("records:student-detail", student_id=student_id)


@login_required
@require_http_methods(["GET", "POST"])
def student_create(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_manage_students(user=request.user):
        raise Http404
    choices = _choices()
    status = 200
    if request.method == "POST":
        form = StudentCreateForm(request.POST, **choices)
        if form.is_valid():
            try:
                student = services.student_create(actor=request.user, **form.student_fields())
            except ValidationError as error:
                add_service_errors(form, error, renamed=_STUDENT_FIELDS)
            else:
                messages.success(request, _("The record of %(name)s is created.") % {"name": student.full_name})
                return redirect("records:student-detail", student_id=student.pk)
        status = 400
    else:
        form = StudentCreateForm(**choices)
    return render(request, "records/students/create.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def student_contacts(request: AuthedRequest, student_id: int) -> HttpResponse:
    student = permissions.access_student(user=request.user, student_id=student_id)
    if not permissions.can_manage_students(user=request.user):
        raise Http404
    status = 200
    if request.method == "POST":
        form = StudentContactsForm(request.POST)
        if form.is_valid():
            try:
                services.student_update_contacts(actor=request.user, student=student, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error, renamed=_STUDENT_FIELDS)
            else:
                messages.success(request, _("The contacts of %(name)s are saved.") % {"name": student.full_name})
                return redirect("records:student-detail", student_id=student.pk)
        status = 400
    else:
        form = StudentContactsForm(initial={key: getattr(student, key) for key in services.CONTACT_FIELDS})
    return render(request, "records/students/contacts.html", {"form": form, "student": student}, status=status)


@login_required
@require_GET
def student_import_template(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_manage_students(user=request.user):
        raise Http404
    response = HttpResponse(
        imports.template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="students-template.xlsx"'
    return response


def _forget_staged(request: AuthedRequest) -> None:
    token = request.session.pop(IMPORT_SESSION_KEY, None)
    if token:
        services.student_import_discard(actor=request.user, token=token)


@login_required
@require_http_methods(["GET", "POST"])
def student_import(request: AuthedRequest) -> HttpResponse:
    """Upload a file and see the preview: every problem by row and column, or how many are ready."""
    if not permissions.can_manage_students(user=request.user):
        raise Http404
    context: dict[str, Any] = {"columns": imports.COLUMNS, "max_rows": imports.MAX_ROWS}
    if request.method == "GET":
        context["form"] = StudentImportForm()
        return render(request, "records/students/import.html", context)
    form = StudentImportForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return render(request, "records/students/import.html", context, status=400)
    _forget_staged(request)
    try:
        staged = services.student_import_stage(actor=request.user, uploaded=form.cleaned_data["file"])
    except ValidationError as error:
        add_service_errors(form, error, renamed=_STUDENT_FIELDS)
        return render(request, "records/students/import.html", context, status=400)
    context["preview"] = staged.preview
    if staged.token:
        request.session[IMPORT_SESSION_KEY] = staged.token
        context["confirm_form"] = StudentImportConfirmForm(initial={"token": staged.token})
    return render(request, "records/students/import.html", context, status=200 if staged.token else 400)


@login_required
@require_POST
def student_import_confirm(request: AuthedRequest) -> HttpResponse:
    """Import the previewed file, all rows or none. The file must be this session's own upload."""
    if not permissions.can_manage_students(user=request.user):
        raise Http404
    form = StudentImportConfirmForm(request.POST)
    token = request.session.get(IMPORT_SESSION_KEY)
    if not form.is_valid() or not token or form.cleaned_data["token"] != token:
        raise Http404
    del request.session[IMPORT_SESSION_KEY]
    try:
        count = services.student_import_confirm(actor=request.user, token=token)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("records:student-import")
    messages.success(
        request,
        ngettext(
            "%(count)d student is imported as an applicant.",
            "%(count)d students are imported as applicants.",
            count,
        )
        % {"count": count},
    )
    request.session.pop(SEARCH_SESSION_KEY, None)  # show the whole list, the new applicants among it
    return redirect("records:student-list")
