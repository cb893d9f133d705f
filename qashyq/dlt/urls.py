from django.urls import path

from qashyq.dlt.views import applications as application_views
from qashyq.dlt.views import orders as order_views
from qashyq.dlt.views import plans as plan_views
from qashyq.dlt.views import registry as registry_views

app_name = "dlt"

urlpatterns: list = []

# --- applications: the student's side and the review (views/applications.py) ---

urlpatterns += [
    path("applications/", application_views.application_list, name="application-list"),
    path("applications/mine/", application_views.application_mine, name="application-mine"),
    path("applications/new/", application_views.application_create, name="application-create"),
    path("applications/<int:application_id>/", application_views.application_detail, name="application-detail"),
    path("applications/<int:application_id>/edit/", application_views.application_edit, name="application-edit"),
    path(
        "applications/<int:application_id>/documents/",
        application_views.application_documents,
        name="application-documents",
    ),
    path("applications/<int:application_id>/delete/", application_views.application_delete, name="application-delete"),
    path("applications/<int:application_id>/submit/", application_views.application_submit, name="application-submit"),
    path("applications/<int:application_id>/review/", application_views.application_review, name="application-review"),
    path("applications/<int:application_id>/pdf/", application_views.application_pdf, name="application-pdf"),
    path("documents/<int:document_id>/", application_views.application_document, name="application-document"),
]

# --- individual study plans and schedules, PDFs, the iCal feed (views/plans.py) ---

urlpatterns += [
    path("applications/<int:application_id>/plan/", plan_views.plan_detail, name="plan-detail"),
    path("applications/<int:application_id>/plan/approve/", plan_views.plan_approve, name="plan-approve"),
    path("applications/<int:application_id>/plan/regenerate/", plan_views.plan_regenerate, name="plan-regenerate"),
    path("applications/<int:application_id>/plan/pdf/", plan_views.plan_pdf, name="plan-pdf"),
    path("plan-lines/<int:line_id>/edit/", plan_views.plan_line_edit, name="plan-line-edit"),
    path("applications/<int:application_id>/schedule/", plan_views.schedule_detail, name="schedule-detail"),
    path(
        "applications/<int:application_id>/schedule/regenerate/",
        plan_views.schedule_regenerate,
        name="schedule-regenerate",
    ),
    path(
        "applications/<int:application_id>/schedule/entries/new/",
        plan_views.schedule_entry_add,
        name="schedule-entry-add",
    ),
    path("schedule-entries/<int:entry_id>/edit/", plan_views.schedule_entry_edit, name="schedule-entry-edit"),
    path("schedule-entries/<int:entry_id>/delete/", plan_views.schedule_entry_delete, name="schedule-entry-delete"),
    path(
        "applications/<int:application_id>/schedule/feed/",
        plan_views.schedule_feed_rotate,
        name="schedule-feed-rotate",
    ),
    path("applications/<int:application_id>/schedule/pdf/", plan_views.schedule_pdf, name="schedule-pdf"),
    path("schedule/<slug:token>.ics", plan_views.schedule_feed, name="schedule-feed"),
]

# --- DLT orders and their attachments (views/orders.py) ---

urlpatterns += [
    path("orders/", order_views.order_list, name="order-list"),
    path("orders/new/", order_views.order_create, name="order-create"),
    path("orders/<int:order_id>/", order_views.order_detail, name="order-detail"),
    path("orders/<int:order_id>/progress/", order_views.order_progress, name="order-progress"),
    path("orders/<int:order_id>/attachments/", order_views.order_generate, name="order-generate"),
    path("orders/<int:order_id>/applications/add/", order_views.order_add, name="order-add"),
    path(
        "orders/<int:order_id>/applications/<int:application_id>/remove/",
        order_views.order_remove,
        name="order-remove",
    ),
    path("orders/<int:order_id>/sign/", order_views.order_sign, name="order-sign"),
]

# --- the registry and its export (views/registry.py) ---

urlpatterns += [
    path("registry/", registry_views.registry, name="registry"),
    path("registry/export.xlsx", registry_views.registry_export, name="registry-export"),
]
