"""Routes of the content API (included under /api/v1/content/ by config/api_urls.py)."""

from django.urls import path

from qashyq.content.api_v1 import courses, items, progress

urlpatterns = [
    path("courses/", courses.CourseListApi.as_view(), name="api-content-course-list"),
    path("courses/<int:course_id>/", courses.CourseDetailApi.as_view(), name="api-content-course-detail"),
    path("courses/<int:course_id>/items/", items.CourseItemsApi.as_view(), name="api-content-course-items"),
    path("items/<int:item_id>/", items.ItemDetailApi.as_view(), name="api-content-item-detail"),
    path("courses/<int:course_id>/progress/", progress.CourseProgressApi.as_view(), name="api-content-course-progress"),
    path("courses/<int:course_id>/progress/me/", progress.MyProgressApi.as_view(), name="api-content-my-progress"),
]
