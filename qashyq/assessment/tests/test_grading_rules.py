"""rules/grading.py: scores of every type, answer checks and right answers (no database)."""

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qashyq.assessment.data import QuestionType
from qashyq.assessment.rules import drawing, grading
from qashyq.assessment.rules.grading import answer_problem, layout_is_complete, parse_number, right_answer, score
from qashyq.assessment.tests.helpers import RIGHT_ANSWERS, SAMPLES

T = QuestionType


def data(qtype: str) -> dict[str, Any]:
    return SAMPLES[qtype][1]


def multiple(partial: str) -> dict[str, Any]:
    return {**data(T.MULTIPLE), "partial": partial}


@pytest.mark.parametrize("qtype", [t for t in SAMPLES if t != T.ESSAY])
def test_the_right_answer_of_every_sample_earns_full_marks(qtype):
    assert score(qtype, data(qtype), RIGHT_ANSWERS[qtype]) == 1.0


@pytest.mark.parametrize("qtype", [t for t in SAMPLES if t != T.ESSAY])
def test_right_answer_gives_the_answer_that_earns_full_marks(qtype):
    assert score(qtype, data(qtype), right_answer(qtype, data(qtype))) == 1.0


WRONG = {
    T.SINGLE: {"choice": "b"},
    T.MULTIPLE: {"choices": ["c", "d"]},
    T.TRUE_FALSE: {"value": False},
    T.MATCHING: {"pairs": {"p1": "p2", "p2": "p3", "p3": "x1"}},
    T.ORDERING: {"order": ["i3", "i1", "i2"]},
    T.SHORT: {"text": "Abai"},
    T.NUMERIC: {"text": "10"},
    T.CLOZE: {"gaps": {"1": "Almaty", "2": "5", "3": "b"}},
}


@pytest.mark.parametrize("qtype", list(WRONG))
def test_wrong_and_missing_answers_earn_nothing(qtype):
    assert score(qtype, data(qtype), WRONG[qtype]) == 0.0
    assert score(qtype, data(qtype), None) == 0.0
    assert score(qtype, data(qtype), {"nonsense": 1}) == 0.0


def test_an_essay_has_no_automatic_score():
    assert score(T.ESSAY, data(T.ESSAY), {"text": "anything"}) is None
    assert right_answer(T.ESSAY, data(T.ESSAY)) is None


@pytest.mark.parametrize(
    ("partial", "choices", "expected"),
    [
        ("all_or_nothing", ["a", "b"], 1.0),
        ("all_or_nothing", ["a"], 0.0),
        ("all_or_nothing", ["a", "b", "c"], 0.0),
        ("partial", ["a"], 0.5),
        ("partial", ["a", "b", "c"], 0.5),
        ("partial", ["a", "c"], 0.0),
        ("partial", ["a", "c", "d"], 0.0),
        ("partial", [], 0.0),
        ("fractions", ["a"], 0.5),
        ("fractions", ["a", "b", "c"], 0.5),
        ("fractions", ["a", "c", "d"], 0.0),
        ("fractions", ["a", "b", "zzz"], 1.0),
    ],
)
def test_multiple_choice_partial_credit_rules(partial, choices, expected):
    assert score(T.MULTIPLE, multiple(partial), {"choices": choices}) == pytest.approx(expected)


def test_a_single_choice_option_may_carry_a_partial_fraction():
    options = [{"id": "a", "fraction": 1.0}, {"id": "b", "fraction": 0.5}, {"id": "c", "fraction": -1}]
    assert score(T.SINGLE, {"options": options}, {"choice": "b"}) == 0.5
    assert score(T.SINGLE, {"options": options}, {"choice": "c"}) == 0.0


@pytest.mark.parametrize(
    ("text", "case_sensitive", "expected"),
    [
        ("  mukhtar   AUEZOV ", False, 1.0),
        ("mukhtar auezov", True, 0.0),
        ("Mukhtar Auezov", True, 1.0),
        ("", False, 0.0),
        ("Auezov!", False, 0.0),
    ],
)
def test_short_answer_case_and_whitespace(text, case_sensitive, expected):
    question = {**data(T.SHORT), "case_sensitive": case_sensitive}
    assert score(T.SHORT, question, {"text": text}) == expected


