"""Moodle GIFT: reading and writing (pure, no database).

Read as Moodle documents it: questions separated by blank lines; whole-line comments `//`; `::name::` titles;
`[html]`, `[moodle]`, `[markdown]`, `[plain]` text formats; the escapes `\\~ \\= \\# \\{ \\} \\:` (and `\\\\`,
`\\n`); `$CATEGORY: a/b` lines setting the topic of the questions that follow (`$course$/`, `top/` prefixes
dropped). Answer blocks: multiple choice `{=right ~wrong}` (single) or `{~%50%a ~%50%b ~%-100%c}` (no `=`:
multiple, scored by fractions), per-answer feedback `#…`, general feedback `####…`, true/false `{T}` `{TRUE}`
`{F#wrong-answer feedback#right-answer feedback}`, short answer `{=a =%50%b}`, matching `{=left -> right …}`
(`= -> text` is a distractor), numerical `{#3.14:0.01}`, `{#1..5}`, `{# =%100%3.14:0.01 =%50%3.1:0.1}`,
essay `{}`. Text before and after the braces (Moodle's "missing word") reads as a fill-in-the-blanks (cloze)
question with one gap. A description (no braces) is not imported.

Qashyq extensions (Moodle ignores them, so the files stay valid GIFT):
- comment lines right before a question carry what GIFT cannot say: `// difficulty: 2`, `// points: 2`,
  `// language: kk`, `// stem: "JSON string"` (a fill-in-the-blanks question's instruction) and
  `// data: {JSON}` (fields of the question's data GIFT has no syntax for: multiple-choice partial credit,
  short-answer case sensitivity, numeric units, essay rubric and word limits, gap points);
- several answer blocks in one question read as a fill-in-the-blanks question with one gap per block (Moodle
  itself reads only one).
Ordering questions cannot be written in GIFT: the writer leaves them as comments and `write_warnings` says so.
GIFT carries no files: images stay `<img src="image:NAME">` references.

After the reading come the checks every format makes (`common.check_questions`: no text, fewer than two options,
an empty option, no right answer, duplicates, …) and Moodle's own limits as warnings (`common.moodle_warnings`);
a question with a problem stays in `questions` for the preview.
"""

import html
import json
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from .common import (
    ExportQuestion,
    ParsedQuestion,
    ParseResult,
    Problem,
    check_questions,
    decoded,
    export_label,
    moodle_category,
    moodle_float,
    moodle_percent,
    moodle_warnings,
    option_id,
    plain_number,
)

_ESCAPES = (
    ("\\\\", "\ue000"),
    ("\\~", "\ue001"),
    ("\\=", "\ue002"),
    ("\\#", "\ue003"),
    ("\\{", "\ue004"),
    ("\\}", "\ue005"),
    ("\\:", "\ue006"),
    ("\\n", "\n"),
)
_RESTORE = {"\ue000": "\\", "\ue001": "~", "\ue002": "=", "\ue003": "#", "\ue004": "{", "\ue005": "}", "\ue006": ":"}
_PLACEHOLDER = re.compile("[\ue000-\ue006]")
_FORMAT = re.compile(r"^\s*\[(html|moodle|markdown|plain)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^\s*%\s*(-?\d+(?:[.,]\d+)?)\s*%")
_META = re.compile(r"^//\s*(difficulty|points|language|stem|data)\s*:\s*(.*)$", re.IGNORECASE)
_DATA_KEYS = {
    "multiple": {"partial"},
    "short": {"case_sensitive"},
    "numeric": {"units", "unit_required"},
    "essay": {"rubric", "min_words", "max_words", "template"},
    "cloze": {"gaps"},
}
_PARTIALS = {"all_or_nothing", "partial", "fractions"}


class _Syntax(Exception):
    """A question the reader cannot make sense of; the message is the translated reason."""


# ---------------------------------------------------------------- reading


