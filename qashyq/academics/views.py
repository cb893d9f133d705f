"""Pages of the academic structure: check access, validate, call one service or selector, render."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qashyq.academics import forms as academic_forms
from qashyq.academics import permissions, selectors, services
from qashyq.accounts.api import AuthedRequest
from qashyq.core.forms import add_service_errors

PAGE_SIZE = 100


def _form_page(
    request: AuthedRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], HttpResponse],
    context: dict[str, Any],
    template: str = "academics/form.html",
) -> HttpResponse:
    """GET shows the form; POST validates it and calls the service, or shows it again (400) with the errors."""
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = save(form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return done(saved)
        return render(request, template, {**context, "form": form}, status=400)
    return render(request, template, {**context, "form": form})


def _data(request: AuthedRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _query(request: AuthedRequest) -> str:
    """The list's query string without the page number, ready to take "page=N"."""
    query = request.GET.copy()
    query.pop("page", None)
    return f"{query.urlencode()}&" if query else ""


def _saved(request: AuthedRequest, message: str, to: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(to)


# --- Programmes and curricula --------------------------------------------------------------------


@login_required
@require_GET
def programme_list(request: AuthedRequest) -> HttpResponse:
    permissions.access_academics(user=request.user)
    filters = academic_forms.ProgrammeFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    programmes = selectors.programme_list(level=chosen.get("level", ""), form=chosen.get("form", ""))
    context = {
        "programmes": list(programmes[:500]),
        "filters": filters,
        "can_edit": permissions.can_edit_academics(user=request.user),
        "can_view_drafts": permissions.can_view_drafts(user=request.user),
    }
    return render(request, "academics/programme_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request: AuthedRequest) -> HttpResponse:
    permissions.access_academics(user=request.user, edit=True)
    form = academic_forms.ProgrammeForm(_data(request))
    return _form_page(
        request,
        form,
        lambda data: services.programme_create(actor=request.user, **data),
        lambda programme: _saved(
            request,
            _("Programme %(code)s is created.") % {"code": programme.code},
            reverse("academics:programme-detail", args=[programme.pk]),
        ),
        {
            "title": _("New programme"),
            "submit": _("Create the programme"),
            "cancel_url": reverse("academics:programme-list"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: AuthedRequest, programme_id: int) -> HttpResponse:
    programme = permissions.access_programme(user=request.user, programme_id=programme_id, edit=True)
    initial = {name: getattr(programme, name) for name in services.PROGRAMME_FIELDS}
    form = academic_forms.ProgrammeForm(_data(request), initial=initial)
    detail = reverse("academics:programme-detail", args=[programme.pk])
    return _form_page(
        request,
        form,
        lambda data: services.programme_update(actor=request.user, programme=programme, **data),
        lambda saved: _saved(request, _("Programme %(code)s is saved.") % {"code": saved.code}, detail),
        {
            "title": _("Edit programme %(code)s") % {"code": programme.code},
            "submit": _("Save"),
            "cancel_url": detail,
        },
    )


@login_required
@require_GET
def programme_detail(request: AuthedRequest, programme_id: int) -> HttpResponse:
    programme = permissions.access_programme(user=request.user, programme_id=programme_id)
    can_edit = permissions.can_edit_academics(user=request.user)
    context = {
        "programme": programme,
        "curriculum": selectors.curriculum_get(programme=programme),
        "groups": list(selectors.group_list(programme_id=programme.pk)),
        "can_edit": can_edit,
        "entry_form": academic_forms.CurriculumEntryForm(programme=programme) if can_edit else None,
    }
    return render(request, "academics/programme_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def curriculum_add(request: AuthedRequest, programme_id: int) -> HttpResponse:
    programme = permissions.access_programme(user=request.user, programme_id=programme_id, edit=True)
    form = academic_forms.CurriculumEntryForm(_data(request), programme=programme)
    detail = reverse("academics:programme-detail", args=[programme.pk])
    return _form_page(
        request,
        form,
        lambda data: services.curriculum_entry_add(actor=request.user, programme=programme, **data),
        lambda entry: _saved(
            request,
            _("%(discipline)s is added to academic period %(number)s.")
            % {"discipline": entry.discipline.name, "number": entry.period_number},
            f"{detail}#period-{entry.period_number}",
        ),
        {
            "title": _("Add a discipline to the curriculum of %(code)s") % {"code": programme.code},
            "submit": _("Add to the curriculum"),
            "cancel_url": detail,
        },
    )


@login_required
@require_POST
def curriculum_remove(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = permissions.access_curriculum_entry(user=request.user, entry_id=entry_id)
    services.curriculum_entry_remove(actor=request.user, entry=entry)
    return _saved(
        request,
        _("%(discipline)s is removed from academic period %(number)s.")
        % {"discipline": entry.discipline.name, "number": entry.period_number},
        reverse("academics:programme-detail", args=[entry.programme_id]),
    )


# --- Disciplines ---------------------------------------------------------------------------------


@login_required
@require_GET
def discipline_list(request: AuthedRequest) -> HttpResponse:
    permissions.access_academics(user=request.user)
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.discipline_list(search=search), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "search": search,
        "query": _query(request),
        "can_edit": permissions.can_edit_academics(user=request.user),
    }
    return render(request, "academics/discipline_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def discipline_create(request: AuthedRequest) -> HttpResponse:
    permissions.access_academics(user=request.user, edit=True)
    form = academic_forms.DisciplineForm(_data(request))
    back = reverse("academics:discipline-list")
    return _form_page(
        request,
        form,
        lambda data: services.discipline_create(actor=request.user, **data),
        lambda discipline: _saved(request, _("Discipline %(code)s is created.") % {"code": discipline.code}, back),
        {"title": _("New discipline"), "submit": _("Create the discipline"), "cancel_url": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def discipline_edit(request: AuthedRequest, discipline_id: int) -> HttpResponse:
    discipline = permissions.access_discipline(user=request.user, discipline_id=discipline_id, edit=True)
    initial = {name: getattr(discipline, name) for name in services.DISCIPLINE_FIELDS}
    form = academic_forms.DisciplineForm(_data(request), initial=initial)
    back = reverse("academics:discipline-list")
    return _form_page(
        request,
        form,
        lambda data: services.discipline_update(actor=request.user, discipline=discipline, **data),
        lambda saved: _saved(request, _("Discipline %(code)s is saved.") % {"code": saved.code}, back),
        {
            "title": _("Edit discipline %(code)s") % {"code": discipline.code},
            "submit": _("Save"),
            "cancel_url": back,
        },
    )


# --- Academic years, periods and calendars -------------------------------------------------------


@login_required
@require_GET
def year_list(request: AuthedRequest) -> HttpResponse:
    permissions.access_academics(user=request.user)
    drafts = permissions.can_view_drafts(user=request.user)
    context = {
        "years": selectors.year_list(include_drafts=drafts),
        "can_edit": permissions.can_edit_academics(user=request.user),
        "can_view_drafts": drafts,
    }
    return render(request, "academics/year_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def year_create(request: AuthedRequest) -> HttpResponse:
    permissions.access_academics(user=request.user, edit=True)
    form = academic_forms.AcademicYearForm(_data(request))
    back = reverse("academics:year-list")
    return _form_page(
        request,
        form,
        lambda data: services.academic_year_create(actor=request.user, **data),
        lambda year: _saved(request, _("The academic year %(title)s is added.") % {"title": year.title}, back),
        {"title": _("New academic year"), "submit": _("Add the year"), "cancel_url": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def period_create(request: AuthedRequest, year_id: int) -> HttpResponse:
    year = permissions.access_academic_year(user=request.user, year_id=year_id, edit=True)
    form = academic_forms.AcademicPeriodForm(_data(request))
    back = reverse("academics:year-list")
    return _form_page(
        request,
        form,
        lambda data: services.academic_period_create(actor=request.user, year=year, **data),
        lambda period: _saved(
            request,
            _("Academic period %(number)s of %(title)s is added.") % {"number": period.number, "title": year.title},
            back,
        ),
        {
            "title": _("New academic period of %(title)s") % {"title": year.title},
            "submit": _("Add the period"),
            "cancel_url": back,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_create(request: AuthedRequest, year_id: int) -> HttpResponse:
    year = permissions.access_academic_year(user=request.user, year_id=year_id, edit=True)
    form = academic_forms.CalendarForm(_data(request))
    return _form_page(
        request,
        form,
        lambda data: services.calendar_create(actor=request.user, year=year, **data),
        lambda calendar: _saved(
            request,
            _("The academic calendar %(title)s is created: add its events.") % {"title": year.title},
            reverse("academics:calendar-detail", args=[calendar.pk]),
        ),
        {
            "title": _("New academic calendar for %(title)s") % {"title": year.title},
            "submit": _("Create the calendar"),
            "cancel_url": reverse("academics:year-list"),
        },
    )


def _calendar_context(request: AuthedRequest, calendar: Any) -> dict[str, Any]:
    can_edit = permissions.can_edit_academics(user=request.user)
    return {
        "calendar": calendar,
        "events": selectors.calendar_events(calendar=calendar),
        "can_edit": can_edit,
        "event_form": academic_forms.CalendarEventForm(year_id=calendar.year_id) if can_edit else None,
        "approve_form": academic_forms.CalendarApproveForm() if can_edit else None,
        "reopen_form": academic_forms.CalendarReopenForm() if can_edit else None,
    }


@login_required
@require_GET
def calendar_detail(request: AuthedRequest, calendar_id: int) -> HttpResponse:
    calendar = permissions.access_calendar(user=request.user, calendar_id=calendar_id)
    return render(request, "academics/calendar_detail.html", _calendar_context(request, calendar))


@login_required
@require_http_methods(["GET", "POST"])
def calendar_event_add(request: AuthedRequest, calendar_id: int) -> HttpResponse:
    calendar = permissions.access_calendar(user=request.user, calendar_id=calendar_id, edit=True)
    form = academic_forms.CalendarEventForm(_data(request), year_id=calendar.year_id)
    detail = reverse("academics:calendar-detail", args=[calendar.pk])
    return _form_page(
        request,
        form,
        lambda data: services.calendar_event_add(actor=request.user, calendar=calendar, **data),
        lambda event: _saved(request, _("%(event)s is added.") % {"event": event.get_kind_display()}, detail),
        {
            "title": _("Add an event to the academic calendar %(title)s") % {"title": calendar.year.title},
            "submit": _("Add the event"),
            "cancel_url": detail,
        },
    )


@login_required
@require_POST
def calendar_event_remove(request: AuthedRequest, event_id: int) -> HttpResponse:
    event = permissions.access_calendar_event(user=request.user, event_id=event_id)
    detail = reverse("academics:calendar-detail", args=[event.calendar_id])
    try:
        services.calendar_event_remove(actor=request.user, event=event)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(detail)
    return _saved(request, _("%(event)s is removed.") % {"event": event.get_kind_display()}, detail)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_approve(request: AuthedRequest, calendar_id: int) -> HttpResponse:
    calendar = permissions.access_calendar(user=request.user, calendar_id=calendar_id, edit=True)
    form = academic_forms.CalendarApproveForm(_data(request))
    detail = reverse("academics:calendar-detail", args=[calendar.pk])
    return _form_page(
        request,
        form,
        lambda data: services.calendar_approve(actor=request.user, calendar=calendar, **data),
        lambda saved: _saved(
            request,
            _("The approval of the academic calendar %(title)s is recorded.") % {"title": saved.year.title},
            detail,
        ),
        {
            "title": _("Record the academic council's approval of %(title)s") % {"title": calendar.year.title},
            "submit": _("Record the approval"),
            "cancel_url": detail,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_reopen(request: AuthedRequest, calendar_id: int) -> HttpResponse:
    calendar = permissions.access_calendar(user=request.user, calendar_id=calendar_id, edit=True)
    form = academic_forms.CalendarReopenForm(_data(request))
    detail = reverse("academics:calendar-detail", args=[calendar.pk])
    return _form_page(
        request,
        form,
        lambda data: services.calendar_reopen(actor=request.user, calendar=calendar, **data),
        lambda saved: _saved(
            request,
            _("The academic calendar %(title)s is open for changes; it needs a new approval.")
            % {"title": saved.year.title},
            detail,
        ),
        {
            "title": _("Reopen the academic calendar %(title)s for changes") % {"title": calendar.year.title},
            "intro": _("The calendar stops being in effect until the academic council approves it again."),
            "submit": _("Reopen for changes"),
            "cancel_url": detail,
        },
    )


# --- Study groups and teaching assignments -------------------------------------------------------


@login_required
@require_GET
def group_list(request: AuthedRequest) -> HttpResponse:
    permissions.access_academics(user=request.user)
    filters = academic_forms.GroupFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    programme = chosen.get("programme")
    groups = selectors.group_list(programme_id=programme.pk if programme else None, form=chosen.get("form", ""))
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": _query(request),
        "filters": filters,
        "can_edit": permissions.can_edit_academics(user=request.user),
        "can_view_drafts": permissions.can_view_drafts(user=request.user),
    }
    return render(request, "academics/group_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: AuthedRequest) -> HttpResponse:
    permissions.access_academics(user=request.user, edit=True)
    form = academic_forms.StudyGroupForm(_data(request))
    back = reverse("academics:group-list")
    return _form_page(
        request,
        form,
        lambda data: services.group_create(actor=request.user, **data),
        lambda group: _saved(request, _("Group %(code)s is created.") % {"code": group.code}, back),
        {"title": _("New study group"), "submit": _("Create the group"), "cancel_url": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: AuthedRequest, group_id: int) -> HttpResponse:
    group = permissions.access_group(user=request.user, group_id=group_id, edit=True)
    initial = {"code": group.code, "capacity": group.capacity, "closed": group.closed}
    form = academic_forms.StudyGroupEditForm(_data(request), initial=initial)
    back = reverse("academics:group-list")
    return _form_page(
        request,
        form,
        lambda data: services.group_update(actor=request.user, group=group, **data),
        lambda saved: _saved(request, _("Group %(code)s is saved.") % {"code": saved.code}, back),
        {
            "title": _("Edit group %(code)s") % {"code": group.code},
            "intro": _(
                "Programme %(programme)s, admitted in %(year)s, %(form)s, %(language)s. Students change programme, "
                "form of study or group only by an order."
            )
            % {
                "programme": group.programme.code,
                "year": group.admission_year,
                "form": group.get_form_of_study_display(),
                "language": group.get_language_display(),
            },
            "submit": _("Save"),
            "cancel_url": back,
        },
    )


@login_required
@require_GET
def assignment_list(request: AuthedRequest) -> HttpResponse:
    permissions.access_assignments(user=request.user)
    page = Paginator(selectors.assignment_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "can_edit": permissions.can_edit_academics(user=request.user)}
    return render(request, "academics/assignment_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def assignment_create(request: AuthedRequest) -> HttpResponse:
    permissions.access_assignments(user=request.user, edit=True)
    form = academic_forms.TeachingAssignmentForm(_data(request))
    back = reverse("academics:assignment-list")
    return _form_page(
        request,
        form,
        lambda data: services.teaching_assignment_add(actor=request.user, **data),
        lambda assignment: _saved(
            request,
            _("%(name)s now serves %(discipline)s.")
            % {"name": assignment.user.full_name, "discipline": assignment.discipline.name},
            back,
        ),
        {"title": _("New teaching assignment"), "submit": _("Assign"), "cancel_url": back},
    )


@login_required
@require_POST
def assignment_remove(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    assignment = permissions.access_teaching_assignment(user=request.user, assignment_id=assignment_id)
    services.teaching_assignment_remove(actor=request.user, assignment=assignment)
    return _saved(
        request,
        _("%(name)s no longer serves %(discipline)s.")
        % {"name": assignment.user.full_name, "discipline": assignment.discipline.name},
        reverse("academics:assignment-list"),
    )
