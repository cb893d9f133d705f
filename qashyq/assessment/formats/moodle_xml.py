"""Moodle XML: reading and writing (pure, no database).

`<quiz>` holds `<question type="…">` elements. `type="category"` sets the topic of the questions that follow
(`$course$/top/a/b` → "a/b"). Types read: multichoice (`<single>` true → single choice, false → multiple
choice scored by fractions), truefalse, shortanswer (`<usecase>`), numerical (tolerances, `<units>` with
multipliers, `<unitgradingtype>` other than 0 → the unit is required), matching (`<subquestion>`; an empty
subquestion text is a distractor), essay (`<graderinfo>`, `<responsetemplate>`, `<minwordlimit>`,
`<maxwordlimit>`), ordering (the qtype_ordering plugin: `<answer fraction="N">` gives the position) and
multianswer (Moodle's embedded answers `{1:SHORTANSWER:=Astana}`, `{1:NUMERICAL:=4:0}`,
`{1:MULTICHOICE:=blue~green}` → a fill-in-the-blanks question with `{{1}}` markers; the leading number is
the gap's points). A description is skipped with a problem; any other type too.
`<name>` → name, `<defaultgrade>` → points, `<generalfeedback>` → feedback; files of a text
(`<file name="a.png" encoding="base64">`) become images and `@@PLUGINFILE@@/a.png` becomes `image:a.png`.

Qashyq additions (Moodle ignores unknown elements and keeps tags): tags `difficulty:N` and `lang:xx`;
`<qashyq_rubric>` (the essay rubric as JSON; the grader information shows it as text),
`<qashyq_partial>` (the multiple-choice partial-credit rule) and `<qashyq_stem>` (the instruction of a
fill-in-the-blanks question, written at the head of its text).

The XML is read by `common.xml_root` (no entity ever expanded, nothing external ever fetched; a document type
declaration is refused). The checks every format makes (`common.check_questions`: no text, fewer than two
options, no right answer, duplicates, …) follow the reading; a question with a problem stays in `questions` for
the preview.
"""

import base64
import binascii
import contextlib
import html
import json
import mimetypes
import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote, unquote

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from .common import (
    ExportQuestion,
    ParsedImage,
    ParsedQuestion,
    ParseResult,
    Problem,
    check_questions,
    export_label,
    has_content,
    moodle_category,
    moodle_float,
    moodle_percent,
    moodle_warnings,
    normalized,
    option_id,
    plain_number,
    reason_no_right_answer,
    xml_root,
)

_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>)]+)")
_IMAGE_SRC = re.compile(r"""(src\s*=\s*["'])image:([^"']+)""", re.IGNORECASE)
_EMBEDDED = re.compile(r"\{(\d*):([A-Za-z_]+):((?:\\.|[^\\}])*)\}")
_DIFFICULTY = re.compile(r"^difficulty\s*:\s*([123])$", re.IGNORECASE)
_LANGUAGE = re.compile(r"^lang\s*:\s*([a-z]{2,3})$", re.IGNORECASE)
_SHORT_KINDS = {"SHORTANSWER": False, "SA": False, "MW": False, "SHORTANSWER_C": True, "SAC": True, "MWC": True}
_NUMERIC_KINDS = {"NUMERICAL", "NM"}
_CHOICE_KINDS = {
    "MULTICHOICE",
    "MC",
    "MULTICHOICE_V",
    "MCV",
    "MULTICHOICE_H",
    "MCH",
    "MULTICHOICE_S",
    "MCS",
    "MULTICHOICE_VS",
    "MCVS",
    "MULTICHOICE_HS",
    "MCHS",
}
_PARTIALS = {"all_or_nothing", "partial", "fractions"}


_FRACTION = gettext_lazy("The answer's fraction")
_NUMBER = gettext_lazy("The numeric answer")
_TOLERANCE = gettext_lazy("The tolerance")
_MULTIPLIER = gettext_lazy("The multiplier")
_GRADE = gettext_lazy("The default grade")


class _Bad(Exception):
    """A question the reader cannot import; the message is the translated reason."""


