"""REST API v1: each app adds its read endpoints here."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from qashyq.academics import api_v1 as academics_api
from qashyq.records.api_v1 import orders as records_orders_api
from qashyq.records.api_v1 import students as records_students_api

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    *academics_api.router.urls,
    path("orders/", records_orders_api.OrderListApi.as_view(), name="api-order-list"),
    path("orders/<int:order_id>/", records_orders_api.OrderDetailApi.as_view(), name="api-order-detail"),
    path("students/", records_students_api.StudentListApi.as_view(), name="api-student-list"),
    path("students/<int:student_id>/", records_students_api.StudentDetailApi.as_view(), name="api-student-detail"),
    path("content/", include("qashyq.content.api_v1.urls")),
    path("assessment/", include("qashyq.assessment.api_v1.urls")),
    path("gradebook/", include("qashyq.gradebook.api_v1.urls")),
    path("dlt/", include("qashyq.dlt.api_v1.urls")),
]
