"""Pages of TV technology: the broadcast schedule (list, add, change, delete) and the students' calendar."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from qashyq.accounts.api import AuthedRequest
from qashyq.content.forms.broadcasts import CHANNELS_DATALIST_ID, BroadcastFilterForm, BroadcastForm, month_from
from qashyq.content.models import Broadcast
from qashyq.content.permissions import broadcasts as permissions
from qashyq.content.selectors import broadcasts as selectors
from qashyq.content.services import broadcasts as services

PAGE_SIZE = 50


def _editable(request: AuthedRequest, broadcast_id: int) -> Broadcast:
    broadcast = permissions.access_broadcast(user=request.user, broadcast_id=broadcast_id)
    if not permissions.can_edit_broadcast(user=request.user, broadcast=broadcast):
        raise Http404
    return broadcast


@login_required
def broadcast_list(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_see_schedule(user=request.user):
        raise Http404
    form = BroadcastFilterForm(
        request.GET or None,
        courses=selectors.broadcast_courses(user=request.user),
        channels=selectors.broadcast_channels(user=request.user),
    )
    now = timezone.now()
    filters = form.filters()
    broadcasts = selectors.broadcast_list(user=request.user, now=now, **filters)
    page = Paginator(broadcasts, PAGE_SIZE).get_page(request.GET.get("page"))
    editable = permissions.scheduling_course_ids(user=request.user)
    rows = [
        {
            "broadcast": b,
            "ends_at": ends_at,
            "on_air": b.starts_at <= now < ends_at,
            "recording": selectors.recording_link(b, for_student=False),
            "can_edit": editable is None or b.course_id in editable,
        }
        for b in page
        for ends_at in [services.broadcast_ends_at(b)]
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "when": filters["when"],
        "query": query.urlencode(),
        "can_schedule": editable is None or bool(editable),
        "zone": services.schedule_zone(),
    }
    return render(request, "content/broadcasts/list.html", context)


def _form_page(
    request: AuthedRequest, form: BroadcastForm, *, broadcast: Broadcast | None, status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "broadcast": broadcast,
        "channels": selectors.broadcast_channels(),
        "channels_id": CHANNELS_DATALIST_ID,
    }
    return render(request, "content/broadcasts/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def broadcast_create(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_schedule(user=request.user):
        raise Http404
    courses = permissions.courses_for_scheduling(user=request.user)
    if request.method == "POST":
        form = BroadcastForm(request.POST, courses=courses)
        if form.is_valid():
            try:
                broadcast = services.broadcast_create(actor=request.user, **form.service_arguments())
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("The broadcast is on the schedule."))
                return redirect(_list_at(broadcast))
        return _form_page(request, form, broadcast=None, status=400)
    initial: dict[str, Any] = {}
    course_id = request.GET.get("course", "")
    if course_id.isdigit():
        initial["course"] = int(course_id)
    return _form_page(request, BroadcastForm(courses=courses, initial=initial or None), broadcast=None)


def _list_at(broadcast: Broadcast) -> str:
    """The schedule filtered to the broadcast's course, showing it (upcoming or past)."""
    when = selectors.UPCOMING if services.broadcast_ends_at(broadcast) > timezone.now() else selectors.PAST
    return f"{reverse('content:broadcast-list')}?when={when}&course={broadcast.course_id}"


@login_required
@require_http_methods(["GET", "POST"])
def broadcast_edit(request: AuthedRequest, broadcast_id: int) -> HttpResponse:
    broadcast = _editable(request, broadcast_id)
    courses = permissions.courses_for_scheduling(user=request.user)
    if request.method == "POST":
        form = BroadcastForm(request.POST, courses=courses, broadcast=broadcast)
        if form.is_valid():
            try:
                services.broadcast_update(actor=request.user, broadcast=broadcast, **form.service_arguments())
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("The broadcast is saved."))
                broadcast.refresh_from_db()
                return redirect(_list_at(broadcast))
        return _form_page(request, form, broadcast=broadcast, status=400)
    return _form_page(request, BroadcastForm(courses=courses, broadcast=broadcast), broadcast=broadcast)


@login_required
@require_http_methods(["GET", "POST"])
def broadcast_delete(request: AuthedRequest, broadcast_id: int) -> HttpResponse:
    broadcast = _editable(request, broadcast_id)
    if request.method == "POST":
        back = _list_at(broadcast)
        services.broadcast_delete(actor=request.user, broadcast=broadcast)
        messages.success(request, _("The broadcast is taken off the schedule."))
        return redirect(back)
    context = {
        "broadcast": broadcast,
        "ends_at": services.broadcast_ends_at(broadcast),
        "zone": services.schedule_zone(),
    }
    return render(request, "content/broadcasts/delete.html", context)


@login_required
def calendar(request: AuthedRequest) -> HttpResponse:
    """ "My calendar": the broadcasts of the student's courses and the dates their materials open and close,
    one month at a time: a list grouped by day, and a month grid that links to the days."""
    if not permissions.can_see_calendar(user=request.user):
        raise Http404
    zone = services.schedule_zone()
    now = timezone.now()
    today = timezone.localtime(now, zone).date()
    year, month = month_from(request.GET.get("month"), today=today)
    start, end = selectors.month_bounds(year, month)
    entries = selectors.calendar_entries(
        course_ids=selectors.student_course_ids(user_id=request.user.pk), start=start, end=end, now=now
    )
    days = selectors.calendar_days(entries)
    counts = {day.day: len(day.entries) for day in days}
    first = date(year, month, 1)
    weeks = selectors.month_weeks(year, month)
    previous = date(year - 1, 12, 1) if month == 1 else date(year, month - 1, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    context = {
        "month": first,
        "days": days,
        "weeks": [[(day, counts.get(day, 0) if day else 0) for day in week] for week in weeks],
        "weekdays": [date(2024, 1, 1 + i) for i in range(7)],  # 1 January 2024 was a Monday
        "today": today,
        "previous": previous.strftime("%Y-%m"),
        "following": following.strftime("%Y-%m"),
        "this_month": (year, month) == (today.year, today.month),
        "zone": zone,
    }
    return render(request, "content/broadcasts/calendar.html", context)
