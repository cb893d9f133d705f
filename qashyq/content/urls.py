from django.urls import path

app_name = "content"

urlpatterns: list = []
