"""REST API (read) of a course's items: the sections → items of a course as its page shows them, and one item.

Students get the published data only (`live_version.data`), never a draft, and a locked item (not open yet,
closed, or waiting for its prerequisite) without its content. Staff, the administration, the head and the
didactic-means service get the drafts and each item's publishing state."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qashyq.content.api_v1.fields import ItemStateField, OptionalProgressStatusField
from qashyq.content.data import Activity, ItemKind, ProgressStatus
from qashyq.content.models import Item
from qashyq.content.permissions import courses as permissions
from qashyq.content.permissions.items import access_item
from qashyq.content.selectors import courses as selectors
from qashyq.content.selectors import items as item_selectors

# What a student gets of a locked item: enough to list it, nothing of its content.
LOCKED_KEYS = ("name_kk", "name_ru", "name_en", "kind", "activity", "minutes", "available_from", "available_until",
               "prerequisite_id")  # fmt: skip


class ItemRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(help_text="In the language of the request (published title for students)")
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    activity = serializers.ChoiceField(choices=Activity.choices, help_text="Rule 22: the type of work")
    minutes = serializers.IntegerField(help_text="Expected time")
    available_from = serializers.DateTimeField(allow_null=True)
    available_until = serializers.DateTimeField(allow_null=True)
    prerequisite_id = serializers.IntegerField(allow_null=True, help_text="Opens after this item is completed")
    state = ItemStateField(help_text='Staff only: publishing state ("" for students)')
    lock = serializers.CharField(allow_blank=True, help_text='Students: why it is not open yet ("" when open)')
    progress = OptionalProgressStatusField(help_text='Students: their progress ("" for staff)')
    score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)


class SectionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="section.pk")
    position = serializers.IntegerField(source="section.position")
    name = serializers.CharField(source="section.name")
    summary = serializers.CharField(source="section.summary")
    items = ItemRowSerializer(many=True)


class TotalSerializer(serializers.Serializer):
    activity = serializers.ChoiceField(choices=Activity.choices)
    items = serializers.IntegerField()
    minutes = serializers.IntegerField()


class CourseItemsSerializer(serializers.Serializer):
    course_id = serializers.IntegerField(source="course.pk")
    drafts = serializers.BooleanField(help_text="True: the drafts as staff see them; False: published data only")
    totals = TotalSerializer(many=True, help_text="Items and minutes by type of work (rule 22)")
    sections = SectionSerializer(many=True)


class CourseItemsApi(APIView):
    """The sections → items of a course (students: published items only, as published)."""

    @extend_schema(responses=CourseItemsSerializer)
    def get(self, request: Request, course_id: int) -> Response:
        user = request.user
        course = permissions.access_course(user=user, course_id=course_id)
        drafts = permissions.can_see_drafts(user=user, course=course)
        enrolment = None if drafts else permissions.enrolment_for(user=user, course=course)
        page = selectors.course_page(course=course, drafts=drafts, enrolment=enrolment)
        return Response(CourseItemsSerializer(page).data)


class ItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    course_id = serializers.IntegerField()
    section_id = serializers.IntegerField()
    title = serializers.CharField(help_text="In the language of the request")
    version = serializers.IntegerField(allow_null=True, help_text="The published version (null: not published)")
    published_at = serializers.DateTimeField(allow_null=True)
    published = serializers.JSONField(
        allow_null=True,
        help_text="The published data (names, kind, activity, completion, minutes, body, url, asset, transcript, "
        "scorm_package_id, tracks, availability, prerequisite); for a locked item only its names, kind, "
        "activity, minutes, availability and prerequisite",
    )
    draft = serializers.JSONField(allow_null=True, help_text="Staff only: the draft, in the same format")
    state = ItemStateField(help_text="Staff only: draft, published or changed")
    lock = serializers.CharField(allow_blank=True, help_text='Students: why it is not open yet ("" when open)')
    progress = OptionalProgressStatusField(help_text="Students: not_started, viewed or completed")
    score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)


class ItemDetailApi(APIView):
    """One item (404 when its course is not yours, or, for a student, while it is not published)."""

    @extend_schema(responses=ItemSerializer)
    def get(self, request: Request, item_id: int) -> Response:
        user = request.user
        item: Item = access_item(user=user, item_id=item_id)
        course = item.course
        drafts = permissions.can_see_drafts(user=user, course=course)
        live = item.live_version
        published: dict[str, Any] | None = dict(live.data) if live is not None else None
        body: dict[str, Any] = {
            "id": item.pk,
            "course_id": item.course_id,
            "section_id": item.section_id,
            "version": live.number if live is not None else None,
            "published_at": live.published_at if live is not None else None,
            "draft": None,
            "state": "",
            "lock": "",
            "progress": "",
            "score": None,
        }
        if drafts:
            body["title"] = item.name
            body["draft"] = item_selectors.item_draft_data(item)
            body["state"] = (
                selectors.ItemState.DRAFT
                if live is None
                else selectors.ItemState.CHANGED
                if item.draft_changed
                else selectors.ItemState.PUBLISHED
            )
        else:
            assert published is not None  # access_item refuses an unpublished item to a student
            enrolment = permissions.enrolment_for(user=user, course=course)
            body["title"] = item_selectors.data_title(published)
            body["lock"] = item_selectors.student_lock(item=item, data=published, enrolment=enrolment)
            if body["lock"]:
                published = {key: published.get(key) for key in LOCKED_KEYS}
            progress = item_selectors.item_progress(enrolment=enrolment, item=item)
            body["progress"] = progress.status if progress is not None else ProgressStatus.NOT_STARTED.value
            body["score"] = progress.score if progress is not None else None
        body["published"] = published
        return Response(ItemSerializer(body).data)
