from django.urls import path

from qashyq.documents import views

app_name = "documents"
urlpatterns = [
    path("<int:document_id>/pdf/", views.document_download, name="document-download"),
    path("verify/", views.verify_start, name="document-verify-start"),
    path("verify/<str:code>/", views.verify, name="document-verify"),
]
