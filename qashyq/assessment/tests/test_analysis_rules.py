"""Item analysis (rules/analysis.py): exact values computed by hand on small matrices, ranges by hypothesis."""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qashyq.assessment.rules import analysis

# Four attempts, three right/wrong questions (a Guttman pattern): totals 3, 2, 1, 0.
GUTTMAN = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]


def test_facility_is_the_mean_share_of_the_points():
    assert analysis.facility([1, 1, 1, 0]) == 0.75
    assert analysis.facility([2, 1], max_points=4) == 0.375
    assert analysis.facility([]) is None
    assert analysis.facility([1], max_points=0) is None


def test_group_size_is_27_percent_at_least_one_at_most_half():
    assert [analysis.group_size(n) for n in (0, 1, 2, 3, 4, 10, 100)] == [0, 0, 1, 1, 1, 3, 27]


def test_discrimination_upper_minus_lower_group():
    column = [row[0] for row in GUTTMAN]
    totals = [sum(row) for row in GUTTMAN]
    assert analysis.discrimination(column, totals) == 1.0
    # Ten attempts: groups of three. Upper three (totals 9, 8, 7) scored 1, 1, 0; lower three 0, 1, 0.
    scores = [0, 1, 0, 1, 1, 1, 1, 1, 1, 0]
    totals10 = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert analysis.discrimination(scores, totals10) == pytest.approx(2 / 3 - 1 / 3)
    # A question the weak get right and the strong wrong discriminates negatively.
    assert analysis.discrimination([1, 0], [0, 5]) == -1.0
    assert analysis.discrimination([1], [1]) is None


def test_point_biserial_uses_the_rest_score():
    totals = [sum(row) for row in GUTTMAN]
    first = [row[0] for row in GUTTMAN]
    # scores 1,1,1,0 against rest-scores 2,1,0,0: 0.75 / sqrt(0.75 · 2.75)
    assert analysis.point_biserial(first, totals) == pytest.approx(0.75 / math.sqrt(0.75 * 2.75))
    assert analysis.point_biserial(first, totals) == pytest.approx(0.522233, abs=1e-6)
    # Everyone right: no spread, no correlation.
    assert analysis.point_biserial([1, 1, 1], [3, 2, 1]) is None
    assert analysis.point_biserial([1], [1]) is None


def test_kr20_and_alpha_of_a_dichotomous_matrix():
    # Σpq = 0.1875 + 0.25 + 0.1875 = 0.625; variance of totals 3,2,1,0 = 1.25; 3/2 · (1 − 0.5) = 0.75
    assert analysis.kr20(GUTTMAN) == pytest.approx(0.75)
    assert analysis.cronbach_alpha(GUTTMAN) == pytest.approx(0.75)


def test_alpha_of_partial_scores_and_no_kr20():
    matrix = [[1, 0.5], [0.5, 0.5], [0, 0]]
    # item variances 1/6 and 1/18, total variance 7/18: 2 · (1 − 4/7) = 6/7
    assert analysis.cronbach_alpha(matrix) == pytest.approx(6 / 7)
    assert analysis.kr20(matrix) is None


@pytest.mark.parametrize(
    "matrix",
    [
        [[1, 0, 1]],  # one attempt
        [[1], [0], [1]],  # one question
        [[1, 1], [1, 1], [1, 1]],  # totals do not vary
        [],
    ],
)
def test_reliability_is_none_when_it_cannot_be_computed(matrix):
    assert analysis.kr20(matrix) is None
    assert analysis.cronbach_alpha(matrix) is None


def test_reliability_refuses_an_incomplete_matrix():
    with pytest.raises(ValueError, match="complete"):
        analysis.cronbach_alpha([[1, None], [0, 1]])


def test_histogram_tenths_with_100_in_the_last_bin():
    assert analysis.histogram([0, 9.99, 10, 55, 100, 99.9, -3, 140]) == [3, 1, 0, 0, 0, 1, 0, 0, 0, 3]
    assert analysis.histogram([]) == [0] * 10


