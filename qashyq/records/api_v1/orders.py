"""REST API (read) of contingent orders, for the administration service and the head.

Orders list students by id and name only: the API never gives an IIN."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from qashyq.records import permissions
from qashyq.records.data import OrderKind, OrderStatus
from qashyq.records.models import Order, OrderItem
from qashyq.records.selectors import orders as selectors


class CanViewOrders(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return permissions.can_view_orders(user=request.user)


class OrderItemSerializer(serializers.ModelSerializer):
    student_id = serializers.IntegerField(read_only=True)
    student_name = serializers.CharField(source="student.full_name", read_only=True)

    class Meta:
        model = OrderItem
        fields = ["position", "student_id", "student_name", "changes", "reason", "note", "before"]


class OrderSerializer(serializers.ModelSerializer):
    cancels_id = serializers.IntegerField(read_only=True, allow_null=True)
    items = OrderItemSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "kind",
            "status",
            "year",
            "number",
            "number_label",
            "title_kk",
            "title_ru",
            "basis_kk",
            "basis_ru",
            "order_date",
            "effective_date",
            "signed_at",
            "applied_at",
            "cancels_id",
            "items",
        ]


class OrderFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OrderKind.choices, required=False)
    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class OrderPagination(CursorPagination):
    ordering = "-id"


def _with_items(orders: QuerySet[Order]) -> QuerySet[Order]:
    return orders.prefetch_related(
        Prefetch("items", queryset=OrderItem.objects.select_related("student").order_by("position"))
    )


@extend_schema(
    parameters=[
        OpenApiParameter("kind", str, enum=OrderKind.values),
        OpenApiParameter("status", str, enum=OrderStatus.values),
        OpenApiParameter("year", int, description="Year of the order's number (of its date in force for drafts)"),
    ]
)
class OrderListApi(generics.ListAPIView):
    """Orders, newest first, each with its students."""

    serializer_class = OrderSerializer
    permission_classes = [CanViewOrders]
    pagination_class = OrderPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Order]:
        params = OrderFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return _with_items(selectors.order_list(**params.validated_data))


class OrderDetailApi(generics.RetrieveAPIView):
    """One order with its students."""

    serializer_class = OrderSerializer
    permission_classes = [CanViewOrders]
    lookup_url_kwarg = "order_id"

    def get_queryset(self) -> QuerySet[Order]:
        return _with_items(Order.objects.all())
