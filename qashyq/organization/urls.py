from django.urls import path

from qashyq.organization import views

app_name = "organization"
urlpatterns = [
    path("", views.institution_detail, name="institution"),
    path("edit/", views.institution_edit, name="institution-edit"),
    path("structure/", views.structure, name="structure"),
    path("units/new/", views.unit_create, name="unit-create"),
    path("units/<int:unit_id>/edit/", views.unit_edit, name="unit-edit"),
    path("units/<int:unit_id>/positions/new/", views.position_create, name="position-create"),
    path("positions/<int:position_id>/staff/new/", views.staff_assign, name="staff-assign"),
    path("staff/<int:staff_member_id>/end/", views.staff_end, name="staff-end"),
]
