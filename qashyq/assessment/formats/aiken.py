"""Moodle's Aiken format: single-choice questions in plain text.

    What is the capital of Kazakhstan?
    A. Astana
    B) Almaty
    ANSWER: A

The first line is the question (following lines up to the first option continue it), options are a capital letter
with "." or ")" and a space, in order from A, and "ANSWER: <letter>" ends the question. Blank lines are ignored.
Cyrillic letters typed for their Latin twins (А, В, С, Е) are read as A, B, C, E. Texts are plain: HTML-escaped.
A question with a problem is left out of `questions`.
"""

import html
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .common import ParsedQuestion, ParseResult, Problem, decoded, duplicates, option_id, reason_few_options

_TWINS = str.maketrans("АВСЕ", "ABCE")
_OPTION_RE = re.compile(r"^([A-ZАВСЕ])\s*[.)](?:[ \t]+(.*)|$)")
_ANSWER_RE = re.compile(r"^ANSWER\s*:\s*(.*)$", re.IGNORECASE)
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass
class _Draft:
    line: int
    stem: list[str]
    options: list[tuple[str, str, int]] = field(default_factory=list)  # (letter, text, line)
    problems: list[Problem] = field(default_factory=list)


def parse(content: bytes, *, filename: str) -> ParseResult:
    result = ParseResult()
    text = decoded(content)
    if text is None:
        reason = _("The file cannot be read: it is not text in UTF-8 or Windows-1251.")
        result.problems.append(Problem(file=filename, line=0, reason=reason))
        return result
    if not text.strip():
        result.problems.append(Problem(file=filename, line=0, reason=_("The file is empty.")))
        return result

    draft: _Draft | None = None

    def problem(at: int, reason: str) -> None:
        assert draft is not None
        draft.problems.append(Problem(file=filename, line=at, reason=reason))

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if draft is None:
            draft = _Draft(line=number, stem=[line])
            if _ANSWER_RE.match(line):
                problem(number, _("An ANSWER line with no question before it."))
                result.problems.extend(draft.problems)
                draft = None
            continue
        answer = _ANSWER_RE.match(line)
        option = _OPTION_RE.match(line)
        if answer:
            _finish(draft, answer[1].strip(), number, filename, result)
            draft = None
        elif option:
            letter = option[1].translate(_TWINS)
            expected = _LETTERS[len(draft.options)] if len(draft.options) < len(_LETTERS) else "?"
            if letter != expected:
                problem(
                    number,
                    _("Option letters are out of order: %(expected)s was expected here, not %(found)s.")
                    % {"expected": expected, "found": option[1]},
                )
            option_text = (option[2] or "").strip()
            if not option_text:
                problem(number, _("Option %(letter)s is empty.") % {"letter": option[1]})
            draft.options.append((letter, option_text, number))
        elif not draft.options:
            draft.stem.append(line)
        else:
            # A new question starts while this one still waits for its ANSWER line.
            problem(draft.line, _("The question has no ANSWER line."))
            result.problems.extend(draft.problems)
            draft = _Draft(line=number, stem=[line])
    if draft is not None:
        problem(draft.line, _("The question has no ANSWER line."))
        result.problems.extend(draft.problems)

    result.problems.extend(duplicates(result.questions, filename))
    result.problems.sort(key=lambda found: found.line)
    return result


def _finish(draft: _Draft, answer: str, at: int, filename: str, result: ParseResult) -> None:
    def problem(line: int, reason: str) -> None:
        draft.problems.append(Problem(file=filename, line=line, reason=reason))

    letters = [letter for letter, _text, _line in draft.options]
    if len(draft.options) < 2:
        problem(draft.line, reason_few_options(len(draft.options)))
    letter = answer.translate(_TWINS).upper() if len(answer) == 1 else ""
    if not letter or letter not in _LETTERS:
        problem(at, _("ANSWER must name one option letter, not “%(answer)s”.") % {"answer": answer})
    elif letter not in letters:
        problem(at, _("ANSWER names option %(letter)s, which the question does not have.") % {"letter": answer})
    if draft.problems:
        result.problems.extend(draft.problems)
        return
    stem = "<br>".join(html.escape(part, quote=False) for part in draft.stem)
    options = [
        {
            "id": option_id(position),
            "text": html.escape(text, quote=False),
            "fraction": 1.0 if option_letter == letter else 0.0,
            "feedback": "",
        }
        for position, (option_letter, text, _line) in enumerate(draft.options)
    ]
    result.questions.append(
        ParsedQuestion(
            type="single",
            stem=stem,
            data={"options": options, "partial": "all_or_nothing"},
            line=draft.line,
        )
    )
