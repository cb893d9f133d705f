from django.urls import path

from qashyq.accounts import views

app_name = "accounts"
urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("users/", views.user_list, name="user_list"),
    path("users/<int:user_id>/roles/", views.user_roles, name="user_roles"),
]