def test_short_answer_wildcard_and_best_fraction():
    question = {
        "answers": [
            {"text": "photo*synthesis", "fraction": 1.0},
            {"text": "*light*", "fraction": 0.5},
            {"text": "a.b", "fraction": 1.0},
        ]
    }
    assert score(T.SHORT, question, {"text": "Photosynthesis"}) == 1.0
    assert score(T.SHORT, question, {"text": "photo-synthesis"}) == 1.0
    assert score(T.SHORT, question, {"text": "uses light energy"}) == 0.5
    assert score(T.SHORT, question, {"text": "axb"}) == 0.0  # "." is not a pattern


UNITS = {
    "answers": [{"value": 9.8, "tolerance": 0.05, "fraction": 1.0}, {"value": 10, "tolerance": 0, "fraction": 0.5}],
    "units": [{"unit": "m/s²", "multiplier": 1.0}, {"unit": "cm/s²", "multiplier": 100.0}],
}


@pytest.mark.parametrize(
    ("text", "required", "expected"),
    [
        ("9.8", False, 1.0),
        ("9,84", False, 1.0),
        ("9.86", False, 0.0),
        ("9.8 m/s²", False, 1.0),
        ("980 cm/s²", False, 1.0),
        ("980 cm/s²", True, 1.0),
        ("9.8", True, 0.0),
        ("9.8 furlongs", True, 0.0),
        ("9.8 furlongs", False, 1.0),
        ("10", False, 0.5),
        ("1000 cm/s²", False, 0.5),
        ("ten", False, 0.0),
        ("", False, 0.0),
        ("9.8e0", False, 1.0),
    ],
)
def test_numeric_tolerance_units_and_multipliers(text, required, expected):
    assert score(T.NUMERIC, {**UNITS, "unit_required": required}, {"text": text}) == expected


def test_parse_number_reads_commas_and_units():
    assert parse_number(" -3,5 kg ") == (-3.5, "kg")
    assert parse_number("kg 3") is None
    assert parse_number("inf") is None


@pytest.mark.parametrize(
    ("gaps", "expected"),
    [
        ({"1": "astana", "2": "4", "3": "a"}, 1.0),
        ({"1": "astana"}, 1 / 3),
        ({"1": "astana", "2": "4.0"}, 2 / 3),
        ({"3": "b", "2": "4"}, 1 / 3),
        ({}, 0.0),
    ],
)
def test_cloze_scores_each_gap(gaps, expected):
    assert score(T.CLOZE, data(T.CLOZE), {"gaps": gaps}) == pytest.approx(expected)


def test_cloze_gaps_are_weighted_by_their_points():
    question = {
        **data(T.CLOZE),
        "gaps": [dict(g, points=p) for g, p in zip(data(T.CLOZE)["gaps"], [2, 1, 1], strict=True)],
    }
    assert score(T.CLOZE, question, {"gaps": {"1": "Astana"}}) == pytest.approx(0.5)


def test_matching_and_ordering_earn_the_share_of_right_pairs_and_positions():
    assert score(T.MATCHING, data(T.MATCHING), {"pairs": {"p1": "p1", "p2": "p3"}}) == pytest.approx(1 / 3)
    assert score(T.MATCHING, data(T.MATCHING), {"pairs": {"p1": "p1", "p2": "p2"}}) == pytest.approx(2 / 3)
    assert score(T.ORDERING, data(T.ORDERING), {"order": ["i1", "i3", "i2"]}) == pytest.approx(1 / 3)
    assert score(T.ORDERING, data(T.ORDERING), {"order": ["i2", "i1", "i3"]}) == pytest.approx(1 / 3)


def test_true_false_needs_a_boolean():
    assert score(T.TRUE_FALSE, data(T.TRUE_FALSE), {"value": "true"}) == 0.0
    assert score(T.TRUE_FALSE, {"answer": False}, {"value": False}) == 1.0


# --- answer_problem ---


def layout(qtype: str) -> dict[str, Any]:
    import random

    return drawing.layout_for(qtype, data(qtype), shuffle=True, rng=random.Random(1))


@pytest.mark.parametrize("qtype", list(SAMPLES))
def test_right_answers_and_no_answer_are_accepted(qtype):
    assert answer_problem(qtype, data(qtype), layout(qtype), RIGHT_ANSWERS[qtype]) is None
    assert answer_problem(qtype, data(qtype), layout(qtype), None) is None
    assert answer_problem(qtype, {}, layout(qtype), RIGHT_ANSWERS[qtype]) is None  # the layout is enough
    assert layout_is_complete(qtype, layout(qtype))


