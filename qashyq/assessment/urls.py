from django.urls import path

from qashyq.assessment.views import attempts, banks, grading, imports, tests

app_name = "assessment"

urlpatterns = [
    # --- banks and questions (views/banks.py) ---
    path("banks/", banks.bank_list, name="bank-list"),
    path("banks/new/", banks.bank_create, name="bank-create"),
    path("banks/<int:bank_id>/", banks.bank_detail, name="bank-detail"),
    path("banks/<int:bank_id>/edit/", banks.bank_edit, name="bank-edit"),
    path("banks/<int:bank_id>/questions/new/<str:qtype>/", banks.question_create, name="question-create"),
    path("questions/<int:question_id>/", banks.question_detail, name="question-detail"),
    path("questions/<int:question_id>/edit/", banks.question_edit, name="question-edit"),
    path("questions/<int:question_id>/archive/", banks.question_archive, name="question-archive"),
    path("banks/<int:bank_id>/images/", banks.image_upload, name="image-upload"),
    path("images/<int:image_id>/", banks.image_file, name="image-file"),
    # --- import and export (views/imports.py) ---
    path("banks/<int:bank_id>/import/", imports.import_upload, name="import-upload"),
    path("banks/<int:bank_id>/import/<str:token>/", imports.import_preview, name="import-preview"),
    path("banks/<int:bank_id>/export/<str:fmt>/", imports.bank_export, name="bank-export"),
    # --- tests: settings, blueprint, accommodations, results, item analysis (views/tests.py) ---
    path("items/<int:item_id>/", tests.test_for_item, name="test-for-item"),
    path("tests/<int:test_id>/", tests.test_detail, name="test-detail"),
    path("tests/<int:test_id>/settings/", tests.test_settings, name="test-settings"),
    path("tests/<int:test_id>/blueprint/", tests.test_blueprint, name="test-blueprint"),
    path("tests/<int:test_id>/accommodations/", tests.test_accommodations, name="test-accommodations"),
    path("tests/<int:test_id>/results/", tests.test_results, name="test-results"),
    path("tests/<int:test_id>/analysis/", tests.test_analysis, name="test-analysis"),
    path("tests/<int:test_id>/analysis.xlsx", tests.test_analysis_xlsx, name="test-analysis-xlsx"),
    # --- grading, regrading, reopening (views/grading.py) ---
    path("grading/", grading.grading_queue, name="grading-queue"),
    path("attempts/<int:attempt_id>/grade/<int:position>/", grading.grade_question, name="grade-question"),
    path("attempts/<int:attempt_id>/", grading.attempt_review_staff, name="attempt-staff"),
    path("attempts/<int:attempt_id>/reopen/", grading.attempt_reopen, name="attempt-reopen"),
    path("tests/<int:test_id>/regrade/", grading.test_regrade, name="test-regrade"),
    path("attempts/<int:attempt_id>/identity/", grading.identity_file, name="identity-file"),
    # --- the student's attempt (views/attempts.py) ---
    path("tests/<int:test_id>/start/", attempts.attempt_start, name="attempt-start"),
    path("take/<int:attempt_id>/", attempts.attempt_page, name="attempt-page"),
    path("take/<int:attempt_id>/q/<int:position>/", attempts.question_page, name="question-page"),
    path("take/<int:attempt_id>/answers/<int:position>/", attempts.answer_save, name="answer-save"),
    path("take/<int:attempt_id>/events/", attempts.event_log, name="attempt-event"),
    path("take/<int:attempt_id>/summary/", attempts.attempt_summary, name="attempt-summary"),
    path("take/<int:attempt_id>/submit/", attempts.attempt_submit, name="attempt-submit"),
    path("take/<int:attempt_id>/result/", attempts.attempt_result, name="attempt-result"),
]