# ---------------------------------------------------------------- reading


def parse(content: bytes, *, filename: str, **options: Any) -> ParseResult:
    """Every question of a Moodle XML file, and every problem with its line."""
    result = ParseResult()
    root, problem = xml_root(content, filename=filename)
    if problem is not None:
        result.problems.append(problem)
        return result
    if root.tag != "quiz":
        result.problems.append(
            Problem(
                file=filename,
                line=root.sourceline or 1,
                reason=_("This is not a Moodle XML question file: its root element is <%(tag)s>, not <quiz>.")
                % {"tag": root.tag},
            )
        )
        return result
    category = ""
    for element in root.iterchildren("question"):
        qtype = element.get("type", "")
        line = element.sourceline or 0
        if qtype == "category":
            category = moodle_category(_text(_child(element, "category")))
            continue
        try:
            question = _question(element, qtype, category, filename=filename, result=result)
        except _Bad as error:
            result.problems.append(Problem(file=filename, line=line, reason=str(error)))
            continue
        result.questions.append(question)
    if not result.questions and not result.problems:
        result.warnings.append(Problem(file=filename, line=0, reason=_("The file holds no questions.")))
    result.problems += check_questions(result.questions, filename)
    result.problems.sort(key=lambda problem: problem.line)
    result.warnings += moodle_warnings(result.questions, filename)
    return result


def _child(element: Any, name: str) -> Any:
    """The first child element called `name`, or None (quicker than lxml's `find` on big files)."""
    if element is None:
        return None
    for child in element.iterchildren(name):
        return child
    return None


def _text(element: Any) -> str:
    """The `<text>` of an element (Moodle's way of holding every text), raw."""
    if element is None:
        return ""
    child = _child(element, "text")
    return (child.text or "") if child is not None else ""


def _images_in(text: str) -> str:
    return _PLUGINFILE.sub(lambda m: "image:" + unquote(m.group(1)), text)


def _html(element: Any) -> str:
    """A Moodle text as an HTML fragment, file references turned into `image:NAME`."""
    if element is None:
        return ""
    text = _text(element)
    fmt = element.get("format", "html")
    if fmt == "html":
        text = text.strip()
    elif fmt in ("plain_text", "markdown"):
        text = html.escape(text.strip(), quote=False).replace("\n", "<br>")
    else:  # moodle_auto_format: HTML allowed, line breaks kept
        text = text.strip().replace("\n", "<br>")
    return _images_in(text)


def _plain(element: Any) -> str:
    return _text(element).strip()


def _float(text: str, what: Any) -> float:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise _Bad(_("%(what)s “%(text)s” is not a number.") % {"what": what, "text": text.strip()}) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise _Bad(_("%(what)s “%(text)s” is not a number.") % {"what": what, "text": text.strip()})
    return value


def _fraction(element: Any) -> float:
    return _float(element.get("fraction", "0"), _FRACTION) / 100


def _flag(element: Any, name: str, default: bool) -> bool:
    child = _child(element, name)
    if child is None or child.text is None:
        return default
    return child.text.strip().lower() in ("true", "1", "yes")


def _int(element: Any, name: str) -> int:
    child = _child(element, name)
    try:
        return max(0, int((child.text or "0").strip())) if child is not None else 0
    except ValueError:
        return 0


