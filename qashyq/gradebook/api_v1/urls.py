"""Routes of the gradebook API (included under /api/v1/gradebook/ by config/api_urls.py)."""

from django.urls import path

from qashyq.gradebook.api_v1 import courses, me, transcripts

urlpatterns = [
    path("me/", me.OwnGradesApi.as_view(), name="api-gradebook-me"),
    path("courses/<int:course_id>/", courses.CourseGradebookApi.as_view(), name="api-gradebook-course"),
    path(
        "students/<int:student_id>/transcript/",
        transcripts.TranscriptApi.as_view(),
        name="api-gradebook-transcript",
    ),
]
