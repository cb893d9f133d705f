"""How a question's HTML and an answer are shown to people: the student's review and the grader's pages."""

from functools import lru_cache
from typing import Any

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from qashyq.assessment.data import QuestionType


def html(text: Any) -> SafeString:
    """A question's HTML (sanitized when it was saved) cleaned once more before it is shown."""
    return _clean(str(text or ""))


@lru_cache(maxsize=2048)
def _clean(text: str) -> SafeString:
    """Kept per process: a version's texts never change, and an exam shows the same few hundred again and
    again (about 30 µs each to clean)."""
    return mark_safe(nh3.clean(text))  # noqa: S308 - nh3 output


def option_texts(data: dict[str, Any]) -> dict[str, Any]:
    return {str(o.get("id")): o.get("text", "") for o in data.get("options") or [] if isinstance(o, dict)}


def right_texts(data: dict[str, Any]) -> dict[str, Any]:
    texts = {str(p.get("id")): p.get("right", "") for p in data.get("pairs") or [] if isinstance(p, dict)}
    for n, text in enumerate(data.get("distractors") or [], start=1):
        texts[f"x{n}"] = text
    return texts


def describe(qtype: str, data: dict[str, Any], answer: Any) -> list[SafeString]:
    """An answer as lines a person reads (option texts as HTML, typed text escaped)."""
    if not isinstance(answer, dict):
        return []
    if qtype == QuestionType.SINGLE:
        text = option_texts(data).get(str(answer.get("choice")))
        return [html(text)] if text is not None else []
    if qtype == QuestionType.MULTIPLE:
        texts = option_texts(data)
        return [html(texts[c]) for c in answer.get("choices") or [] if c in texts]
    if qtype == QuestionType.TRUE_FALSE:
        value = answer.get("value")
        return [escape(_("True") if value else _("False"))] if isinstance(value, bool) else []
    if qtype == QuestionType.MATCHING:
        lefts = {str(p.get("id")): p.get("left", "") for p in data.get("pairs") or [] if isinstance(p, dict)}
        rights = right_texts(data)
        pairs = answer.get("pairs") or {}
        return [
            mark_safe(f"{html(lefts[pid])} → {html(rights.get(str(pairs[pid]), ''))}")  # noqa: S308
            for pid in lefts
            if pid in pairs
        ]
    if qtype == QuestionType.ORDERING:
        texts = {str(i.get("id")): i.get("text", "") for i in data.get("items") or [] if isinstance(i, dict)}
        return [html(texts[i]) for i in answer.get("order") or [] if i in texts]
    if qtype in (QuestionType.SHORT, QuestionType.NUMERIC, QuestionType.ESSAY):
        return [escape(str(answer.get("text", "")))]
    if qtype == QuestionType.CLOZE:
        lines = []
        gaps = answer.get("gaps") or {}
        for number, gap in enumerate(data.get("gaps") or [], start=1):
            value = gaps.get(str(gap.get("id")))
            if value is None:
                continue
            if gap.get("kind") == "choice":
                value = nh3.clean(str(option_texts(gap).get(str(value), value)), tags=set())
            line = _("Blank %(number)s: %(value)s") % {"number": number, "value": escape(str(value))}
            lines.append(mark_safe(line))  # noqa: S308 - the value is escaped
        return lines
    return []