def _question(element: Any, qtype: str, category: str, *, filename: str, result: ParseResult) -> ParsedQuestion:
    line = element.sourceline or 0
    if qtype == "description":
        raise _Bad(_("A description without a question is not imported."))
    reader = _READERS.get(qtype)
    if reader is None:
        raise _Bad(_("The question type “%(type)s” is not supported; the question is skipped.") % {"type": qtype})
    stem = _html(_child(element, "questiontext"))
    our_type, data = reader(element)
    if our_type == "cloze":
        data, stem = _cloze(stem, element)
    question = ParsedQuestion(
        type=our_type,
        stem=stem,
        data=data,
        line=line,
        name=_plain(_child(element, "name")),
        category=category,
        feedback=_html(_child(element, "generalfeedback")),
        images=_images(element),
    )
    grade = _child(element, "defaultgrade")
    if grade is not None and (grade.text or "").strip():
        try:
            points = Decimal(grade.text.strip().replace(",", ".")).quantize(Decimal("0.01"))
            if not points.is_finite() or points <= 0:
                raise InvalidOperation
            question.points = points
        except InvalidOperation:
            result.warnings.append(
                Problem(
                    file=filename,
                    line=grade.sourceline or line,
                    reason=_("The default grade “%(text)s” is not a positive number; 1 point is used.")
                    % {"text": grade.text.strip()},
                )
            )
    for tag in (tag for tags in element.iterchildren("tags") for tag in tags.iterchildren("tag")):
        value = _plain(tag)
        match = _DIFFICULTY.match(value)
        if match:
            question.difficulty = int(match.group(1))
        match = _LANGUAGE.match(value)
        if match:
            question.language = match.group(1).lower()
    return question


def _images(element: Any) -> list[ParsedImage]:
    images: dict[str, ParsedImage] = {}
    for file in element.iter("file"):
        name = (file.get("name") or "").strip()
        path = (file.get("path") or "/").strip("/")
        if not name:
            continue
        full = f"{path}/{name}" if path else name
        try:
            content = base64.b64decode((file.text or "").strip(), validate=False)
        except (binascii.Error, ValueError):
            raise _Bad(_("The file “%(name)s” inside the question is not valid base64.") % {"name": full}) from None
        content_type = mimetypes.guess_type(full)[0] or "application/octet-stream"
        images.setdefault(full, ParsedImage(name=full, content=content, content_type=content_type))
    return list(images.values())


def _read_multichoice(element: Any) -> tuple[str, dict[str, Any]]:
    options = [
        {
            "id": option_id(index),
            "text": _html(answer),
            "fraction": _fraction(answer),
            "feedback": _html(_child(answer, "feedback")),
        }
        for index, answer in enumerate(element.iterchildren("answer"))
    ]
    if _flag(element, "single", True):
        return "single", {"options": options, "partial": "all_or_nothing"}
    partial = (element.findtext("qashyq_partial") or "").strip()
    return "multiple", {"options": options, "partial": partial if partial in _PARTIALS else "fractions"}


def _read_truefalse(element: Any) -> tuple[str, dict[str, Any]]:
    data: dict[str, Any] = {"answer": None, "feedback_true": "", "feedback_false": ""}
    for answer in element.iterchildren("answer"):
        value = _plain(answer).lower()
        if value not in ("true", "false"):
            raise _Bad(_("A true/false answer must be “true” or “false”, not “%(text)s”.") % {"text": value})
        data[f"feedback_{value}"] = _html(_child(answer, "feedback"))
        if _fraction(answer) > 0:
            data["answer"] = value == "true"
    if data["answer"] is None:
        raise _Bad(reason_no_right_answer())
    return "true_false", data


def _read_shortanswer(element: Any) -> tuple[str, dict[str, Any]]:
    answers = [
        {"text": html.unescape(_plain(a)), "fraction": _fraction(a), "feedback": _html(_child(a, "feedback"))}
        for a in element.iterchildren("answer")
    ]
    return "short", {"answers": answers, "case_sensitive": _flag(element, "usecase", False)}


def _read_numerical(element: Any) -> tuple[str, dict[str, Any]]:
    answers = []
    for answer in element.iterchildren("answer"):
        value = _plain(answer)
        if value == "*":
            continue  # Moodle's "any other answer", with feedback only
        tolerance = answer.findtext("tolerance") or "0"
        answers.append(
            {
                "value": _float(value, _NUMBER),
                "tolerance": abs(_float(tolerance, _TOLERANCE)),
                "fraction": _fraction(answer),
                "feedback": _html(_child(answer, "feedback")),
            }
        )
    units = []
    for unit in element.iterfind("units/unit"):
        name = (unit.findtext("unit_name") or "").strip()
        if name:
            units.append({"unit": name, "multiplier": _float(unit.findtext("multiplier") or "1", _MULTIPLIER)})
    grading = (element.findtext("unitgradingtype") or "0").strip()
    required = bool(units) and grading not in ("", "0")
    return "numeric", {"answers": answers, "units": units, "unit_required": required}


