"""The control measures of a course: the list (everyone who opens the course's journal), and creating,
editing and deleting them (a teacher of the course and the administration service)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from qashyq.accounts.api import AuthedRequest
from qashyq.core.forms import add_service_errors
from qashyq.gradebook.forms.measures import MeasureForm
from qashyq.gradebook.models import ControlMeasure
from qashyq.gradebook.permissions import CourseGradebook, access_course_gradebook
from qashyq.gradebook.selectors import measures as selectors
from qashyq.gradebook.services import grades as services

FORM_FIELDS = (
    "name_kk",
    "name_ru",
    "name_en",
    "kind",
    "part",
    "mode",
    "week",
    "weight",
    "due_at",
    "required",
    "pass_points",
    "late_allowed",
    "position",
)


def _list_url(course_id: int) -> str:
    return reverse("gradebook:measure-list", args=[course_id])


def _managed(request: AuthedRequest, course_id: int) -> CourseGradebook:
    access = access_course_gradebook(user=request.user, course_id=course_id)
    if not access.can_manage_measures:
        raise PermissionDenied(_("Only a teacher of the course and the administration service manage its measures."))
    return access


def _measure(course_id: int, measure_id: int) -> ControlMeasure:
    measure = selectors.measure_of_course(course_id=course_id, measure_id=measure_id)
    if measure is None:
        raise Http404
    return measure


@login_required
@require_safe
def measure_list(request: AuthedRequest, course_id: int) -> HttpResponse:
    access = access_course_gradebook(user=request.user, course_id=course_id)
    measures = selectors.measure_list(course_id=course_id)
    context = {"access": access, "course": access.course, "measures": measures}
    return render(request, "gradebook/measures/list.html", context)


def _form_page(
    request: AuthedRequest, access: CourseGradebook, form: MeasureForm, measure: ControlMeasure | None, status: int
) -> HttpResponse:
    context = {"access": access, "course": access.course, "form": form, "measure": measure}
    return render(request, "gradebook/measures/form.html", context, status=status)


def _save(
    request: AuthedRequest, access: CourseGradebook, form: MeasureForm, measure: ControlMeasure | None
) -> HttpResponse:
    if form.is_valid():
        try:
            if measure is None:
                saved = services.measure_create(actor=request.user, course_id=access.course.id, **form.measure_fields())
            else:
                saved = services.measure_update(actor=request.user, measure_id=measure.pk, **form.measure_fields())
        except ValidationError as error:
            add_service_errors(form, error, renamed={"item_id": "item"})
        else:
            messages.success(request, _("The control measure “%(name)s” is saved.") % {"name": saved.name})
            return redirect(_list_url(access.course.id))
    return _form_page(request, access, form, measure, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def measure_create(request: AuthedRequest, course_id: int) -> HttpResponse:
    access = _managed(request, course_id)
    items = selectors.item_choices(course_id=course_id)
    if request.method == "POST":
        return _save(request, access, MeasureForm(request.POST, items=items), None)
    return _form_page(request, access, MeasureForm(items=items), None, status=200)


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: AuthedRequest, course_id: int, measure_id: int) -> HttpResponse:
    access = _managed(request, course_id)
    measure = _measure(course_id, measure_id)
    items = selectors.item_choices(course_id=course_id, keep=measure.item_id)
    if request.method == "POST":
        return _save(request, access, MeasureForm(request.POST, items=items), measure)
    initial: dict[str, Any] = {name: getattr(measure, name) for name in FORM_FIELDS}
    initial["item"] = measure.item_id
    return _form_page(request, access, MeasureForm(initial=initial, items=items), measure, status=200)


@login_required
@require_http_methods(["GET", "POST"])
def measure_delete(request: AuthedRequest, course_id: int, measure_id: int) -> HttpResponse:
    access = _managed(request, course_id)
    measure = _measure(course_id, measure_id)
    error = ""
    if request.method == "POST":
        try:
            services.measure_delete(actor=request.user, measure_id=measure.pk)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, _("The control measure “%(name)s” is deleted.") % {"name": measure.name})
            return redirect(_list_url(course_id))
    context = {"access": access, "course": access.course, "measure": measure, "error": error}
    return render(request, "gradebook/measures/delete.html", context, status=400 if error else 200)
