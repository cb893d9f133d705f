from django.urls import path

from qashyq.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/<slug:role>/", views.dashboard, name="dashboard"),
]
