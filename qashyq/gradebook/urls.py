from django.urls import path

from qashyq.gradebook.views import admin, charts, exports, journal, measures, student
from qashyq.gradebook.views import print as print_views

app_name = "gradebook"

urlpatterns = [
    # --- the staff's journal (views/journal.py) ---
    path("", journal.course_list, name="course-list"),
    path("courses/<int:course_id>/journal/", journal.journal, name="journal"),
    path("courses/<int:course_id>/grades/", journal.grade_enter, name="grade-enter"),
    path(
        "courses/<int:course_id>/grades/<int:measure_id>/<int:student_id>/",
        journal.grade_detail,
        name="grade-detail",
    ),
    path("courses/<int:course_id>/students/<int:student_id>/", journal.student_row, name="student-row"),
    path("courses/<int:course_id>/change-requests/", journal.change_request_create, name="change-request-create"),
    # --- control measures (views/measures.py) ---
    path("courses/<int:course_id>/measures/", measures.measure_list, name="measure-list"),
    path("courses/<int:course_id>/measures/new/", measures.measure_create, name="measure-create"),
    path("courses/<int:course_id>/measures/<int:measure_id>/edit/", measures.measure_edit, name="measure-edit"),
    path("courses/<int:course_id>/measures/<int:measure_id>/delete/", measures.measure_delete, name="measure-delete"),
    # --- the student's own gradebook (views/student.py) ---
    path("me/", student.own_gradebook, name="own-gradebook"),
    path("me/export.xlsx", student.own_gradebook_xlsx, name="own-gradebook-xlsx"),
    # --- distributions and exports (views/charts.py, views/exports.py) ---
    path("courses/<int:course_id>/journal.xlsx", exports.journal_xlsx, name="journal-xlsx"),
    path("courses/<int:course_id>/distribution/", charts.course_distribution, name="course-distribution"),
    path(
        "courses/<int:course_id>/distribution.xlsx",
        charts.course_distribution_xlsx,
        name="course-distribution-xlsx",
    ),
    path("periods/<int:period_id>/distribution/", charts.period_distribution, name="period-distribution"),
    path(
        "periods/<int:period_id>/distribution.xlsx",
        charts.period_distribution_xlsx,
        name="period-distribution-xlsx",
    ),
    # --- the administration service and the head (views/admin.py) ---
    path("courses/<int:course_id>/reopen/", admin.reopen, name="reopen"),
    path("periods/", admin.period_list, name="period-list"),
    path("periods/<int:period_id>/close/", admin.period_close, name="period-close"),
    path("change-requests/", admin.change_request_list, name="change-request-list"),
    path("change-requests/<int:request_id>/", admin.change_request_detail, name="change-request-detail"),
    path("change-requests/<int:request_id>/decide/", admin.change_request_decide, name="change-request-decide"),
    path("policy/", admin.policy, name="policy"),
    path("policy/new/", admin.policy_create, name="policy-create"),
    # --- printed documents: grade sheets, transcripts, transcripts in bulk (views/print.py) ---
    path("courses/<int:course_id>/sheets/", print_views.grade_sheets, name="grade-sheets"),
    path("courses/<int:course_id>/sheets/pdf/", print_views.grade_sheet_pdf, name="grade-sheet-pdf"),
    path("transcript/", print_views.transcript_own_pdf, name="transcript-own"),
    path("students/<int:student_id>/transcript/", print_views.transcript_pdf, name="transcript"),
    path("transcripts/", print_views.transcript_jobs_page, name="transcript-jobs"),
    path("transcripts/<int:job_id>/progress/", print_views.transcript_job_progress, name="transcript-job-progress"),
    path("transcripts/<int:job_id>/zip/", print_views.transcript_job_download, name="transcript-job-download"),
]
