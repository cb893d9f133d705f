"""Pages of DLT orders (rules 12–14): the list, a new draft from accepted applications, the order's page (its
students with their three attachments and the job that issues them), more applications for a draft, and the
head's signature with everything that still stands in its way."""

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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qashyq.accounts.api import AuthedRequest
from qashyq.core.forms import add_service_errors
from qashyq.dlt.data import JobStatus
from qashyq.dlt.forms.orders import AddApplicationsForm, CandidateFilterForm, OrderCreateForm, OrderFilterForm
from qashyq.dlt.permissions import orders as permissions
from qashyq.dlt.selectors import orders as selectors
from qashyq.dlt.services import orders as services
from qashyq.documents import api as documents_api
from qashyq.records import api as records_api
from qashyq.records.api import OrderStatus

PAGE_SIZE = 50
# How often the order's page asks for the job's progress while it runs (htmx polling).
POLL_SECONDS = 3


def _refused(request: AuthedRequest, error: ValidationError, *, back: str, status: int = 400) -> HttpResponse:
    context = {"status": status, "title": _("Not possible"), "message": " ".join(error.messages), "back_url": back}
    return render(request, "error.html", context, status=status)


def _detail_url(order_id: int) -> str:
    return reverse("dlt:order-detail", args=[order_id])


def _apply_due() -> None:
    """Orders come into force whenever their pages are opened (no scheduler is needed for it)."""
    records_api.orders_apply_due(today=timezone.localdate())


def _access_for_preparing(request: AuthedRequest, order_id: int) -> Any:
    order = permissions.access_order(user=request.user, order_id=order_id)
    if not permissions.can_prepare_orders(user=request.user):
        raise Http404
    return order


# --- The list ------------------------------------------------------------------------------------------


