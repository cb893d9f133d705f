"""IMS QTI 2.1: items and content packages, read and written.

`parse(content, filename=)` takes one `assessmentItem` XML file or a zip content package (`imsmanifest.xml`
listing resources of type `imsqti_item_xmlv2p1`, images as files of the package). `write(questions)` returns a
content package: `imsmanifest.xml`, `items/q<id>.xml` per question and `images/<name>` files.

Interactions and question types:
- choiceInteraction: maxChoices 1 → single, otherwise multiple; fractions from `correctResponse` or, when a
  `mapping` is declared, from its `mappedValue`s (divided by the best score). A choiceInteraction of two choices
  "true"/"false" (or an item labelled `qashyq:true_false`) → true/false.
- textEntryInteraction: baseType float/integer → numeric (tolerance from `equal toleranceMode="absolute"
  tolerance="t t"` or `equalRounded` in the response processing), otherwise short answer (accepted strings from
  the `mapping`, `caseSensitive` of its entries); several inline textEntry/inlineChoice interactions → cloze, each
  one a `{{n}}` gap.
- matchInteraction (two simpleMatchSets, directedPair) → matching, right-side choices in no pair → distractors;
  orderInteraction → ordering; extendedTextInteraction → essay, its rubric a list in `<rubricBlock view="scorer">`
  (`<li><span class="criterion">…</span> <span class="points">3</span></li>`, or "criterion (3)").
- Any other interaction is a problem: the question is skipped.

A question that fails the checks every format makes (`common.question_problems`: no text, fewer than two options,
an empty option, no right answer, …) is skipped with its problems; repeated questions are flagged by
`common.duplicates` (a repeat of a question of another file of the package names that file). The XML is read by
`common.xml_root` (no entity expanded, nothing external fetched, a document type declaration refused).

Qashyq's own markers, all valid QTI 2.1, read back on import:
- `<assessmentItem label="qashyq:TYPE">` names the question type (true_false and one-gap cloze need it);
- `<outcomeDeclaration identifier="MAXSCORE">` default value: the points (other tools: the mapping's
  upperBound or the best score);
- `<outcomeDeclaration identifier="QASHYQ_DIFFICULTY" baseType="integer">` and `"QASHYQ_CATEGORY"`
  (string, "a/b") default values: difficulty and category;
- `<outcomeDeclaration identifier="QASHYQ_EXTRA" baseType="string">` default value: JSON of what QTI cannot say
  (numeric units, unit_required, the multiple-choice partial-credit rule, essay word limits and template,
  feedback of short/numeric answers);
- `modalFeedback` (shown whatever the answer): the general feedback; `feedbackInline` inside a choice: the
  option's feedback; `title`: the name (a title equal to the start of the stem means no name).
"""

import html
import io
import json
import mimetypes
import posixpath
import re
import zipfile
from collections.abc import Iterable, Sequence
from copy import deepcopy
from decimal import Decimal, InvalidOperation
from typing import Any

import lxml.html
from django.utils.translation import gettext as _
from lxml import etree

from qashyq.assessment.formats.common import (
    ExportQuestion,
    ParsedImage,
    ParsedQuestion,
    ParseResult,
    Problem,
    duplicates,
    normalized,
    question_problems,
    reason_no_right_answer,
    xml_root,
)

NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS_XML = "http://www.w3.org/XML/1998/namespace"
NS_CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
SCHEMA_LOCATION = f"{NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_SCHEMA_LOCATION = f"{NS_CP} http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
TEMPLATES = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/"
MATCH_CORRECT = TEMPLATES + "match_correct"
MAP_RESPONSE = TEMPLATES + "map_response"
ITEM_TYPE = "imsqti_item_xmlv2p1"
MANIFEST = "imsmanifest.xml"
LABEL_PREFIX = "qashyq:"

MAX_FILES = 5000
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024

BLOCK_INTERACTIONS = frozenset({"choiceInteraction", "matchInteraction", "orderInteraction", "extendedTextInteraction"})
INLINE_INTERACTIONS = frozenset({"textEntryInteraction", "inlineChoiceInteraction"})
# XHTML of QTI 2.1's content model; anything else a stem holds is written as <span class="qashyq-TAG">.
QTI_HTML = frozenset(
    {
        "a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "caption", "cite", "code", "col",
        "colgroup", "dd", "dfn", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
        "kbd", "li", "ol", "p", "pre", "q", "samp", "small", "span", "strong", "sub", "sup", "table", "tbody",
        "td", "tfoot", "th", "thead", "tr", "tt", "ul", "var",
    }
)  # fmt: skip
QTI_ATTRIBUTES: dict[str, frozenset[str]] = {
    "img": frozenset({"src", "alt", "width", "height", "longdesc"}),
    "a": frozenset({"href"}),
    "td": frozenset({"rowspan", "colspan", "scope", "abbr", "headers"}),
    "th": frozenset({"rowspan", "colspan", "scope", "abbr", "headers"}),
    "ol": frozenset(),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "table": frozenset({"summary"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
}
_FOREIGN_TAG = "qashyq-"
_IMAGE_PREFIX = "image:"
_GAP = re.compile(r"\{\{\s*([A-Za-z0-9_-]{1,20})\s*\}\}")
_SPACES = re.compile(r"\s+")
_TAGS = re.compile(r"<[^>]*>")
_RUBRIC_LINE = re.compile(r"^(?P<criterion>.*?)\s*[(:–—-]\s*(?P<points>\d+(?:[.,]\d+)?)\s*\)?\s*$")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)


class _Skip(Exception):
    """The question cannot be read: the reason is a translated text."""

    def __init__(self, reason: str, line: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


# --- Reading -----------------------------------------------------------------------------------------


def parse(content: bytes, *, filename: str, **options: Any) -> ParseResult:
    """Questions of one item XML file or of a content package (zip); never raises on bad input."""
    result = ParseResult()
    wheres: list[str] = []
    if content[:4] == b"PK\x03\x04" or filename.lower().endswith(".zip"):
        _parse_package(content, filename, result, wheres)
    else:
        _parse_item_file(content, filename, filename, None, result, wheres)
    result.problems += duplicates(result.questions, filename, files=wheres)
    return result


def _parse_package(content: bytes, filename: str, result: ParseResult, wheres: list[str]) -> None:
    files = _read_zip(content, filename, result)
    if files is None:
        return
    hrefs: list[str] = []
    if MANIFEST in files:
        manifest = _parse_xml(files[MANIFEST], f"{filename}/{MANIFEST}", result)
        if manifest is None:
            return
        for resource in manifest.iter("resource"):
            if not str(resource.get("type", "")).lower().startswith("imsqti_item_xmlv2"):
                continue
            href = _package_path("", _resource_href(resource))
            if not href:
                continue
            if href not in files:
                result.problems.append(
                    Problem(
                        file=f"{filename}/{MANIFEST}",
                        line=resource.sourceline or 0,
                        reason=_("The manifest lists %(href)s, which is not in the package.") % {"href": href},
                    )
                )
                continue
            hrefs.append(href)
    else:
        hrefs = sorted(name for name in files if name.lower().endswith(".xml") and b"assessmentItem" in files[name])
    if not hrefs and not result.problems:
        result.problems.append(Problem(file=filename, line=0, reason=_("The package has no QTI 2.1 items.")))
    for href in hrefs:
        _parse_item_file(files[href], f"{filename}/{href}", href, files, result, wheres)


def _resource_href(resource: etree._Element) -> str:
    href = str(resource.get("href", "")).strip()
    if href:
        return href
    for file in resource.iter("file"):
        if str(file.get("href", "")).lower().endswith(".xml"):
            return str(file.get("href", "")).strip()
    return ""


def _read_zip(content: bytes, filename: str, result: ParseResult) -> dict[str, bytes] | None:
    def refuse(reason: str) -> None:
        result.problems.append(Problem(file=filename, line=0, reason=reason))

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError):
        refuse(_("The file is not a readable zip package."))
        return None
    if len(infos) > MAX_FILES:
        refuse(_("The package holds more than %(count)s files.") % {"count": MAX_FILES})
        return None
    total = 0
    for info in infos:
        name = info.filename
        parts = name.split("/")
        if "\\" in name or name.startswith("/") or ".." in parts or re.match(r"^[A-Za-z]:", name):
            refuse(_("The package has a file outside its folder: %(name)s.") % {"name": name})
            return None
        if info.file_size > MAX_FILE_BYTES:
            refuse(_("The file %(name)s in the package is too large.") % {"name": name})
            return None
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        refuse(_("The package is too large once unpacked."))
        return None
    files: dict[str, bytes] = {}
    read = 0
    try:
        for info in infos:
            with archive.open(info) as stream:
                data = stream.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                refuse(_("The file %(name)s in the package is too large.") % {"name": info.filename})
                return None
            read += len(data)
            if read > MAX_TOTAL_BYTES:
                refuse(_("The package is too large once unpacked."))
                return None
            files[posixpath.normpath(info.filename)] = data
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        refuse(_("The file is not a readable zip package."))
        return None
    return files


def _package_path(base: str, href: str) -> str:
    """The package path `href` names from the folder `base`; "" when it leaves the package."""
    href = href.split("#")[0].split("?")[0].replace("\\", "/").strip()
    if not href or href.startswith("/") or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href):
        return ""
    joined = posixpath.normpath(posixpath.join(base, href)) if base else posixpath.normpath(href)
    if joined.startswith(("../", "/")) or joined in ("..", "."):
        return ""
    return joined


