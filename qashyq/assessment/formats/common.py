"""What every question format reads into and writes from, and the small helpers the parsers share."""

import codecs
import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _


@dataclass
class ParsedImage:
    """An image a question refers to. The stem (or an option text) holds `<img src="image:{name}">` until the
    import stores the file and rewrites the address."""

    name: str
    content: bytes
    content_type: str


@dataclass
class ParsedQuestion:
    """One question as a file gives it. `data` has the shape of `QuestionVersion.data` for `type`
    (qashyq/assessment/rules/__init__.py). `line` is where it starts in the file (1-based)."""

    type: str
    stem: str
    data: dict[str, Any]
    line: int
    name: str = ""
    difficulty: int = 1
    category: str = ""  # topic path, "a/b"
    points: Decimal = Decimal(1)
    feedback: str = ""
    language: str = ""  # "" when the file does not say
    images: list[ParsedImage] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """Something wrong in a file: which file, which line (0 when the file as a whole), and why (translated)."""

    file: str
    line: int
    reason: str


@dataclass
class ParseResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # shown, but do not stop the import

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ExportQuestion:
    """A bank's question for a writer: its current version's content and where it sits."""

    id: int
    type: str
    name: str
    stem: str
    data: dict[str, Any]
    difficulty: int
    category: str
    points: Decimal
    feedback: str
    language: str
    images: tuple[ParsedImage, ...] = ()


# Inline formatting disappears without a trace ("H<sub>2</sub>O" = "H2O"); any other tag (<br>, <p>, <td>) separates
# words. An image stays as its address, so two questions that differ only by their picture are not the same.
_IMG_RE = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']*)["'][^>]*>""", re.IGNORECASE)
_INLINE_TAG_RE = re.compile(r"</?(?:b|i|u|s|em|strong|sub|sup|span|font|small|big|mark|code)\b[^>]*>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")


def normalized(text: str) -> str:
    """`text` (plain or HTML) as duplicates are compared: tags stripped (an image kept as its address), entities
    decoded, lower-cased (case-folded), Unicode NFC, whitespace collapsed and trimmed."""
    if "<" in text:
        text = _IMG_RE.sub(r" [img \1] ", text)
        text = _INLINE_TAG_RE.sub("", text)
        text = _TAG_RE.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return " ".join(unicodedata.normalize("NFC", text.casefold()).split())


# Keys of question data that do not make two questions different: ids, feedback, which option is right (two
# questions with the same stem and options but different keys are still the same question — and a contradiction).
_IGNORED_KEYS = frozenset({"id", "feedback", "feedback_true", "feedback_false", "fraction", "partial", "answer"})


def _leaves(value: Any, into: list[str]) -> None:
    if isinstance(value, str):
        into.append(normalized(value))
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _IGNORED_KEYS:
                _leaves(item, into)
    elif isinstance(value, list | tuple):
        for item in value:
            _leaves(item, into)
    elif value is not None:
        into.append(repr(value))


def question_signature(qtype: str, stem: str, data: dict[str, Any]) -> tuple[str, str, tuple[str, ...]]:
    """What makes two questions the same: type, normalized stem and the normalized texts (and values) of the
    options, answers, pairs or items, in any order."""
    leaves: list[str] = []
    _leaves(data, leaves)
    return qtype, normalized(stem), tuple(sorted(leaves))


def duplicates(questions: Sequence[ParsedQuestion], filename: str) -> list[Problem]:
    """A problem for every question that repeats an earlier one of the same file (same type, same normalized stem
    and the same options), naming the line of the first."""
    seen: dict[tuple[str, str, tuple[str, ...]], int] = {}
    problems: list[Problem] = []
    for question in questions:
        key = question_signature(question.type, question.stem, question.data)
        if key in seen:
            reason = _("Duplicate of the question on line %(line)s.") % {"line": seen[key]}
            problems.append(Problem(file=filename, line=question.line, reason=reason))
        else:
            seen[key] = question.line
    return problems


def decoded(content: bytes) -> str | None:
    """The text of an uploaded text file: UTF-8 (with or without a byte-order mark), UTF-16 with its mark, else
    Windows-1251 (Cyrillic Windows' "ANSI"). None when the bytes are not text (NUL bytes, undecodable)."""
    try:
        if content.startswith(codecs.BOM_UTF8):
            text = content[len(codecs.BOM_UTF8) :].decode("utf-8")
        elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return content.decode("utf-16").lstrip("\ufeff")
        else:
            try:
                text = content.decode("utf-8")
            except UnicodeDecodeError:
                text = content.decode("cp1251")
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    return text.lstrip("\ufeff")
