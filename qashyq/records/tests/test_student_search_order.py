"""A name search is paged in name order whichever way the database reads it (selectors.student_list sorts the
matches by an expression when there are at most COUNT_CAP of them, and walks the name index otherwise)."""

import pytest

from qashyq.accounts.api import Role
from qashyq.records.selectors import students as selectors
from qashyq.records.selectors.students import StudentFilters, student_list
from qashyq.records.tests.student_helpers import make_programme, make_student

NAMES = [
    ("Әбілқасымова", "Дана"),
    ("Қасымова", "Әсел"),
    ("Қасымов", "Арман"),
    ("Ахметов", "Ерлан"),
    ("Қасымова", "Айгерім"),
    ("Қасымов", "Арман"),  # the same name twice: the id decides
    ("Иванова", "Елена"),
]


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMINISTRATION)


@pytest.fixture
def students(db):
    programme = make_programme()
    return [make_student(programme, last_name=last, first_name=first) for last, first in NAMES]


def _expected(students, word):
    matches = [s for s in students if word in s.search_text]
    return [s.pk for s in sorted(matches, key=lambda s: (s.last_name, s.first_name, s.pk))]


def _paged(admin, q, monkeypatch, *, page_size):
    monkeypatch.setattr(selectors, "PAGE_SIZE", page_size)
    found, number = [], 1
    while True:
        page = student_list(user=admin, filters=StudentFilters(q=q), page=number)
        found += [s.pk for s in page.object_list]
        if not page.has_next():
            return found
        number += 1


@pytest.mark.django_db
def test_a_name_search_pages_in_name_order(admin, students, monkeypatch):
    expected = _expected(students, "қасым")
    assert len(expected) == 5
    assert _paged(admin, "қасым", monkeypatch, page_size=2) == expected
    assert _paged(admin, "qasym", monkeypatch, page_size=3) == expected


@pytest.mark.django_db
def test_more_matches_than_the_cap_keep_the_same_order(admin, students, monkeypatch):
    # Past the cap the count stops at COUNT_CAP + 1 and the pages reachable with it; their order is the same.
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    page = student_list(user=admin, filters=StudentFilters(q="қасым"), page=1)
    assert page.paginator.capped
    assert [s.pk for s in page.object_list] == _expected(students, "қасым")[:3]


@pytest.mark.django_db
def test_a_name_search_counts_once(admin, students, django_assert_num_queries):
    # The user's roles, the capped count and the page: the sorted page does not count again.
    admin_roles_cached = student_list(user=admin, filters=StudentFilters(), page=1)
    assert admin_roles_cached.paginator.count == len(NAMES)
    with django_assert_num_queries(2):
        page = student_list(user=admin, filters=StudentFilters(q="Қасымов"), page=1)
        assert [s.pk for s in page.object_list] == _expected(students, "қасымов")