def _parse_xml(data: bytes, where: str, result: ParseResult) -> etree._Element | None:
    """The document's root (`common.xml_root`) with namespaces dropped from element names, or None (a problem
    recorded)."""
    root, problem = xml_root(data, filename=where)
    if problem is not None:
        result.problems.append(problem)
        return None
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]
    return root


def _parse_item_file(
    data: bytes, where: str, href: str, files: dict[str, bytes] | None, result: ParseResult, wheres: list[str]
) -> None:
    root = _parse_xml(data, where, result)
    if root is None:
        return
    if root.tag != "assessmentItem":
        result.problems.append(
            Problem(
                file=where,
                line=root.sourceline or 0,
                reason=_("This file is not a QTI 2.1 assessment item (its root element is %(tag)s).")
                % {"tag": root.tag if isinstance(root.tag, str) else "?"},
            )
        )
        return
    reader = _ItemReader(root, where, posixpath.dirname(href), files)
    try:
        question = reader.read()
    except _Skip as skip:
        result.problems.append(Problem(file=where, line=skip.line or root.sourceline or 0, reason=skip.reason))
        return
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, ZeroDivisionError):
        result.problems.append(
            Problem(
                file=where,
                line=root.sourceline or 0,
                reason=_("The item could not be read as a QTI 2.1 question, question skipped."),
            )
        )
        return
    reasons = question_problems(question)
    if reasons:  # the checks every format makes: the question is skipped
        result.problems += [Problem(file=where, line=question.line, reason=reason) for reason in reasons]
        return
    result.problems.extend(reader.problems)
    result.warnings.extend(reader.warnings)
    result.questions.append(question)
    wheres.append(where)