def _read_matching(element: Any) -> tuple[str, dict[str, Any]]:
    pairs: list[dict[str, str]] = []
    distractors: list[str] = []
    for sub in element.iterchildren("subquestion"):
        left = _html(sub)
        right = html.unescape(_plain(_child(sub, "answer")))
        if has_content(left):
            pairs.append({"id": f"p{len(pairs) + 1}", "left": left, "right": right})
        elif right:
            distractors.append(right)
    return "matching", {"pairs": pairs, "distractors": distractors}


def _read_essay(element: Any) -> tuple[str, dict[str, Any]]:
    rubric: list[dict[str, Any]] = []
    raw = element.findtext("qashyq_rubric")
    if raw and raw.strip():
        try:
            rubric = [{"criterion": str(r["criterion"]), "points": plain_number(r["points"])} for r in json.loads(raw)]
        except (ValueError, TypeError, KeyError):
            raise _Bad(_("The Qashyq rubric of the essay could not be read.")) from None
    else:
        info = _html(_child(element, "graderinfo"))
        if normalized(info):
            try:
                grade = _float(element.findtext("defaultgrade") or "1", _GRADE)
            except _Bad:
                grade = 1.0
            rubric = [{"criterion": info, "points": plain_number(grade)}]
    template = _html(_child(element, "responsetemplate"))
    return "essay", {
        "rubric": rubric,
        "min_words": _int(element, "minwordlimit"),
        "max_words": _int(element, "maxwordlimit"),
        "template": template,
    }


def _read_ordering(element: Any) -> tuple[str, dict[str, Any]]:
    answers = list(element.iterchildren("answer"))
    with contextlib.suppress(ValueError):  # otherwise the document's order
        answers.sort(key=lambda a: float(a.get("fraction", "0")))
    return "ordering", {"items": [{"id": f"i{i}", "text": _html(a)} for i, a in enumerate(answers, start=1)]}


def _read_multianswer(element: Any) -> tuple[str, dict[str, Any]]:
    return "cloze", {}  # the text is read with the stem, in _cloze


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _split_unescaped(text: str, separator: str) -> list[str]:
    parts, current, index = [], [], 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            current.append(text[index : index + 2])
            index += 2
            continue
        if char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


def _embedded_answers(body: str) -> list[tuple[float, str, str]]:
    """(fraction, text, feedback) of each answer of an embedded gap."""
    answers = []
    for raw in _split_unescaped(body, "~"):
        raw = raw.strip()
        if not raw:
            continue
        fraction = 0.0
        if raw.startswith("="):
            fraction, raw = 1.0, raw[1:]
        else:
            match = re.match(r"%(-?\d+(?:\.\d+)?)%", raw)
            if match:
                fraction, raw = float(match.group(1)) / 100, raw[match.end() :]
        text, *feedback = _split_unescaped(raw, "#")
        answers.append((fraction, _unescape(text).strip(), _unescape("#".join(feedback)).strip()))
    return answers


