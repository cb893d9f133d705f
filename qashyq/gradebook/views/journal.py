"""The staff's journal of a course: the list of gradebooks a user may open, the journal of one course (one
group or all the viewer's groups), entering a score in a cell (HTMX: the cell and the row's computed columns
come back; without JavaScript: a normal POST and a redirect back), one cell's details and history, one
student's row, and the request to change a grade of a closed period."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qashyq.academics import api as academics_api
from qashyq.accounts.api import AuthedRequest
from qashyq.core.forms import add_service_errors
from qashyq.core.network import client_ip
from qashyq.gradebook.forms.journal import ChangeRequestForm, GradeEntryForm, GroupFilterForm, PeriodFilterForm
from qashyq.gradebook.permissions import CourseGradebook, access_course_gradebook
from qashyq.gradebook.selectors import journal as selectors
from qashyq.gradebook.selectors import measures as measure_selectors
from qashyq.gradebook.services import grades as grade_services
from qashyq.gradebook.services import locks as lock_services
from qashyq.gradebook.views.cells import CellRenderer

JOURNAL = "gradebook/journal/journal.html"

# --- The list of gradebooks ---------------------------------------------------------------------------------


@login_required
@require_safe
def course_list(request: AuthedRequest) -> HttpResponse:
    periods = [(p.id, f"{p.year_title}, {p.number}") for p in academics_api.period_list()]
    form = PeriodFilterForm(request.GET or None, periods=periods)
    period_id = form.cleaned_data["period"] if form.is_bound and form.is_valid() else None
    courses = selectors.gradebook_courses(user=request.user, period_id=period_id)
    return render(request, "gradebook/journal/course_list.html", {"courses": courses, "form": form})


# --- The journal ----------------------------------------------------------------------------------------


def _visible_groups(access: CourseGradebook) -> tuple[int, ...]:
    course = access.course
    return course.group_ids if access.group_ids is None else tuple(g for g in course.group_ids if g in access.group_ids)


def _group_param(request: AuthedRequest, access: CourseGradebook, source: Any = None) -> int | None:
    """The group asked for (?group=), which must be one the viewer sees; None for all of them. 404 otherwise."""
    raw = (source if source is not None else request.GET).get("group", "")
    if raw in ("", None):
        return None
    try:
        group_id = int(raw)
    except (TypeError, ValueError):
        raise Http404 from None
    if group_id not in _visible_groups(access):
        raise Http404
    return group_id


def _query(group_id: int | None) -> str:
    return "?" + urlencode({"group": group_id}) if group_id is not None else ""


def _journal_url(course_id: int, group_id: int | None, student_id: int | None = None) -> str:
    anchor = f"#s{student_id}" if student_id is not None else ""
    return reverse("gradebook:journal", args=[course_id]) + _query(group_id) + anchor


def _journal(access: CourseGradebook, **kwargs: Any) -> selectors.Journal:
    return selectors.course_journal(
        course=access.course,
        group_ids=access.group_ids,
        can_enter=access.can_enter,
        unbound_by_window=access.is_administration,
        **kwargs,
    )


def _urls(course_id: int, group_id: int | None) -> dict[str, str]:
    """The URLs a cell is built from (string prefixes: reversing per cell would cost more than the cell)."""
    grades = reverse("gradebook:grade-enter", args=[course_id])
    return {
        "grades_url": grades,
        "enter_url": grades + _query(group_id),
        "students_url": reverse("gradebook:student-row", args=[course_id, 0]).removesuffix("0/"),
    }


def _row_context(journal: selectors.Journal, row: selectors.Row) -> list[tuple[selectors.Column, selectors.Cell]]:
    return list(zip(journal.columns, row.cells, strict=True))


def _renderer(request: AuthedRequest, book: selectors.Journal, urls: dict[str, str]) -> CellRenderer:
    return CellRenderer(
        journal=book, enter_url=urls["enter_url"], grades_url=urls["grades_url"], csrf_token=get_token(request)
    )


@login_required
@require_safe
def journal(request: AuthedRequest, course_id: int) -> HttpResponse:
    access = access_course_gradebook(user=request.user, course_id=course_id)
    group_id = _group_param(request, access)
    book = _journal(access, group_id=group_id)
    form = GroupFilterForm({"group": group_id or ""}, groups=[(g.id, g.code) for g in book.groups])
    form.is_valid()
    urls = _urls(course_id, group_id)
    cells = _renderer(request, book, urls)
    context = {
        "access": access,
        "course": access.course,
        "journal": book,
        "rows": [(row, cells.row_cells(row), cells.results(row)) for row in book.rows],
        "group": next((g for g in book.groups if g.id == group_id), None),
        "filter_form": form,
        "computed_count": len(book.computed),
        **urls,
    }
    return render(request, JOURNAL, context)


# --- Entering a score -----------------------------------------------------------------------------------


def _codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list if e.code} if not hasattr(error, "error_dict") else set()


def _cell_response(
    request: AuthedRequest,
    access: CourseGradebook,
    *,
    group_id: int | None,
    measure_id: int,
    student_id: int,
    attempt: int,
    status: int = 200,
    saved: str = "",
    **state: Any,
) -> HttpResponse | None:
    """The cell re-rendered for htmx (`state`: the error, the typed value, the reason asked for); after a save
    also the row's computed columns and the announcement, out of band. None when the viewer does not see the
    student or the column."""
    book = _journal(access, group_id=group_id, student_ids=[student_id])
    row = book.rows[0] if book.rows else None
    column = selectors.column_of(book, measure_id=measure_id, attempt=attempt)
    if row is None or column is None:
        return None
    cell = selectors.cell_of(row, measure_id=measure_id, attempt=attempt)
    assert cell is not None
    cells = _renderer(request, book, _urls(access.course.id, group_id))
    parts = [cells.cell(row, column, cell, **state)]
    if saved:
        parts.append(cells.results(row, oob=True))
        parts.append(
            format_html(
                '<p id="journal-status" hx-swap-oob="innerHTML">{} {}, {}</p>', saved, row.full_name, column.label
            )
        )
    return HttpResponse("".join(parts), status=status)


def _error_fragment(message: str, status: int) -> HttpResponse:
    """A message put inside the cell's form, for a cell the viewer cannot have (a forged or stale one)."""
    response = HttpResponse(format_html('<p class="qh-cell-msg" role="alert">{}</p>', message), status=status)
    response["HX-Reswap"] = "beforeend"
    return response


