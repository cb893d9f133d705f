"""selectors/progress.py and the course page's progress: completion counts published items only (placeholder
kinds once published), the matrix follows course order, and ITEMS' real publishing feeds the course page."""

import pytest

from qashyq.content.data import ItemKind
from qashyq.content.models import Item
from qashyq.content.selectors import courses as course_selectors
from qashyq.content.selectors import progress as selectors
from qashyq.content.services.items import item_publish
from qashyq.content.services.progress import progress_record
from qashyq.content.tests.course_helpers import item_in, make_items, make_world, publish
from qashyq.content.tests.factories import SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_completion_counts_published_items_only(world):
    section = SectionFactory(course=world.course)
    page = item_in(world.course, section)
    publish(page)
    test = item_in(world.course, section, kind=ItemKind.TEST)
    assignment = item_in(world.course, section, kind=ItemKind.ASSIGNMENT)
    publish(assignment)
    progress_record(enrolment=world.enrolment, item=page, status="completed")
    progress_record(enrolment=world.enrolment, item=test, status="completed")  # a draft placeholder: not counted
    completion = selectors.completion_of(enrolment=world.enrolment)
    assert (completion.completed, completion.total, completion.percent) == (1, 2, 50)
    publish(test)  # once published, the placeholder counts, and so does its completion
    completion = selectors.completion_of(enrolment=world.enrolment)
    assert (completion.completed, completion.total, completion.percent) == (2, 3, 66)


def test_completion_of_an_empty_course_is_zero(world):
    completion = selectors.completion_of(enrolment=world.enrolment)
    assert (completion.completed, completion.total, completion.percent) == (0, 0, 0)


def test_completions_of_many_enrolments_in_two_queries(world, django_assert_num_queries):
    items = make_items(world.course, 4)
    progress_record(enrolment=world.enrolment, item=items[0], status="completed")
    progress_record(enrolment=world.student_b, item=items[1], status="viewed")
    with django_assert_num_queries(2):
        found = selectors.completions_of(enrolments=[world.enrolment, world.student_b])
    assert found[world.enrolment.pk].percent == 25
    assert found[world.student_b.pk].percent == 0


def test_published_progress_of_leaves_out_unpublished_items(world):
    items = make_items(world.course, 2)
    draft = item_in(world.course)
    for item in (*items, draft):
        progress_record(enrolment=world.enrolment, item=item, status="viewed")
    rows = selectors.published_progress_of(enrolment=world.enrolment)
    assert {p.item_id for p in rows} == {items[0].pk, items[1].pk}


def test_matrix_for_a_limited_tutor_and_a_group(world):
    make_items(world.course, 3)
    everyone = selectors.progress_matrix(course=world.course, group_ids=None)
    assert {r.enrolment_id for r in everyone.rows} == {world.enrolment.pk, world.student_b.pk}
    limited = selectors.progress_matrix(course=world.course, group_ids=frozenset({world.group_b.pk}))
    assert [r.enrolment_id for r in limited.rows] == [world.student_b.pk]
    only_a = selectors.progress_matrix(course=world.course, group_ids=None, group_id=world.group_a.pk)
    assert [r.enrolment_id for r in only_a.rows] == [world.enrolment.pk]


def test_matrix_titles_are_the_published_ones(world):
    item = item_in(world.course, name_kk="Жарияланған атау")
    publish(item)
    Item.objects.filter(pk=item.pk).update(name_kk="Жоба атауы", draft_changed=True)
    matrix = selectors.progress_matrix(course=world.course, group_ids=None)
    assert [i.title for i in matrix.items] == ["Жарияланған атау"]


def test_the_course_page_shows_what_items_publishes(world):
    """Through ITEMS' own service: the student's page reads the version it wrote."""
    section = SectionFactory(course=world.course)
    item = item_in(world.course, section, name_kk="Дәріс 1", minutes=25, activity="interaction")
    item_publish(actor=world.people["teacher"], item=item)
    Item.objects.filter(pk=item.pk).update(name_kk="Дәріс 1 (өңделуде)", minutes=99, draft_changed=True)
    page = course_selectors.course_page(course=world.course, drafts=False, enrolment=world.enrolment)
    [row] = page.sections[0].items
    assert (row.title, row.minutes, row.activity, row.state) == ("Дәріс 1", 25, "interaction", "")
    staff = course_selectors.course_page(course=world.course, drafts=True, enrolment=None)
    [draft] = staff.sections[0].items
    assert (draft.title, draft.minutes, draft.state) == ("Дәріс 1 (өңделуде)", 99, "changed")
