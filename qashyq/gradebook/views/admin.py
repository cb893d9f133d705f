"""The administration service's and the head's pages (rule 28): reopening a course's entry window for a student
with a reason, closing an academic period after a confirmation, the change requests to locked grades (the
head approves or rejects each with a note; the administration service sees their status), and the grading
policy and letter scale in force with their dated versions (the administration service and the head add a
policy version from a date)."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from qashyq.accounts.api import AuthedRequest, acting_roles
from qashyq.content import api as content_api
from qashyq.core.forms import add_service_errors
from qashyq.gradebook import permissions
from qashyq.gradebook.data import ChangeStatus
from qashyq.gradebook.forms.admin import ChangeFilterForm, DecisionForm, PeriodCloseForm, PolicyForm, ReopenForm
from qashyq.gradebook.selectors import administration as selectors
from qashyq.gradebook.services import locks as services
from qashyq.gradebook.services import policy as policy_services

# Where a refusal of `services.locks.reopen_create` belongs on the form, by its code.
REOPEN_FIELDS = {"reason": "reason", "until": "until", "not_enrolled": "student"}


def service_errors(form: Any, error: ValidationError, *, fields: dict[str, str]) -> None:
    """A service's refusal on the form: under the field its code names, else above the form."""
    if hasattr(error, "error_dict"):
        add_service_errors(form, error)
        return
    for item in error.error_list:
        field = fields.get(item.code or "")
        form.add_error(field, item.messages)


def _sees_all(request: AuthedRequest) -> None:
    """The pages of every course's locks are the administration service's and the head's; 404 for others."""
    if not acting_roles(request.user) & permissions.SEE_ALL:
        raise Http404


# --- Reopening an entry window -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def reopen(request: AuthedRequest, course_id: int) -> HttpResponse:
    access = permissions.access_course_gradebook(user=request.user, course_id=course_id)
    if not permissions.can_reopen_entry(user=request.user):
        raise PermissionDenied
    measures = selectors.measure_choices(course_id=course_id)
    students = [(e.student_id, e.full_name) for e in content_api.course_enrolments(course_id=course_id)]
    initial = {key: request.GET.get(key) for key in ("measure", "student") if request.GET.get(key)}
    data = request.POST if request.method == "POST" else None
    form = ReopenForm(data, initial=initial, measures=measures, students=students)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_create(actor=request.user, **form.service_arguments())
        except ValidationError as error:
            service_errors(form, error, fields=REOPEN_FIELDS)
        else:
            messages.success(request, _("The entry window was reopened."))
            return redirect("gradebook:reopen", course_id=course_id)
    context = {
        "course": access.course,
        "form": form,
        "reopens": selectors.reopens_of(course_id=course_id),
        "now": timezone.now(),
    }
    return render(request, "gradebook/admin/reopen.html", context, status=400 if form.errors else 200)


# --- Closing a period ----------------------------------------------------------------------------------------


@login_required
@require_safe
def period_list(request: AuthedRequest) -> HttpResponse:
    _sees_all(request)
    return render(request, "gradebook/admin/periods.html", {"periods": selectors.periods()})


@login_required
@require_http_methods(["GET", "POST"])
def period_close(request: AuthedRequest, period_id: int) -> HttpResponse:
    _sees_all(request)
    row = selectors.period_row(period_id=period_id)
    if row is None:
        raise Http404
    if not permissions.can_close_period(user=request.user):
        raise PermissionDenied
    form = PeriodCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_close(actor=request.user, period_id=period_id)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The period %(year)s, %(number)s is closed: its grades are locked.")
                % {"year": row.period.year_title, "number": row.period.number},
            )
            return redirect("gradebook:period-list")
    courses = content_api.course_list(period_id=period_id)
    context = {"row": row, "form": form, "courses": courses}
    return render(request, "gradebook/admin/period_close.html", context, status=400 if form.errors else 200)


# --- Change requests -----------------------------------------------------------------------------------------


@login_required
@require_safe
def change_request_list(request: AuthedRequest) -> HttpResponse:
    _sees_all(request)
    form = ChangeFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    page, rows, counts = selectors.change_requests(status=status, page=request.GET.get("page", 1))
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "counts": [(value, label, counts.get(value, 0)) for value, label in ChangeStatus.choices],
        "query": urlencode({"status": status}) if status else "",
        "can_decide": permissions.can_decide_change(user=request.user),
    }
    return render(request, "gradebook/admin/change_requests.html", context)


@login_required
@require_safe
def change_request_detail(request: AuthedRequest, request_id: int) -> HttpResponse:
    change = permissions.access_change_request(user=request.user, request_id=request_id)
    can_decide = permissions.can_decide_change(user=request.user)
    context = {
        "row": selectors.change_request(request=change),
        "form": DecisionForm() if can_decide else None,
        "can_decide": can_decide,
    }
    return render(request, "gradebook/admin/change_request.html", context)


@login_required
@require_POST
def change_request_decide(request: AuthedRequest, request_id: int) -> HttpResponse:
    change = permissions.access_change_request(user=request.user, request_id=request_id)
    if not permissions.can_decide_change(user=request.user):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.change_request_decide(
                actor=request.user, request_id=change.pk, approve=form.approve, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.approve:
                messages.success(request, _("The change was approved and the grade changed."))
            else:
                messages.success(request, _("The change was rejected."))
            return redirect("gradebook:change-request-list")
    context = {"row": selectors.change_request(request=change), "form": form, "can_decide": True}
    return render(request, "gradebook/admin/change_request.html", context, status=400)


# --- The grading policy and the scale ------------------------------------------------------------------------


def _policy_page(request: AuthedRequest, form: PolicyForm | None, versions: selectors.PolicyVersions) -> HttpResponse:
    status = 400 if form is not None and form.errors else 200
    context = {"versions": versions, "form": form}
    return render(request, "gradebook/admin/policy.html", context, status=status)


def _policy_form(versions: selectors.PolicyVersions, data: Any = None) -> PolicyForm:
    scales = [(s.pk, f"{s.title} ({s.valid_from.isoformat()})") for s in versions.scales]
    latest = versions.policies[0] if versions.policies else None
    initial = PolicyForm.initial_from(latest, today=timezone.localdate())
    return PolicyForm(data, initial=initial, scales=scales)


@login_required
@require_safe
def policy(request: AuthedRequest) -> HttpResponse:
    """Everyone with a role may read the scale and the policy: students are graded by them. The form to add a
    version is the administration service's and the head's."""
    if not acting_roles(request.user):
        raise Http404
    versions = selectors.policy_versions(on=timezone.localdate())
    form = _policy_form(versions) if permissions.can_add_policy(user=request.user) else None
    return _policy_page(request, form, versions)


@login_required
@require_POST
def policy_create(request: AuthedRequest) -> HttpResponse:
    if not acting_roles(request.user):
        raise Http404
    if not permissions.can_add_policy(user=request.user):
        raise PermissionDenied
    versions = selectors.policy_versions(on=timezone.localdate())
    form = _policy_form(versions, request.POST)
    if form.is_valid():
        try:
            created = policy_services.policy_create(actor=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error, renamed={"scale_id": "scale"})
        else:
            messages.success(
                request,
                _("The new version of the grading policy is in force from %(date)s.")
                % {"date": date_format(created.valid_from, "SHORT_DATE_FORMAT")},
            )
            return redirect("gradebook:policy")
    return _policy_page(request, form, versions)