@login_required
@require_POST
def grade_enter(request: AuthedRequest, course_id: int) -> HttpResponse:
    access = access_course_gradebook(user=request.user, course_id=course_id)
    group_id = _group_param(request, access)
    form = GradeEntryForm(request.POST)
    htmx = bool(getattr(request, "htmx", False))
    if not form.is_valid():
        if htmx:
            return _error_fragment(_("The form was not complete: reload the journal and try again."), 400)
        return render(
            request, "gradebook/journal/entry_invalid.html", {"course": access.course, "form": form}, status=400
        )
    arguments = form.service_arguments()
    measure_id, student_id, attempt = arguments["measure_id"], arguments["student_id"], arguments["attempt"]
    if measure_selectors.measure_of_course(course_id=course_id, measure_id=measure_id) is None:
        raise Http404
    cell = {"group_id": group_id, "measure_id": measure_id, "student_id": student_id, "attempt": attempt}
    try:
        grade = grade_services.grade_enter(actor=request.user, ip=client_ip(request), **arguments)
    except Http404:
        if htmx:
            return _error_fragment(_("This student or column is not in your journal."), 404)
        raise
    except PermissionDenied as denied:
        message = str(denied) or _("You may not enter this grade.")
        if htmx:
            response = _cell_response(
                request, access, status=403, error=message, typed=form.cleaned_data["score"], **cell
            )
            return response or _error_fragment(message, 403)
        raise PermissionDenied(message) from None
    except ValidationError as error:
        ask_reason = "reason" in _codes(error)
        message = " ".join(error.messages)
        if htmx:
            response = _cell_response(
                request,
                access,
                status=400,
                error=message,
                typed=form.cleaned_data["score"],
                ask_reason=ask_reason or bool(form.cleaned_data["reason"]),
                reason=form.cleaned_data["reason"],
                **cell,
            )
            return response or _error_fragment(message, 400)
        add_service_errors(form, error, renamed={"reason": "reason"} if ask_reason else None)
        if ask_reason and not form.has_error("reason"):
            form.add_error("reason", message)
        return _grade_detail(request, access, status=400, entry_form=form, **cell)
    saved = _("Saved: %(score)s.") % {"score": grade.score}
    if htmx:
        response = _cell_response(request, access, saved=saved, **cell)
        if response is None:  # the student left the viewer's groups meanwhile
            return _error_fragment(saved, 200)
        return response
    messages.success(request, saved)
    return redirect(_journal_url(course_id, group_id, student_id))


