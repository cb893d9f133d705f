"""Pages of delivery on paper and case technology: building a course's case package (with a progress bar
polled by htmx), the students' delivery channels, dispatch and receipt records."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from qashyq.accounts.api import AuthedRequest
from qashyq.content.data import CasePackageStatus
from qashyq.content.forms.delivery import DeliveryForm, DispatchForm, ReceiveForm
from qashyq.content.models import Course
from qashyq.content.permissions.courses import access_course
from qashyq.content.permissions.delivery import (
    access_case_package,
    access_delivery_enrolment,
    access_dispatch,
    can_build_case_package,
    can_manage_delivery,
)
from qashyq.content.selectors import delivery as selectors
from qashyq.content.services import delivery as services


def _course_for_delivery(request: AuthedRequest, course_id: int) -> Course:
    course = access_course(user=request.user, course_id=course_id)
    if not can_manage_delivery(user=request.user):
        raise PermissionDenied
    return course


def _service_errors(form: DeliveryForm | DispatchForm | ReceiveForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Case package ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def course_case(request: AuthedRequest, course_id: int) -> HttpResponse:
    """The course's case packages: build one, follow its progress, download the ready ones."""
    course = access_course(user=request.user, course_id=course_id)
    if not can_build_case_package(user=request.user, course=course):
        raise PermissionDenied
    if request.method == "POST":
        package = services.case_package_request(actor=request.user, course=course)
        package.refresh_from_db()
        if package.status == CasePackageStatus.READY:
            messages.success(request, _("The case package is ready."))
        elif package.status == CasePackageStatus.FAILED:
            messages.error(request, _("The case package could not be built."))
        else:
            messages.info(request, _("The case package is being built; this page shows its progress."))
        return redirect("content:course-case", course_id=course.pk)
    packages = selectors.case_packages(course=course)
    context = {
        "course": course,
        "packages": packages,
        "latest": packages[0] if packages else None,
        "can_manage_delivery": can_manage_delivery(user=request.user),
    }
    return render(request, "content/delivery/case.html", context)


@login_required
@require_safe
def case_status(request: AuthedRequest, package_id: int) -> HttpResponse:
    """The progress fragment htmx polls every two seconds until the package is ready or failed."""
    package = access_case_package(user=request.user, package_id=package_id)
    return render(request, "content/delivery/case.html#case-status", {"package": package})


# --- Delivery channels and dispatches --------------------------------------------------------------


def _delivery_page(request: AuthedRequest, course: Course, *, status: int = 200) -> HttpResponse:
    rows = selectors.delivery_rows(course=course)
    context = {
        "course": course,
        "rows": rows,
        "paper_count": sum(1 for row in rows if row.paper),
        "delivery_form": DeliveryForm(),
    }
    return render(request, "content/delivery/delivery.html", context, status=status)


@login_required
@require_safe
def course_delivery(request: AuthedRequest, course_id: int) -> HttpResponse:
    """Every active student of the course with their delivery channel; paper students with their last
    dispatch and whether it was received."""
    return _delivery_page(request, _course_for_delivery(request, course_id))


@login_required
@require_POST
def delivery_set(request: AuthedRequest, enrolment_id: int) -> HttpResponse:
    enrolment = access_delivery_enrolment(user=request.user, enrolment_id=enrolment_id)
    form = DeliveryForm(request.POST)
    if form.is_valid():
        try:
            services.enrolment_delivery_set(
                actor=request.user, enrolment=enrolment, delivery=form.cleaned_data["delivery"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _delivery_page(request, enrolment.course, status=400)
        messages.success(
            request,
            _("%(student)s: %(delivery)s.")
            % {"student": enrolment.student.full_name, "delivery": enrolment.get_delivery_display()},
        )
        return redirect("content:course-delivery", course_id=enrolment.course_id)
    messages.error(request, _("Choose electronic or paper delivery."))
    return _delivery_page(request, enrolment.course, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dispatch_create(request: AuthedRequest, enrolment_id: int) -> HttpResponse:
    enrolment = access_delivery_enrolment(user=request.user, enrolment_id=enrolment_id)
    form = DispatchForm(request.POST or None, course=enrolment.course)
    if request.method == "POST" and form.is_valid():
        try:
            services.dispatch_record(actor=request.user, enrolment=enrolment, **form.cleaned_data)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(
                request, _("The dispatch to %(student)s is recorded.") % {"student": enrolment.student.full_name}
            )
            return redirect("content:course-delivery", course_id=enrolment.course_id)
    context = {
        "form": form,
        "enrolment": enrolment,
        "course": enrolment.course,
        "history": selectors.dispatch_history(enrolment=enrolment),
    }
    return render(request, "content/delivery/dispatch_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dispatch_receive(request: AuthedRequest, dispatch_id: int) -> HttpResponse:
    dispatch = access_dispatch(user=request.user, dispatch_id=dispatch_id)
    form = ReceiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dispatch_receive(
                actor=request.user, dispatch=dispatch, received_on=form.cleaned_data["received_on"]
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(
                request,
                _("The receipt by %(student)s is recorded.") % {"student": dispatch.enrolment.student.full_name},
            )
            return redirect("content:course-delivery", course_id=dispatch.enrolment.course_id)
    context = {"form": form, "dispatch": dispatch, "course": dispatch.enrolment.course}
    return render(request, "content/delivery/receive_form.html", context, status=400 if form.errors else 200)
