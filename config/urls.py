from django.contrib import admin
from django.urls import include, path

from qashyq.accounts import views as accounts_views
from qashyq.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("accounts/", include("qashyq.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("organization/", include("qashyq.organization.urls")),
    path("academics/", include("qashyq.academics.urls")),
    path("records/", include("qashyq.records.urls")),
    path("content/", include("qashyq.content.urls")),
    path("assessment/", include("qashyq.assessment.urls")),
    path("gradebook/", include("qashyq.gradebook.urls")),
    path("coursework/", include("qashyq.coursework.urls")),
    path("dlt/", include("qashyq.dlt.urls")),
    path("documents/", include("qashyq.documents.urls")),
    path("", include("qashyq.portal.urls")),
]

handler400 = "qashyq.core.views.bad_request"
handler403 = "qashyq.core.views.permission_denied"
handler404 = "qashyq.core.views.page_not_found"
handler500 = "qashyq.core.views.server_error"
