"""Grade distributions: the counts per letter and per 10-point bin of final scores (exact values), the SVG bar
charts with their tables, per course for those who may open its gradebook (a tutor: their groups) and per
academic period for the administration service and the head, in a fixed number of queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from qashyq.content import api as content_api
from qashyq.gradebook import charts
from qashyq.gradebook.selectors.distribution import bin_index, course_distribution, period_distribution
from qashyq.gradebook.services import results as results_services
from qashyq.gradebook.tests.pages_helpers import results_world, sign_in
from qashyq.gradebook.tests.results_helpers import more_students

D = Decimal

pytestmark = pytest.mark.django_db

# --- Pure ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("final", "index"),
    [("0", 0), ("9.99", 0), ("10", 1), ("49.99", 4), ("50", 5), ("89.99", 8), ("90", 9), ("99.5", 9), ("100", 9)],
)
def test_the_bin_of_a_final_score(final, index):
    assert bin_index(D(final)) == index


def test_a_bar_chart_scales_to_its_tallest_bar():
    chart = charts.bar_chart([("A", 4, False), ("B", 2, False), ("F", 0, True)])
    tall, half, empty = chart.bars
    assert chart.top == 4
    assert tall.height == chart.axis_y - charts.TOP
    assert half.height == tall.height / 2
    assert (empty.height, empty.negative, empty.label) == (0, True, "F")
    assert tall.y + tall.height == chart.axis_y
    assert tall.x < half.x < empty.x
    assert empty.x + empty.width <= chart.width


def test_a_chart_of_nothing_draws_no_bar_taller_than_zero():
    chart = charts.bar_chart([("A", 0, False), ("F", 0, True)])
    assert chart.top == 0
    assert [b.height for b in chart.bars] == [0, 0]


# --- Selectors ----------------------------------------------------------------------------------------------


@pytest.fixture
def world():
    return results_world()


def counts(distribution):
    return {lc.letter: lc.count for lc in distribution.letters if lc.count}


def binned(distribution):
    return {b.label: b.count for b in distribution.bins if b.count}


def test_the_distribution_of_a_course(world, django_assert_num_queries):
    course = content_api.course_get(course_id=world.course.pk)
    with django_assert_num_queries(3):
        distribution = course_distribution(course=course, group_ids=None)
    # s0: 79 B-, s1: not admitted, s2: 64 FX, s3: 76 B- (the retake)
    assert counts(distribution) == {"B-": 2, "FX": 1}
    assert [lc.letter for lc in distribution.letters][:2] == ["A", "A-"]
    assert len(distribution.letters) == 12
    assert binned(distribution) == {"60–69": 1, "70–79": 2}
    assert (distribution.bins[0].label, distribution.bins[-1].label) == ("0–9", "90–100")
    assert (distribution.students, distribution.graded, distribution.lettered) == (4, 3, 3)
    assert distribution.mean == D("73.00")
    assert (distribution.top_letter, distribution.top_bin) == (2, 2)


def test_a_tutor_limited_to_a_group_counts_its_students_only(world):
    course = content_api.course_get(course_id=world.course.pk)
    second = frozenset({world.groups[1].pk})
    distribution = course_distribution(course=course, group_ids=second)
    assert counts(distribution) == {"B-": 1, "FX": 1}
    assert distribution.mean == D("70.00")
    first_only = course_distribution(course=course, group_ids=None, group_id=world.groups[0].pk)
    assert counts(first_only) == {"B-": 1}
    assert (first_only.students, first_only.graded) == (2, 1)


def test_a_course_without_results_has_empty_letters_of_the_scale_in_force(world, django_assert_num_queries):
    course = content_api.course_get(course_id=world.other_course.pk)
    with django_assert_num_queries(3):  # no enrolment: no results to read; the scale in force instead
        distribution = course_distribution(course=course, group_ids=None)
    assert len(distribution.letters) == 12
    assert counts(distribution) == {}
    assert (distribution.students, distribution.graded, distribution.mean) == (0, 0, None)


def test_the_distribution_of_a_period(world, django_assert_num_queries):
    with django_assert_num_queries(4):
        data = period_distribution(period_id=world.period.pk)
    assert {c.course.id for c in data.courses} == {world.course.pk, world.other_course.pk}
    row = next(c for c in data.courses if c.course.id == world.course.pk)
    other = next(c for c in data.courses if c.course.id == world.other_course.pk)
    assert data.letters[:3] == ("A", "A-", "B+")
    assert dict(zip(data.letters, row.counts, strict=True))["B-"] == 2
    assert sum(other.counts) == 0
    assert counts(data.total) == {"B-": 2, "FX": 1}
    assert data.total.mean == D("73.00")


def test_the_distributions_take_a_fixed_number_of_queries(world, django_assert_num_queries):
    more_students(world, 5, {"tk1": "100", "rk1": "100", "tk2": "100", "rk2": "100", "exam": "100"})
    results_services.results_recalculate(course_ids=[world.course.pk])
    course = content_api.course_get(course_id=world.course.pk)
    with django_assert_num_queries(3):
        distribution = course_distribution(course=course, group_ids=None)
    assert counts(distribution) == {"A": 5, "B-": 2, "FX": 1}
    assert binned(distribution)["90–100"] == 5
    with django_assert_num_queries(4):
        period_distribution(period_id=world.period.pk)


# --- Pages --------------------------------------------------------------------------------------------------


def course_url(world) -> str:
    return reverse("gradebook:course-distribution", args=[world.course.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("teacher", 200),
        ("tutor", 200),
        ("admin", 200),
        ("head", 200),
        ("outsider_teacher", 404),
        ("outsider_tutor", 404),
        ("student", 404),
        ("didactics", 404),
        ("it_support", 404),
    ],
)
def test_who_sees_a_courses_distribution(client, world, enrol_totp, role, status):
    client = sign_in(client, world, role, enrol_totp)
    assert client.get(course_url(world)).status_code == status
    assert client.get(reverse("gradebook:course-distribution-xlsx", args=[world.course.pk])).status_code == status


def test_the_course_page_draws_both_charts_with_their_tables(client, world, enrol_totp):
    response = sign_in(client, world, "teacher", enrol_totp).get(course_url(world))
    html = response.content.decode()
    assert html.count('<svg role="img"') == 2
    assert 'aria-labelledby="letters-chart-title"' in html
    assert 'id="letters-table"' in html
    assert 'id="scores-table"' in html
    letters = response.context["letters_chart"]
    assert [(b.label, b.count, b.negative) for b in letters.bars][-2:] == [("FX", 1, True), ("F", 0, True)]
    scores = response.context["scores_chart"]
    # the bins below 50 (the lowest positive grade, D) are drawn as negative
    assert [b.negative for b in scores.bars] == [True] * 5 + [False] * 5
    assert '<th scope="row">B-</th><td>75–79</td><td>2</td>' in html


def test_a_tutor_sees_their_group_and_no_other(client, world, enrol_totp):
    client = sign_in(client, world, "tutor", enrol_totp)
    response = client.get(course_url(world))
    assert counts(response.context["distribution"]) == {"B-": 1, "FX": 1}
    assert client.get(course_url(world), {"group": world.groups[0].pk}).status_code == 404
    assert client.get(course_url(world), {"group": world.groups[1].pk}).status_code == 200
    assert client.get(course_url(world), {"group": "x"}).status_code == 404


def test_the_course_page_takes_a_fixed_number_of_queries(client, world, enrol_totp, django_assert_num_queries):
    client = sign_in(client, world, "teacher", enrol_totp)
    client.get(course_url(world))
    with django_assert_num_queries(9) as few:
        client.get(course_url(world))
    more_students(world, 4)
    results_services.results_recalculate(course_ids=[world.course.pk])
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(course_url(world))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("head", 200),
        ("teacher", 404),
        ("tutor", 404),
        ("student", 404),
        ("didactics", 404),
        ("it_support", 404),
    ],
)
def test_who_sees_a_periods_distribution(client, world, enrol_totp, role, status):
    client = sign_in(client, world, role, enrol_totp)
    assert client.get(reverse("gradebook:period-distribution", args=[world.period.pk])).status_code == status
    assert client.get(reverse("gradebook:period-distribution-xlsx", args=[world.period.pk])).status_code == status


def test_the_period_page(client, world, enrol_totp):
    client = sign_in(client, world, "admin", enrol_totp)
    response = client.get(reverse("gradebook:period-distribution", args=[world.period.pk]))
    html = response.content.decode()
    assert 'id="courses-table"' in html
    assert world.course.code in html
    assert world.other_course.code in html
    assert html.count('<svg role="img"') == 2
    assert client.get(reverse("gradebook:period-distribution", args=[999_999])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, world):
    assert client.get(course_url(world)).status_code == 302
    assert client.get(reverse("gradebook:period-distribution", args=[world.period.pk])).status_code == 302
