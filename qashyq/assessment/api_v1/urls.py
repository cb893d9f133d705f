from django.urls import path

from qashyq.assessment.api_v1 import views

urlpatterns = [
    path("banks/", views.BankListApi.as_view(), name="api-assessment-bank-list"),
    path("banks/<int:bank_id>/", views.BankDetailApi.as_view(), name="api-assessment-bank-detail"),
    path("banks/<int:bank_id>/questions/", views.QuestionListApi.as_view(), name="api-assessment-question-list"),
    path("questions/<int:question_id>/", views.QuestionDetailApi.as_view(), name="api-assessment-question-detail"),
    path("tests/", views.TestListApi.as_view(), name="api-assessment-test-list"),
    path("tests/<int:test_id>/", views.TestDetailApi.as_view(), name="api-assessment-test-detail"),
    path("tests/<int:test_id>/results/", views.TestResultsApi.as_view(), name="api-assessment-test-results"),
    path("attempts/", views.AttemptListApi.as_view(), name="api-assessment-attempt-list"),
    path("attempts/<int:attempt_id>/", views.AttemptDetailApi.as_view(), name="api-assessment-attempt-detail"),
]
