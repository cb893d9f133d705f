"""Pages of contingent orders: list, draft, students of a draft, signature, cancellation."""

import json
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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from qashyq.accounts.api import AuthedRequest
from qashyq.audit import api as audit_api
from qashyq.documents import api as documents_api
from qashyq.records import permissions
from qashyq.records.data import OrderKind, OrderStatus
from qashyq.records.hooks import hooks_for
from qashyq.records.models import Order
from qashyq.records.order_forms import (
    OrderCancelForm,
    OrderCreateForm,
    OrderFilterForm,
    OrderItemForm,
    OrderUpdateForm,
)
from qashyq.records.selectors import orders as selectors
from qashyq.records.services import orders as services

PAGE_SIZE = 50

EVENT_LABELS = {
    "records.order_created": gettext_lazy("Draft created"),
    "records.order_updated": gettext_lazy("Draft changed"),
    "records.order_item_added": gettext_lazy("Student added"),
    "records.order_item_removed": gettext_lazy("Student removed"),
    "records.order_signed": gettext_lazy("Signed"),
    "records.order_in_force": gettext_lazy("In force"),
    "records.order_cancelled": gettext_lazy("Cancelled"),
}


def _readable(values: dict[str, Any]) -> dict[str, str]:
    """Values of an audit event as text: nested ones as JSON, in the letters they were written in."""
    return {
        key: "—"
        if value is None
        else json.dumps(value, ensure_ascii=False)
        if isinstance(value, dict | list)
        else str(value)
        for key, value in values.items()
    }


def _refused(request: AuthedRequest, error: ValidationError, *, back: str, status: int = 400) -> HttpResponse:
    context = {"status": status, "title": _("Not possible"), "message": " ".join(error.messages), "back_url": back}
    return render(request, "error.html", context, status=status)


def _draft_or_refusal(request: AuthedRequest, order: Order) -> HttpResponse | None:
    """The page that refuses to edit a signed order, or None for a draft."""
    try:
        services.order_check_editable(order=order)
    except ValidationError as error:
        return _refused(request, error, back=reverse("records:order-detail", args=[order.pk]))
    return None


def _access_for_preparing(request: AuthedRequest, order_id: int) -> Order:
    order = permissions.access_order(user=request.user, order_id=order_id)
    if not permissions.can_prepare_orders(user=request.user):
        raise Http404
    return order