class _ItemReader:
    """One assessmentItem (namespaces already dropped) → a ParsedQuestion, or _Skip."""

    def __init__(self, root: etree._Element, where: str, base: str, files: dict[str, bytes] | None) -> None:
        self.root = root
        self.where = where
        self.base = base
        self.files = files
        self.images: dict[str, ParsedImage] = {}  # package path → image
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.declarations = {str(d.get("identifier", "")): d for d in root.findall("responseDeclaration")}
        self.outcomes = {str(d.get("identifier", "")): d for d in root.findall("outcomeDeclaration")}
        self.processing = root.find("responseProcessing")
        label = str(root.get("label", "")).strip()
        self.marked_type = label[len(LABEL_PREFIX) :] if label.startswith(LABEL_PREFIX) else ""
        extra = _default_value(self.outcomes.get("QASHYQ_EXTRA"))
        try:
            loaded = json.loads(extra) if extra else {}
        except ValueError:
            loaded = {}
        self.extra: dict[str, Any] = loaded if isinstance(loaded, dict) else {}

    # -- the item as a whole

    def read(self) -> ParsedQuestion:
        body = self.root.find("itemBody")
        if body is None:
            raise _Skip(_("The item has no itemBody, question skipped."))
        body = deepcopy(body)
        interactions = [
            element for element in body.iter() if isinstance(element.tag, str) and element.tag.endswith("Interaction")
        ]
        for element in interactions:
            if element.tag not in BLOCK_INTERACTIONS | INLINE_INTERACTIONS:
                raise _Skip(
                    _("Unsupported interaction %(name)s, question skipped.") % {"name": element.tag},
                    element.sourceline or 0,
                )
        if not interactions:
            raise _Skip(_("The item has no interaction, question skipped."))
        blocks = [element for element in interactions if element.tag in BLOCK_INTERACTIONS]
        inline = [element for element in interactions if element.tag in INLINE_INTERACTIONS]
        if len(blocks) > 1 or (blocks and inline):
            names = ", ".join(sorted({element.tag for element in interactions}))
            raise _Skip(
                _("The item combines several interactions (%(names)s); only one per question is supported.")
                % {"names": names}
            )
        rubric = self._take_rubric(body)
        if blocks:
            qtype, stem, data, points = self._block(body, blocks[0], rubric)
        elif len(inline) == 1 and inline[0].tag == "textEntryInteraction" and self.marked_type != "cloze":
            qtype, stem, data, points = self._text_entry(body, inline[0])
        else:
            qtype, stem, data, points = self._cloze(body, inline)
        images = list(self.images.values())
        title = str(self.root.get("title", "")).strip()
        return ParsedQuestion(
            type=qtype,
            stem=stem,
            data=data,
            line=self.root.sourceline or 0,
            name="" if title == _title_from(stem) else title,
            difficulty=self._difficulty(),
            category=_default_value(self.outcomes.get("QASHYQ_CATEGORY")).strip().strip("/"),
            points=self._points(points),
            feedback=self._feedback(),
            language=str(self.root.get(f"{{{NS_XML}}}lang", "") or "").strip()[:2].lower(),
            images=images,
        )

    def _difficulty(self) -> int:
        value = _default_value(self.outcomes.get("QASHYQ_DIFFICULTY"))
        return int(value) if value.strip() in ("1", "2", "3") else 1

    def _points(self, fallback: float | None) -> Decimal:
        for name in ("MAXSCORE", "SCORE_MAX"):
            value = _default_value(self.outcomes.get(name))
            if value:
                try:
                    points = Decimal(value.strip())
                except InvalidOperation:
                    continue
                if points.is_finite() and points > 0:
                    return points.normalize() if points == points.to_integral() else points
        if fallback and fallback > 0:
            return Decimal(repr(round(fallback, 6))).normalize()
        return Decimal(1)

    def _feedback(self) -> str:
        parts = [self._html(element) for element in self.root.findall("modalFeedback")]
        return "\n".join(part for part in parts if part.strip())

    def _take_rubric(self, body: etree._Element) -> list[dict[str, Any]]:
        """Scorer rubric blocks leave the body as the essay's rubric; others become part of the stem."""
        rubric: list[dict[str, Any]] = []
        for block in list(body.iter("rubricBlock")):
            if "scorer" in str(block.get("view", "")).split():
                for item in block.iter("li"):
                    rubric.append(_rubric_row(item))
                _remove(block)
            else:
                block.tag = "div"
                for name in list(block.attrib):
                    del block.attrib[name]
        return rubric

    # -- pieces

    def _declaration(self, identifier: str, line: int) -> etree._Element:
        declaration = self.declarations.get(identifier)
        if declaration is None:
            raise _Skip(
                _("The response declaration %(id)s the interaction names is missing.") % {"id": identifier}, line
            )
        return declaration

    def _uses_mapping(self, identifier: str) -> bool:
        if self.processing is None:
            return False
        template = str(self.processing.get("template", "")).rstrip("/").rsplit("/", 1)[-1]
        if template.startswith("map_response"):
            return True
        return any(element.get("identifier") == identifier for element in self.processing.iter("mapResponse"))

    def _stem(self, body: etree._Element, interaction: etree._Element | None) -> str:
        """The body's HTML around the interaction; its prompt joins the stem."""
        prompt = ""
        if interaction is not None:
            found = interaction.find("prompt")
            if found is not None:
                prompt = self._html(found)
            _remove(interaction)
        stem = self._html(body).strip()
        if prompt.strip():
            stem = f"{stem}<p>{prompt}</p>" if stem else prompt
        return stem

    def _html(self, element: etree._Element) -> str:
        """The inner HTML of a QTI element: images become image:NAME with their bytes kept."""
        copy = deepcopy(element)
        for node in list(copy.iter()):
            if node is copy or not isinstance(node.tag, str):
                continue
            if node.tag in ("feedbackInline", "feedbackBlock", "prompt", "templateInline", "templateBlock"):
                _remove(node)
                continue
            classes = str(node.get("class", "")).split()
            foreign = [name[len(_FOREIGN_TAG) :] for name in classes if name.startswith(_FOREIGN_TAG)]
            if node.tag == "span" and foreign and foreign[0] in ("u", "s", "mark", "del", "ins"):
                node.tag = foreign[0]
                del node.attrib["class"]
            if node.tag == "img":
                node.set("src", self._image(str(node.get("src", "")), node.sourceline or 0))
            for name in list(node.attrib):
                if name == f"{{{NS_XML}}}lang":
                    node.set("lang", str(node.attrib.pop(name)))
                elif name.startswith("{"):
                    del node.attrib[name]
        text = html.escape(copy.text or "", quote=False)
        parts = [text]
        for child in copy:
            if isinstance(child.tag, str):
                parts.append(lxml.html.tostring(child, encoding="unicode", with_tail=False))
            parts.append(html.escape(child.tail or "", quote=False))
        result = "".join(parts)
        only = [child for child in copy if isinstance(child.tag, str)]
        if (
            len(only) == 1
            and only[0].tag == "div"
            and set(only[0].get("class", "").split()) <= {"qashyq-stem"}
            and not (copy.text or "").strip()
            and not (only[0].tail or "").strip()
        ):
            inner = etree.Element("x")
            inner.text = only[0].text
            inner.extend(list(only[0]))
            return self._serialized(inner)
        return result

    def _serialized(self, element: etree._Element) -> str:
        parts = [html.escape(element.text or "", quote=False)]
        for child in element:
            if isinstance(child.tag, str):
                parts.append(lxml.html.tostring(child, encoding="unicode", with_tail=False))
            parts.append(html.escape(child.tail or "", quote=False))
        return "".join(parts)

    def _image(self, src: str, line: int) -> str:
        if src.startswith(("http://", "https://", "data:", _IMAGE_PREFIX)):
            return src
        path = _package_path(self.base, src)
        if self.files is None:
            self.warnings.append(
                Problem(
                    file=self.where,
                    line=line,
                    reason=_("The image %(src)s cannot be read from a single XML file; import the package.")
                    % {"src": src},
                )
            )
            return src
        if not path or path not in self.files:
            self.problems.append(
                Problem(file=self.where, line=line, reason=_("The image %(src)s is not in the package.") % {"src": src})
            )
            return src
        if path not in self.images:
            name = posixpath.basename(path)
            taken = {image.name for image in self.images.values()}
            stem, dot, extension = name.rpartition(".")
            number = 2
            while name in taken:
                name = f"{stem}-{number}{dot}{extension}" if dot else f"{extension}-{number}"
                number += 1
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            self.images[path] = ParsedImage(name=name, content=self.files[path], content_type=content_type)
        return _IMAGE_PREFIX + self.images[path].name

    # -- block interactions

    def _block(
        self, body: etree._Element, interaction: etree._Element, rubric: list[dict[str, Any]]
    ) -> tuple[str, str, dict[str, Any], float | None]:
        line = interaction.sourceline or 0
        identifier = str(interaction.get("responseIdentifier", ""))
        if interaction.tag == "extendedTextInteraction":
            stem = self._stem(body, interaction)
            data = {
                "rubric": rubric,
                "min_words": _int(self.extra.get("min_words")),
                "max_words": _int(self.extra.get("max_words")),
                "template": str(self.extra.get("template", "")),
            }
            total = sum(float(row["points"]) for row in rubric)
            return "essay", stem, data, total or None
        declaration = self._declaration(identifier, line)
        correct = _values(declaration.find("correctResponse"))
        mapping = _mapping(declaration)
        if interaction.tag == "choiceInteraction":
            return self._choice(body, interaction, declaration, correct, mapping)
        if interaction.tag == "orderInteraction":
            choices = {str(c.get("identifier", "")): c for c in interaction.iter("simpleChoice")}
            order = [value for value in correct if value in choices]
            if not order:
                raise _Skip(reason_no_right_answer(), line)
            items = [{"id": value, "text": self._html(choices[value])} for value in order]
            return "ordering", self._stem(body, interaction), {"items": items}, None
        return self._match(body, interaction, correct, mapping, line)

    def _choice(
        self,
        body: etree._Element,
        interaction: etree._Element,
        declaration: etree._Element,
        correct: list[str],
        mapping: dict[str, float],
    ) -> tuple[str, str, dict[str, Any], float | None]:
        line = interaction.sourceline or 0
        choices = list(interaction.iter("simpleChoice"))
        ids = [str(choice.get("identifier", "")) for choice in choices]
        feedback = {str(choice.get("identifier", "")): _inline_feedback(self, choice) for choice in choices}
        multiple = str(interaction.get("maxChoices", "1")).strip() != "1" or declaration.get("cardinality") in (
            "multiple",
            "ordered",
        )
        if len(ids) == 2 and (self.marked_type == "true_false" or {i.lower() for i in ids} == {"true", "false"}):
            lowered = {i.lower(): i for i in ids}
            if self.marked_type == "true_false" and set(lowered) != {"true", "false"}:
                lowered = {"true": ids[0], "false": ids[1]}
            right = [i for i in ids if i in correct or mapping.get(i, 0) > 0]
            if len(right) != 1:
                raise _Skip(reason_no_right_answer(), line)
            data = {
                "answer": right[0] == lowered["true"],
                "feedback_true": feedback[lowered["true"]],
                "feedback_false": feedback[lowered["false"]],
            }
            return "true_false", self._stem(body, interaction), data, max(mapping.values(), default=0) or None
        if mapping:
            best = (
                sum(value for value in mapping.values() if value > 0) if multiple else max(mapping.values(), default=0)
            )
            fractions = {i: (mapping.get(i, 0.0) / best if best > 0 else 0.0) for i in ids}
        else:
            right = [i for i in ids if i in correct]
            fractions = {i: (1.0 / len(right) if multiple else 1.0) if i in right else 0.0 for i in ids}
            best = None
        options = [
            {"id": i, "text": self._html(choice), "fraction": _clean(fractions[i]), "feedback": feedback[i]}
            for i, choice in zip(ids, choices, strict=True)
        ]
        if multiple:
            partial = str(self.extra.get("partial", "")) or (
                "fractions" if self._uses_mapping(str(interaction.get("responseIdentifier"))) else "all_or_nothing"
            )
        else:
            partial = "all_or_nothing"
        data = {"options": options, "partial": partial}
        return ("multiple" if multiple else "single"), self._stem(body, interaction), data, best

    def _match(
        self,
        body: etree._Element,
        interaction: etree._Element,
        correct: list[str],
        mapping: dict[str, float],
        line: int,
    ) -> tuple[str, str, dict[str, Any], float | None]:
        sets = interaction.findall("simpleMatchSet")
        if len(sets) != 2:
            raise _Skip(_("A match interaction needs two sets of choices."), line)
        left = {str(c.get("identifier", "")): c for c in sets[0].iter("simpleAssociableChoice")}
        right = {str(c.get("identifier", "")): c for c in sets[1].iter("simpleAssociableChoice")}
        pairs_wanted = correct or [key for key, value in mapping.items() if value > 0]
        chosen: dict[str, str] = {}
        for value in pairs_wanted:
            parts = value.split()
            if len(parts) != 2:
                continue
            first, second = parts
            if first in right and second in left:
                first, second = second, first
            if first in left and second in right and first not in chosen and second not in chosen.values():
                chosen[first] = second
        pairs = [
            {"id": key, "left": self._html(left[key]), "right": self._html(right[chosen[key]])}
            for key in left
            if key in chosen
        ]
        distractors = [self._html(choice) for key, choice in right.items() if key not in chosen.values()]
        best = sum(value for value in mapping.values() if value > 0) or None
        return "matching", self._stem(body, interaction), {"pairs": pairs, "distractors": distractors}, best

    # -- text entry

    def _text_entry(
        self, body: etree._Element, interaction: etree._Element
    ) -> tuple[str, str, dict[str, Any], float | None]:
        line = interaction.sourceline or 0
        identifier = str(interaction.get("responseIdentifier", ""))
        declaration = self._declaration(identifier, line)
        kind, answers, extra, best = self._entry_answers(identifier, declaration, self.extra.get("feedback"))
        _blank_out(interaction)
        stem = self._stem(body, None)
        if kind == "numeric":
            data: dict[str, Any] = {
                "answers": answers,
                "units": _units(self.extra.get("units")),
                "unit_required": bool(self.extra.get("unit_required", False)),
            }
        else:
            data = {"answers": answers, "case_sensitive": extra}
        return kind, stem, data, best

    def _entry_answers(
        self, identifier: str, declaration: etree._Element, feedback: Any
    ) -> tuple[str, list[dict[str, Any]], bool, float | None]:
        """("numeric" or "short", answers, case sensitive, best score) of a text entry's response."""
        feedbacks = [str(text) for text in feedback] if isinstance(feedback, list) else []
        numeric = declaration.get("baseType") in ("float", "integer")
        correct = _values(declaration.find("correctResponse"))
        mapping_element = declaration.find("mapping")
        if numeric:
            rules = self._numeric_rules(identifier)
            if not rules:
                source = _mapping(declaration) or dict.fromkeys(correct, 1.0)
                rules = [(key, 0.0, value) for key, value in source.items()]
            best = max((score for _v, _t, score in rules), default=0.0)
            answers = []
            for value, tolerance, score in rules:
                try:
                    number = float(value)
                except ValueError:
                    continue
                if score > 0:
                    answers.append(
                        {
                            "value": number,
                            "tolerance": _clean(tolerance),
                            "fraction": _clean(score / best if best else 1.0),
                            "feedback": "",
                        }
                    )
            for answer, text in zip(answers, feedbacks, strict=False):
                answer["feedback"] = text
            return "numeric", answers, False, best or None
        entries = mapping_element.findall("mapEntry") if mapping_element is not None else []
        sensitive = [_bool(entry.get("caseSensitive"), default=True) for entry in entries]
        scored = [(str(entry.get("mapKey", "")), _float(entry.get("mappedValue"))) for entry in entries]
        scored = [(key, value) for key, value in scored if value > 0]
        if not scored:
            scored = [(value, 1.0) for value in correct]
        best_text = max((value for _k, value in scored), default=0.0)
        answers = [
            {"text": key, "fraction": _clean(value / best_text), "feedback": ""} for key, value in scored if key.strip()
        ]
        for answer, text in zip(answers, feedbacks, strict=False):
            answer["feedback"] = text
        return "short", answers, all(sensitive) if sensitive else False, best_text if entries else None

    def _numeric_rules(self, identifier: str) -> list[tuple[str, float, float]]:
        """(value, tolerance, score) of each `equal`/`equalRounded` test of the response in the processing."""
        if self.processing is None:
            return []
        rules = []
        for test in self.processing.iter("equal", "equalRounded"):
            variables = [v for v in test if v.tag == "variable"]
            constants = [v for v in test if v.tag in ("baseValue", "correct")]
            if len(variables) != 1 or variables[0].get("identifier") != identifier or len(constants) != 1:
                continue
            constant = constants[0]
            if constant.tag == "correct":
                declared = _values(self.declarations[identifier].find("correctResponse"))
                value = declared[0] if declared else ""
            else:
                value = (constant.text or "").strip()
            number = _float(value)
            if test.tag == "equalRounded":
                figures = int(_float(test.get("figures"), 0))
                if test.get("roundingMode", "significantFigures") == "decimalPlaces":
                    tolerance = 0.5 * 10.0**-figures
                else:
                    magnitude = len(str(int(abs(number)))) if abs(number) >= 1 else 0
                    tolerance = 0.5 * 10.0 ** (magnitude - figures)
            elif test.get("toleranceMode", "exact") == "absolute":
                tolerance = _float((str(test.get("tolerance", "0")).split() or ["0"])[0])
            elif test.get("toleranceMode") == "relative":
                tolerance = abs(number) * _float((str(test.get("tolerance", "0")).split() or ["0"])[0]) / 100
            else:
                tolerance = 0.0
            rules.append((value, tolerance, _rule_score(test)))
        return rules

    # -- cloze

    def _cloze(
        self, body: etree._Element, interactions: list[etree._Element]
    ) -> tuple[str, str, dict[str, Any], float | None]:
        feedback = self.extra.get("feedback")
        gap_feedback = feedback if isinstance(feedback, dict) else {}
        gaps: list[dict[str, Any]] = []
        for number, interaction in enumerate(interactions, start=1):
            line = interaction.sourceline or 0
            identifier = str(interaction.get("responseIdentifier", ""))
            declaration = self._declaration(identifier, line)
            gap_id = str(number)
            if interaction.tag == "inlineChoiceInteraction":
                gap = self._choice_gap(gap_id, interaction, declaration)
            else:
                kind, answers, sensitive, best = self._entry_answers(identifier, declaration, gap_feedback.get(gap_id))
                gap = {"id": gap_id, "kind": kind, "points": _points_number(best or 1.0), "answers": answers}
                if kind == "short":
                    gap["case_sensitive"] = sensitive
            gaps.append(gap)
            marker = etree.Element("span")
            marker.text = f"{{{{{gap_id}}}}}"
            marker.tail = interaction.tail
            parent = interaction.getparent()
            if parent is not None:
                parent.replace(interaction, marker)
        # Unwrap the gap markers into text.
        for marker in list(body.iter("span")):
            if marker.text and _GAP.fullmatch(marker.text) and not len(marker) and not marker.attrib:
                _unwrap(marker)
        blocks = [child for child in body if isinstance(child.tag, str)]
        stem_part = etree.Element("x")
        text_part = etree.Element("x")
        stem_part.text = body.text
        marked = [b for b in blocks if "qashyq-cloze" in str(b.get("class", "")).split()]
        for block in blocks:
            has_gap = bool(_GAP.search("".join(block.itertext())))
            if marked:
                target = text_part if block in marked else stem_part
            else:
                target = text_part if has_gap or len(text_part) else stem_part
            target.append(block)
        if not marked and not len(text_part):  # the gaps sit in the body's own text
            text_part, stem_part = stem_part, etree.Element("x")
        text = self._html(marked[0]) if marked else self._html(text_part)
        stem = self._html(stem_part).strip()
        if not normalized(stem):
            stem = str(self.root.get("title", "")).strip() or stem
        total = sum(float(gap["points"]) for gap in gaps)
        return "cloze", stem, {"text": text, "gaps": gaps}, total or None

    def _choice_gap(self, gap_id: str, interaction: etree._Element, declaration: etree._Element) -> dict[str, Any]:
        choices = list(interaction.iter("inlineChoice"))
        ids = [str(choice.get("identifier", "")) for choice in choices]
        correct = _values(declaration.find("correctResponse"))
        mapping = _mapping(declaration)
        if mapping:
            best = max(mapping.values(), default=0.0)
            fractions = {i: mapping.get(i, 0.0) / best if best > 0 else 0.0 for i in ids}
        else:
            best = 1.0
            fractions = {i: 1.0 if i in correct else 0.0 for i in ids}
        options = [
            {"id": i, "text": self._html(choice), "fraction": _clean(fractions[i]), "feedback": ""}
            for i, choice in zip(ids, choices, strict=True)
        ]
        return {"id": gap_id, "kind": "choice", "points": _points_number(best or 1.0), "options": options}