def _cloze(text: str, element: Any) -> tuple[dict[str, Any], str]:
    stem = _images_in((element.findtext("qashyq_stem") or "").strip())
    if stem and text.startswith(stem):
        text = text[len(stem) :].lstrip()
    gaps: list[dict[str, Any]] = []

    def gap(match: re.Match[str]) -> str:
        weight, kind, body = match.group(1), match.group(2).upper(), match.group(3)
        gap_id = str(len(gaps) + 1)
        points = int(weight) if weight else 1
        answers = _embedded_answers(body)
        if kind in _SHORT_KINDS:
            gaps.append(
                {
                    "id": gap_id,
                    "kind": "short",
                    "points": points,
                    "answers": [{"text": t, "fraction": f, "feedback": fb} for f, t, fb in answers if t != "*"],
                    "case_sensitive": _SHORT_KINDS[kind],
                }
            )
        elif kind in _NUMERIC_KINDS:
            numbers = []
            for fraction, spec, feedback in answers:
                if spec == "*":
                    continue
                value, _colon, tolerance = spec.partition(":")
                numbers.append(
                    {
                        "value": _float(value, _NUMBER),
                        "tolerance": abs(_float(tolerance or "0", _TOLERANCE)),
                        "fraction": fraction,
                        "feedback": feedback,
                    }
                )
            gaps.append({"id": gap_id, "kind": "numeric", "points": points, "answers": numbers})
        elif kind in _CHOICE_KINDS:
            options = [
                {"id": option_id(i), "text": t, "fraction": f, "feedback": fb} for i, (f, t, fb) in enumerate(answers)
            ]
            gaps.append({"id": gap_id, "kind": "choice", "points": points, "options": options})
        else:
            raise _Bad(
                _("The embedded answer type “%(kind)s” is not supported (gap %(gap)s).") % {"kind": kind, "gap": gap_id}
            )
        return f"{{{{{gap_id}}}}}"

    text = _EMBEDDED.sub(gap, text)
    return {"text": text, "gaps": gaps}, stem


_READERS: dict[str, Callable[[Any], tuple[str, dict[str, Any]]]] = {
    "multichoice": _read_multichoice,
    "truefalse": _read_truefalse,
    "shortanswer": _read_shortanswer,
    "numerical": _read_numerical,
    "matching": _read_matching,
    "essay": _read_essay,
    "ordering": _read_ordering,
    "multianswer": _read_multianswer,
}


# ---------------------------------------------------------------- writing

_TYPES = {
    "single": "multichoice",
    "multiple": "multichoice",
    "true_false": "truefalse",
    "short": "shortanswer",
    "numeric": "numerical",
    "matching": "matching",
    "essay": "essay",
    "ordering": "ordering",
    "cloze": "multianswer",
}


def write_warnings(questions: Sequence[ExportQuestion]) -> list[str]:
    """What a Moodle XML export cannot carry (translated). Ordering needs Moodle's ordering plugin."""
    warnings = []
    for question in questions:
        label = export_label(question)
        if question.type == "ordering":
            warnings.append(
                _("“%(name)s”: ordering questions need the Moodle ordering plugin (qtype_ordering).") % {"name": label}
            )
        if question.type == "matching" and len(question.data.get("pairs") or []) < 3:
            warnings.append(
                _("“%(name)s”: Moodle needs at least three pairs in a matching question.") % {"name": label}
            )
        if question.type == "multiple" and question.data.get("partial", "fractions") != "fractions":
            warnings.append(
                _(
                    "“%(name)s”: Moodle scores a multiple-choice question by the options' fractions; "
                    "its partial-credit rule is kept for Qashyq only."
                )
                % {"name": label}
            )
    return warnings


def _sub(parent: Any, tag: str, text: str | None = None, **attributes: str) -> Any:
    child = etree.SubElement(parent, tag, **attributes)
    if text is not None:
        child.text = text
    return child


def _cdata(text: str) -> Any:
    return etree.CDATA(text) if "]]>" not in text and text else text


def _moodle_html(text: str) -> str:
    return _IMAGE_SRC.sub(lambda m: m.group(1) + "@@PLUGINFILE@@/" + quote(m.group(2)), text)


def _text_element(parent: Any, tag: str, text: str, *, fmt: str = "html") -> Any:
    element = _sub(parent, tag, format=fmt)
    _sub(element, "text").text = _cdata(_moodle_html(text) if fmt == "html" else text)
    return element


def _answer(parent: Any, fraction: float, text: str, feedback: str = "", *, fmt: str = "html") -> Any:
    answer = _sub(parent, "answer", fraction=moodle_percent(fraction), format=fmt)
    _sub(answer, "text").text = _cdata(_moodle_html(text) if fmt == "html" else text)
    _text_element(answer, "feedback", feedback)
    return answer


def _embedded_escape(text: str) -> str:
    return re.sub(r'([\\}#~/"])', r"\\\1", text)