BAD = [
    (T.SINGLE, {"choice": "z"}),
    (T.SINGLE, {"choice": 1}),
    (T.SINGLE, {"choices": ["a"]}),
    (T.SINGLE, "a"),
    (T.MULTIPLE, {"choices": ["a", "z"]}),
    (T.MULTIPLE, {"choices": ["a", "a"]}),
    (T.MULTIPLE, {"choices": "a"}),
    (T.TRUE_FALSE, {"value": 1}),
    (T.MATCHING, {"pairs": {"p9": "p1"}}),
    (T.MATCHING, {"pairs": {"p1": "x9"}}),
    (T.MATCHING, {"pairs": ["p1"]}),
    (T.ORDERING, {"order": ["i1", "i2"]}),
    (T.ORDERING, {"order": ["i1", "i2", "i2"]}),
    (T.ORDERING, {"order": ["i1", "i2", "i3", "i4"]}),
    (T.SHORT, {"text": 5}),
    (T.SHORT, {"text": "x" * 1001}),
    (T.NUMERIC, {"text": None}),
    (T.CLOZE, {"gaps": {"9": "x"}}),
    (T.CLOZE, {"gaps": {"3": "z"}}),
    (T.CLOZE, {"gaps": {"1": 5}}),
    (T.ESSAY, {"text": "x", "extra": 1}),
    (T.ESSAY, {"text": "x" * 100_001}),
]


@pytest.mark.parametrize(("qtype", "answer"), BAD)
def test_malformed_answers_and_unknown_options_are_refused_with_a_reason(qtype, answer):
    problem = answer_problem(qtype, data(qtype), layout(qtype), answer)
    assert isinstance(problem, str)
    assert problem


def test_options_are_checked_against_the_layout_when_it_has_them():
    assert answer_problem(T.SINGLE, data(T.SINGLE), {"options": ["a", "b"]}, {"choice": "c"})
    assert answer_problem(T.SINGLE, data(T.SINGLE), {}, {"choice": "c"}) is None  # the data is the fallback
    assert answer_problem(T.MATCHING, data(T.MATCHING), {}, {"pairs": {"p1": "x1"}}) is None
    assert answer_problem(T.CLOZE, data(T.CLOZE), {}, {"gaps": {"3": "b", "1": "x"}}) is None


# --- properties ---

ANSWERS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
    max_leaves=10,
)


@given(qtype=st.sampled_from([t for t in SAMPLES if t != T.ESSAY]), answer=ANSWERS)
def test_any_answer_scores_within_zero_and_one(qtype, answer):
    result = score(qtype, data(qtype), answer)
    assert result is not None
    assert 0.0 <= result <= 1.0


@given(
    fractions=st.lists(st.floats(min_value=-1, max_value=1), min_size=2, max_size=6),
    partial=st.sampled_from(["all_or_nothing", "partial", "fractions"]),
    chosen=st.sets(st.integers(min_value=0, max_value=5)),
)
def test_multiple_choice_scores_within_zero_and_one(fractions, partial, chosen):
    question = {"options": [{"id": str(i), "fraction": f} for i, f in enumerate(fractions)], "partial": partial}
    assert 0.0 <= score(T.MULTIPLE, question, {"choices": [str(i) for i in chosen]}) <= 1.0


@given(qtype=st.sampled_from(list(SAMPLES)), answer=ANSWERS)
def test_answer_problem_never_raises(qtype, answer):
    result = answer_problem(qtype, data(qtype), layout(qtype), answer)
    assert result is None or isinstance(result, str)


@pytest.mark.parametrize(
    ("share", "points", "expected"),
    [
        (0.5, Decimal("1"), Decimal("0.50")),
        (1 / 3, Decimal("1"), Decimal("0.33")),
        (2 / 3, Decimal("1"), Decimal("0.67")),
        (0.125, Decimal("1"), Decimal("0.13")),  # halves go up
        (1.5, Decimal("2"), Decimal("2.00")),  # a share above 1 counts as 1
        (-0.5, Decimal("2"), Decimal("0.00")),
        (float("nan"), Decimal("2"), Decimal("0.00")),
    ],
)
def test_points_for_a_share_are_kept_to_the_cent(share, points, expected):
    assert grading.points_for(share, points) == expected
    assert grading.cents(Decimal("2.345")) == Decimal("2.35")
