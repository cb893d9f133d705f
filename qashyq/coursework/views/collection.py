"""The administration service's collection dashboard (who has submitted what, what is late, what is not handed
over yet) with the hand-over of a batch, and the tutors' workload: the overview of every tutor for the
administration and the head, and each tutor's own list."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from qashyq.accounts.api import AuthedRequest, Role, acting_roles
from qashyq.coursework import permissions, selectors, services
from qashyq.coursework.data import SubmissionStatus
from qashyq.coursework.forms import BatchHandOverForm, CollectionFilterForm
from qashyq.coursework.models import Submission
from qashyq.coursework.selectors import Show

SHOWS = [
    (Show.ALL, gettext_lazy("Everything")),
    (Show.MISSING, gettext_lazy("Not submitted")),
    (Show.LATE, gettext_lazy("Late")),
    (Show.NOT_HANDED, gettext_lazy("Not handed over")),
    (Show.WITH_TUTOR, gettext_lazy("With a tutor, not reviewed")),
    (Show.OVERDUE, gettext_lazy("Grading overdue")),
    (Show.RETURNED, gettext_lazy("Returned for revision")),
    (Show.ACCEPTED, gettext_lazy("Accepted")),
]


def _filters(request: AuthedRequest) -> tuple[CollectionFilterForm, selectors.CollectionChoices, dict[str, Any]]:
    """The filter form (its choices from what exists), the choices, and the values it accepted (a value it does
    not know is left out, and named on the form)."""
    choices = selectors.collection_choices(course_id=_int(request.GET.get("course")))
    form = CollectionFilterForm(
        request.GET or None,
        courses=choices.courses,
        groups=choices.groups,
        assignments=choices.assignments,
        shows=SHOWS,
    )
    values: dict[str, Any] = {"course_id": None, "group_id": None, "assignment_id": None, "show": Show.ALL}
    if form.is_bound:
        form.is_valid()
        data = form.cleaned_data
        values = {
            "course_id": data.get("course"),
            "group_id": data.get("group"),
            "assignment_id": data.get("assignment"),
            "show": data.get("show") or Show.ALL,
        }
    return form, choices, values


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@require_safe
def collection(request: AuthedRequest) -> HttpResponse:
    permissions.access_collection(user=request.user)
    form, choices, values = _filters(request)
    data = selectors.collection(choices=choices, **values, now=timezone.now())
    context = {
        "title": _("Control materials"),
        "form": form,
        "data": data,
        "course_chosen": values["course_id"] is not None,
        "can_hand_over": permissions.can_hand_over(user=request.user),
        "filter_label": _("Filter the control materials"),
        "clear_url": reverse("coursework:collection"),
        "Status": SubmissionStatus,
        "query": request.GET.urlencode(),
    }
    return render(request, "coursework/collection/dashboard.html", context)


@login_required
@require_POST
def collection_hand_over(request: AuthedRequest) -> HttpResponse:
    """Hand the chosen works, each to its responsible tutor; back to the dashboard with the same filters."""
    if not permissions.can_hand_over(user=request.user):
        raise Http404
    back = reverse("coursework:collection")
    query = request.POST.get("query", "")
    if query:
        back += "?" + query
    ids = [int(v) for v in request.POST.getlist("submissions") if v.isdigit()]
    existing = list(Submission.objects.filter(pk__in=ids).values_list("pk", flat=True))
    form = BatchHandOverForm(request.POST, submission_ids=existing)
    if not form.is_valid():
        for error in form.errors.get("submissions", []):
            messages.error(request, str(error))
        return redirect(back)
    try:
        handovers = services.submissions_hand_over(actor=request.user, submission_ids=form.cleaned_data["submissions"])
    except ValidationError as error:
        messages.error(request, _("Nothing was handed over:") + " " + " ".join(error.messages))
        return redirect(back)
    messages.success(
        request,
        ngettext("%(count)d work is handed over.", "%(count)d works are handed over.", len(handovers))
        % {"count": len(handovers)},
    )
    return redirect(back)


# --- Workload -----------------------------------------------------------------------------------------


@login_required
@require_safe
def workload(request: AuthedRequest) -> HttpResponse:
    """The administration and the head: every tutor's workload; a tutor or teacher: their own list."""
    if permissions.is_collection_staff(user=request.user):
        lines = selectors.workload_overview(now=timezone.now())
        context = {"title": _("Tutors' workload"), "lines": lines, "days": selectors.grading_days()}
        return render(request, "coursework/collection/workload.html", context)
    if not acting_roles(request.user) & permissions.RECIPIENT_ROLES:
        raise Http404
    return _tutor_page(request, request.user.pk, own=True)


@login_required
@require_safe
def workload_tutor(request: AuthedRequest, user_id: int) -> HttpResponse:
    permissions.access_workload(user=request.user, tutor_id=user_id)
    return _tutor_page(request, user_id, own=user_id == request.user.pk)


def _tutor_page(request: AuthedRequest, user_id: int, *, own: bool) -> HttpResponse:
    tutor = request.user if own else get_user_model().objects.filter(pk=user_id).first()
    if tutor is None:
        raise Http404
    items = selectors.workload_of(tutor_id=user_id, now=timezone.now())
    waiting = [i for i in items if i.submission.status in (SubmissionStatus.HANDED_OVER, SubmissionStatus.RECEIVED)]
    done = [i for i in items if i not in waiting]
    context = {
        "title": _("Works to grade") if own else tutor.full_name,
        "tutor": tutor,
        "own": own,
        "waiting": waiting,
        "done": done,
        "overdue": sum(1 for i in waiting if i.overdue),
        "days": selectors.grading_days(),
        "Status": SubmissionStatus,
        "is_admin": bool(acting_roles(request.user) & {Role.ADMINISTRATION, Role.HEAD}),
    }
    return render(request, "coursework/collection/workload_tutor.html", context)