def _embedded_choice(fraction: float, text: str, feedback: str) -> str:
    prefix = "=" if fraction == 1.0 else ("" if fraction == 0 else f"%{moodle_percent(fraction)}%")
    return prefix + _embedded_escape(text) + (f"#{_embedded_escape(feedback)}" if feedback else "")


def _embedded(gap: dict[str, Any]) -> str:
    points = plain_number(gap.get("points", 1))
    weight = str(points) if isinstance(points, int) and points >= 0 else "1"
    kind = gap.get("kind")
    if kind == "choice":
        body = "~".join(
            _embedded_choice(float(o.get("fraction", 0)), o["text"], o.get("feedback", ""))
            for o in gap.get("options") or []
        )
        return f"{{{weight}:MULTICHOICE:{body}}}"
    if kind == "numeric":
        body = "~".join(
            _embedded_choice(
                float(a.get("fraction", 1.0)),
                f"{moodle_float(a['value'])}:{moodle_float(a.get('tolerance', 0))}",
                a.get("feedback", ""),
            )
            for a in gap.get("answers") or []
        )
        return f"{{{weight}:NUMERICAL:{body}}}"
    kind_name = "SHORTANSWER_C" if gap.get("case_sensitive") else "SHORTANSWER"
    body = "~".join(
        _embedded_choice(float(a.get("fraction", 1.0)), a["text"], a.get("feedback", ""))
        for a in gap.get("answers") or []
    )
    return f"{{{weight}:{kind_name}:{body}}}"


def _write_type(question_el: Any, question: ExportQuestion) -> None:
    data, qtype = question.data, question.type
    if qtype in ("single", "multiple"):
        _sub(question_el, "single", "true" if qtype == "single" else "false")
        _sub(question_el, "shuffleanswers", "true")
        _sub(question_el, "answernumbering", "abc")
        if qtype == "multiple":
            _sub(question_el, "qashyq_partial", str(data.get("partial", "fractions")))
        for option in data.get("options") or []:
            _answer(question_el, float(option.get("fraction", 0)), option["text"], option.get("feedback", ""))
    elif qtype == "true_false":
        value = bool(data.get("answer"))
        _answer(question_el, 1.0 if value else 0.0, "true", data.get("feedback_true", ""), fmt="moodle_auto_format")
        _answer(question_el, 0.0 if value else 1.0, "false", data.get("feedback_false", ""), fmt="moodle_auto_format")
    elif qtype == "short":
        _sub(question_el, "usecase", "1" if data.get("case_sensitive") else "0")
        for answer in data.get("answers") or []:
            _answer(
                question_el,
                float(answer.get("fraction", 1.0)),
                answer["text"],
                answer.get("feedback", ""),
                fmt="moodle_auto_format",
            )
    elif qtype == "numeric":
        for answer in data.get("answers") or []:
            element = _answer(
                question_el,
                float(answer.get("fraction", 1.0)),
                moodle_float(answer["value"]),
                answer.get("feedback", ""),
                fmt="moodle_auto_format",
            )
            _sub(element, "tolerance", moodle_float(answer.get("tolerance", 0)))
        units = data.get("units") or []
        _sub(question_el, "unitgradingtype", "1" if units and data.get("unit_required") else "0")
        _sub(question_el, "unitpenalty", "1.0000000" if data.get("unit_required") else "0.1000000")
        _sub(question_el, "showunits", "0" if units else "3")
        _sub(question_el, "unitsleft", "0")
        if units:
            units_el = _sub(question_el, "units")
            for unit in units:
                unit_el = _sub(units_el, "unit")
                _sub(unit_el, "multiplier", moodle_float(unit.get("multiplier", 1.0)))
                _sub(unit_el, "unit_name", str(unit["unit"]))
    elif qtype == "matching":
        _sub(question_el, "shuffleanswers", "true")
        for pair in data.get("pairs") or []:
            sub = _text_element(question_el, "subquestion", pair["left"])
            _sub(_sub(sub, "answer"), "text", pair["right"])
        for distractor in data.get("distractors") or []:
            sub = _text_element(question_el, "subquestion", "")
            _sub(_sub(sub, "answer"), "text", distractor)
    elif qtype == "essay":
        _sub(question_el, "responseformat", "editor")
        _sub(question_el, "responserequired", "1")
        _sub(question_el, "responsefieldlines", "15")
        _sub(question_el, "minwordlimit", str(data.get("min_words") or ""))
        _sub(question_el, "maxwordlimit", str(data.get("max_words") or ""))
        _sub(question_el, "attachments", "0")
        _sub(question_el, "attachmentsrequired", "0")
        rubric = data.get("rubric") or []
        info = ""
        if rubric:
            items = "".join(
                "<li>"
                + html.escape(str(r["criterion"]), quote=False)
                + " — "
                + _("%(points)s points") % {"points": r["points"]}
                + "</li>"
                for r in rubric
            )
            info = f"<ul>{items}</ul>"
        _text_element(question_el, "graderinfo", info)
        _text_element(question_el, "responsetemplate", data.get("template", ""))
        if rubric:
            _sub(question_el, "qashyq_rubric", json.dumps(rubric, ensure_ascii=False))
    elif qtype == "ordering":
        for tag, setting in (
            ("layouttype", "VERTICAL"),
            ("selecttype", "ALL"),
            ("selectcount", "0"),
            ("gradingtype", "ABSOLUTE_POSITION"),
            ("showgrading", "SHOW"),
            ("numberingstyle", "none"),
        ):
            _sub(question_el, tag, setting)
        for position, item in enumerate(data.get("items") or [], start=1):
            answer = _sub(question_el, "answer", fraction=str(position), format="html")
            _sub(answer, "text").text = _cdata(_moodle_html(item["text"]))
    elif qtype == "cloze" and question.stem:
        _sub(question_el, "qashyq_stem").text = _cdata(_moodle_html(question.stem))


