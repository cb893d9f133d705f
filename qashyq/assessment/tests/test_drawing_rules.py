"""rules/drawing.py: drawing questions from pools and the order options are shown in (no database)."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qashyq.assessment.data import QuestionType
from qashyq.assessment.rules.drawing import draw, layout_for
from qashyq.assessment.tests.helpers import SAMPLES


def test_draw_takes_the_count_of_each_pool_in_pool_order():
    picked = draw([([1, 2, 3, 4, 5], 2), ([10, 11, 12], 3)], seed=7)
    assert len(picked) == 5
    assert set(picked[:2]) <= {1, 2, 3, 4, 5}
    assert picked[:2] == sorted(picked[:2])
    assert picked[2:] == [10, 11, 12]


def test_draw_is_repeatable_from_its_seed_and_varies_with_it():
    pools = [(list(range(100)), 10)]
    assert draw(pools, seed=1) == draw(pools, seed=1)
    assert len({tuple(draw(pools, seed=s)) for s in range(10)}) > 1


def test_overlapping_pools_never_give_a_question_twice():
    picked = draw([([1, 2, 3], 2), ([1, 2, 3, 4], 2)], seed=3)
    assert len(picked) == len(set(picked)) == 4


def test_a_pool_too_small_raises():
    with pytest.raises(ValueError, match="pool 2"):
        draw([([1, 2], 2), ([1, 2, 3], 2)], seed=1)
    with pytest.raises(ValueError, match="negative"):
        draw([([1], -1)], seed=1)


@given(
    pools=st.lists(
        st.tuples(st.lists(st.integers(min_value=0, max_value=30), max_size=15), st.integers(min_value=0, max_value=5)),
        max_size=5,
    ),
    seed=st.integers(min_value=0, max_value=2**62),
)
def test_drawing_never_repeats_and_takes_exactly_the_counts(pools, seed):
    try:
        picked = draw(pools, seed=seed)
    except ValueError:
        return
    assert len(picked) == len(set(picked)) == sum(count for _ids, count in pools)
    assert set(picked) <= {i for ids, _count in pools for i in ids}


def test_layouts_hold_every_id_and_shuffle_only_when_asked():
    rng = random.Random(5)
    single = SAMPLES[QuestionType.SINGLE][1]
    assert layout_for(QuestionType.SINGLE, single, shuffle=False, rng=rng) == {"options": ["a", "b", "c", "d"]}
    shuffled = [layout_for(QuestionType.SINGLE, single, shuffle=True, rng=rng)["options"] for _ in range(10)]
    assert all(sorted(s) == ["a", "b", "c", "d"] for s in shuffled)
    assert any(s != ["a", "b", "c", "d"] for s in shuffled)
    matching = layout_for(QuestionType.MATCHING, SAMPLES[QuestionType.MATCHING][1], shuffle=False, rng=rng)
    assert matching["left"] == ["p1", "p2", "p3"]
    assert sorted(matching["right"]) == ["p1", "p2", "p3", "x1"]
    cloze = layout_for(QuestionType.CLOZE, SAMPLES[QuestionType.CLOZE][1], shuffle=False, rng=rng)
    assert cloze == {"gaps": {"3": ["a", "b"]}, "blanks": ["1", "2"]}
    assert layout_for(QuestionType.ESSAY, {}, shuffle=True, rng=rng) == {}


@given(seed=st.integers(min_value=0), size=st.integers(min_value=2, max_value=8))
def test_ordering_is_never_shown_in_the_right_order(seed, size):
    items = [{"id": f"i{n}", "text": str(n)} for n in range(size)]
    order = layout_for(QuestionType.ORDERING, {"items": items}, shuffle=False, rng=random.Random(seed))["items"]
    assert sorted(order) == sorted(i["id"] for i in items)
    assert order != [i["id"] for i in items]
