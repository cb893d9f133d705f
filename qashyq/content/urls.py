from django.urls import path

app_name = "content"

urlpatterns: list = []

# --- courses, sections, progress (views/courses.py) ---
from qashyq.content.views import courses as course_views  # noqa: E402

urlpatterns += [
    path("courses/", course_views.course_list, name="course-list"),
    path("courses/new/", course_views.course_create, name="course-create"),
    path("courses/<int:course_id>/", course_views.course_detail, name="course-detail"),
    path("courses/<int:course_id>/edit/", course_views.course_edit, name="course-edit"),
    path("courses/<int:course_id>/staff/", course_views.course_staff, name="course-staff"),
    path("courses/<int:course_id>/enrol/", course_views.course_enrol, name="course-enrol"),
    path("courses/<int:course_id>/students/", course_views.course_students, name="course-students"),
    path("courses/<int:course_id>/progress/", course_views.course_progress, name="course-progress"),
    path("enrolments/<int:enrolment_id>/end/", course_views.enrolment_end, name="enrolment-end"),
]

# --- items: editing, publishing, viewing (views/items.py) ---
from qashyq.content.views import items as item_views  # noqa: E402

urlpatterns += [
    path("courses/<int:course_id>/sections/new/", item_views.section_create, name="section-create"),
    path("sections/<int:section_id>/edit/", item_views.section_edit, name="section-edit"),
    path("sections/<int:section_id>/delete/", item_views.section_delete, name="section-delete"),
    path("sections/<int:section_id>/move/", item_views.section_move, name="section-move"),
    path("sections/<int:section_id>/items/new/<str:kind>/", item_views.item_create, name="item-create"),
    path("items/<int:item_id>/", item_views.item_detail, name="item-detail"),
    path("items/<int:item_id>/edit/", item_views.item_edit, name="item-edit"),
    path("items/<int:item_id>/file/", item_views.item_file, name="item-file"),
    path("items/<int:item_id>/delete/", item_views.item_delete, name="item-delete"),
    path("items/<int:item_id>/move/", item_views.item_move, name="item-move"),
    path("items/<int:item_id>/images/", item_views.item_image, name="item-image"),
    path("items/<int:item_id>/tracks/", item_views.item_tracks, name="item-tracks"),
    path("items/<int:item_id>/publish/", item_views.item_publish, name="item-publish"),
    path("items/<int:item_id>/unpublish/", item_views.item_unpublish, name="item-unpublish"),
    path("items/<int:item_id>/versions/", item_views.item_versions, name="item-versions"),
    path("items/<int:item_id>/versions/<int:number>/", item_views.item_version, name="item-version"),
    path("items/<int:item_id>/complete/", item_views.item_complete, name="item-complete"),
]

# --- stored files and case packages (views/files.py, views/delivery.py) ---
from qashyq.content.views import delivery as delivery_views  # noqa: E402
from qashyq.content.views import files as files_views  # noqa: E402

urlpatterns += [
    path("files/<uuid:asset_id>/", files_views.asset, name="asset"),
    path("courses/<int:course_id>/case/", delivery_views.course_case, name="course-case"),
    path("case/<int:package_id>/status/", delivery_views.case_status, name="case-status"),
    path("courses/<int:course_id>/delivery/", delivery_views.course_delivery, name="course-delivery"),
    path("enrolments/<int:enrolment_id>/delivery/", delivery_views.delivery_set, name="delivery-set"),
    path("enrolments/<int:enrolment_id>/dispatch/", delivery_views.dispatch_create, name="dispatch-create"),
    path("dispatches/<int:dispatch_id>/receive/", delivery_views.dispatch_receive, name="dispatch-receive"),
]

# --- SCORM (views/scorm.py) ---
from qashyq.content.views import scorm as scorm_views  # noqa: E402

urlpatterns += [
    path("items/<int:item_id>/scorm/", scorm_views.scorm_launch, name="scorm-launch"),
    # The commit route comes first: "commit/" would otherwise be read as a file of the package.
    path("scorm/<str:token>/commit/", scorm_views.scorm_commit, name="scorm-commit"),
    path("scorm/<str:token>/<path:path>", scorm_views.scorm_files, name="scorm-files"),
]

# --- didactic catalogue and e-UMK (views/catalogue.py, views/eumk.py) ---
from qashyq.content.views import catalogue as catalogue_views  # noqa: E402
from qashyq.content.views import eumk as eumk_views  # noqa: E402

urlpatterns += [
    path("catalogue/", catalogue_views.resource_list, name="resource-list"),
    path("catalogue/new/", catalogue_views.resource_create, name="resource-create"),
    path("catalogue/<int:resource_id>/", catalogue_views.resource_detail, name="resource-detail"),
    path("catalogue/<int:resource_id>/edit/", catalogue_views.resource_edit, name="resource-edit"),
    path("eumk/", eumk_views.eumk_list, name="eumk-list"),
    path("eumk/new/", eumk_views.eumk_create, name="eumk-create"),
    path("eumk/<int:eumk_id>/", eumk_views.eumk_detail, name="eumk-detail"),
    path("eumk/<int:eumk_id>/links/add/", eumk_views.eumk_link_add, name="eumk-link-add"),
    path("eumk/links/<int:link_id>/remove/", eumk_views.eumk_link_remove, name="eumk-link-remove"),
    path("eumk/<int:eumk_id>/submit/", eumk_views.eumk_submit, name="eumk-submit"),
    path("eumk/<int:eumk_id>/review/", eumk_views.eumk_review, name="eumk-review"),
    path("eumk/components/", eumk_views.component_list, name="eumk-components"),
    path("eumk/components/new/", eumk_views.component_create, name="eumk-component-create"),
    path("eumk/components/<int:component_id>/edit/", eumk_views.component_edit, name="eumk-component-edit"),
    path("eumk/components/<int:component_id>/move/", eumk_views.component_move, name="eumk-component-move"),
    path("eumk/coverage/", eumk_views.coverage, name="coverage"),
    path("eumk/coverage/export/", eumk_views.coverage_export, name="coverage-export"),
]

# --- TV broadcasts and the calendar (views/broadcasts.py) ---
from qashyq.content.views import broadcasts as broadcast_views  # noqa: E402

urlpatterns += [
    path("broadcasts/", broadcast_views.broadcast_list, name="broadcast-list"),
    path("broadcasts/new/", broadcast_views.broadcast_create, name="broadcast-create"),
    path("broadcasts/<int:broadcast_id>/edit/", broadcast_views.broadcast_edit, name="broadcast-edit"),
    path("broadcasts/<int:broadcast_id>/delete/", broadcast_views.broadcast_delete, name="broadcast-delete"),
    path("calendar/", broadcast_views.calendar, name="calendar"),
]
