from django.urls import path

from qashyq.coursework.views import assignments, collection, submissions

app_name = "coursework"

urlpatterns = [
    # --- assignments (views/assignments.py) ---
    path("items/<int:item_id>/", assignments.assignment_for_item, name="assignment-for-item"),
    path("assignments/<int:assignment_id>/", assignments.assignment_detail, name="assignment-detail"),
    path("assignments/<int:assignment_id>/settings/", assignments.assignment_settings, name="assignment-settings"),
    path("assignments/<int:assignment_id>/submit/", assignments.submission_create, name="submission-create"),
    path("assignments/<int:assignment_id>/paper/", assignments.paper_register, name="paper-register"),
    # --- one submission (views/submissions.py) ---
    path("submissions/<int:submission_id>/", submissions.submission_detail, name="submission-detail"),
    path("submissions/<int:submission_id>/receipt/", submissions.submission_receipt, name="submission-receipt"),
    path("submissions/<int:submission_id>/files/<int:file_id>/", submissions.submission_file, name="submission-file"),
    path("submissions/<int:submission_id>/annotated/", submissions.review_file, name="review-file"),
    path("submissions/<int:submission_id>/hand-over/", submissions.submission_hand_over, name="submission-hand-over"),
    path("submissions/<int:submission_id>/confirm/", submissions.handover_confirm, name="handover-confirm"),
    path("submissions/<int:submission_id>/review/", submissions.submission_review, name="submission-review"),
    # --- the collection and the workload (views/collection.py) ---
    path("collection/", collection.collection, name="collection"),
    path("collection/hand-over/", collection.collection_hand_over, name="collection-hand-over"),
    path("workload/", collection.workload, name="workload"),
    path("workload/<int:user_id>/", collection.workload_tutor, name="workload-tutor"),
]