# --- One cell: who entered it, when, its history; entry or a change request -------------------------------


def _grade_detail(
    request: AuthedRequest,
    access: CourseGradebook,
    *,
    group_id: int | None,
    measure_id: int,
    student_id: int,
    attempt: int,
    status: int = 200,
    entry_form: GradeEntryForm | None = None,
    request_form: ChangeRequestForm | None = None,
) -> HttpResponse:
    book = _journal(access, student_ids=[student_id])
    if not book.rows:
        raise Http404
    row = book.rows[0]
    column = selectors.column_of(book, measure_id=measure_id, attempt=attempt)
    if column is None:
        raise Http404
    cell = selectors.cell_of(row, measure_id=measure_id, attempt=attempt)
    assert cell is not None
    initial: dict[str, Any] = {"measure": measure_id, "student": student_id, "attempt": attempt}
    if cell.score is not None:
        initial["score"] = str(cell.score)
    if cell.editable and entry_form is None:
        entry_form = GradeEntryForm(initial=initial)
    can_request = access.can_enter and book.closed and not cell.blocked
    if can_request and request_form is None:
        request_form = ChangeRequestForm(initial=initial)
    history = measure_selectors.cell_history(measure_id=measure_id, student_id=student_id, attempt=attempt)
    context = {
        "access": access,
        "course": access.course,
        "journal": book,
        "row": row,
        "column": column,
        "cell": cell,
        "entry_form": entry_form,
        "request_form": request_form if can_request or (request_form is not None and request_form.is_bound) else None,
        "history": history,
        "journal_url": _journal_url(access.course.id, group_id, student_id),
        "group_id": group_id,
        **_urls(access.course.id, group_id),
    }
    return render(request, "gradebook/journal/grade_detail.html", context, status=status)


def _attempt_param(request: AuthedRequest) -> int:
    raw = request.GET.get("attempt", "1")
    if raw not in ("1", "2"):
        raise Http404
    return int(raw)


@login_required
@require_safe
def grade_detail(request: AuthedRequest, course_id: int, measure_id: int, student_id: int) -> HttpResponse:
    access = access_course_gradebook(user=request.user, course_id=course_id)
    group_id = _group_param(request, access)
    return _grade_detail(
        request,
        access,
        group_id=group_id,
        measure_id=measure_id,
        student_id=student_id,
        attempt=_attempt_param(request),
    )


@login_required
@require_POST
def change_request_create(request: AuthedRequest, course_id: int) -> HttpResponse:
    access = access_course_gradebook(user=request.user, course_id=course_id)
    group_id = _group_param(request, access)
    form = ChangeRequestForm(request.POST)
    if not form.is_valid():
        return render(
            request, "gradebook/journal/entry_invalid.html", {"course": access.course, "form": form}, status=400
        )
    arguments = form.service_arguments()
    measure_id, student_id, attempt = arguments["measure_id"], arguments["student_id"], arguments["attempt"]
    if measure_selectors.measure_of_course(course_id=course_id, measure_id=measure_id) is None:
        raise Http404
    try:
        lock_services.change_request_create(actor=request.user, **arguments)
    except ValidationError as error:
        add_service_errors(form, error)
        return _grade_detail(
            request,
            access,
            group_id=group_id,
            measure_id=measure_id,
            student_id=student_id,
            attempt=attempt,
            status=400,
            request_form=form,
        )
    messages.success(request, _("The change is requested: the head will approve or reject it."))
    detail = reverse("gradebook:grade-detail", args=[course_id, measure_id, student_id])
    query = {"attempt": attempt} if attempt != 1 else {}
    if group_id is not None:
        query["group"] = group_id
    return redirect(detail + ("?" + urlencode(query) if query else ""))


# --- One student's row ---------------------------------------------------------------------------------------


@login_required
@require_safe
def student_row(request: AuthedRequest, course_id: int, student_id: int) -> HttpResponse:
    access = access_course_gradebook(user=request.user, course_id=course_id)
    group_id = _group_param(request, access)
    book = _journal(access, student_ids=[student_id])
    if not book.rows:
        raise Http404
    row = book.rows[0]
    context = {
        "access": access,
        "course": access.course,
        "journal": book,
        "row": row,
        "pairs": _row_context(book, row),
        "journal_url": _journal_url(course_id, group_id, student_id),
        "group_id": group_id,
        **_urls(course_id, group_id),
    }
    return render(request, "gradebook/journal/student_row.html", context)