def parse(content: bytes, *, filename: str, **options: Any) -> ParseResult:
    """Every question of a GIFT file, and every problem with its line."""
    result = ParseResult()
    text = decoded(content)
    if text is None:
        reason = _("The file cannot be read: it is not text in UTF-8 or Windows-1251.")
        result.problems.append(Problem(file=filename, line=0, reason=reason))
        return result
    category = ""
    meta: dict[str, tuple[int, str]] = {}
    block: list[str] = []
    start = 0

    def close() -> None:
        nonlocal category, meta, block
        lines = block
        block = []
        first = start
        while lines and lines[0].lstrip().startswith("$CATEGORY:"):
            category = moodle_category(lines[0].lstrip()[len("$CATEGORY:") :])
            lines = lines[1:]
            first += 1
            while lines and not lines[0].strip():
                lines, first = lines[1:], first + 1
        if not lines:
            return
        question_meta, meta = meta, {}
        try:
            question = _question("\n".join(lines).strip(), first, category)
        except _Syntax as error:
            result.problems.append(Problem(file=filename, line=first, reason=str(error)))
            return
        if question is None:
            result.problems.append(
                Problem(file=filename, line=first, reason=_("A description without a question is not imported."))
            )
            return
        _apply_meta(question, question_meta, filename=filename, result=result)
        result.questions.append(question)

    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("//"):
            match = _META.match(stripped)
            if match:
                meta[match.group(1).lower()] = (number, match.group(2).strip())
            continue
        if not stripped:
            if block:
                close()
            continue
        line = raw
        if "\\" in line:
            for escaped, placeholder in _ESCAPES:
                line = line.replace(escaped, placeholder)
        if not block:
            start = number
        block.append(line)
    if block:
        close()
    result.problems += check_questions(result.questions, filename)
    result.problems.sort(key=lambda problem: problem.line)
    result.warnings += moodle_warnings(result.questions, filename)
    return result


def _apply_meta(
    question: ParsedQuestion, meta: dict[str, tuple[int, str]], *, filename: str, result: ParseResult
) -> None:
    for key, (line, value) in meta.items():
        try:
            if key == "difficulty":
                difficulty = int(value)
                if difficulty not in (1, 2, 3):
                    raise ValueError(value)
                question.difficulty = difficulty
            elif key == "points":
                points = Decimal(value.replace(",", "."))
                if not points.is_finite() or points <= 0:
                    raise ValueError(value)
                question.points = points
            elif key == "language":
                question.language = value.strip().lower()[:8]
            elif key == "stem" and question.type == "cloze":
                stem = json.loads(value)
                if not isinstance(stem, str):
                    raise ValueError(value)
                question.stem = stem
            elif key == "data":
                extra = json.loads(value)
                if not isinstance(extra, dict):
                    raise ValueError(value)
                _merge_data(question, extra)
        except (ValueError, InvalidOperation, TypeError, KeyError):
            result.warnings.append(
                Problem(
                    file=filename,
                    line=line,
                    reason=_("The Qashyq comment “%(key)s” could not be read; it is ignored.") % {"key": key},
                )
            )


def _merge_data(question: ParsedQuestion, extra: dict[str, Any]) -> None:
    allowed = _DATA_KEYS.get(question.type, set())
    data = question.data
    for key, value in extra.items():
        if key not in allowed:
            continue
        if key == "partial":
            if value not in _PARTIALS:
                raise ValueError(value)
            data[key] = value
        elif key in ("case_sensitive", "unit_required"):
            data[key] = bool(value)
        elif key in ("min_words", "max_words"):
            data[key] = int(value)
        elif key == "template":
            data[key] = str(value)
        elif key == "units":
            data[key] = [{"unit": str(u["unit"]), "multiplier": float(u["multiplier"])} for u in value]
        elif key == "rubric":
            data[key] = [{"criterion": str(r["criterion"]), "points": plain_number(r["points"])} for r in value]
        elif key == "gaps":
            for gap, more in zip(data["gaps"], value, strict=False):
                if "points" in more:
                    gap["points"] = plain_number(more["points"])
                if "case_sensitive" in more and gap["kind"] == "short":
                    gap["case_sensitive"] = bool(more["case_sensitive"])


def _restore(text: str) -> str:
    return _PLACEHOLDER.sub(_placeholder, text) if _PLACEHOLDER.search(text) else text


def _placeholder(match: re.Match[str]) -> str:
    return _RESTORE[match.group(0)]


