"""Scoring a saved answer, checking an answer before it is saved, and the right answer for review pages.

Pure: no database. Shapes of question data, answers and layouts are those of `rules/__init__.py`.

`score(...)` is the share (0..1) of the question's points an answer earns:

- single: the chosen option's fraction (clamped to 0..1).
- multiple, by the question's "partial" rule:
    all_or_nothing — 1 when exactly the right options (fraction > 0) are chosen, else 0;
    partial — each right option chosen earns 1/R (R = number of right options), each wrong option chosen
        takes 1/R away, never below 0;
    fractions (the default, as in Moodle) — the sum of the chosen options' fractions, clamped to 0..1.
- true_false: 1 when the value is the right one.
- matching: the share of pairs matched right (right pairs / pairs).
- ordering: the share of positions holding the right item (right positions / items).
- short: the best fraction of the accepted answers the text matches. Whitespace is collapsed and trimmed,
    case is ignored unless "case_sensitive"; "*" in an accepted text matches any run of characters.
- numeric: the best fraction of the answers whose value ± tolerance holds the number. The number may be
    written with "," or "." and be followed by a unit of the list, which converts it (number / multiplier);
    a unit not in the list makes the answer wrong when "unit_required", otherwise the number counts as it is
    (so does a number without a unit, unless "unit_required").
- cloze: the gaps' scores weighted by their points (each gap scored as short, numeric or single choice).
- essay: None (graded by a person).
An answer that is None or does not have the expected shape scores 0.
"""

import math
import re
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from qashyq.assessment.data import PartialCredit, QuestionType

MAX_SHORT_TEXT = 1_000
MAX_ESSAY_TEXT = 100_000
NUMBER = re.compile(r"^\s*([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?)\s*(.*?)\s*$")
EPSILON = 1e-9
CENT = Decimal("0.01")


def _clamp(value: float) -> float:
    if math.isnan(value):
        return 0.0
    return max(0.0, min(1.0, value))


def cents(value: Decimal) -> Decimal:
    """Points and percents are kept to the cent, halves rounded up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def points_for(share: float, points: Decimal) -> Decimal:
    """What a question worth `points` gives for a score share (clamped to 0–1), to the cent."""
    return cents(Decimal(str(_clamp(float(share)))) * points)


def _fraction(value: Any) -> float:
    try:
        result = float(value)
    except (TypeError, ValueError):
        return 0.0
    return result if math.isfinite(result) else 0.0


def _options(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [o for o in data.get("options") or [] if isinstance(o, Mapping)]


# --- Per-type scores -------------------------------------------------------------------------------


def single_score(data: Mapping[str, Any], choice: Any) -> float:
    for option in _options(data):
        if option.get("id") == choice:
            return _clamp(_fraction(option.get("fraction")))
    return 0.0


def multiple_score(data: Mapping[str, Any], choices: Sequence[Any]) -> float:
    options = _options(data)
    chosen = {c for c in choices if isinstance(c, str)}
    right = {str(o.get("id")) for o in options if _fraction(o.get("fraction")) > 0}
    known = {str(o.get("id")) for o in options}
    chosen &= known
    rule = data.get("partial") or PartialCredit.FRACTIONS
    if rule == PartialCredit.ALL_OR_NOTHING:
        return 1.0 if right and chosen == right else 0.0
    if rule == PartialCredit.PARTIAL:
        if not right:
            return 0.0
        earned = len(chosen & right) - len(chosen - right)
        return _clamp(earned / len(right))
    return _clamp(sum(_fraction(o.get("fraction")) for o in options if o.get("id") in chosen))


def matching_score(data: Mapping[str, Any], pairs: Mapping[str, Any]) -> float:
    ids = [str(p.get("id")) for p in data.get("pairs") or [] if isinstance(p, Mapping)]
    if not ids:
        return 0.0
    return sum(1 for pid in ids if pairs.get(pid) == pid) / len(ids)


def ordering_score(data: Mapping[str, Any], order: Sequence[Any]) -> float:
    ids = [str(i.get("id")) for i in data.get("items") or [] if isinstance(i, Mapping)]
    if not ids:
        return 0.0
    return sum(1 for index, item in enumerate(ids) if index < len(order) and order[index] == item) / len(ids)


def normalized_text(text: str, *, case_sensitive: bool = False) -> str:
    """Whitespace collapsed to one space and trimmed; case-folded unless `case_sensitive`."""
    collapsed = " ".join(text.split())
    return collapsed if case_sensitive else collapsed.casefold()


@lru_cache(maxsize=4096)
def _pattern(accepted: str, case_sensitive: bool) -> re.Pattern[str]:
    parts = [re.escape(part) for part in normalized_text(accepted, case_sensitive=case_sensitive).split("*")]
    return re.compile(".*".join(parts), re.DOTALL)


def short_score(answers: Sequence[Mapping[str, Any]], text: str, *, case_sensitive: bool = False) -> float:
    given = normalized_text(text, case_sensitive=case_sensitive)
    if not given:
        return 0.0
    best = 0.0
    for accepted in answers:
        if not isinstance(accepted, Mapping):
            continue
        pattern = _pattern(str(accepted.get("text", "")), case_sensitive)
        if pattern.fullmatch(given):
            best = max(best, _fraction(accepted.get("fraction", 1.0)))
    return _clamp(best)


def parse_number(text: str) -> tuple[float, str] | None:
    """(number, unit text) of "9,8 m/s²"; None when the text does not start with a number."""
    match = NUMBER.match(text)
    if match is None:
        return None
    try:
        value = float(match.group(1).replace(",", "."))
    except ValueError:
        return None
    return (value, match.group(2)) if math.isfinite(value) else None


def numeric_value(data: Mapping[str, Any], text: str) -> float | None:
    """The number the answer means in the answers' unit; None when it is not a number or its unit is refused."""
    parsed = parse_number(text)
    if parsed is None:
        return None
    value, unit = parsed
    units = [u for u in data.get("units") or [] if isinstance(u, Mapping)]
    required = bool(data.get("unit_required")) and bool(units)
    if not unit:
        return None if required else value
    for known in units:
        if " ".join(str(known.get("unit", "")).split()) == " ".join(unit.split()):
            multiplier = _fraction(known.get("multiplier", 1.0)) or 1.0
            return value / multiplier
    return None if required else value