@login_required
def order_list(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_view_orders(user=request.user):
        raise Http404
    services.orders_apply_due(today=timezone.localdate())
    form = OrderFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    page = Paginator(selectors.order_list(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_prepare": permissions.can_prepare_orders(user=request.user),
        "years": selectors.order_years(),
    }
    return render(request, "records/orders/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def order_create(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_prepare_orders(user=request.user):
        raise Http404
    status = 200
    if request.method == "POST":
        form = OrderCreateForm(request.POST)
        if form.is_valid():
            try:
                order = services.order_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The draft order is saved: now add the students."))
                return redirect("records:order-detail", order_id=order.pk)
        status = 400
    else:
        form = OrderCreateForm(initial={"effective_date": timezone.localdate()})
    return render(request, "records/orders/create.html", {"form": form}, status=status)


@login_required
def order_detail(request: AuthedRequest, order_id: int) -> HttpResponse:
    permissions.access_order(user=request.user, order_id=order_id)
    services.orders_apply_due(today=timezone.localdate())
    order = selectors.order_get_with_items(order_id=order_id)
    items = [(item, selectors.item_description(item, order.kind)) for item in order.item_list]  # type: ignore[attr-defined]
    is_draft = order.status == OrderStatus.DRAFT
    can_prepare = permissions.can_prepare_orders(user=request.user)
    manage_url = hooks_for(order.kind).manage_url
    managed = manage_url is not None  # built and signed on its own app's page (a DLT order)
    context = {
        "order": order,
        "items": items,
        "events": [
            {
                **event,
                "label": EVENT_LABELS.get(event["action"], event["action"]),
                "before": _readable(event["before"]),
                "after": _readable(event["after"]),
            }
            for event in audit_api.events_for(target_type="records.order", target_id=str(order.pk))
        ],
        "documents": documents_api.documents_for(target=("records.order", str(order.pk))),
        "cancellations": selectors.order_cancellations(order=order),
        "is_draft": is_draft,
        "can_edit": is_draft and can_prepare,
        "can_add": is_draft and can_prepare and order.kind != OrderKind.CANCELLATION and not managed,
        "can_sign": is_draft and permissions.can_sign_orders(user=request.user) and not managed,
        "managed_url": manage_url(order.pk) if manage_url is not None else "",
        "can_cancel": can_prepare
        and order.kind != OrderKind.CANCELLATION
        and order.status in (OrderStatus.SIGNED, OrderStatus.IN_FORCE),
    }
    return render(request, "records/orders/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def order_update(request: AuthedRequest, order_id: int) -> HttpResponse:
    order = _access_for_preparing(request, order_id)
    refusal = _draft_or_refusal(request, order)
    if refusal is not None:
        return refusal
    status = 200
    if request.method == "POST":
        form = OrderUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.order_update(actor=request.user, order=order, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The draft order is saved."))
                return redirect("records:order-detail", order_id=order.pk)
        status = 400
    else:
        form = OrderUpdateForm(
            initial={
                "effective_date": order.effective_date,
                "title_kk": order.title_kk,
                "title_ru": order.title_ru,
                "basis_kk": order.basis_kk,
                "basis_ru": order.basis_ru,
            }
        )
    return render(request, "records/orders/update.html", {"form": form, "order": order}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def order_item_add(request: AuthedRequest, order_id: int) -> HttpResponse:
    order = _access_for_preparing(request, order_id)
    refusal = _draft_or_refusal(request, order)
    if refusal is not None:
        return refusal
    if order.kind == OrderKind.CANCELLATION or hooks_for(order.kind).manage_url is not None:
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    query = source.get("q", "").strip()[:100]
    candidates = selectors.order_student_candidates(order=order, query=query)
    student_choices = [
        (s.pk, f"{s.full_name} · {s.iin} · {s.get_status_display()}" + (f" · {s.group.code}" if s.group else ""))
        for s in candidates
    ]
    groups = selectors.order_group_choices()
    status = 200
    if request.method == "POST":
        form = OrderItemForm(request.POST, kind=order.kind, students=student_choices, groups=groups)
        if form.is_valid():
            student = next(s for s in candidates if s.pk == form.cleaned_data["student"])
            try:
                services.order_item_add(
                    actor=request.user,
                    order=order,
                    student=student,
                    changes=form.changes(),
                    reason=form.cleaned_data.get("reason", ""),
                    note=form.cleaned_data.get("note", ""),
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("%(student)s is added to the order.") % {"student": student.full_name})
                return redirect(reverse("records:order-detail", args=[order.pk]) + "#items")
        status = 400
    else:
        form = OrderItemForm(kind=order.kind, students=student_choices, groups=groups)
    context = {"order": order, "form": form, "query": query, "candidates": candidates}
    return render(request, "records/orders/item_add.html", context, status=status)


def _add_service_errors(form: OrderItemForm, error: ValidationError) -> None:
    """A service's error on the form: on its field when the form shows that field, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_POST
def order_item_remove(request: AuthedRequest, order_id: int, item_id: int) -> HttpResponse:
    order = _access_for_preparing(request, order_id)
    if hooks_for(order.kind).manage_url is not None:  # its students are taken off on the app's own page
        raise Http404
    item = order.items.select_related("student").filter(pk=item_id).first()
    if item is None:
        raise Http404
    try:
        services.order_item_remove(actor=request.user, item=item)
    except ValidationError as error:
        return _refused(request, error, back=reverse("records:order-detail", args=[order.pk]))
    messages.success(request, _("%(student)s is taken off the order.") % {"student": item.student.full_name})
    return redirect(reverse("records:order-detail", args=[order.pk]) + "#items")


@login_required
@require_http_methods(["GET", "POST"])
def order_sign(request: AuthedRequest, order_id: int) -> HttpResponse:
    permissions.access_order(user=request.user, order_id=order_id)
    if not permissions.can_sign_orders(user=request.user):
        raise Http404
    order = selectors.order_get_with_items(order_id=order_id)
    manage_url = hooks_for(order.kind).manage_url
    if manage_url is not None:
        return redirect(manage_url(order.pk))
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            signed = services.order_sign(actor=request.user, order=order)
        except ValidationError as error:
            errors = error.messages
            status = 400
        else:
            messages.success(request, _("Order № %(number)s is signed.") % {"number": signed.number_label})
            return redirect("records:order-detail", order_id=signed.pk)
    elif order.status != OrderStatus.DRAFT:
        errors = [
            _("Order %(order)s is already signed: an order is signed once.") % {"order": services.order_label(order)}
        ]
        status = 400
    items = [(item, selectors.item_description(item, order.kind)) for item in order.item_list]  # type: ignore[attr-defined]
    context = {"order": order, "items": items, "errors": errors, "today": timezone.localdate()}
    return render(request, "records/orders/sign.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def order_cancel(request: AuthedRequest, order_id: int) -> HttpResponse:
    order = _access_for_preparing(request, order_id)
    if order.kind == OrderKind.CANCELLATION or order.status not in (OrderStatus.SIGNED, OrderStatus.IN_FORCE):
        error = ValidationError(_("Only a signed order can be cancelled by a new order."))
        return _refused(request, error, back=reverse("records:order-detail", args=[order.pk]))
    status = 200
    if request.method == "POST":
        form = OrderCancelForm(request.POST)
        if form.is_valid():
            try:
                cancellation = services.order_cancel(
                    actor=request.user,
                    order=order,
                    basis_kk=form.cleaned_data["basis_kk"],
                    basis_ru=form.cleaned_data["basis_ru"],
                    effective_date=form.cleaned_data["effective_date"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The draft cancellation order is saved: the head signs it."))
                return redirect("records:order-detail", order_id=cancellation.pk)
        status = 400
    else:
        form = OrderCancelForm()
    return render(request, "records/orders/cancel.html", {"form": form, "order": order}, status=status)
