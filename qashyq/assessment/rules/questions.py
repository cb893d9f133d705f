"""Pure rules of question content: is it well formed, the HTML it may hold, its images, its fingerprint.

`problems(qtype, stem, data)` lists what is wrong with a question in the shapes of `rules/__init__.py`
(translated reasons; an empty list: the question may be saved). `sanitize(html)` is what a stem or an
option may hold: basic formatting, lists, tables, sub/sup and images of the bank only (`image:NAME` while a
file is imported, `/assessment/images/<id>/` once stored); formulas stay as text for MathJax.
`fingerprint(...)` finds duplicates: the same type, the same normalized stem and the same options.
"""

import hashlib
import math
import re
from collections.abc import Iterable
from typing import Any

import nh3
from django.utils.translation import gettext as _

from qashyq.assessment.data import PartialCredit, QuestionType
from qashyq.assessment.formats.common import normalized

QUESTION_TAGS = frozenset(
    {
        "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "mark", "span", "code", "pre",
        "blockquote", "ul", "ol", "li", "img", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    }
)  # fmt: skip
QUESTION_ATTRIBUTES: dict[str, set[str]] = {
    "img": {"src", "alt", "width", "height", "title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "*": {"lang", "dir"},
}
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"}
)
IMAGE_PREFIX = "image:"
_IMAGE_NAME = re.compile(r"^image:[^\"'<>]{1,255}$")
_IMAGE_PATH = re.compile(r"^/assessment/images/(?P<id>[0-9]{1,12})/$")
_IMAGE_SRC = re.compile(r'<img\b[^>]*?\ssrc="/assessment/images/(?P<id>[0-9]{1,12})/"')
_IMAGE_SRC_PARTS = re.compile(r'(<img\b[^>]*?\ssrc=")/assessment/images/(?P<id>[0-9]{1,12})/(")')
_IMAGE_NAME_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")image:(?P<name>[^"]+)(")')
_IMG = re.compile(r'<img((?:\s+[a-z][a-z0-9-]*(?:="[^"]*")?)*)\s*/?>')
_TAGS = re.compile(r"<[^>]*>")
_NEEDS_CLEANING = re.compile("[<>&\u00a0\u0000\r]")
_IMG_ANY = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
GAP_MARKER = re.compile(r"\{\{\s*([A-Za-z0-9_-]{1,20})\s*\}\}")
QUESTION_TYPES = frozenset(QuestionType.values)
PARTIAL_VALUES = frozenset(PartialCredit.values)
CHOICE_TYPES = frozenset({QuestionType.SINGLE.value, QuestionType.MULTIPLE.value})
_TOLERANCE = 0.011  # fractions written as 33.333% add up to 0.99999


def image_url(image_id: int) -> str:
    """Where a stored image of a bank is served (assessment:image-file)."""
    return f"/assessment/images/{image_id}/"


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if (_IMAGE_NAME.match(value) or _IMAGE_PATH.match(value)) else None
    if attribute in ("width", "height", "colspan", "rowspan", "start"):
        return value if value.isdigit() and len(value) <= 5 else None
    if attribute == "scope":
        return value if value in ("row", "col", "rowgroup", "colgroup") else None
    if attribute == "dir":
        return value if value in ("ltr", "rtl", "auto") else None
    return value


def _fix_image(match: re.Match[str]) -> str:
    attributes = match.group(1)
    if not re.search(r'\ssrc="', attributes):
        return ""
    if not re.search(r'\salt="', attributes):
        attributes += ' alt=""'
    return f"<img{attributes}>"


def sanitize(html: str) -> str:
    """The HTML a question text may hold: formatting, lists, tables, sub/sup and the bank's images. Scripts,
    styles, event handlers, links and foreign images go; `\\( … \\)` and `$$ … $$` stay as text."""
    if not html:
        return ""
    if not _NEEDS_CLEANING.search(html):  # plain text: nothing to clean, nothing to escape
        return html.strip()
    cleaned = nh3.clean(
        html,
        tags=set(QUESTION_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in QUESTION_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes={"image"},
        strip_comments=True,
    )
    cleaned = _IMG.sub(_fix_image, cleaned)
    return cleaned.strip()


def is_blank(html: str) -> bool:
    """True when a fragment shows no text and no image."""
    return "<img" not in html and not _TAGS.sub("", html).replace("&nbsp;", "").strip()


def image_ids_in_html(html: str) -> set[int]:
    """The ids of the stored images (`/assessment/images/<id>/`) a fragment shows."""
    return {int(m.group("id")) for m in _IMAGE_SRC.finditer(html or "")}


def image_names_in_html(html: str) -> set[str]:
    """The names of the not yet stored images (`image:NAME`) a fragment refers to."""
    return {m.group("name") for m in _IMAGE_NAME_SRC.finditer(html or "")}


def replace_image_names(html: str, ids: dict[str, int]) -> str:
    """`image:NAME` sources replaced by the stored images' addresses (names not in `ids` stay)."""

    def swap(match: re.Match[str]) -> str:
        image_id = ids.get(match.group("name"))
        if image_id is None:
            return match.group(0)
        return f"{match.group(1)}{image_url(image_id)}{match.group(3)}"

    return _IMAGE_NAME_SRC.sub(swap, html) if "image:" in html else html


def replace_image_ids(html: str, names: dict[int, str]) -> str:
    """Stored images' addresses replaced by `image:NAME` (for export); unknown ids stay."""

    def swap(match: re.Match[str]) -> str:
        name = names.get(int(match.group("id")))
        return match.group(0) if name is None else f"{match.group(1)}{IMAGE_PREFIX}{name}{match.group(3)}"

    return _IMAGE_SRC_PARTS.sub(swap, html) if "/assessment/images/" in html else html


# --- every text of a question (for images, sanitizing and fingerprints) ---------------------------------


def texts_of(qtype: str, data: dict[str, Any]) -> list[str]:
    """The HTML fragments of a question's content besides its stem (options, pairs, items, cloze text)."""
    out: list[str] = []
    if qtype in CHOICE_TYPES:
        out += [str(o.get("text", "")) for o in _dicts(data.get("options"))]
    elif qtype == QuestionType.MATCHING:
        for pair in _dicts(data.get("pairs")):
            out += [str(pair.get("left", "")), str(pair.get("right", ""))]
    elif qtype == QuestionType.ORDERING:
        out += [str(i.get("text", "")) for i in _dicts(data.get("items"))]
    elif qtype == QuestionType.CLOZE:
        out.append(str(data.get("text", "")))
        for gap in _dicts(data.get("gaps")):
            out += [str(o.get("text", "")) for o in _dicts(gap.get("options"))]
    return out


def map_texts(qtype: str, data: dict[str, Any], change: Any) -> dict[str, Any]:
    """A copy of `data` with `change(html)` applied to every HTML fragment of `texts_of`."""
    new = dict(data)
    if qtype in CHOICE_TYPES and isinstance(data.get("options"), list):
        new["options"] = [_with(o, "text", change) for o in data["options"]]
    elif qtype == QuestionType.MATCHING and isinstance(data.get("pairs"), list):
        new["pairs"] = [_with(_with(p, "left", change), "right", change) for p in data["pairs"]]
    elif qtype == QuestionType.ORDERING and isinstance(data.get("items"), list):
        new["items"] = [_with(i, "text", change) for i in data["items"]]
    elif qtype == QuestionType.CLOZE:
        if isinstance(data.get("text"), str):
            new["text"] = change(data["text"])
        if isinstance(data.get("gaps"), list):
            gaps = []
            for gap in data["gaps"]:
                if isinstance(gap, dict) and isinstance(gap.get("options"), list):
                    gap = dict(gap, options=[_with(o, "text", change) for o in gap["options"]])
                gaps.append(gap)
            new["gaps"] = gaps
    return new


def _with(row: Any, key: str, change: Any) -> Any:
    if isinstance(row, dict) and isinstance(row.get(key), str):
        return dict(row, **{key: change(row[key])})
    return row


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


# --- fingerprints -------------------------------------------------------------------------------------


def _normalized(text: str) -> str:
    """As duplicates are compared (formats.common.normalized), an image counting as an image wherever it is."""
    if "<img" in text:
        text = _IMG_ANY.sub(" [img] ", text)
    return normalized(text or "")


def fingerprint(qtype: str, stem: str, data: dict[str, Any]) -> str:
    """A hash of the type, the normalized stem and the normalized options: equal for duplicates."""
    parts = [qtype, _normalized(stem)]
    options: list[str] = []
    if qtype in CHOICE_TYPES:
        options = sorted(
            f"{_normalized(str(o.get('text', '')))}={_num(o.get('fraction'))}" for o in _dicts(data.get("options"))
        )
    elif qtype == QuestionType.TRUE_FALSE:
        options = [str(bool(data.get("answer")))]
    elif qtype == QuestionType.MATCHING:
        options = sorted(
            f"{_normalized(str(p.get('left', '')))}={_normalized(str(p.get('right', '')))}"
            for p in _dicts(data.get("pairs"))
        )
        options += sorted(_normalized(str(d)) for d in data.get("distractors") or [] if isinstance(d, str))
    elif qtype == QuestionType.ORDERING:
        options = [_normalized(str(i.get("text", ""))) for i in _dicts(data.get("items"))]
    elif qtype == QuestionType.SHORT:
        options = sorted(_normalized(str(a.get("text", ""))) for a in _dicts(data.get("answers")))
    elif qtype == QuestionType.NUMERIC:
        options = sorted(f"{_num(a.get('value'))}±{_num(a.get('tolerance'))}" for a in _dicts(data.get("answers")))
    elif qtype == QuestionType.CLOZE:
        options = [_normalized(str(data.get("text", "")))]
    joined = "\x1f".join([*parts, "\x1e".join(options)])
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def _num(value: Any) -> str:
    try:
        return f"{float(value):.6g}"
    except (TypeError, ValueError):
        return "?"


# --- problems -----------------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def problems(qtype: str, stem: str, data: dict[str, Any]) -> list[str]:
    """What is wrong with a question (translated reasons); empty when it may be saved."""
    if qtype not in QUESTION_TYPES:
        return [_("“%(type)s” is not a question type.") % {"type": qtype}]
    if not isinstance(data, dict):
        return [_("The question's content is not in the expected form.")]
    found: list[str] = []
    if is_blank(stem or "") and not (qtype == QuestionType.CLOZE and not is_blank(str(data.get("text", "")))):
        found.append(_("The question has no text."))
    check = _CHECKS[qtype]
    check(data, found)
    return found


def _check_options(options: Any, found: list[str], *, single: bool, where: str = "") -> None:
    prefix = f"{where}: " if where else ""
    rows = _dicts(options)
    if not isinstance(options, list) or len(rows) != len(options):
        found.append(prefix + _("The answer options are not in the expected form."))
        return
    if len(rows) < 2:
        found.append(
            prefix + _("A choice question needs at least two answer options; it has %(count)d.") % {"count": len(rows)}
        )
    _check_ids((r.get("id") for r in rows), found, prefix)
    for number, row in enumerate(rows, start=1):
        if is_blank(str(row.get("text", ""))):
            found.append(prefix + _("Answer option %(number)d is empty.") % {"number": number})
        fraction = row.get("fraction")
        if not _is_number(fraction) or not -1.0 <= float(fraction) <= 1.0:  # type: ignore[arg-type]
            found.append(prefix + _("Answer option %(number)d has no fraction between -1 and 1.") % {"number": number})
    fractions = [float(r["fraction"]) for r in rows if _is_number(r.get("fraction"))]
    if not any(f > 0 for f in fractions):
        found.append(prefix + _("The question has no correct answer."))
    elif single:
        if max(fractions) < 1.0 - _TOLERANCE:
            found.append(prefix + _("No answer option earns the full mark (fraction 1)."))
    else:
        total = sum(f for f in fractions if f > 0)
        if abs(total - 1.0) > _TOLERANCE:
            found.append(
                prefix
                + _("The fractions of the right options add up to %(total)s; they must add up to 1.")
                % {"total": f"{total:.3g}"}
            )


def _check_ids(ids: Iterable[Any], found: list[str], prefix: str = "") -> None:
    seen: set[str] = set()
    for value in ids:
        if not isinstance(value, str) or not value.strip():
            found.append(prefix + _("Every option needs an id."))
            return
        if value in seen:
            found.append(prefix + _("The id “%(id)s” is used twice.") % {"id": value})
            return
        seen.add(value)


def _check_choice(single: bool) -> Any:
    def check(data: dict[str, Any], found: list[str]) -> None:
        _check_options(data.get("options"), found, single=single)
        if not single and data.get("partial", PartialCredit.ALL_OR_NOTHING) not in PARTIAL_VALUES:
            found.append(_("“%(value)s” is not a way of scoring partial credit.") % {"value": data.get("partial")})

    return check


def _check_true_false(data: dict[str, Any], found: list[str]) -> None:
    if not isinstance(data.get("answer"), bool):
        found.append(_("Say whether the statement is true or false."))


def _check_matching(data: dict[str, Any], found: list[str]) -> None:
    pairs = _dicts(data.get("pairs"))
    if len(pairs) < 2:
        found.append(_("A matching question needs at least two pairs; it has %(count)d.") % {"count": len(pairs)})
    _check_ids((p.get("id") for p in pairs), found)
    for number, pair in enumerate(pairs, start=1):
        if is_blank(str(pair.get("left", ""))) or is_blank(str(pair.get("right", ""))):
            found.append(_("Pair %(number)d has an empty side.") % {"number": number})
    distractors = data.get("distractors", [])
    if not isinstance(distractors, list) or not all(isinstance(d, str) and d.strip() for d in distractors):
        found.append(_("Every extra right-side answer must have a text."))


def _check_ordering(data: dict[str, Any], found: list[str]) -> None:
    items = _dicts(data.get("items"))
    if len(items) < 2:
        found.append(_("An ordering question needs at least two items; it has %(count)d.") % {"count": len(items)})
    _check_ids((i.get("id") for i in items), found)
    for number, item in enumerate(items, start=1):
        if is_blank(str(item.get("text", ""))):
            found.append(_("Item %(number)d is empty.") % {"number": number})


def _check_answer_fraction(row: dict[str, Any], number: int, found: list[str], prefix: str) -> None:
    if not _is_number(row.get("fraction")) or not 0.0 <= float(row["fraction"]) <= 1.0:
        found.append(prefix + _("Accepted answer %(number)d has no fraction between 0 and 1.") % {"number": number})


def _check_full_answer(rows: list[dict[str, Any]], found: list[str], prefix: str) -> None:
    """An accepted answer (short or numeric) must earn the full mark."""
    if not any(_is_number(r.get("fraction")) and float(r["fraction"]) >= 1.0 - _TOLERANCE for r in rows):
        found.append(prefix + _("The question has no correct answer."))


def _check_short_answers(answers: Any, found: list[str], prefix: str = "") -> None:
    rows = _dicts(answers)
    if not rows:
        found.append(prefix + _("Give at least one accepted answer."))
        return
    for number, row in enumerate(rows, start=1):
        if not str(row.get("text", "")).strip():
            found.append(prefix + _("Accepted answer %(number)d is empty.") % {"number": number})
        _check_answer_fraction(row, number, found, prefix)
    _check_full_answer(rows, found, prefix)


def _check_numeric_answers(answers: Any, found: list[str], prefix: str = "") -> None:
    rows = _dicts(answers)
    if not rows:
        found.append(prefix + _("Give at least one accepted number."))
        return
    for number, row in enumerate(rows, start=1):
        if not _is_number(row.get("value")):
            found.append(prefix + _("Accepted answer %(number)d is not a number.") % {"number": number})
        tolerance = row.get("tolerance", 0)
        if not _is_number(tolerance) or float(tolerance) < 0:
            found.append(
                prefix + _("The tolerance of answer %(number)d must be a number, zero or more.") % {"number": number}
            )
        _check_answer_fraction(row, number, found, prefix)
    _check_full_answer(rows, found, prefix)


def _check_short(data: dict[str, Any], found: list[str]) -> None:
    _check_short_answers(data.get("answers"), found)
    if not isinstance(data.get("case_sensitive", False), bool):
        found.append(_("Say whether the answers are case sensitive."))


def _check_numeric(data: dict[str, Any], found: list[str]) -> None:
    _check_numeric_answers(data.get("answers"), found)
    units = data.get("units", [])
    if not isinstance(units, list):
        found.append(_("The units are not in the expected form."))
        return
    for unit in units:
        if not isinstance(unit, dict) or not str(unit.get("unit", "")).strip():
            found.append(_("Every unit needs a name."))
        elif not _is_number(unit.get("multiplier")) or float(unit["multiplier"]) == 0:
            found.append(_("The unit “%(unit)s” needs a multiplier other than zero.") % {"unit": unit.get("unit")})


def _check_cloze(data: dict[str, Any], found: list[str]) -> None:
    text = data.get("text")
    gaps = _dicts(data.get("gaps"))
    if not isinstance(text, str) or is_blank(text):
        found.append(_("The text with the gaps is empty."))
        text = ""
    if not gaps:
        found.append(_("The text has no gaps."))
    _check_ids((g.get("id") for g in gaps), found)
    markers = GAP_MARKER.findall(text)
    ids = [str(g.get("id")) for g in gaps]
    for marker in markers:
        if marker not in ids:
            found.append(_("The text has the gap {{%(id)s}}, but no answers are given for it.") % {"id": marker})
    for gap in gaps:
        gap_id = str(gap.get("id"))
        prefix = _("Gap %(id)s") % {"id": gap_id} + ": "
        if gap_id not in markers:
            found.append(prefix + _("the text has no marker {{%(id)s}} for it.") % {"id": gap_id})
        points = gap.get("points", 1)
        if not _is_number(points) or float(points) <= 0:
            found.append(prefix + _("its points must be more than zero."))
        kind = gap.get("kind")
        if kind == "short":
            _check_short_answers(gap.get("answers"), found, prefix)
        elif kind == "numeric":
            _check_numeric_answers(gap.get("answers"), found, prefix)
        elif kind == "choice":
            _check_options(gap.get("options"), found, single=True, where=prefix.rstrip(": "))
        else:
            found.append(prefix + _("“%(kind)s” is not a kind of gap.") % {"kind": kind})


def _check_essay(data: dict[str, Any], found: list[str]) -> None:
    rubric = data.get("rubric", [])
    if not isinstance(rubric, list):
        found.append(_("The rubric is not in the expected form."))
    else:
        for number, row in enumerate(rubric, start=1):
            if not isinstance(row, dict) or not str(row.get("criterion", "")).strip():
                found.append(_("Criterion %(number)d of the rubric has no text.") % {"number": number})
            elif not _is_number(row.get("points")) or float(row["points"]) <= 0:
                found.append(_("Criterion %(number)d of the rubric needs points above zero.") % {"number": number})
    low, high = data.get("min_words", 0), data.get("max_words", 0)
    if not isinstance(low, int) or not isinstance(high, int) or low < 0 or high < 0:
        found.append(_("The word limits must be whole numbers, zero or more."))
    elif high and low > high:
        found.append(_("The least number of words is more than the most."))


_CHECKS: dict[str, Any] = {
    QuestionType.SINGLE.value: _check_choice(True),
    QuestionType.MULTIPLE.value: _check_choice(False),
    QuestionType.TRUE_FALSE.value: _check_true_false,
    QuestionType.MATCHING.value: _check_matching,
    QuestionType.ORDERING.value: _check_ordering,
    QuestionType.SHORT.value: _check_short,
    QuestionType.NUMERIC.value: _check_numeric,
    QuestionType.CLOZE.value: _check_cloze,
    QuestionType.ESSAY.value: _check_essay,
}
