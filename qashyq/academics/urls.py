from django.urls import path
from django.views.generic import RedirectView

from qashyq.academics import views

app_name = "academics"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="academics:programme-list"), name="index"),
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/new/", views.programme_create, name="programme-create"),
    path("programmes/<int:programme_id>/", views.programme_detail, name="programme-detail"),
    path("programmes/<int:programme_id>/edit/", views.programme_edit, name="programme-edit"),
    path("programmes/<int:programme_id>/curriculum/add/", views.curriculum_add, name="curriculum-add"),
    path("curriculum/<int:entry_id>/remove/", views.curriculum_remove, name="curriculum-remove"),
    path("disciplines/", views.discipline_list, name="discipline-list"),
    path("disciplines/new/", views.discipline_create, name="discipline-create"),
    path("disciplines/<int:discipline_id>/edit/", views.discipline_edit, name="discipline-edit"),
    path("years/", views.year_list, name="year-list"),
    path("years/new/", views.year_create, name="year-create"),
    path("years/<int:year_id>/periods/new/", views.period_create, name="period-create"),
    path("years/<int:year_id>/calendars/new/", views.calendar_create, name="calendar-create"),
    path("calendars/<int:calendar_id>/", views.calendar_detail, name="calendar-detail"),
    path("calendars/<int:calendar_id>/events/add/", views.calendar_event_add, name="calendar-event-add"),
    path("calendars/<int:calendar_id>/approve/", views.calendar_approve, name="calendar-approve"),
    path("calendars/<int:calendar_id>/reopen/", views.calendar_reopen, name="calendar-reopen"),
    path("events/<int:event_id>/remove/", views.calendar_event_remove, name="calendar-event-remove"),
    path("groups/", views.group_list, name="group-list"),
    path("groups/new/", views.group_create, name="group-create"),
    path("groups/<int:group_id>/edit/", views.group_edit, name="group-edit"),
    path("assignments/", views.assignment_list, name="assignment-list"),
    path("assignments/new/", views.assignment_create, name="assignment-create"),
    path("assignments/<int:assignment_id>/remove/", views.assignment_remove, name="assignment-remove"),
]