def _inline_feedback(reader: _ItemReader, choice: etree._Element) -> str:
    return "".join(reader._html(element) for element in choice.iter("feedbackInline"))


def _rule_score(test: etree._Element) -> float:
    """The score the responseIf/responseElseIf holding `test` sets: SCORE + x, or x."""
    branch = test.getparent()
    if branch is None or branch.tag not in ("responseIf", "responseElseIf"):
        return 1.0
    for setter in branch.findall("setOutcomeValue"):
        if setter.get("identifier") != "SCORE":
            continue
        values = [_float(v.text) for v in setter.iter("baseValue")]
        if values:
            return values[-1]
    return 1.0


def _blank_out(interaction: etree._Element) -> None:
    """A lone text entry leaves the stem: its paragraph goes when nothing else is in it, else a blank stays."""
    parent = interaction.getparent()
    if parent is None:
        return
    alone = (
        parent.tag != "itemBody"
        and not (parent.text or "").strip()
        and not (interaction.tail or "").strip()
        and len(parent) == 1
    )
    if alone:
        _remove(parent)
        return
    marker = etree.Element("span")
    marker.text = "_____"
    marker.tail = interaction.tail
    parent.replace(interaction, marker)
    _unwrap(marker)


def _remove(element: etree._Element) -> None:
    """Remove an element, keeping its tail text."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _unwrap(element: etree._Element) -> None:
    """Replace an element by its content."""
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    text = (element.text or "") + ("" if len(element) else (element.tail or ""))
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    children = list(element)
    if children:
        children[-1].tail = (children[-1].tail or "") + (element.tail or "")
    parent.remove(element)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)


def _rubric_row(item: etree._Element) -> dict[str, Any]:
    criterion = item.find(".//span[@class='criterion']")
    points = item.find(".//span[@class='points']")
    if criterion is not None and points is not None:
        return {"criterion": "".join(criterion.itertext()).strip(), "points": _points_number(_float(points.text))}
    text = _SPACES.sub(" ", "".join(item.itertext())).strip()
    match = _RUBRIC_LINE.match(text)
    if match:
        return {
            "criterion": match.group("criterion").strip(),
            "points": _points_number(_float(match.group("points").replace(",", "."))),
        }
    return {"criterion": text, "points": 0}


def _values(element: etree._Element | None) -> list[str]:
    if element is None:
        return []
    return [(value.text or "").strip() for value in element.findall("value")]


def _mapping(declaration: etree._Element) -> dict[str, float]:
    mapping = declaration.find("mapping")
    if mapping is None:
        return {}
    return {
        " ".join(str(entry.get("mapKey", "")).split()): _float(entry.get("mappedValue"))
        for entry in mapping.findall("mapEntry")
    }


def _default_value(declaration: etree._Element | None) -> str:
    if declaration is None:
        return ""
    value = declaration.find("defaultValue/value")
    return (value.text or "") if value is not None else ""


def _float(text: Any, default: float = 0.0) -> float:
    try:
        value = float(str(text).strip())
    except (TypeError, ValueError):
        return default
    return value if value == value and abs(value) != float("inf") else default


def _int(value: Any) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def _bool(text: Any, *, default: bool) -> bool:
    if text is None:
        return default
    return str(text).strip().lower() in ("true", "1")


def _clean(value: float) -> float:
    """A float without the noise of a division: 0.30000000000000004 → 0.3."""
    rounded = round(value, 10)
    return 0.0 if rounded == 0 else rounded


def _points_number(value: float) -> int | float:
    value = _clean(value)
    return int(value) if value == int(value) else value


def _units(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    units = []
    for row in value:
        if isinstance(row, dict) and str(row.get("unit", "")).strip():
            units.append({"unit": str(row["unit"]), "multiplier": _float(row.get("multiplier"), 1.0)})
    return units


def _title_from(stem: str) -> str:
    text = _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", stem))).strip()
    return text[:80] if text else "Question"


# --- Writing -----------------------------------------------------------------------------------------


def _x(text: str) -> str:
    """Text XML can hold: control characters dropped."""
    return _XML_INVALID.sub("", text)


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _el(parent: etree._Element | None, tag: str, attrib: dict[str, str] | None = None, text: str = "") -> Any:
    element = (
        etree.Element(_q(tag), attrib or {}) if parent is None else etree.SubElement(parent, _q(tag), attrib or {})
    )
    if text:
        element.text = text
    return element


def _num(value: Any) -> str:
    number = float(value)
    return str(int(number)) if number == int(number) and abs(number) < 1e15 else repr(number)


def _dec(value: Decimal) -> str:
    return format(value.normalize(), "f")


class _ItemWriter:
    def __init__(self, question: ExportQuestion, image_paths: dict[str, str]) -> None:
        self.question = question
        self.image_paths = image_paths  # image name → path from the item file
        self.extra: dict[str, Any] = {}
        self.root = etree.Element(_q("assessmentItem"), nsmap={None: NS, "xsi": NS_XSI})
        self.root.set(f"{{{NS_XSI}}}schemaLocation", SCHEMA_LOCATION)
        self.declarations: list[etree._Element] = []
        self.processing: etree._Element | None = None
        self.feedback_used = False

    def write(self) -> bytes:
        question = self.question
        root = self.root
        root.set("identifier", f"qashyq-{question.id}")
        root.set("title", _x(question.name.strip() or _title_from(question.stem)))
        root.set("label", LABEL_PREFIX + question.type)
        root.set("adaptive", "false")
        root.set("timeDependent", "false")
        if question.language:
            root.set(f"{{{NS_XML}}}lang", question.language)
        body = etree.Element(_q("itemBody"))
        stem = _el(body, "div", {"class": "qashyq-stem"})
        self._html_into(stem, question.stem)
        getattr(self, f"_write_{question.type}")(body, question.data)
        for declaration in self.declarations:
            root.append(declaration)
        self._outcome("SCORE", "float", "0")
        self._outcome("MAXSCORE", "float", _dec(question.points))
        if self.feedback_used or question.feedback.strip():
            _el(
                root,
                "outcomeDeclaration",
                {"identifier": "FEEDBACK", "cardinality": "multiple", "baseType": "identifier"},
            )
        self._outcome("QASHYQ_DIFFICULTY", "integer", str(question.difficulty))
        if question.category:
            self._outcome("QASHYQ_CATEGORY", "string", _x(question.category))
        if self.extra:
            self._outcome("QASHYQ_EXTRA", "string", json.dumps(self.extra, ensure_ascii=False, sort_keys=True))
        root.append(body)
        if self.processing is not None:
            root.append(self.processing)
        if question.feedback.strip():
            modal = _el(
                root,
                "modalFeedback",
                {"outcomeIdentifier": "FEEDBACK", "identifier": "GENERAL", "showHide": "hide"},
            )
            self._html_into(modal, question.feedback)
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))

    def _outcome(self, identifier: str, base_type: str, default: str) -> None:
        declaration = _el(
            self.root, "outcomeDeclaration", {"identifier": identifier, "cardinality": "single", "baseType": base_type}
        )
        _el(_el(declaration, "defaultValue"), "value", text=default)

    def _declare(
        self, identifier: str, cardinality: str, base_type: str, correct: Sequence[str] = ()
    ) -> etree._Element:
        declaration = etree.Element(
            _q("responseDeclaration"), {"identifier": identifier, "cardinality": cardinality, "baseType": base_type}
        )
        if correct:
            holder = _el(declaration, "correctResponse")
            for value in correct:
                _el(holder, "value", text=value)
        self.declarations.append(declaration)
        return declaration

    def _map(
        self,
        declaration: etree._Element,
        entries: Iterable[tuple[str, float]],
        *,
        upper: float,
        case: bool | None = None,
    ) -> None:
        mapping = _el(declaration, "mapping", {"lowerBound": "0", "upperBound": _num(upper), "defaultValue": "0"})
        for key, value in entries:
            attrib = {"mapKey": _x(key), "mappedValue": _num(value)}
            if case is not None:
                attrib["caseSensitive"] = "true" if case else "false"
            _el(mapping, "mapEntry", attrib)

    def _template(self, template: str) -> None:
        self.processing = etree.Element(_q("responseProcessing"), {"template": template})

    @property
    def points(self) -> float:
        return float(self.question.points)

    # -- HTML

    def _html_into(self, parent: etree._Element, fragment: str, gaps: dict[str, etree._Element] | None = None) -> None:
        """Append an HTML fragment to a QTI element as QTI's XHTML (unknown tags as span.qashyq-TAG)."""
        fragment = _x(fragment)
        if not fragment.strip():
            return
        if gaps is not None:
            fragment = _GAP.sub(lambda m: f'<span data-qashyq-gap="{html.escape(m.group(1))}"></span>', fragment)
        source = lxml.html.fragment_fromstring(fragment, create_parent="div")
        _append_text(parent, source.text or "")
        for child in source:
            self._copy(parent, child, gaps)

    def _copy(self, parent: etree._Element, node: Any, gaps: dict[str, etree._Element] | None) -> None:
        if not isinstance(node.tag, str):  # comments, processing instructions
            if node.tail:
                _append_text(parent, node.tail)
            return
        tag = node.tag.lower()
        if gaps is not None and tag == "span" and node.get("data-qashyq-gap") in gaps:
            element = gaps[str(node.get("data-qashyq-gap"))]
            parent.append(element)
        else:
            attrib: dict[str, str] = {}
            if tag not in QTI_HTML:
                attrib["class"] = _FOREIGN_TAG + tag
                tag = "span"
            allowed = QTI_ATTRIBUTES.get(tag, frozenset())
            for name, value in node.attrib.items():
                if name in allowed:
                    attrib[name] = str(value)
                elif name == "class" and "class" not in attrib:
                    attrib["class"] = str(value)
                elif name == "lang":
                    attrib[f"{{{NS_XML}}}lang"] = str(value)
            if tag == "img":
                src = attrib.get("src", "")
                if src.startswith(_IMAGE_PREFIX) and src[len(_IMAGE_PREFIX) :] in self.image_paths:
                    attrib["src"] = self.image_paths[src[len(_IMAGE_PREFIX) :]]
                attrib.setdefault("alt", "")
            element = etree.SubElement(parent, _q(tag), attrib)
            element.text = node.text
            for child in node:
                self._copy(element, child, gaps)
        element.tail = node.tail

    # -- types

    def _choices(self, body: etree._Element, options: list[dict[str, Any]], *, max_choices: str) -> etree._Element:
        interaction = _el(
            body, "choiceInteraction", {"responseIdentifier": "RESPONSE", "shuffle": "true", "maxChoices": max_choices}
        )
        for option in options:
            choice = _el(interaction, "simpleChoice", {"identifier": str(option["id"])})
            self._html_into(choice, str(option.get("text", "")))
            self._choice_feedback(choice, str(option["id"]), str(option.get("feedback", "")))
        return interaction

    def _choice_feedback(self, choice: etree._Element, identifier: str, feedback: str) -> None:
        if feedback.strip():
            self.feedback_used = True
            inline = _el(
                choice,
                "feedbackInline",
                {"outcomeIdentifier": "FEEDBACK", "identifier": identifier, "showHide": "show"},
            )
            self._html_into(inline, feedback)

    def _write_single(self, body: etree._Element, data: dict[str, Any]) -> None:
        options = list(data.get("options", []))
        self._choices(body, options, max_choices="1")
        best = max(options, key=lambda option: float(option.get("fraction", 0)))
        declaration = self._declare("RESPONSE", "single", "identifier", [str(best["id"])])
        fractions = {float(option.get("fraction", 0)) for option in options}
        if fractions <= {0.0, 1.0} and sum(1 for o in options if float(o.get("fraction", 0)) == 1.0) == 1:
            self._template(MATCH_CORRECT)
        else:
            entries = [(str(o["id"]), float(o.get("fraction", 0)) * self.points) for o in options]
            self._map(declaration, entries, upper=self.points)
            self._template(MAP_RESPONSE)

    def _write_multiple(self, body: etree._Element, data: dict[str, Any]) -> None:
        options = list(data.get("options", []))
        self._choices(body, options, max_choices="0")
        right = [str(o["id"]) for o in options if float(o.get("fraction", 0)) > 0]
        declaration = self._declare("RESPONSE", "multiple", "identifier", right)
        entries = [(str(o["id"]), float(o.get("fraction", 0)) * self.points) for o in options]
        self._map(declaration, entries, upper=self.points)
        partial = str(data.get("partial", "all_or_nothing"))
        self.extra["partial"] = partial
        self._template(MATCH_CORRECT if partial == "all_or_nothing" else MAP_RESPONSE)

    def _write_true_false(self, body: etree._Element, data: dict[str, Any]) -> None:
        interaction = _el(
            body, "choiceInteraction", {"responseIdentifier": "RESPONSE", "shuffle": "false", "maxChoices": "1"}
        )
        for identifier, text, feedback in (
            ("true", _("True"), str(data.get("feedback_true", ""))),
            ("false", _("False"), str(data.get("feedback_false", ""))),
        ):
            choice = _el(interaction, "simpleChoice", {"identifier": identifier}, text=str(text))
            self._choice_feedback(choice, identifier, feedback)
        self._declare("RESPONSE", "single", "identifier", ["true" if data.get("answer") else "false"])
        self._template(MATCH_CORRECT)

    def _write_matching(self, body: etree._Element, data: dict[str, Any]) -> None:
        pairs = list(data.get("pairs", []))
        distractors = list(data.get("distractors", []))
        interaction = _el(
            body, "matchInteraction", {"responseIdentifier": "RESPONSE", "shuffle": "true", "maxAssociations": "0"}
        )
        left = _el(interaction, "simpleMatchSet")
        right = _el(interaction, "simpleMatchSet")
        for pair in pairs:
            choice = _el(left, "simpleAssociableChoice", {"identifier": str(pair["id"]), "matchMax": "1"})
            self._html_into(choice, str(pair.get("left", "")))
        rights = [(f"R_{pair['id']}", str(pair.get("right", ""))) for pair in pairs]
        rights += [(f"R_x{number}", str(text)) for number, text in enumerate(distractors, start=1)]
        for identifier, text in rights:
            choice = _el(right, "simpleAssociableChoice", {"identifier": identifier, "matchMax": "1"})
            self._html_into(choice, text)
        keys = [f"{pair['id']} R_{pair['id']}" for pair in pairs]
        declaration = self._declare("RESPONSE", "multiple", "directedPair", keys)
        share = self.points / len(pairs) if pairs else 0
        self._map(declaration, [(key, share) for key in keys], upper=self.points)
        self._template(MAP_RESPONSE)

    def _write_ordering(self, body: etree._Element, data: dict[str, Any]) -> None:
        items = list(data.get("items", []))
        interaction = _el(body, "orderInteraction", {"responseIdentifier": "RESPONSE", "shuffle": "true"})
        for item in items:
            choice = _el(interaction, "simpleChoice", {"identifier": str(item["id"])})
            self._html_into(choice, str(item.get("text", "")))
        self._declare("RESPONSE", "ordered", "identifier", [str(item["id"]) for item in items])
        self._template(MATCH_CORRECT)

    def _write_short(self, body: etree._Element, data: dict[str, Any]) -> None:
        answers = list(data.get("answers", []))
        holder = _el(body, "div", {"class": "qashyq-answer"})
        _el(holder, "textEntryInteraction", {"responseIdentifier": "RESPONSE", "expectedLength": "20"})
        self._short_response("RESPONSE", answers, bool(data.get("case_sensitive")), self.points)
        self._template(MAP_RESPONSE)
        self._answer_feedback(answers)

    def _short_response(self, identifier: str, answers: list[dict[str, Any]], case: bool, points: float) -> None:
        best = max(answers, key=lambda answer: float(answer.get("fraction", 0)))
        declaration = self._declare(identifier, "single", "string", [str(best.get("text", ""))])
        entries = [(str(a.get("text", "")), float(a.get("fraction", 0)) * points) for a in answers]
        self._map(declaration, entries, upper=points, case=case)

    def _answer_feedback(self, answers: list[dict[str, Any]]) -> None:
        feedback = [str(answer.get("feedback", "")) for answer in answers]
        if any(text.strip() for text in feedback):
            self.extra["feedback"] = feedback

    def _write_numeric(self, body: etree._Element, data: dict[str, Any]) -> None:
        answers = list(data.get("answers", []))
        holder = _el(body, "div", {"class": "qashyq-answer"})
        _el(holder, "textEntryInteraction", {"responseIdentifier": "RESPONSE", "expectedLength": "10"})
        self.processing = etree.Element(_q("responseProcessing"))
        self._numeric_response("RESPONSE", answers, self.points)
        if data.get("units"):
            self.extra["units"] = data["units"]
        if data.get("unit_required"):
            self.extra["unit_required"] = True
        self._answer_feedback(answers)

    def _numeric_response(self, identifier: str, answers: list[dict[str, Any]], points: float) -> None:
        ranked = sorted(answers, key=lambda answer: -float(answer.get("fraction", 0)))
        self._declare(identifier, "single", "float", [_num(ranked[0]["value"])] if ranked else [])
        assert self.processing is not None
        scored = [answer for answer in ranked if float(answer.get("fraction", 0)) > 0]
        condition = _el(self.processing, "responseCondition") if scored else None
        for index, answer in enumerate(scored):
            branch = _el(condition, "responseIf" if index == 0 else "responseElseIf")
            tolerance = _num(answer.get("tolerance", 0) or 0)
            mode = {"toleranceMode": "absolute", "tolerance": f"{tolerance} {tolerance}"}
            test = _el(branch, "equal", mode if float(tolerance) else {"toleranceMode": "exact"})
            _el(test, "variable", {"identifier": identifier})
            _el(test, "baseValue", {"baseType": "float"}, text=_num(answer["value"]))
            setter = _el(branch, "setOutcomeValue", {"identifier": "SCORE"})
            total = _el(setter, "sum")
            _el(total, "variable", {"identifier": "SCORE"})
            _el(total, "baseValue", {"baseType": "float"}, text=_num(float(answer.get("fraction", 0)) * points))

    def _write_cloze(self, body: etree._Element, data: dict[str, Any]) -> None:
        self.processing = etree.Element(_q("responseProcessing"))
        interactions: dict[str, etree._Element] = {}
        feedback: dict[str, list[str]] = {}
        for gap in data.get("gaps", []):
            gap_id = str(gap["id"])
            identifier = f"RESPONSE_{gap_id}"
            points = float(gap.get("points", 1))
            kind = gap.get("kind")
            if kind == "choice":
                interaction = etree.Element(
                    _q("inlineChoiceInteraction"), {"responseIdentifier": identifier, "shuffle": "true"}
                )
                options = list(gap.get("options", []))
                for option in options:
                    choice = _el(interaction, "inlineChoice", {"identifier": str(option["id"])})
                    choice.text = _x(
                        _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", str(option.get("text", ""))))).strip()
                    )
                best = max(options, key=lambda option: float(option.get("fraction", 0)))
                declaration = self._declare(identifier, "single", "identifier", [str(best["id"])])
                entries = [(str(o["id"]), float(o.get("fraction", 0)) * points) for o in options]
                self._map(declaration, entries, upper=points)
                self._add_mapped(identifier)
            else:
                interaction = etree.Element(
                    _q("textEntryInteraction"), {"responseIdentifier": identifier, "expectedLength": "15"}
                )
                answers = list(gap.get("answers", []))
                if kind == "numeric":
                    self._numeric_response(identifier, answers, points)
                else:
                    self._short_response(identifier, answers, bool(gap.get("case_sensitive")), points)
                    self._add_mapped(identifier)
                texts = [str(answer.get("feedback", "")) for answer in answers]
                if any(text.strip() for text in texts):
                    feedback[gap_id] = texts
            interactions[gap_id] = interaction
        if feedback:
            self.extra["feedback"] = feedback
        holder = _el(body, "div", {"class": "qashyq-cloze"})
        self._html_into(holder, str(data.get("text", "")), interactions)

    def _add_mapped(self, identifier: str) -> None:
        assert self.processing is not None
        setter = _el(self.processing, "setOutcomeValue", {"identifier": "SCORE"})
        total = _el(setter, "sum")
        _el(total, "variable", {"identifier": "SCORE"})
        _el(total, "mapResponse", {"identifier": identifier})

    def _write_essay(self, body: etree._Element, data: dict[str, Any]) -> None:
        rubric = list(data.get("rubric", []))
        if rubric:
            block = _el(body, "rubricBlock", {"view": "scorer"})
            listing = _el(block, "ul", {"class": "qashyq-rubric"})
            for row in rubric:
                item = _el(listing, "li")
                _el(item, "span", {"class": "criterion"}, text=_x(str(row.get("criterion", ""))))
                item[-1].tail = " — "
                _el(item, "span", {"class": "points"}, text=_num(row.get("points", 0)))
        _el(body, "extendedTextInteraction", {"responseIdentifier": "RESPONSE", "expectedLines": "10"})
        self._declare("RESPONSE", "single", "string")
        for key in ("min_words", "max_words"):
            if data.get(key):
                self.extra[key] = int(data[key])
        if data.get("template"):
            self.extra["template"] = str(data["template"])