def numeric_score(data: Mapping[str, Any], text: str) -> float:
    value = numeric_value(data, text)
    if value is None:
        return 0.0
    best = 0.0
    for accepted in data.get("answers") or []:
        if not isinstance(accepted, Mapping):
            continue
        target = _fraction(accepted.get("value"))
        tolerance = abs(_fraction(accepted.get("tolerance")))
        if abs(value - target) <= tolerance + EPSILON * max(1.0, abs(target)):
            best = max(best, _fraction(accepted.get("fraction", 1.0)))
    return _clamp(best)


def gap_score(gap: Mapping[str, Any], given: Any) -> float:
    if not isinstance(given, str):
        return 0.0
    kind = gap.get("kind")
    if kind == "choice":
        return single_score(gap, given)
    if kind == "numeric":
        return numeric_score(gap, given)
    return short_score(gap.get("answers") or [], given, case_sensitive=bool(gap.get("case_sensitive")))


def cloze_score(data: Mapping[str, Any], gaps_given: Mapping[str, Any]) -> float:
    gaps = [g for g in data.get("gaps") or [] if isinstance(g, Mapping)]
    if not gaps:
        return 0.0
    weights = [max(0.0, _fraction(g.get("points", 1))) for g in gaps]
    if sum(weights) <= 0:
        weights = [1.0] * len(gaps)
    earned = sum(w * gap_score(g, gaps_given.get(str(g.get("id")))) for g, w in zip(gaps, weights, strict=True))
    return _clamp(earned / sum(weights))


def score(qtype: str, data: Mapping[str, Any], answer: Any) -> float | None:
    """The share 0..1 of the question's points `answer` earns; None for an essay (graded by a person)."""
    if qtype == QuestionType.ESSAY:
        return None
    if not isinstance(answer, Mapping):
        return 0.0
    if qtype == QuestionType.SINGLE:
        return single_score(data, answer.get("choice"))
    if qtype == QuestionType.MULTIPLE:
        choices = answer.get("choices")
        return multiple_score(data, choices) if isinstance(choices, list) else 0.0
    if qtype == QuestionType.TRUE_FALSE:
        value = answer.get("value")
        return 1.0 if isinstance(value, bool) and value == bool(data.get("answer")) else 0.0
    if qtype == QuestionType.MATCHING:
        pairs = answer.get("pairs")
        return matching_score(data, pairs) if isinstance(pairs, Mapping) else 0.0
    if qtype == QuestionType.ORDERING:
        order = answer.get("order")
        return ordering_score(data, order) if isinstance(order, list) else 0.0
    text = answer.get("text")
    if qtype == QuestionType.SHORT:
        if not isinstance(text, str):
            return 0.0
        return short_score(data.get("answers") or [], text, case_sensitive=bool(data.get("case_sensitive")))
    if qtype == QuestionType.NUMERIC:
        return numeric_score(data, text) if isinstance(text, str) else 0.0
    if qtype == QuestionType.CLOZE:
        gaps = answer.get("gaps")
        return cloze_score(data, gaps) if isinstance(gaps, Mapping) else 0.0
    return 0.0