@login_required
@require_GET
def order_list(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_list_orders(user=request.user):
        raise Http404
    _apply_due()
    form = OrderFilterForm(request.GET or None)
    context: dict[str, Any] = {
        "form": form,
        "page": None,
        "rows": [],
        "can_prepare": permissions.can_prepare_orders(user=request.user),
    }
    if form.is_bound and not form.is_valid():
        return render(request, "dlt/orders/list.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    orders = selectors.dlt_order_list(status=data.get("status") or "", query=(data.get("q") or "").strip())
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context.update(page=page, rows=selectors.order_rows(page.object_list), query=query.urlencode())
    return render(request, "dlt/orders/list.html", context)


# --- A new draft -------------------------------------------------------------------------------------------


def _candidates_context(request: AuthedRequest) -> dict[str, Any]:
    filter_form = CandidateFilterForm(request.GET or None)
    return {
        "filter_form": filter_form,
        "candidates": selectors.candidates(filters=filter_form.filters()),
        "query": request.GET.urlencode(),
    }


def _selected(form: Any) -> set[str]:
    return {str(v) for v in (form["applications"].value() or [])}


@login_required
@require_http_methods(["GET", "POST"])
def order_create(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_prepare_orders(user=request.user):
        raise Http404
    choices = selectors.candidate_choices()
    status = 200
    if request.method == "POST":
        form = OrderCreateForm(request.POST, applications=choices)
        if form.is_valid():
            try:
                order = services.dlt_order_create(
                    actor=request.user,
                    application_ids=form.cleaned_data["applications"],
                    effective_date=form.cleaned_data["effective_date"],
                    basis_kk=form.cleaned_data["basis_kk"],
                    basis_ru=form.cleaned_data["basis_ru"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The draft DLT order is saved; the attachments of its students are being issued.")
                )
                return redirect("dlt:order-detail", order_id=order.id)
        status = 400
    else:
        form = OrderCreateForm(initial={"effective_date": timezone.localdate()}, applications=choices)
    context = {**_candidates_context(request), "form": form, "selected": _selected(form)}
    return render(request, "dlt/orders/create.html", context, status=status)


# --- One order -----------------------------------------------------------------------------------------


def _job_context(order_id: int) -> dict[str, Any]:
    job = selectors.job_latest(order_id=order_id)
    return {
        "job": job,
        "job_running": job is not None and selectors.job_is_alive(job),
        "job_percent": selectors.job_percent(job) if job is not None else 0,
        "poll_seconds": POLL_SECONDS,
    }


@login_required
@require_GET
def order_detail(request: AuthedRequest, order_id: int) -> HttpResponse:
    if not permissions.can_list_orders(user=request.user):
        raise Http404
    _apply_due()
    order = permissions.access_order(user=request.user, order_id=order_id)
    rows = selectors.order_student_rows(order_id=order.id)
    is_draft = order.status == OrderStatus.DRAFT
    can_prepare = permissions.can_prepare_orders(user=request.user)
    signed = order.status in (OrderStatus.SIGNED, OrderStatus.IN_FORCE, OrderStatus.CANCELLED)
    context = {
        "order": order,
        "rows": rows,
        "complete": sum(1 for row in rows if row.complete),
        "is_draft": is_draft,
        "can_edit": is_draft and can_prepare,
        "can_sign": is_draft and permissions.can_sign_orders(user=request.user),
        "documents": documents_api.documents_for(target=("records.order", str(order.id))) if signed else [],
        "problems": services.sign_problems(order_id=order.id) if is_draft else [],
        **_job_context(order.id),
    }
    return render(request, "dlt/orders/detail.html", context)


@login_required
@require_GET
def order_progress(request: AuthedRequest, order_id: int) -> HttpResponse:
    """The job's progress fragment, asked for every few seconds while the job runs; once it has finished,
    htmx reloads the whole page (the students' attachments changed)."""
    order = permissions.access_order(user=request.user, order_id=order_id)
    context = {"order": order, **_job_context(order.id)}
    response = render(request, "dlt/orders/detail.html#progress", context)
    if getattr(request, "htmx", False) and not context["job_running"]:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def order_generate(request: AuthedRequest, order_id: int) -> HttpResponse:
    order = _access_for_preparing(request, order_id)
    try:
        job = services.attachments_generate(actor=request.user, order_id=order.id)
    except ValidationError as error:
        return _refused(request, error, back=_detail_url(order.id))
    job.refresh_from_db()  # with Celery eager it has run already
    if job.status in (JobStatus.DONE, JobStatus.FAILED):
        messages.success(request, _("The attachments are issued."))
    else:
        messages.success(request, _("The attachments are being issued: the progress is shown below."))
    return redirect(_detail_url(order.id) + "#attachments")


@login_required
@require_http_methods(["GET", "POST"])
def order_add(request: AuthedRequest, order_id: int) -> HttpResponse:
    order = _access_for_preparing(request, order_id)
    if order.status != OrderStatus.DRAFT:
        error = ValidationError(_("Order № %(number)s is signed and is never edited.") % {"number": order.number_label})
        return _refused(request, error, back=_detail_url(order.id))
    choices = selectors.candidate_choices()
    status = 200
    if request.method == "POST":
        form = AddApplicationsForm(request.POST, applications=choices)
        if form.is_valid():
            try:
                services.dlt_order_add_applications(
                    actor=request.user, order_id=order.id, application_ids=form.cleaned_data["applications"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The students are added; their attachments are being issued."))
                return redirect(_detail_url(order.id) + "#students")
        status = 400
    else:
        form = AddApplicationsForm(applications=choices)
    context = {**_candidates_context(request), "order": order, "form": form, "selected": _selected(form)}
    return render(request, "dlt/orders/add.html", context, status=status)


@login_required
@require_POST
def order_remove(request: AuthedRequest, order_id: int, application_id: int) -> HttpResponse:
    order = _access_for_preparing(request, order_id)
    try:
        services.dlt_order_remove_application(actor=request.user, order_id=order.id, application_id=application_id)
    except ValidationError as error:
        return _refused(request, error, back=_detail_url(order.id))
    messages.success(
        request, _("Application № %(id)s is taken out of the order: it is accepted again.") % {"id": application_id}
    )
    return redirect(_detail_url(order.id) + "#students")


@login_required
@require_http_methods(["GET", "POST"])
def order_sign(request: AuthedRequest, order_id: int) -> HttpResponse:
    order = permissions.access_order(user=request.user, order_id=order_id)
    if not permissions.can_sign_orders(user=request.user):
        raise Http404
    status = 200
    problems: list[str] = []
    if request.method == "POST":
        try:
            signed = services.dlt_order_sign(actor=request.user, order_id=order.id)
        except ValidationError as error:
            problems = error.messages
            status = 400
        else:
            messages.success(request, _("Order № %(number)s is signed.") % {"number": signed.number_label})
            return redirect(_detail_url(order.id))
    elif order.status == OrderStatus.DRAFT:
        problems = services.sign_problems(order_id=order.id)
    else:
        problems = [
            _("Order № %(number)s is already signed: an order is signed once.") % {"number": order.number_label}
        ]
        status = 400
    context = {
        "order": order,
        "rows": selectors.order_student_rows(order_id=order.id),
        "problems": problems,
        "today": timezone.localdate(),
    }
    return render(request, "dlt/orders/sign.html", context, status=status)