def test_distractor_counts_of_each_type():
    answers = [{"choice": "a"}, {"choice": "b"}, None, {"choice": "a"}, {"choice": "zz"}]
    assert analysis.distractor_counts("single", answers, ["a", "b", "c"]) == ({"a": 2, "b": 1, "c": 0}, 2)
    multiple = [{"choices": ["a", "b"]}, {"choices": ["b", "b"]}, {"choices": []}]
    assert analysis.distractor_counts("multiple", multiple, ["a", "b", "c"]) == ({"a": 1, "b": 2, "c": 0}, 1)
    tf = [{"value": True}, {"value": False}, {"value": True}, {"value": "yes"}]
    assert analysis.distractor_counts("true_false", tf, ["true", "false"]) == ({"true": 2, "false": 1}, 1)
    assert analysis.chosen_options("essay", {"text": "a"}) == []


def test_analyse_a_matrix_with_questions_not_every_attempt_showed():
    matrix = [[1, 1, None], [1, 0, 1], [0, 0, 0], [1, None, 1]]
    stats = analysis.analyse(matrix, percents=[100, 66.7, 0, 100])
    assert [q.n for q in stats.questions] == [4, 3, 3]
    assert stats.questions[0].facility == 0.75
    assert stats.questions[1].facility == pytest.approx(1 / 3)
    assert stats.questions[2].facility == pytest.approx(2 / 3)
    # Only the first question was shown to everyone: reliability needs two.
    assert stats.common == [0]
    assert stats.alpha is None
    assert stats.kr20 is None
    assert stats.histogram == [1, 0, 0, 0, 0, 0, 1, 0, 0, 2]
    assert stats.mean_percent == pytest.approx(66.675)
    assert stats.attempts == 4


def test_analyse_the_guttman_matrix():
    stats = analysis.analyse(GUTTMAN)
    assert [q.facility for q in stats.questions] == [0.75, 0.5, 0.25]
    assert [q.discrimination for q in stats.questions] == [1.0, 1.0, 1.0]
    assert stats.dichotomous is True
    assert stats.kr20 == pytest.approx(0.75)
    assert stats.alpha == pytest.approx(0.75)
    # Row shares 100 %, 66.7 %, 33.3 %, 0 %.
    assert stats.histogram == [1, 0, 0, 1, 0, 0, 1, 0, 0, 1]


def test_analyse_nothing():
    stats = analysis.analyse([])
    assert stats.questions == []
    assert stats.attempts == 0
    assert stats.mean_percent is None
    assert stats.kr20 is None
    assert stats.alpha is None


cells = st.sampled_from([0.0, 0.25, 0.5, 1.0])
matrices = st.integers(min_value=1, max_value=6).flatmap(
    lambda k: st.lists(st.lists(cells, min_size=k, max_size=k), min_size=0, max_size=12)
)


# A busy test machine must not fail the properties: no deadline, no "generation is slow" check.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RELAXED
@given(matrices)
def test_statistics_stay_in_their_ranges(matrix):
    stats = analysis.analyse(matrix)
    for q in stats.questions:
        assert q.facility is None or 0 <= q.facility <= 1
        assert q.discrimination is None or -1 <= q.discrimination <= 1
        assert q.point_biserial is None or -1 <= q.point_biserial <= 1
    assert stats.alpha is None or stats.alpha <= 1 + 1e-9
    assert stats.kr20 is None or stats.kr20 <= 1 + 1e-9
    assert sum(stats.histogram) == len(matrix)
    if len(matrix) < 2:
        assert stats.alpha is None
        assert all(q.discrimination is None for q in stats.questions)


@RELAXED
@given(st.lists(st.lists(st.sampled_from([0, 1]), min_size=3, max_size=3), min_size=2, max_size=10))
def test_kr20_equals_alpha_for_right_wrong_scores(matrix):
    kr, alpha = analysis.kr20(matrix), analysis.cronbach_alpha(matrix)
    assert (kr is None) == (alpha is None)
    if kr is not None:
        assert kr == pytest.approx(alpha)
