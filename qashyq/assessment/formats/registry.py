"""Which question formats exist, which one a file is in, and the one door to their parsers and writers.

The format modules are imported when first used (`qashyq.assessment.formats.<id>`), each exposing
`parse(content, *, filename, **options) -> ParseResult` and, for the formats a bank exports to,
`write(questions, *, bank_name="") -> bytes`.
"""

import importlib
import inspect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qashyq.assessment.formats.common import ExportQuestion, ParseResult, Problem


@dataclass(frozen=True)
class Format:
    id: str
    label: str | Promise
    extensions: tuple[str, ...]
    content_type: str = ""  # of what `write` returns; "" when the format is only read
    extension: str = ""  # of the exported file


KAZAKH = "kazakh"
AIKEN = "aiken"
GIFT = "gift"
MOODLE_XML = "moodle_xml"
QTI = "qti"

FORMATS: dict[str, Format] = {
    KAZAKH: Format(KAZAKH, gettext_lazy("Kazakh <question>/<variant> format"), (".txt", ".docx")),
    GIFT: Format(GIFT, gettext_lazy("Moodle GIFT"), (".gift", ".txt"), "text/plain; charset=utf-8", "gift.txt"),
    MOODLE_XML: Format(MOODLE_XML, gettext_lazy("Moodle XML"), (".xml",), "application/xml", "xml"),
    AIKEN: Format(AIKEN, gettext_lazy("Aiken"), (".txt",)),
    QTI: Format(QTI, gettext_lazy("IMS QTI 2.1"), (".xml", ".zip"), "application/zip", "zip"),
}
WRITERS = tuple(fmt.id for fmt in FORMATS.values() if fmt.content_type)  # the formats a bank exports to
EXTENSIONS = frozenset(ext for fmt in FORMATS.values() for ext in fmt.extensions)

_AIKEN = re.compile(rb"^\s*ANSWER\s*:\s*[A-Za-z]\s*$", re.MULTILINE)
_KAZAKH = re.compile(rb"<\s*(question[0-9]*|variant|variantright)\s*>", re.IGNORECASE)
_GIFT_TITLE = re.compile(rb"::")
_GIFT_BRACES = re.compile(rb"\{[^{}]*\}", re.DOTALL)
_GIFT_CATEGORY = re.compile(rb"^\s*\$CATEGORY\s*:", re.MULTILINE)
_XML_SKIP = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.DOTALL)
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")


def extension_of(filename: str) -> str:
    name = (filename or "").lower().rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


def xml_root(content: bytes) -> str:
    """The local name of the root element of an XML document ("" when none is found in its first 64 KB)."""
    head = content[:65536]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    match = _XML_ROOT.search(_XML_SKIP.sub(b"", head))
    return match.group(1).decode("ascii", "replace").rsplit(":", 1)[-1] if match else ""


def detect(filename: str, content: bytes) -> str:
    """The format of a file by its extension and content; "" when it is none of them."""
    ext = extension_of(filename)
    if ext == ".gift":
        return GIFT
    if ext == ".docx":
        return KAZAKH
    if ext == ".zip":
        return QTI
    if ext == ".xml":
        root = xml_root(content)
        if root == "quiz":
            return MOODLE_XML
        if root in ("assessmentItem", "assessmentTest", "manifest"):
            return QTI
        return ""
    if ext == ".txt":
        if _KAZAKH.search(content):
            return KAZAKH
        if _GIFT_CATEGORY.search(content) or _GIFT_TITLE.search(content) or _GIFT_BRACES.search(content):
            return GIFT
        if _AIKEN.search(content):
            return AIKEN
        return KAZAKH
    return ""


def _module(fmt: str) -> ModuleType | None:
    if fmt not in FORMATS:
        return None
    try:
        return importlib.import_module(f"qashyq.assessment.formats.{fmt}")
    except ModuleNotFoundError:
        return None


def _accepted(function: Any, options: dict[str, Any]) -> dict[str, Any]:
    """The options `function` takes (all of them when it takes **options)."""
    parameters = inspect.signature(function).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return options
    return {key: value for key, value in options.items() if key in parameters}


def parse(fmt: str, content: bytes, *, filename: str, **options: Any) -> ParseResult:
    """The questions of a file in format `fmt`; an unknown or unavailable format is a problem of the file."""
    module = _module(fmt)
    if module is None or not hasattr(module, "parse"):
        return ParseResult(
            problems=[
                Problem(file=filename, line=0, reason=_("The format “%(format)s” cannot be read.") % {"format": fmt})
            ]
        )
    result: ParseResult = module.parse(content, filename=filename, **_accepted(module.parse, options))
    return result


def write(fmt: str, questions: Sequence[ExportQuestion], *, bank_name: str = "") -> tuple[bytes, str, str]:
    """A bank's questions as a file of format `fmt`: (bytes, content type, extension). ValueError for a
    format that cannot be written."""
    module = _module(fmt) if fmt in WRITERS else None
    if module is None or not hasattr(module, "write"):
        raise ValueError(fmt)
    content: bytes = module.write(questions, bank_name=bank_name)
    info = FORMATS[fmt]
    return content, info.content_type, info.extension


def write_warnings(fmt: str, questions: Sequence[ExportQuestion]) -> list[str] | None:
    """What `fmt` cannot carry of these questions (the writer's `write_warnings(questions)`); None when the
    writer does not say."""
    module = _module(fmt)
    check = getattr(module, "write_warnings", None) if module is not None else None
    return [str(w) for w in check(questions)] if callable(check) else None


def available(fmt: str, *, writing: bool = False) -> bool:
    module = _module(fmt)
    return module is not None and hasattr(module, "write" if writing else "parse")
