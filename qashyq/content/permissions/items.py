"""Who may see and change sections and items. "Not yours" and "does not exist" both give 404.

- An item is visible to whoever may open its course (`access_course`); a student (anyone who may not see
  drafts) only once it is published, and then only its published version.
- A teacher on the course's staff edits sections and items, publishes and unpublishes them.
- Past versions are shown to those who may see drafts (course staff, administration, head, didactics).
"""

from typing import Any

from django.http import Http404

from qashyq.content.models import Item, ItemVersion, Section
from qashyq.content.permissions.courses import access_course, can_edit_course, can_see_drafts


def access_item(*, user: Any, item_id: int) -> Item:
    """The item (with its course, section and live version) if `user` may open it; else 404."""
    item = Item.objects.select_related("section", "live_version", "asset", "transcript").filter(pk=item_id).first()
    if item is None:
        raise Http404
    course = access_course(user=user, course_id=item.course_id)
    item.course = course
    item.section.course = course
    if item.live_version_id is None and not can_see_drafts(user=user, course=course):
        raise Http404
    return item


def access_section(*, user: Any, section_id: int) -> Section:
    """The section (with its course) if `user` may open its course; else 404."""
    section = Section.objects.filter(pk=section_id).first()
    if section is None:
        raise Http404
    section.course = access_course(user=user, course_id=section.course_id)
    return section


def can_edit_item(*, user: Any, item: Item) -> bool:
    """Edit, publish, unpublish, move and delete the item: a teacher of its course."""
    return can_edit_course(user=user, course=item.course)


def can_edit_section(*, user: Any, section: Section) -> bool:
    return can_edit_course(user=user, course=section.course)


def can_see_versions(*, user: Any, item: Item) -> bool:
    """The list of published versions and any of them: those who may see drafts."""
    return can_see_drafts(user=user, course=item.course)


def access_item_version(*, user: Any, item_id: int, number: int) -> ItemVersion:
    """A published version of an item, for those who may see drafts; else 404."""
    item = access_item(user=user, item_id=item_id)
    if not can_see_versions(user=user, item=item):
        raise Http404
    version = ItemVersion.objects.filter(item=item, number=number).select_related("published_by").first()
    if version is None:
        raise Http404
    version.item = item
    return version
