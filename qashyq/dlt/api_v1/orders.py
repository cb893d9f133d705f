"""REST API (read) of DLT orders (rules 12, 13), for the administration service and the head: each order's number,
date and status, and its students with the DLT type and period of each and the documents of their three
attachments (application, individual study plan, individual schedule). Anyone else gets 403 on the list and
404 on one order. Students are named by id and name only: the API never gives an IIN."""

from collections import defaultdict
from dataclasses import asdict
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from qashyq.dlt.api_v1.fields import (
    ATTACHMENT_KINDS,
    CategoryField,
    DltTypeField,
    EnrolmentStatusField,
    OrderStatusField,
)
from qashyq.dlt.models import Enrolment
from qashyq.dlt.permissions import orders as permissions
from qashyq.dlt.selectors import orders as selectors
from qashyq.records.api import OrderData, OrderStatus


class SeesOrders(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return permissions.can_list_orders(user=request.user)


class AttachmentsSerializer(serializers.Serializer):
    application = serializers.IntegerField(allow_null=True, help_text="Document id of the application (null: none)")
    study_plan = serializers.IntegerField(allow_null=True, help_text="Document id of the individual study plan")
    schedule = serializers.IntegerField(allow_null=True, help_text="Document id of the individual schedule")

    class Meta:
        ref_name = "DltOrderAttachments"


class OrderStudentSerializer(serializers.Serializer):
    student_id = serializers.IntegerField()
    student_name = serializers.CharField(source="student.full_name")
    application_id = serializers.IntegerField()
    category = CategoryField()
    dlt_type = DltTypeField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    status = EnrolmentStatusField(help_text="Where the student's DLT study stands")
    attachments = AttachmentsSerializer(
        source="attachment_documents", help_text="Documents of the three attachments (rule 13), by kind"
    )

    class Meta:
        ref_name = "DltOrderStudent"


class OrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(source="number_label", help_text='The number given at signing ("" for a draft)')
    order_date = serializers.DateField(allow_null=True, help_text="The date it was signed (null for a draft)")
    effective_date = serializers.DateField(help_text="In force from")
    status = OrderStatusField()
    signed_at = serializers.DateTimeField(allow_null=True)
    students = OrderStudentSerializer(source="dlt_students", many=True, help_text="By name")

    class Meta:
        ref_name = "DltOrder"


def with_students(orders: list[OrderData]) -> list[dict[str, Any]]:
    """Each order as a dict with `dlt_students`: its enrolments by the student's name, each with
    `attachment_documents` (two queries for any number of orders)."""
    by_order: dict[int, list[Enrolment]] = defaultdict(list)
    if orders:
        enrolments = (
            Enrolment.objects.filter(order_id__in=[o.id for o in orders])
            .select_related("student")
            .prefetch_related("attachments")
            .order_by("student__last_name", "student__first_name", "pk")
        )
        for enrolment in enrolments:
            documents: dict[str, int | None] = dict.fromkeys(ATTACHMENT_KINDS, None)
            for attachment in enrolment.attachments.all():
                documents[attachment.kind] = attachment.document_id
            enrolment.attachment_documents = documents  # type: ignore[attr-defined]
            by_order[enrolment.order_id].append(enrolment)
    return [{**asdict(order), "dlt_students": by_order[order.id]} for order in orders]


class OrderFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)


class OrderPagination(CursorPagination):
    """Newest first by id, over the list records' api gives (DLT orders are few): the cursor is the id the page
    continues below."""

    ordering = "-id"

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        self.request = request
        size = self.get_page_size(request) or 50
        orders = sorted(queryset, key=lambda o: -o.id)
        start = 0
        raw = request.query_params.get(self.cursor_query_param)
        if raw:
            try:
                below = int(raw)
            except ValueError:
                raise NotFound(self.invalid_cursor_message) from None
            start = next((i for i, o in enumerate(orders) if o.id < below), len(orders))
        page = orders[start : start + size]
        self.next_below: int | None = page[-1].id if page and start + size < len(orders) else None
        self.previous_start: int | None = max(0, start - size) if start else None
        self.previous_below: int | None = orders[start - size - 1].id if start - size > 0 else None
        return page

    def get_next_link(self) -> str | None:
        if self.next_below is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, self.next_below)

    def get_previous_link(self) -> str | None:
        if self.previous_start is None:
            return None
        url = self.request.build_absolute_uri()
        if self.previous_below is None:
            return remove_query_param(url, self.cursor_query_param)
        return replace_query_param(url, self.cursor_query_param, self.previous_below)


@extend_schema(parameters=[OpenApiParameter("status", str, enum=OrderStatus.values)])
class OrderListApi(generics.ListAPIView):
    """DLT orders, newest first, each with its students."""

    serializer_class = OrderSerializer
    permission_classes = [SeesOrders]
    pagination_class = OrderPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> list[OrderData]:
        params = OrderFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.dlt_order_list(status=params.validated_data.get("status") or "")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # always paginated
        return self.get_paginated_response(self.get_serializer(with_students(list(page)), many=True).data)


class OrderDetailApi(generics.RetrieveAPIView):
    """One DLT order with its students (404 for anyone but the administration service and the head)."""

    serializer_class = OrderSerializer

    def get_object(self) -> dict[str, Any]:
        order = permissions.access_order(user=self.request.user, order_id=int(self.kwargs["order_id"]))
        return with_students([order])[0]