# --- Checking an answer before it is saved ---------------------------------------------------------


def _ids(layout: Mapping[str, Any], key: str, fallback: list[str]) -> list[str]:
    shown = layout.get(key)
    return [str(i) for i in shown] if isinstance(shown, list) else fallback


def layout_is_complete(qtype: str, layout: Mapping[str, Any]) -> bool:
    """Whether `answer_problem` can check answers of this type from the layout alone (layouts made by
    `rules.drawing.layout_for` always can), so that saving an answer needs no question data."""
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return isinstance(layout.get("options"), list)
    if qtype == QuestionType.MATCHING:
        return isinstance(layout.get("left"), list) and isinstance(layout.get("right"), list)
    if qtype == QuestionType.ORDERING:
        return isinstance(layout.get("items"), list)
    if qtype == QuestionType.CLOZE:
        return isinstance(layout.get("gaps"), Mapping) and isinstance(layout.get("blanks"), list)
    return True


def _text_problem(answer: Mapping[str, Any], limit: int) -> str | None:
    if set(answer) != {"text"} or not isinstance(answer["text"], str):
        return _("The answer must be a text.")
    if len(answer["text"]) > limit:
        return _("The answer is too long: at most %(limit)d characters.") % {"limit": limit}
    return None


def answer_problem(qtype: str, data: Mapping[str, Any], layout: Mapping[str, Any], answer: Any) -> str | None:
    """Why `answer` cannot be saved for this question as the attempt shows it (translated), or None. None (no
    answer) is always accepted; option ids must be among those the layout shows."""
    if answer is None:
        return None
    if not isinstance(answer, Mapping):
        return _("The answer has the wrong form.")
    option_ids = [str(o.get("id")) for o in _options(data)]
    if qtype == QuestionType.SINGLE:
        if set(answer) != {"choice"} or not isinstance(answer["choice"], str):
            return _("Choose one option.")
        if answer["choice"] not in _ids(layout, "options", option_ids):
            return _("The chosen option is not one of this question's options.")
        return None
    if qtype == QuestionType.MULTIPLE:
        choices = answer.get("choices")
        if set(answer) != {"choices"} or not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            return _("Choose options from the list.")
        if len(set(choices)) != len(choices):
            return _("An option is chosen twice.")
        shown = set(_ids(layout, "options", option_ids))
        if any(c not in shown for c in choices):
            return _("A chosen option is not one of this question's options.")
        return None
    if qtype == QuestionType.TRUE_FALSE:
        if set(answer) != {"value"} or not isinstance(answer["value"], bool):
            return _("Choose true or false.")
        return None
    if qtype == QuestionType.MATCHING:
        pairs = answer.get("pairs")
        if set(answer) != {"pairs"} or not isinstance(pairs, Mapping):
            return _("The matches have the wrong form.")
        pair_ids = [str(p.get("id")) for p in data.get("pairs") or [] if isinstance(p, Mapping)]
        distractors = [f"x{n}" for n in range(1, len(data.get("distractors") or []) + 1)]
        left = set(_ids(layout, "left", pair_ids))
        right = set(_ids(layout, "right", pair_ids + distractors))
        if any(k not in left for k in pairs):
            return _("A matched item is not one of this question's items.")
        if any(not isinstance(v, str) or v not in right for v in pairs.values()):
            return _("A chosen match is not one of this question's choices.")
        return None
    if qtype == QuestionType.ORDERING:
        order = answer.get("order")
        if set(answer) != {"order"} or not isinstance(order, list):
            return _("The order has the wrong form.")
        items = _ids(layout, "items", [str(i.get("id")) for i in data.get("items") or [] if isinstance(i, Mapping)])
        if sorted(str(i) for i in order) != sorted(items) or not all(isinstance(i, str) for i in order):
            return _("The order must hold each of this question's items once.")
        return None
    if qtype in (QuestionType.SHORT, QuestionType.NUMERIC):
        return _text_problem(answer, MAX_SHORT_TEXT)
    if qtype == QuestionType.ESSAY:
        return _text_problem(answer, MAX_ESSAY_TEXT)
    if qtype == QuestionType.CLOZE:
        return _cloze_problem(data, layout, answer)
    return _("This question cannot be answered.")