def _append_text(parent: etree._Element, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _image_files(questions: Sequence[ExportQuestion]) -> dict[int, dict[str, str]]:
    """Each question's image name → its package path; names shared by different files get the question id."""
    used: dict[str, bytes] = {}
    paths: dict[int, dict[str, str]] = {}
    for question in questions:
        mine: dict[str, str] = {}
        for image in question.images:
            safe = re.sub(r"[^A-Za-z0-9._-]+", "_", posixpath.basename(image.name)) or "image"
            path = f"images/{safe}"
            if path in used and used[path] != image.content:
                path = f"images/q{question.id}-{safe}"
            used[path] = image.content
            mine[image.name] = path
        paths[question.id] = mine
    return paths


def write(questions: Sequence[ExportQuestion], *, bank_name: str = "") -> bytes:
    """A QTI 2.1 content package (zip) of the questions."""
    paths = _image_files(questions)
    manifest = etree.Element(f"{{{NS_CP}}}manifest", nsmap={None: NS_CP, "xsi": NS_XSI})
    manifest.set("identifier", "qashyq-bank")
    manifest.set(f"{{{NS_XSI}}}schemaLocation", CP_SCHEMA_LOCATION)
    if bank_name:
        manifest.append(etree.Comment(" " + bank_name.replace("--", "- -") + " "))
    metadata = etree.SubElement(manifest, f"{{{NS_CP}}}metadata")
    etree.SubElement(metadata, f"{{{NS_CP}}}schema").text = "QTIv2.1 Package"
    etree.SubElement(metadata, f"{{{NS_CP}}}schemaversion").text = "1.0.0"
    etree.SubElement(manifest, f"{{{NS_CP}}}organizations")
    resources = etree.SubElement(manifest, f"{{{NS_CP}}}resources")
    files: dict[str, bytes] = {}
    for question in questions:
        href = f"items/q{question.id}.xml"
        from_item = {name: "../" + path for name, path in paths[question.id].items()}
        files[href] = _ItemWriter(question, from_item).write()
        resource = etree.SubElement(
            resources,
            f"{{{NS_CP}}}resource",
            {"identifier": f"RES-q{question.id}", "type": ITEM_TYPE, "href": href},
        )
        etree.SubElement(resource, f"{{{NS_CP}}}file", {"href": href})
        for image in question.images:
            path = paths[question.id][image.name]
            files[path] = image.content
            etree.SubElement(resource, f"{{{NS_CP}}}file", {"href": path})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        entries = [(MANIFEST, etree.tostring(manifest, xml_declaration=True, encoding="UTF-8", pretty_print=True))]
        entries += sorted(files.items())
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
