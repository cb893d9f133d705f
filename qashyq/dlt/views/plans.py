"""Pages of the individual study plan and the individual schedule (rules 13, 20): the plan by period (the
administration service changes a line, approves, re-generates), the schedule by month (the administration
service adds, changes and deletes entries; the student subscribes to its iCal feed), their PDFs, and the feed."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from qashyq.accounts.api import AuthedRequest
from qashyq.content import api as content_api
from qashyq.core.i18n import localized
from qashyq.dlt import ical, printing
from qashyq.dlt.forms.plans import PlanLineForm, ScheduleEntryForm
from qashyq.dlt.models import Schedule, ScheduleEntry, StudyPlan
from qashyq.dlt.permissions import plans as permissions
from qashyq.dlt.selectors import plans as selectors
from qashyq.dlt.services import plans as plan_services
from qashyq.dlt.services import schedules as schedule_services
from qashyq.documents.api import DocumentData

# --- The plan -----------------------------------------------------------------------------------------


def _plan_url(application_id: int) -> str:
    return reverse("dlt:plan-detail", kwargs={"application_id": application_id})


def _schedule_url(application_id: int) -> str:
    return reverse("dlt:schedule-detail", kwargs={"application_id": application_id})


def _document(request: AuthedRequest, current: Callable[[], DocumentData], back: str) -> HttpResponse:
    """To the download of the PDF `current()` gives (the one issued after the last change, or a new one); back to
    `back` with the reason when it cannot be issued."""
    try:
        document = current()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    return redirect(reverse("documents:document-download", args=[document.id]))


def _render_plan(request: AuthedRequest, plan: StudyPlan, *, error: str = "", status: int = 200) -> HttpResponse:
    context = {
        "plan": plan,
        "application": plan.application,
        "student": plan.application.student,
        "page": selectors.plan_page(plan=plan),
        "can_edit": permissions.can_edit_plan(user=request.user),
        "can_see_application": permissions.can_see_application(user=request.user, application=plan.application),
        "error": error,
    }
    return render(request, "dlt/plans/plan_detail.html", context, status=status)


@login_required
@require_GET
def plan_detail(request: AuthedRequest, application_id: int) -> HttpResponse:
    plan = permissions.access_plan(user=request.user, application_id=application_id)
    return _render_plan(request, plan)


@login_required
@require_POST
def plan_approve(request: AuthedRequest, application_id: int) -> HttpResponse:
    plan = permissions.access_plan(user=request.user, application_id=application_id)
    if not permissions.can_edit_plan(user=request.user):
        raise Http404
    try:
        plan_services.study_plan_approve(actor=request.user, plan=plan)
    except ValidationError as error:
        return _render_plan(request, plan, error=" ".join(error.messages), status=400)
    messages.success(request, _("The individual study plan is approved."))
    return redirect(_plan_url(application_id))


@login_required
@require_POST
def plan_regenerate(request: AuthedRequest, application_id: int) -> HttpResponse:
    plan = permissions.access_plan(user=request.user, application_id=application_id)
    if not permissions.can_edit_plan(user=request.user):
        raise Http404
    version = plan.version
    try:
        plan = plan_services.study_plan_generate(application=plan.application, actor=request.user)
    except ValidationError as error:
        return _render_plan(request, plan, error=" ".join(error.messages), status=400)
    if plan.version != version:
        messages.success(request, _("The plan is brought up to date with the curriculum and the courses."))
    else:
        messages.info(request, _("The plan already matches the curriculum and the courses: nothing changed."))
    return redirect(_plan_url(application_id))


@login_required
@require_http_methods(["GET", "POST"])
def plan_line_edit(request: AuthedRequest, line_id: int) -> HttpResponse:
    line = permissions.access_plan_line(user=request.user, line_id=line_id)
    courses = content_api.courses_for_discipline(discipline_id=line.discipline_id)
    status = 200
    if request.method == "POST":
        form = PlanLineForm(request.POST, line=line, courses=courses)
        if form.is_valid():
            try:
                plan_services.study_plan_line_update(actor=request.user, line=line, **form.service_arguments())
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    _("The line of %(discipline)s is saved.") % {"discipline": line.discipline.code},
                )
                return redirect(_plan_url(line.plan.application_id) + f"#line-{line.pk}")
        status = 400
    else:
        form = PlanLineForm(line=line, courses=courses)
    context = {"form": form, "line": line, "application": line.plan.application}
    return render(request, "dlt/plans/line_form.html", context, status=status)


@login_required
@require_GET
def plan_pdf(request: AuthedRequest, application_id: int) -> HttpResponse:
    plan = permissions.access_plan(user=request.user, application_id=application_id)
    return _document(
        request, lambda: printing.study_plan_document_current(plan=plan, actor=request.user), _plan_url(application_id)
    )


# --- The schedule -------------------------------------------------------------------------------------


def _feed_addresses(schedule: Schedule) -> dict[str, str]:
    url = settings.QASHYQ_PUBLIC_URL.rstrip("/") + reverse("dlt:schedule-feed", kwargs={"token": schedule.feed_token})
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[-1]}


def _disciplines(schedule: Schedule) -> list[tuple[int, str]]:
    lines = selectors.plan_lines_of(application_id=schedule.application_id)
    # A discipline with lines in several periods is offered once.
    choices: dict[int, str] = {}
    for line in lines:
        choices.setdefault(line.discipline_id, f"{line.discipline.code} · {line.discipline.name}")
    return list(choices.items())


@login_required
@require_GET
def schedule_detail(request: AuthedRequest, application_id: int) -> HttpResponse:
    schedule = schedule_services.schedule_refreshed(
        permissions.access_schedule(user=request.user, application_id=application_id)
    )
    context: dict[str, Any] = {
        "schedule": schedule,
        "application": schedule.application,
        "student": schedule.application.student,
        "months": selectors.schedule_months(schedule=schedule),
        "can_edit": permissions.can_edit_schedule(user=request.user),
        "can_see_application": permissions.can_see_application(user=request.user, application=schedule.application),
        "can_rotate": permissions.can_rotate_feed(user=request.user, schedule=schedule),
        "feed": _feed_addresses(schedule) if permissions.can_see_feed(user=request.user, schedule=schedule) else None,
        "zone": schedule_services.zone(),
    }
    return render(request, "dlt/plans/schedule_detail.html", context)


@login_required
@require_POST
def schedule_regenerate(request: AuthedRequest, application_id: int) -> HttpResponse:
    schedule = permissions.access_schedule(user=request.user, application_id=application_id)
    if not permissions.can_edit_schedule(user=request.user):
        raise Http404
    version = schedule.version
    try:
        schedule = schedule_services.schedule_generate(application=schedule.application, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_schedule_url(application_id))
    if schedule.version != version:
        messages.success(request, _("The schedule is brought up to date with the calendar and the courses."))
    else:
        messages.info(request, _("The schedule already matches the calendar and the courses: nothing changed."))
    return redirect(_schedule_url(application_id))


def _entry_form(
    request: AuthedRequest,
    *,
    schedule: Schedule,
    entry: ScheduleEntry | None,
    save: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """The form of a schedule entry (a new one when `entry` is None): `save(arguments)` calls the service, `done`
    is the message after it; a refused form comes back with 400."""
    disciplines = _disciplines(schedule)
    status = 200
    if request.method == "POST":
        form = ScheduleEntryForm(request.POST, disciplines=disciplines, entry=entry)
        if form.is_valid():
            try:
                save(form.service_arguments())
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, done)
                return redirect(_schedule_url(schedule.application_id))
        status = 400
    else:
        form = ScheduleEntryForm(disciplines=disciplines, entry=entry)
    context = {"form": form, "schedule": schedule, "application": schedule.application, "entry": entry}
    return render(request, "dlt/plans/entry_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def schedule_entry_add(request: AuthedRequest, application_id: int) -> HttpResponse:
    schedule = permissions.access_schedule(user=request.user, application_id=application_id)
    if not permissions.can_edit_schedule(user=request.user):
        raise Http404
    return _entry_form(
        request,
        schedule=schedule,
        entry=None,
        save=lambda arguments: schedule_services.schedule_entry_add(actor=request.user, schedule=schedule, **arguments),
        done=_("The entry is added to the schedule."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedule_entry_edit(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = permissions.access_schedule_entry(user=request.user, entry_id=entry_id)
    return _entry_form(
        request,
        schedule=entry.schedule,
        entry=entry,
        save=lambda arguments: schedule_services.schedule_entry_update(actor=request.user, entry=entry, **arguments),
        done=_("The entry is saved; re-generation will keep it as it is."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedule_entry_delete(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = permissions.access_schedule_entry(user=request.user, entry_id=entry_id)
    schedule = entry.schedule
    if request.method == "POST":
        schedule_services.schedule_entry_delete(actor=request.user, entry=entry)
        messages.success(request, _("The entry is deleted from the schedule."))
        return redirect(_schedule_url(schedule.application_id))
    context = {
        "entry": entry,
        "name": localized(entry, "name"),
        "schedule": schedule,
        "application": schedule.application,
    }
    return render(request, "dlt/plans/entry_delete.html", context)


@login_required
@require_POST
def schedule_feed_rotate(request: AuthedRequest, application_id: int) -> HttpResponse:
    schedule = permissions.access_schedule(user=request.user, application_id=application_id)
    if not permissions.can_rotate_feed(user=request.user, schedule=schedule):
        raise Http404
    schedule_services.schedule_feed_rotate(actor=request.user, schedule=schedule)
    messages.success(request, _("The calendar feed has a new address; the old one no longer works."))
    return redirect(_schedule_url(application_id) + "#feed")


@login_required
@require_GET
def schedule_pdf(request: AuthedRequest, application_id: int) -> HttpResponse:
    schedule = schedule_services.schedule_refreshed(
        permissions.access_schedule(user=request.user, application_id=application_id)
    )
    return _document(
        request,
        lambda: printing.schedule_document_current(schedule=schedule, actor=request.user),
        _schedule_url(application_id),
    )


@require_safe
def schedule_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCal feed: no sign-in, the address is the key (404 for an unknown one)."""
    schedule = schedule_services.schedule_refreshed(permissions.access_feed(token=token))
    response = HttpResponse(ical.schedule_calendar(schedule), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="schedule.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