def _cloze_problem(data: Mapping[str, Any], layout: Mapping[str, Any], answer: Mapping[str, Any]) -> str | None:
    gaps = answer.get("gaps")
    if set(answer) != {"gaps"} or not isinstance(gaps, Mapping):
        return _("The blanks have the wrong form.")
    choice_options: dict[str, list[str]] = {}
    shown_gaps = layout.get("gaps")
    blanks = layout.get("blanks")
    if isinstance(shown_gaps, Mapping) and isinstance(blanks, list):
        choice_options = {str(k): [str(i) for i in v] for k, v in shown_gaps.items() if isinstance(v, list)}
        text_gaps = {str(b) for b in blanks}
    else:
        text_gaps = set()
        for gap in data.get("gaps") or []:
            if not isinstance(gap, Mapping):
                continue
            if gap.get("kind") == "choice":
                choice_options[str(gap.get("id"))] = [str(o.get("id")) for o in _options(gap)]
            else:
                text_gaps.add(str(gap.get("id")))
    for gap_id, value in gaps.items():
        if not isinstance(value, str):
            return _("Blank %(gap)s must hold a text.") % {"gap": gap_id}
        if gap_id in choice_options:
            if value not in choice_options[gap_id]:
                return _("The choice in blank %(gap)s is not one of its options.") % {"gap": gap_id}
        elif gap_id in text_gaps:
            if len(value) > MAX_SHORT_TEXT:
                return _("Blank %(gap)s is too long: at most %(limit)d characters.") % {
                    "gap": gap_id,
                    "limit": MAX_SHORT_TEXT,
                }
        else:
            return _("This question has no blank %(gap)s.") % {"gap": gap_id}
    return None


# --- The right answer (review pages) ---------------------------------------------------------------


def _format_number(value: float) -> str:
    return f"{value:g}"


def right_answer(qtype: str, data: Mapping[str, Any]) -> Any:
    """A fully right answer in the answer shape (None for an essay)."""
    if qtype == QuestionType.SINGLE:
        options = _options(data)
        best = max(options, key=lambda o: _fraction(o.get("fraction")), default=None)
        return {"choice": best.get("id")} if best is not None else None
    if qtype == QuestionType.MULTIPLE:
        return {"choices": [o.get("id") for o in _options(data) if _fraction(o.get("fraction")) > 0]}
    if qtype == QuestionType.TRUE_FALSE:
        return {"value": bool(data.get("answer"))}
    if qtype == QuestionType.MATCHING:
        return {"pairs": {p.get("id"): p.get("id") for p in data.get("pairs") or [] if isinstance(p, Mapping)}}
    if qtype == QuestionType.ORDERING:
        return {"order": [i.get("id") for i in data.get("items") or [] if isinstance(i, Mapping)]}
    if qtype == QuestionType.SHORT:
        text = _best_text(data.get("answers") or [])
        return {"text": text} if text is not None else None
    if qtype == QuestionType.NUMERIC:
        text = _best_number(data)
        return {"text": text} if text is not None else None
    if qtype == QuestionType.CLOZE:
        gaps: dict[str, str] = {}
        for gap in data.get("gaps") or []:
            if not isinstance(gap, Mapping):
                continue
            if gap.get("kind") == "choice":
                best = right_answer(QuestionType.SINGLE, gap)
                value = best.get("choice") if best else None
            elif gap.get("kind") == "numeric":
                value = _best_number(gap)
            else:
                value = _best_text(gap.get("answers") or [])
            if value is not None:
                gaps[str(gap.get("id"))] = str(value)
        return {"gaps": gaps}
    return None


def _best_text(answers: Sequence[Mapping[str, Any]]) -> str | None:
    candidates = [a for a in answers if isinstance(a, Mapping)]
    best = max(candidates, key=lambda a: _fraction(a.get("fraction", 1.0)), default=None)
    return str(best.get("text", "")) if best is not None else None


def _best_number(data: Mapping[str, Any]) -> str | None:
    candidates = [a for a in data.get("answers") or [] if isinstance(a, Mapping)]
    best = max(candidates, key=lambda a: _fraction(a.get("fraction", 1.0)), default=None)
    if best is None:
        return None
    text = _format_number(_fraction(best.get("value")))
    base = next(
        (u for u in data.get("units") or [] if isinstance(u, Mapping) and _fraction(u.get("multiplier", 1)) == 1.0),
        None,
    )
    return f"{text} {base.get('unit')}" if base is not None and data.get("unit_required") else text