def _cloze_text(question: ExportQuestion) -> str:
    gaps = {str(gap["id"]): gap for gap in question.data.get("gaps") or []}
    text = re.sub(
        r"\{\{(\w+)\}\}",
        lambda m: _embedded(gaps[m.group(1)]) if m.group(1) in gaps else m.group(0),
        question.data.get("text", ""),
    )
    return f"{question.stem} {text}" if question.stem else text


def write(questions: Sequence[ExportQuestion], *, bank_name: str = "") -> bytes:
    """The questions as a Moodle XML file (UTF-8), with their categories, images, tags for difficulty."""
    quiz = etree.Element("quiz")
    if bank_name:
        quiz.append(etree.Comment(" " + bank_name.replace("--", "- -").replace("\n", " ") + " "))
    category: str | None = None
    for question in questions:
        if question.category != category:
            category = question.category
            element = _sub(quiz, "question", type="category")
            path = f"$course$/top/{category}" if category else "$course$/top"
            _sub(_sub(element, "category"), "text", path)
        element = _sub(quiz, "question", type=_TYPES.get(question.type, question.type))
        _sub(_sub(element, "name"), "text", question.name or normalized(question.stem)[:80] or f"#{question.id}")
        stem = _cloze_text(question) if question.type == "cloze" else question.stem
        text = _text_element(element, "questiontext", stem)
        for image in question.images:
            file = _sub(text, "file", name=image.name, path="/", encoding="base64")
            file.text = base64.b64encode(image.content).decode("ascii")
        _text_element(element, "generalfeedback", question.feedback)
        _sub(element, "defaultgrade", format(Decimal(question.points).normalize(), "f"))
        _sub(element, "penalty", "0.3333333")
        _sub(element, "hidden", "0")
        _write_type(element, question)
        tags = _sub(element, "tags")
        _sub(_sub(tags, "tag"), "text", f"difficulty:{question.difficulty}")
        if question.language:
            _sub(_sub(tags, "tag"), "text", f"lang:{question.language}")
    return bytes(etree.tostring(quiz, xml_declaration=True, encoding="UTF-8", pretty_print=True))