def _to_html(text: str, fmt: str) -> str:
    text = _restore(text).strip()
    if fmt == "html":
        return text
    if fmt in ("plain", "markdown"):
        return html.escape(text, quote=False).replace("\n", "<br>")
    return text.replace("\n", "<br>")  # Moodle's auto-format: HTML allowed, line breaks kept


def _split_blocks(text: str) -> tuple[list[str], list[str]]:
    """(texts, answer blocks) — texts has one more element than blocks."""
    texts: list[str] = []
    blocks: list[str] = []
    position = 0
    while True:
        opening = text.find("{", position)
        closing = text.find("}", position)
        if opening < 0:
            if closing >= 0:
                raise _Syntax(_("A closing brace “}” has no opening brace; write \\} for a literal brace."))
            texts.append(text[position:])
            return texts, blocks
        if closing < 0:
            raise _Syntax(_("The answer block is not closed: a closing brace “}” is missing."))
        if closing < opening:
            raise _Syntax(_("A closing brace “}” has no opening brace; write \\} for a literal brace."))
        nested = text.find("{", opening + 1)
        if nested >= 0 and nested < closing:
            raise _Syntax(_("An answer block “{” is opened twice; write \\{ for a literal brace."))
        texts.append(text[position:opening])
        blocks.append(text[opening + 1 : closing])
        position = closing + 1


def _question(text: str, line: int, category: str) -> ParsedQuestion | None:
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise _Syntax(_("The question title “::” is not closed with “::”."))
        name = _restore(text[2:end]).strip()
        text = text[end + 2 :].lstrip()
    fmt = "moodle"
    match = _FORMAT.match(text)
    if match:
        fmt = match.group(1).lower()
        text = text[match.end() :]
    texts, blocks = _split_blocks(text)
    if not blocks:
        return None
    if len(blocks) == 1 and not _restore(texts[1]).strip():
        answer = _answer_block(blocks[0], fmt)
        qtype, data, feedback = answer
        return ParsedQuestion(
            type=qtype,
            stem=_to_html(texts[0], fmt),
            data=data,
            line=line,
            name=name,
            category=category,
            feedback=feedback,
        )
    gaps, feedbacks = [], []
    parts = []
    for number, block in enumerate(blocks, start=1):
        qtype, data, feedback = _answer_block(block, fmt)
        gaps.append(_gap(str(number), qtype, data))
        if feedback:
            feedbacks.append(feedback)
        parts.append(_piece_html(texts[number - 1], fmt))
        parts.append(f"{{{{{number}}}}}")
    parts.append(_piece_html(texts[-1], fmt))
    return ParsedQuestion(
        type="cloze",
        stem="",
        data={"text": "".join(parts).strip(), "gaps": gaps},
        line=line,
        name=name,
        category=category,
        feedback=" ".join(feedbacks),
    )


def _piece_html(text: str, fmt: str) -> str:
    """A piece of a cloze text, with the spaces around the gaps kept."""
    text = _restore(text)
    if fmt == "html":
        return text
    if fmt in ("plain", "markdown"):
        text = html.escape(text, quote=False)
    return text.replace("\n", "<br>")


def _gap(gap_id: str, qtype: str, data: dict[str, Any]) -> dict[str, Any]:
    if qtype == "single":
        return {"id": gap_id, "kind": "choice", "points": 1, "options": data["options"]}
    if qtype == "short":
        return {"id": gap_id, "kind": "short", "points": 1, "answers": data["answers"], "case_sensitive": False}
    if qtype == "numeric":
        return {"id": gap_id, "kind": "numeric", "points": 1, "answers": data["answers"]}
    raise _Syntax(_("A gap inside the text can only be a choice with one right answer, a short answer or a number."))


