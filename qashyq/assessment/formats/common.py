"""What every question format reads into and writes from, and what the readers and writers share.

- `normalized`, `question_signature`, `duplicates`: duplicate detection inside one file (or one package);
- `question_problems`, `check_questions`: the checks every reader makes whatever the format (empty text, a choice
  with fewer than two options or an empty one, no right answer, …); their reasons use the msgids of
  `rules/questions.py` where the reason is the same, so each is translated once;
- `decoded` (text files), `xml_root` (XML files, safely), `option_id`;
- Moodle's own ways shared by GIFT and Moodle XML: `moodle_category`, `moodle_warnings`, `moodle_percent`,
  `moodle_float`, `plain_number`, `export_label`.
"""

import codecs
import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree


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


def duplicates(
    questions: Sequence[ParsedQuestion], filename: str, *, files: Sequence[str] | None = None
) -> list[Problem]:
    """A problem for every question that repeats an earlier one (same type, same normalized stem and the same
    options), naming the line of the first. `files`, for the questions of a package, names each one's file: a
    repeat of a question of another file names that file."""
    seen: dict[tuple[str, str, tuple[str, ...]], tuple[str, int]] = {}
    problems: list[Problem] = []
    for index, question in enumerate(questions):
        where = files[index] if files is not None else filename
        key = question_signature(question.type, question.stem, question.data)
        if key not in seen:
            seen[key] = (where, question.line)
            continue
        first_file, first_line = seen[key]
        if first_file == where:
            reason = _("Duplicate of the question on line %(line)s.") % {"line": first_line}
        else:
            reason = _("Duplicate of the question in %(file)s.") % {"file": first_file}
        problems.append(Problem(file=where, line=question.line, reason=reason))
    return problems


# --- checks every reader makes ------------------------------------------------------------------------------------
# The msgids are those of rules/questions.py for the same reasons.


def has_content(text: str) -> bool:
    """Whether an HTML text shows anything: a word or a picture."""
    return bool(normalized(text)) or "<img" in text.lower()


def reason_no_text() -> str:
    return _("The question has no text.")


def reason_no_right_answer() -> str:
    return _("The question has no correct answer.")


def reason_few_options(count: int) -> str:
    return _("A choice question needs at least two answer options; it has %(count)d.") % {"count": count}


def _choice_problems(options: Sequence[dict[str, Any]], prefix: str = "") -> list[str]:
    reasons = []
    if len(options) < 2:
        reasons.append(prefix + reason_few_options(len(options)))
    for number, option in enumerate(options, start=1):
        if not has_content(str(option.get("text", ""))):
            reasons.append(prefix + _("Answer option %(number)d is empty.") % {"number": number})
    if options and not any(float(option.get("fraction", 0)) > 0 for option in options):
        reasons.append(prefix + reason_no_right_answer())
    return reasons


def _has_right_answer(answers: Sequence[dict[str, Any]]) -> bool:
    return any(float(answer.get("fraction", 0)) > 0 for answer in answers)


def question_problems(question: ParsedQuestion) -> list[str]:
    """What stops a parsed question from being imported, whatever its format (translated reasons); empty when it
    is sound. A fill-in-the-blanks question's text is in data["text"] (its stem, an instruction, may be empty)."""
    data, qtype = question.data, question.type
    reasons: list[str] = []
    if qtype == "cloze":
        if not has_content(str(data.get("text", ""))):
            reasons.append(_("The text with the gaps is empty."))
        gaps = data.get("gaps") or []
        if not gaps:
            reasons.append(_("The text has no gaps."))
        for gap in gaps:
            prefix = _("Gap %(id)s") % {"id": gap.get("id", "")} + ": "
            if gap.get("kind") == "choice":
                reasons += _choice_problems(gap.get("options") or [], prefix)
            elif not _has_right_answer(gap.get("answers") or []):
                reasons.append(prefix + reason_no_right_answer())
        return reasons
    if not has_content(question.stem):
        reasons.append(reason_no_text())
    if qtype in ("single", "multiple"):
        reasons += _choice_problems(data.get("options") or [])
    elif qtype in ("short", "numeric"):
        if not _has_right_answer(data.get("answers") or []):
            reasons.append(reason_no_right_answer())
    elif qtype == "matching":
        count = len(data.get("pairs") or [])
        if count < 2:
            reasons.append(_("A matching question needs at least two pairs; it has %(count)d.") % {"count": count})
    elif qtype == "ordering":
        count = len(data.get("items") or [])
        if count < 2:
            reasons.append(_("An ordering question needs at least two items; it has %(count)d.") % {"count": count})
    return reasons


def check_questions(questions: Sequence[ParsedQuestion], filename: str) -> list[Problem]:
    """The problems of every question (`question_problems`, at its line) and the duplicates among them."""
    problems = [
        Problem(file=filename, line=question.line, reason=reason)
        for question in questions
        for reason in question_problems(question)
    ]
    return problems + duplicates(questions, filename)


# --- reading files --------------------------------------------------------------------------------------------------


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


def xml_root(content: bytes, *, filename: str) -> tuple[Any, Problem | None]:
    """(root element, None) of an XML file, or (None, the problem). lxml with entity resolution, DTD loading and
    the network off, and a document type declaration refused outright: no entity is ever expanded and nothing
    external is ever fetched."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as error:
        reason = _("The file is not well-formed XML: %(error)s") % {"error": error.msg}
        return None, Problem(file=filename, line=error.lineno or 0, reason=reason)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        reason = _("The file may not contain a document type declaration (DTD) or entities.")
        return None, Problem(file=filename, line=1, reason=reason)
    return root, None


def option_id(position: int) -> str:
    """The id of the option at `position` (from 0): "a" … "z", then "aa", "ab", …"""
    letters = "abcdefghijklmnopqrstuvwxyz"
    if position < len(letters):
        return letters[position]
    return option_id(position // len(letters) - 1) + letters[position % len(letters)]


# --- Moodle's ways, shared by GIFT and Moodle XML -------------------------------------------------------------------


def moodle_category(text: str) -> str:
    """A Moodle category path as a topic path: "$course$/top/a/b" → "a/b"."""
    parts = [part.strip() for part in text.strip().split("/")]
    while parts and parts[0] in ("$course$", "$system$", "$module$", "$cat1$", "$cat2$", "$cat3$"):
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return "/".join(part for part in parts if part)


def moodle_warnings(questions: Sequence[ParsedQuestion], filename: str) -> list[Problem]:
    """What imports, but Moodle itself would not accept."""
    return [
        Problem(
            file=filename,
            line=question.line,
            reason=_("A matching question with two pairs is imported, but Moodle asks for at least three."),
        )
        for question in questions
        if question.type == "matching" and len(question.data.get("pairs") or []) == 2
    ]


def moodle_percent(fraction: float) -> str:
    """A fraction as Moodle writes it: 0.5 → "50"."""
    return format(round(float(fraction) * 100, 5), "g")


def moodle_float(value: float) -> str:
    return repr(float(value))


def plain_number(value: Any) -> int | float:
    """A number as data holds it: 2.0 → 2, 2.5 → 2.5."""
    number = float(value)
    return int(number) if number.is_integer() else number


def export_label(question: ExportQuestion) -> str:
    """How a writer's warning names a question: its name, else the start of its text, else its id."""
    return question.name or normalized(question.stem)[:60] or str(question.id)
