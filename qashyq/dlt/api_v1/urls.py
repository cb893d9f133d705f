"""Routes of the DLT API (included under /api/v1/dlt/ by config/api_urls.py)."""

from django.urls import path

from qashyq.dlt.api_v1 import applications, orders, plans

urlpatterns = [
    path("applications/", applications.ApplicationListApi.as_view(), name="api-dlt-application-list"),
    path(
        "applications/<int:application_id>/",
        applications.ApplicationDetailApi.as_view(),
        name="api-dlt-application-detail",
    ),
    path("orders/", orders.OrderListApi.as_view(), name="api-dlt-order-list"),
    path("orders/<int:order_id>/", orders.OrderDetailApi.as_view(), name="api-dlt-order-detail"),
    path("plans/<int:application_id>/", plans.PlanDetailApi.as_view(), name="api-dlt-plan-detail"),
    path("schedules/<int:application_id>/", plans.ScheduleDetailApi.as_view(), name="api-dlt-schedule-detail"),
]