def _answer_block(block: str, fmt: str) -> tuple[str, dict[str, Any], str]:
    """(type, data, general feedback) of the text between the braces."""
    feedback = ""
    cut = block.find("####")
    if cut >= 0:
        feedback = _to_html(block[cut + 4 :], fmt)
        block = block[:cut]
    body = block.strip()
    if not body:
        return "essay", {"rubric": [], "min_words": 0, "max_words": 0, "template": ""}, feedback
    if body.startswith("#"):
        return "numeric", _numeric(body[1:], fmt), feedback
    head = body.split("#", 1)[0].strip().upper()
    if head in ("T", "TRUE", "F", "FALSE"):
        parts = body.split("#")
        if len(parts) > 3:
            raise _Syntax(_("A true/false answer has at most two feedbacks: {T#wrong#right}."))
        wrong = _to_html(parts[1], fmt) if len(parts) > 1 else ""
        right = _to_html(parts[2], fmt) if len(parts) > 2 else ""
        value = head in ("T", "TRUE")
        return (
            "true_false",
            {
                "answer": value,
                "feedback_true": right if value else wrong,
                "feedback_false": wrong if value else right,
            },
            feedback,
        )
    answers = _answers(body)
    markers = {marker for marker, _text in answers}
    if "=" in markers and "->" in body:
        return "matching", _matching(answers, fmt), feedback
    if "~" in markers:
        single = "=" in markers
        options = []
        for index, (marker, raw) in enumerate(answers):
            weight, rest = _weight(raw)
            text, option_feedback = _feedback(rest, fmt)
            fraction = weight if weight is not None else (1.0 if marker == "=" else 0.0)
            options.append({"id": option_id(index), "text": text, "fraction": fraction, "feedback": option_feedback})
        if single:
            return "single", {"options": options, "partial": "all_or_nothing"}, feedback
        return "multiple", {"options": options, "partial": "fractions"}, feedback
    short = []
    for _marker, raw in answers:
        weight, rest = _weight(raw)
        text, answer_feedback = _feedback(rest, fmt)
        short.append({"text": text, "fraction": 1.0 if weight is None else weight, "feedback": answer_feedback})
    return "short", {"answers": short, "case_sensitive": False}, feedback


def _answers(body: str) -> list[tuple[str, str]]:
    positions = [i for i, char in enumerate(body) if char in "=~"]
    if not positions or body[: positions[0]].strip():
        raise _Syntax(
            _(
                "The answer block {%(block)s} is not GIFT: answers start with = (right) or ~ (wrong), "
                "a number with #, true/false is {T} or {F}."
            )
            % {"block": _restore(body)[:60]}
        )
    ends = [*positions[1:], len(body)]
    return [(body[p], body[p + 1 : e]) for p, e in zip(positions, ends, strict=True)]


def _weight(raw: str) -> tuple[float | None, str]:
    match = _WEIGHT.match(raw)
    if not match:
        return None, raw
    return float(match.group(1).replace(",", ".")) / 100, raw[match.end() :]


def _feedback(raw: str, fmt: str) -> tuple[str, str]:
    text, _sep, feedback = raw.partition("#")
    text = _FORMAT.sub("", text, count=1)
    return _to_html(text, fmt), _to_html(feedback, fmt)


def _matching(answers: list[tuple[str, str]], fmt: str) -> dict[str, Any]:
    pairs: list[dict[str, str]] = []
    distractors: list[str] = []
    for marker, raw in answers:
        if marker != "=" or "->" not in raw:
            raise _Syntax(_("Every answer of a matching question is written =left -> right."))
        left, _arrow, right = raw.partition("->")
        right_text, _feedback_text = _feedback(right, fmt)
        left_text = _to_html(left, fmt)
        if not left_text:
            distractors.append(right_text)
        else:
            pairs.append({"id": f"p{len(pairs) + 1}", "left": left_text, "right": right_text})
    return {"pairs": pairs, "distractors": distractors}


def _float(text: str) -> float:
    try:
        value = float(_restore(text).strip().replace(",", "."))
    except ValueError:
        raise _Syntax(_("“%(text)s” is not a number.") % {"text": _restore(text).strip()}) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise _Syntax(_("“%(text)s” is not a number.") % {"text": _restore(text).strip()})
    return value


