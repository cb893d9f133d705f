"""Drawing an attempt's questions from the blueprint's pools, and the order an attempt shows options in.

Pure: no database. Everything random comes from a seeded `random.Random`, so an attempt's draw can be
repeated from its seed.

Layouts (`AttemptQuestion.layout`) hold every id a student may answer with, so an answer can be checked
against the layout alone (rules.grading.answer_problem):
- single / multiple: {"options": [ids]}
- matching: {"left": [pair ids], "right": [pair ids and distractor ids "x1", …]} — the right column is
  always shuffled (in the order of the data it would line up with the left one and give the answer away);
- ordering: {"items": [ids]} — always shuffled, and never in the right order when there are 2+ items;
- cloze: {"gaps": {choice gap id: [option ids]}, "blanks": [ids of text and number gaps]};
- true_false, short, numeric, essay: {}.
"""

import random
from collections.abc import Mapping, Sequence
from typing import Any

from qashyq.assessment.data import QuestionType


def draw(pools: Sequence[tuple[Sequence[int], int]], *, seed: int) -> list[int]:
    """Pick `count` ids from each pool, never one id twice (across pools too); each pool's picks in the pool's
    order, pools one after another. ValueError when a pool has fewer ids left than its count."""
    rng = random.Random(seed)  # noqa: S311 - a repeatable draw, not a secret
    taken: set[int] = set()
    picked: list[int] = []
    for number, (ids, count) in enumerate(pools, start=1):
        if count < 0:
            raise ValueError(f"pool {number}: a negative count")
        available = [i for i in dict.fromkeys(ids) if i not in taken]
        if len(available) < count:
            raise ValueError(f"pool {number}: {count} wanted, {len(available)} available")
        chosen = set(rng.sample(available, count))
        in_order = [i for i in available if i in chosen]
        taken.update(in_order)
        picked.extend(in_order)
    return picked


def _shuffled(ids: list[str], rng: random.Random) -> list[str]:
    ids = list(ids)
    rng.shuffle(ids)
    return ids


def layout_for(qtype: str, data: Mapping[str, Any], *, shuffle: bool, rng: random.Random) -> dict[str, Any]:
    """The order one attempt shows this question's choices in (options shuffled when `shuffle`)."""
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        ids = [str(o.get("id")) for o in data.get("options") or [] if isinstance(o, Mapping)]
        return {"options": _shuffled(ids, rng) if shuffle else ids}
    if qtype == QuestionType.MATCHING:
        pair_ids = [str(p.get("id")) for p in data.get("pairs") or [] if isinstance(p, Mapping)]
        distractors = [f"x{n}" for n in range(1, len(data.get("distractors") or []) + 1)]
        return {
            "left": _shuffled(pair_ids, rng) if shuffle else pair_ids,
            "right": _shuffled(pair_ids + distractors, rng),
        }
    if qtype == QuestionType.ORDERING:
        ids = [str(i.get("id")) for i in data.get("items") or [] if isinstance(i, Mapping)]
        order = _shuffled(ids, rng)
        if len(ids) > 1 and order == ids:
            order = order[1:] + order[:1]
        return {"items": order}
    if qtype == QuestionType.CLOZE:
        gaps: dict[str, list[str]] = {}
        blanks: list[str] = []
        for gap in data.get("gaps") or []:
            if not isinstance(gap, Mapping):
                continue
            gap_id = str(gap.get("id"))
            if gap.get("kind") == "choice":
                ids = [str(o.get("id")) for o in gap.get("options") or [] if isinstance(o, Mapping)]
                gaps[gap_id] = _shuffled(ids, rng) if shuffle else ids
            else:
                blanks.append(gap_id)
        return {"gaps": gaps, "blanks": blanks}
    return {}
