from django.urls import path

from qashyq.records.views import extracts
from qashyq.records.views import orders as order_views
from qashyq.records.views import students as student_views

app_name = "records"
urlpatterns: list = [
    path("orders/", order_views.order_list, name="order-list"),
    path("orders/new/", order_views.order_create, name="order-create"),
    path("orders/<int:order_id>/", order_views.order_detail, name="order-detail"),
    path("orders/<int:order_id>/edit/", order_views.order_update, name="order-update"),
    path("orders/<int:order_id>/items/add/", order_views.order_item_add, name="order-item-add"),
    path(
        "orders/<int:order_id>/items/<int:item_id>/remove/",
        order_views.order_item_remove,
        name="order-item-remove",
    ),
    path("orders/<int:order_id>/sign/", order_views.order_sign, name="order-sign"),
    path("orders/<int:order_id>/cancel/", order_views.order_cancel, name="order-cancel"),
    path("students/", student_views.student_list, name="student-list"),
    path("students/export.<str:fmt>", student_views.student_export, name="student-export"),
    path("students/new/", student_views.student_create, name="student-create"),
    path("students/mine/", student_views.student_mine, name="student-mine"),
    path("students/import/", student_views.student_import, name="student-import"),
    path("students/import/template.xlsx", student_views.student_import_template, name="student-import-template"),
    path("students/import/confirm/", student_views.student_import_confirm, name="student-import-confirm"),
    path("students/<int:student_id>/", student_views.student_detail, name="student-detail"),
    path("students/<int:student_id>/contacts/", student_views.student_contacts, name="student-contacts"),
    path("orders/<int:order_id>/items/<int:item_id>/extract/<str:lang>/", extracts.order_extract, name="order-extract"),
]