def _numeric_answer(raw: str, fmt: str, fraction: float) -> dict[str, Any]:
    spec, _sep, feedback = raw.partition("#")
    spec = spec.strip()
    if ".." in spec:
        low_text, _dots, high_text = spec.partition("..")
        low, high = _float(low_text), _float(high_text)
        if high < low:
            low, high = high, low
        value, tolerance = (low + high) / 2, (high - low) / 2
    elif "\ue006" in spec or ":" in spec:
        value_text, _colon, tolerance_text = spec.replace("\ue006", ":").partition(":")
        value, tolerance = _float(value_text), abs(_float(tolerance_text))
    else:
        value, tolerance = _float(spec), 0.0
    return {"value": value, "tolerance": tolerance, "fraction": fraction, "feedback": _to_html(feedback, fmt)}


def _numeric(body: str, fmt: str) -> dict[str, Any]:
    answers = []
    if "=" in body or "~" in body:
        for marker, raw in _answers(body.strip()):
            weight, rest = _weight(raw)
            if marker == "~" and not rest.split("#", 1)[0].strip():
                continue  # a catch-all wrong answer with feedback only
            fraction = weight if weight is not None else (1.0 if marker == "=" else 0.0)
            answers.append(_numeric_answer(rest, fmt, fraction))
    else:
        answers.append(_numeric_answer(body, fmt, 1.0))
    return {"answers": answers, "units": [], "unit_required": False}


# ---------------------------------------------------------------- writing


def write_warnings(questions: Sequence[ExportQuestion]) -> list[str]:
    """What a GIFT export cannot carry (translated), one line per question concerned."""
    warnings = []
    for question in questions:
        label = export_label(question)
        if question.type == "ordering":
            warnings.append(
                _("“%(name)s”: ordering questions cannot be written in GIFT; it is left out as a comment.")
                % {"name": label}
            )
        if question.images or "image:" in question.stem:
            warnings.append(
                _("“%(name)s”: GIFT cannot carry image files; only the reference to the image is written.")
                % {"name": label}
            )
        if question.type == "cloze" and len(question.data.get("gaps") or []) > 1:
            warnings.append(
                _("“%(name)s”: Moodle reads only one gap per GIFT question; Qashyq reads them all.") % {"name": label}
            )
        if question.type == "matching" and len(question.data.get("pairs") or []) < 3:
            warnings.append(
                _("“%(name)s”: Moodle needs at least three pairs in a matching question.") % {"name": label}
            )
    return warnings


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _choice(options: Sequence[dict[str, Any]], *, single: bool) -> str:
    parts = []
    for option in options:
        fraction = float(option.get("fraction", 0))
        if single and fraction == 1.0:
            part = "=" + _escape(option["text"])
        elif fraction == 0 and single:
            part = "~" + _escape(option["text"])
        else:
            part = f"~%{moodle_percent(fraction)}%" + _escape(option["text"])
        if option.get("feedback"):
            part += "#" + _escape(option["feedback"])
        parts.append(part)
    return " ".join(parts)


def _short(answers: Sequence[dict[str, Any]]) -> str:
    parts = []
    for answer in answers:
        fraction = float(answer.get("fraction", 1.0))
        part = "=" + ("" if fraction == 1.0 else f"%{moodle_percent(fraction)}%") + _escape(answer["text"])
        if answer.get("feedback"):
            part += "#" + _escape(answer["feedback"])
        parts.append(part)
    return " ".join(parts)


def _numbers(answers: Sequence[dict[str, Any]]) -> str:
    def spec(answer: dict[str, Any]) -> str:
        text = f"{moodle_float(answer['value'])}:{moodle_float(answer.get('tolerance', 0))}"
        if answer.get("feedback"):
            text += "#" + _escape(answer["feedback"])
        return text

    if len(answers) == 1 and float(answers[0].get("fraction", 1.0)) == 1.0:
        return "#" + spec(answers[0])
    return "# " + " ".join(f"=%{moodle_percent(a.get('fraction', 1.0))}%{spec(a)}" for a in answers)


