"""The full access matrix of permissions/items.py: every kind of person × a published item and a draft item of
the course, the same of another course, and a missing one; sections and versions alike."""

import pytest
from django.http import Http404

from qashyq.content.permissions import items as permissions
from qashyq.content.tests.course_helpers import PEOPLE, assert_matrix_names_everyone, fresh, make_world, publish
from qashyq.content.tests.factories import ItemFactory, SectionFactory

pytestmark = pytest.mark.django_db

SEE_PUBLISHED = {"student_enrolled", "teacher", "tutor_all", "tutor_limited", "administration", "head", "didactics"}
SEE_DRAFTS = {"teacher", "tutor_all", "tutor_limited", "administration", "head", "didactics"}
EDIT = {"teacher"}
SEE_OTHER_COURSE = {"other_teacher", "other_tutor", "administration", "head", "didactics"}
EDIT_OTHER_COURSE = {"other_teacher"}
MISSING = 987_654


@pytest.fixture
def world():
    world = make_world()
    world.section = SectionFactory(course=world.course)
    world.published = ItemFactory(section=world.section, name_kk="Жарияланған")
    world.version = publish(world.published)
    world.draft = ItemFactory(section=world.section, name_kk="Жоба")
    world.other_section = SectionFactory(course=world.other_course)
    world.other_published = ItemFactory(section=world.other_section)
    world.other_version = publish(world.other_published)
    world.other_draft = ItemFactory(section=world.other_section)
    return world


def visible(call) -> bool:
    try:
        call()
    except Http404:
        return False
    return True


def test_the_matrix_names_everyone():
    assert_matrix_names_everyone(SEE_PUBLISHED, SEE_DRAFTS, EDIT, SEE_OTHER_COURSE, EDIT_OTHER_COURSE)


@pytest.mark.parametrize("who", PEOPLE)
def test_access_item(world, who):
    user = fresh(world.people[who])

    def access(item_id):
        return lambda: permissions.access_item(user=user, item_id=item_id)

    assert visible(access(world.published.pk)) is (who in SEE_PUBLISHED)
    assert visible(access(world.draft.pk)) is (who in SEE_DRAFTS)
    assert visible(access(world.other_published.pk)) is (who in SEE_OTHER_COURSE)
    assert visible(access(world.other_draft.pk)) is (who in SEE_OTHER_COURSE)
    assert visible(access(MISSING)) is False
    if who in SEE_PUBLISHED:
        item = permissions.access_item(user=user, item_id=world.published.pk)
        assert item == world.published
        assert item.course == world.course
        assert item.live_version == world.version


@pytest.mark.parametrize("who", PEOPLE)
def test_can_edit_item_and_section(world, who):
    user = fresh(world.people[who])
    for item in (world.published, world.draft):
        assert permissions.can_edit_item(user=user, item=item) is (who in EDIT)
    assert permissions.can_edit_section(user=user, section=world.section) is (who in EDIT)
    assert permissions.can_edit_item(user=user, item=world.other_draft) is (who in EDIT_OTHER_COURSE)
    assert permissions.can_edit_section(user=user, section=world.other_section) is (who in EDIT_OTHER_COURSE)


@pytest.mark.parametrize("who", PEOPLE)
def test_access_section(world, who):
    user = fresh(world.people[who])
    assert visible(lambda: permissions.access_section(user=user, section_id=world.section.pk)) is (who in SEE_PUBLISHED)
    assert visible(lambda: permissions.access_section(user=user, section_id=world.other_section.pk)) is (
        who in SEE_OTHER_COURSE
    )
    assert visible(lambda: permissions.access_section(user=user, section_id=MISSING)) is False


@pytest.mark.parametrize("who", PEOPLE)
def test_versions(world, who):
    user = fresh(world.people[who])
    assert visible(lambda: permissions.access_item_version(user=user, item_id=world.published.pk, number=1)) is (
        who in SEE_DRAFTS
    )
    assert visible(lambda: permissions.access_item_version(user=user, item_id=world.other_published.pk, number=1)) is (
        who in SEE_OTHER_COURSE
    )
    assert visible(lambda: permissions.access_item_version(user=user, item_id=world.published.pk, number=2)) is False
    assert visible(lambda: permissions.access_item_version(user=user, item_id=MISSING, number=1)) is False
    if who in SEE_PUBLISHED:
        item = permissions.access_item(user=user, item_id=world.published.pk)
        assert permissions.can_see_versions(user=user, item=item) is (who in SEE_DRAFTS)