def _block(question: ExportQuestion) -> str:
    data = question.data
    qtype = question.type
    if qtype == "single":
        return _choice(data.get("options") or [], single=True)
    if qtype == "multiple":
        return _choice(data.get("options") or [], single=False)
    if qtype == "true_false":
        value = bool(data.get("answer"))
        right = data.get("feedback_true", "") if value else data.get("feedback_false", "")
        wrong = data.get("feedback_false", "") if value else data.get("feedback_true", "")
        text = "TRUE" if value else "FALSE"
        if right:
            return f"{text}#{_escape(wrong)}#{_escape(right)}"
        return f"{text}#{_escape(wrong)}" if wrong else text
    if qtype == "matching":
        pairs = [f"={_escape(p['left'])} -> {_escape(p['right'])}" for p in data.get("pairs") or []]
        pairs += [f"= -> {_escape(text)}" for text in data.get("distractors") or []]
        return " ".join(pairs)
    if qtype == "short":
        return _short(data.get("answers") or [])
    if qtype == "numeric":
        return _numbers(data.get("answers") or [])
    return ""  # essay


def _gap_block(gap: dict[str, Any]) -> str:
    kind = gap.get("kind")
    if kind == "choice":
        return _choice(gap.get("options") or [], single=True)
    if kind == "numeric":
        return _numbers(gap.get("answers") or [])
    return _short(gap.get("answers") or [])


def _extra_data(question: ExportQuestion) -> dict[str, Any]:
    data = question.data
    if question.type == "cloze":
        gaps = [
            {"points": gap.get("points", 1), **({"case_sensitive": True} if gap.get("case_sensitive") else {})}
            for gap in data.get("gaps") or []
        ]
        if any(gap != {"points": 1} for gap in gaps):
            return {"gaps": gaps}
        return {}
    extra = {key: data[key] for key in sorted(_DATA_KEYS.get(question.type, set())) if key in data}
    defaults = {
        "partial": "fractions",
        "case_sensitive": False,
        "units": [],
        "unit_required": False,
        "rubric": [],
        "min_words": 0,
        "max_words": 0,
        "template": "",
    }
    return {key: value for key, value in extra.items() if value != defaults.get(key)}


def _points(points: Decimal) -> str:
    return format(Decimal(points).normalize(), "f")


def write(questions: Sequence[ExportQuestion], *, bank_name: str = "") -> bytes:
    """The questions as a GIFT file (UTF-8). Ordering questions are left as comments (see `write_warnings`)."""
    out: list[str] = []
    if bank_name:
        out += [f"// {bank_name.replace(chr(10), ' ')}", "// Qashyq GIFT export", ""]
    category: str | None = None
    for question in questions:
        if question.category != category:
            category = question.category
            out += [f"$CATEGORY: $course$/top/{category}" if category else "$CATEGORY: $course$/top", ""]
        if question.type == "ordering":
            out.append("// " + _("Ordering question, not expressible in GIFT:") + " " + _escape(question.stem))
            out += [f"//   {index}. {_escape(item['text'])}" for index, item in enumerate(question.data["items"], 1)]
            out.append("")
            continue
        out.append(f"// difficulty: {question.difficulty}")
        out.append(f"// points: {_points(question.points)}")
        if question.language:
            out.append(f"// language: {question.language}")
        extra = _extra_data(question)
        if extra:
            out.append("// data: " + json.dumps(extra, ensure_ascii=False))
        title = f"::{_escape(question.name)}::" if question.name else ""
        feedback = f"####{_escape(question.feedback)}" if question.feedback else ""
        if question.type == "cloze":
            if question.stem:
                out.append("// stem: " + json.dumps(question.stem, ensure_ascii=False))
            gaps = {str(gap["id"]): gap for gap in question.data.get("gaps") or []}
            pieces = re.split(r"\{\{(\w+)\}\}", question.data.get("text", ""))
            text = "".join(
                _escape(piece) if index % 2 == 0 else "{" + (_gap_block(gaps[piece]) if piece in gaps else "") + "}"
                for index, piece in enumerate(pieces)
            )
            if feedback:  # general feedback goes into the last answer block
                text = text[: text.rfind("}")] + feedback + text[text.rfind("}") :]
            out.append(f"{title}[html]{text}")
        else:
            out.append(f"{title}[html]{_escape(question.stem)}{{{_block(question)}{feedback}}}")
        out.append("")
    return ("\n".join(out) + "\n").encode("utf-8")
