"""The Kazakh plain-text question format of Platonus and similar systems, from .txt or .docx.

    <question>Қазақстанның астанасы?
    <variant>Астана
    <variant>Алматы

`<question>` starts a question (its text runs to the first `<variant>` and may span lines), each `<variant>` is an
answer and the first one is right, unless `<variantright>` marks the right one (several: a multiple-choice
question, each right one earning its share). `<question2>`/`<question3>` mean medium/hard with
`difficulty_tags=True`; with False any `<questionN>` is plain numbering. A `<variantright>` repeating a
`<variant>`'s text is merged into it. See ../shared/domain/kazakhstan-facts.md §d.

Texts are plain: they are HTML-escaped, their line breaks kept as <br>. In a .docx, a picture becomes
`<img src="image:NAME" alt="…">` where it stands (its bytes in `ParsedQuestion.images`), a table an HTML table
(or, when its cells hold the tags, the questions it holds). Lines of a .docx are paragraph numbers, counting every
paragraph of the document in order, those inside tables included. A question with a problem is left out of
`questions`; its problems say why.
"""

import html
import io
import posixpath
import re
import zipfile
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .common import (
    ParsedImage,
    ParsedQuestion,
    ParseResult,
    Problem,
    decoded,
    duplicates,
    has_content,
    option_id,
    reason_no_text,
)

# <question>, <question2>, <Question 3>, <variant>, <variantright>, <variant right>
_TAG_RE = re.compile(
    r"<\s*(?:(?P<question>question)\s*(?P<number>\d*)|variant\s*(?P<right>right)?)\s*>",
    re.IGNORECASE,
)
_NEWLINE_RE = re.compile(r"\r\n?|\n")
# "12." or "12)" in front of a stem, not "3.14".
_STEM_NUMBER_RE = re.compile(r"^\d{1,4}\s*[.)](?!\d)\s*")
# "A)", "b.", "В)" in front of a variant.
_LETTER_RE = re.compile(r"^([^\W\d_])\s*[.)]\s*")
_EMBED = "\ue000"
_EMBED_END = "\ue001"
_EMBED_RE = re.compile("\ue000(\\d+)\ue001")

_LATIN = "abcdefghijklmnopqrstuvwxyz"
_RUSSIAN = "абвгдежзиклмнопрстуфхцчшщэюя"
_KAZAKH = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
# Cyrillic letters typed for their Latin twins ("А) … В) … С) …").
_TWINS = str.maketrans("авсеорхкмнт", "abceopxkmht")

_MIN_VARIANTS_NORM = 4  # fewer: a warning (Platonus' norm is five)
_MAX_ZIP_ENTRIES = 5000
_MAX_ZIP_BYTES = 200 * 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BROWSER_IMAGE_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp", "image/svg+xml", "image/x-icon"}
)


@dataclass
class _Source:
    """The file as one text with the tags in it. `embeds[n]` is HTML (an image, a table) standing for
    "\ue000n\ue001" in `text`; `embed_images[n]` the names of the images it shows."""

    text: str
    starts: list[int]  # offset where each line begins …
    numbers: list[int]  # … and its number
    embeds: list[str] = field(default_factory=list)
    embed_images: list[tuple[str, ...]] = field(default_factory=list)
    images: dict[str, ParsedImage] = field(default_factory=dict)

    def line(self, offset: int) -> int:
        index = bisect_right(self.starts, offset) - 1
        return self.numbers[index] if index >= 0 else 1


@dataclass
class _Variant:
    text: str
    line: int
    right: bool
    tagged_right: bool  # written <variantright>


def parse(content: bytes, *, filename: str, difficulty_tags: bool = True) -> ParseResult:
    result = ParseResult()
    if not content.strip():
        result.problems.append(Problem(file=filename, line=0, reason=_("The file is empty.")))
        return result
    if content.startswith(_ZIP_MAGIC):
        source = _read_docx(content, filename, result)
    elif content.startswith(_OLE_MAGIC):
        reason = _("This is an old Word .doc file: save it as .docx (or as plain text) and import that.")
        result.problems.append(Problem(file=filename, line=0, reason=reason))
        source = None
    elif filename.lower().endswith(".docx"):
        reason = _("The file is not a valid Word .docx document.")
        result.problems.append(Problem(file=filename, line=0, reason=reason))
        source = None
    else:
        source = _read_text(content, filename, result)
    if source is None:
        return result
    _parse_source(source, filename, difficulty_tags, result)
    result.problems.extend(duplicates(result.questions, filename))
    return result


# --- reading -------------------------------------------------------------------------------------------------------


def _read_text(content: bytes, filename: str, result: ParseResult) -> _Source | None:
    text = decoded(content)
    if text is None:
        reason = _("The file cannot be read: it is not text in UTF-8 or Windows-1251, nor a .docx document.")
        result.problems.append(Problem(file=filename, line=0, reason=reason))
        return None
    text = text.replace(_EMBED, "").replace(_EMBED_END, "")
    text = _NEWLINE_RE.sub("\n", text)
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return _Source(text=text, starts=starts, numbers=list(range(1, len(starts) + 1)))


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_V = "{urn:schemas-microsoft-com:vml}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIPPED = frozenset({f"{_W}pPr", f"{_W}rPr", f"{_W}del", f"{_W}delText", f"{_W}instrText", f"{_MC}Fallback"})


class _Image:
    __slots__ = ("alt", "name")

    def __init__(self, name: str, alt: str) -> None:
        self.name = name
        self.alt = alt

    def html(self) -> str:
        return f'<img src="image:{html.escape(self.name)}" alt="{html.escape(self.alt)}">'


_Piece = str | _Image


class _DocxReader:
    def __init__(self, document: Any) -> None:
        self.part = document.part
        self.parts: list[str] = []
        self.length = 0
        self.paragraph = 0
        self.starts: list[int] = []
        self.numbers: list[int] = []
        self.embeds: list[str] = []
        self.embed_images: list[tuple[str, ...]] = []
        self.images: dict[str, ParsedImage] = {}
        self.unshowable: list[tuple[int, str]] = []  # (paragraph, image name) browsers cannot show

    def source(self) -> _Source:
        return _Source(
            text="".join(self.parts),
            starts=self.starts,
            numbers=self.numbers,
            embeds=self.embeds,
            embed_images=self.embed_images,
            images=self.images,
        )

    def _append(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def _embed(self, fragment: str, images: tuple[str, ...]) -> str:
        self.embeds.append(fragment)
        self.embed_images.append(images)
        return f"{_EMBED}{len(self.embeds) - 1}{_EMBED_END}"

    def blocks(self, parent: Any) -> None:
        for child in parent:
            tag = child.tag
            if tag == f"{_W}p":
                self.body_paragraph(child)
            elif tag == f"{_W}tbl":
                self.table(child)
            elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins"):
                self.blocks(child)

    def body_paragraph(self, element: Any) -> None:
        self.paragraph += 1
        self.starts.append(self.length)
        self.numbers.append(self.paragraph)
        pieces: list[_Piece] = []
        self.inline(element, pieces)
        for piece in pieces:
            if isinstance(piece, str):
                self._append(piece.replace(_EMBED, "").replace(_EMBED_END, ""))
            else:
                self._append(self._embed(piece.html(), (piece.name,)))
        self._append("\n")

    def table(self, element: Any) -> None:
        cells_text = "".join(t.text or "" for t in element.iter(f"{_W}t"))
        if _TAG_RE.search(cells_text):
            # The questions are laid out in a table: read its cells as paragraphs, row by row.
            for row in element.iter(f"{_W}tr"):
                for cell in row.iterchildren(f"{_W}tc"):
                    self.blocks(cell)
            return
        images: list[str] = []
        fragment = self.table_html(element, images)
        self._append(self._embed(fragment, tuple(images)) + "\n")

    def table_html(self, element: Any, images: list[str]) -> str:
        rows: list[str] = []
        for row in element.iterchildren(f"{_W}tr"):
            cells: list[str] = []
            for cell in row.iterchildren(f"{_W}tc"):
                span = cell.find(f"{_W}tcPr/{_W}gridSpan")
                colspan = span.get(f"{_W}val") if span is not None else None
                attribute = f' colspan="{int(colspan)}"' if colspan and colspan.isdigit() and colspan != "1" else ""
                cells.append(f"<td{attribute}>{self.cell_html(cell, images)}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        return "<table><tbody>" + "".join(rows) + "</tbody></table>"

    def cell_html(self, cell: Any, images: list[str]) -> str:
        fragments: list[str] = []
        for child in cell:
            if child.tag == f"{_W}p":
                self.paragraph += 1
                pieces: list[_Piece] = []
                self.inline(child, pieces)
                fragment = "".join(
                    html.escape(piece, quote=False).replace("\n", "<br>") if isinstance(piece, str) else piece.html()
                    for piece in pieces
                ).strip()
                for piece in pieces:
                    if isinstance(piece, _Image):
                        images.append(piece.name)
                fragments.append(fragment)
            elif child.tag == f"{_W}tbl":
                fragments.append(self.table_html(child, images))
        return "<br>".join(fragment for fragment in fragments if fragment)

    def inline(self, element: Any, pieces: list[_Piece]) -> None:
        """The text and pictures of a paragraph, in order."""
        for child in element:
            tag = child.tag
            if tag == f"{_W}t" or tag == f"{_M}t":
                pieces.append(child.text or "")
            elif tag == f"{_W}tab":
                pieces.append("\t")
            elif tag == f"{_W}br" or tag == f"{_W}cr":
                pieces.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                pieces.append("-")
            elif tag == f"{_W}drawing":
                description = next(child.iter(f"{_WP}docPr"), None)
                alt = (description.get("descr") or "") if description is not None else ""
                for blip in child.iter(f"{_A}blip"):
                    self.image(blip.get(f"{_R}embed"), alt, pieces)
            elif tag == f"{_V}imagedata":
                self.image(child.get(f"{_R}id"), child.get(f"{_V}title") or child.get("title") or "", pieces)
            elif tag not in _SKIPPED and isinstance(tag, str):
                self.inline(child, pieces)

    def image(self, relationship: str | None, alt: str, pieces: list[_Piece]) -> None:
        if not relationship:
            return
        part = self.part.related_parts.get(relationship)
        blob = getattr(part, "blob", None)
        if part is None or blob is None:
            return
        name = posixpath.basename(str(part.partname))
        if name not in self.images:
            content_type = str(getattr(part, "content_type", "") or "application/octet-stream")
            self.images[name] = ParsedImage(name=name, content=bytes(blob), content_type=content_type)
            if content_type not in _BROWSER_IMAGE_TYPES:
                self.unshowable.append((self.paragraph, name))
        pieces.append(_Image(name, alt.strip()))


def _read_docx(content: bytes, filename: str, result: ParseResult) -> _Source | None:
    def problem(reason: str) -> None:
        result.problems.append(Problem(file=filename, line=0, reason=reason))

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        problem(_("The file is not a valid Word .docx document."))
        return None
    if len(entries) > _MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > _MAX_ZIP_BYTES:
        problem(_("The .docx document is too large to import."))
        return None
    if "word/document.xml" not in {entry.filename for entry in entries}:
        problem(_("The file is a ZIP archive but not a Word .docx document."))
        return None
    try:
        import docx

        document = docx.Document(io.BytesIO(content))
        reader = _DocxReader(document)
        reader.blocks(document.element.body)
    except Exception:  # any damage inside the package: the file is unreadable, never a crash
        problem(_("The file is not a valid Word .docx document."))
        return None
    for paragraph, name in reader.unshowable:
        reason = _("The picture %(name)s is in a format web browsers cannot show; insert it as PNG or JPEG.") % {
            "name": name
        }
        result.warnings.append(Problem(file=filename, line=paragraph, reason=reason))
    return reader.source()


# --- questions -----------------------------------------------------------------------------------------------------


def _lines(segment: str) -> list[str]:
    segment = segment.strip()
    if "\n" not in segment:  # the usual case: one line
        return [segment] if segment else []
    return [line for line in (raw.strip() for raw in segment.split("\n")) if line]


def _html(lines: list[str], source: _Source, images: list[str]) -> str:
    if len(lines) == 1:
        text = html.escape(lines[0], quote=False)
    else:
        text = "<br>".join(html.escape(line, quote=False) for line in lines)
    if _EMBED in text:

        def embed(match: re.Match[str]) -> str:
            index = int(match[1])
            images.extend(source.embed_images[index])
            return source.embeds[index]

        text = _EMBED_RE.sub(embed, text)
        text = text.replace("<br><table>", "<table>").replace("</table><br>", "</table>")
    return text


def _letters_in_sequence(letters: list[str]) -> bool:
    lowered = "".join(letters).lower()
    count = len(lowered)
    return count >= 2 and (
        lowered.translate(_TWINS) == _LATIN[:count] or lowered == _RUSSIAN[:count] or lowered == _KAZAKH[:count]
    )


def _parse_source(source: _Source, filename: str, difficulty_tags: bool, result: ParseResult) -> None:
    text = source.text
    matches = list(_TAG_RE.finditer(text))
    first_question = next((index for index, match in enumerate(matches) if match["question"]), None)
    preamble_end = matches[first_question].start() if first_question is not None else len(text)
    if first_question is None:
        reason = _("No questions found: each question must start with <question>.")
        if not text.strip():
            reason = _("The file is empty.")
        result.problems.append(Problem(file=filename, line=0, reason=reason))
        return
    if matches[0].start() < preamble_end:  # a <variant> before any <question>
        reason = _("A <variant> comes before the first <question>.")
        result.problems.append(Problem(file=filename, line=source.line(matches[0].start()), reason=reason))
    elif text[:preamble_end].strip():
        reason = _("The text before the first <question> is ignored.")
        result.warnings.append(Problem(file=filename, line=source.line(0), reason=reason))

    end = len(matches)
    index = first_question
    while index < end:
        question = matches[index]
        following = index + 1
        while following < end and not matches[following]["question"]:
            following += 1
        variants = [
            (
                match,
                text[match.end() : matches[position + 1].start() if position + 1 < end else len(text)],
            )
            for position, match in enumerate(matches[index + 1 : following], start=index + 1)
        ]
        stem_end = matches[index + 1].start() if index + 1 < end else len(text)
        _question(source, filename, difficulty_tags, question, text[question.end() : stem_end], variants, result)
        index = following


def _question(
    source: _Source,
    filename: str,
    difficulty_tags: bool,
    tag: re.Match[str],
    stem_text: str,
    raw_variants: list[tuple[re.Match[str], str]],
    result: ParseResult,
) -> None:
    line = source.line(tag.start())
    problems: list[Problem] = []

    def problem(reason: str, at: int = line) -> None:
        problems.append(Problem(file=filename, line=at, reason=reason))

    difficulty = 1
    number = tag["number"]
    if difficulty_tags and number:
        if number.isdigit() and 1 <= int(number) <= 3:
            difficulty = int(number)
        else:
            problem(
                _("Unknown tag %(tag)s: only <question>, <question2> and <question3> are known.")
                % {"tag": tag[0].strip()}
            )

    images: list[str] = []
    stem_lines = _lines(stem_text)
    if stem_lines:
        stem_lines[0] = _STEM_NUMBER_RE.sub("", stem_lines[0], count=1)
        if not stem_lines[0]:
            del stem_lines[0]
    stem = _html(stem_lines, source, images)
    if not has_content(stem):
        problem(reason_no_text())

    variant_lines = [_lines(segment) for _, segment in raw_variants]
    firsts = [lines[0] if lines else "" for lines in variant_lines]
    prefixes = [_LETTER_RE.match(first) for first in firsts]
    if all(prefixes) and _letters_in_sequence([match[1] for match in prefixes if match]):
        for lines, match in zip(variant_lines, prefixes, strict=True):
            assert match is not None
            lines[0] = lines[0][match.end() :]
            if not lines[0]:
                del lines[0]

    any_tagged_right = any(match["right"] for match, _segment in raw_variants)
    variants: list[_Variant] = []
    by_text: dict[str, _Variant] = {}
    for position, ((match, _segment), lines) in enumerate(zip(raw_variants, variant_lines, strict=True)):
        at = source.line(match.start())
        tagged_right = bool(match["right"])
        variant = _Variant(
            text=_html(lines, source, images),
            line=at,
            right=tagged_right if any_tagged_right else position == 0,
            tagged_right=tagged_right,
        )
        if not variant.text:
            problem(_("Variant %(number)s is empty.") % {"number": position + 1}, at)
            continue
        key = " ".join(variant.text.casefold().split())  # escaped alike: no need for the full `normalized`
        earlier = by_text.get(key)
        if earlier is None:
            by_text[key] = variant
            variants.append(variant)
        elif earlier.tagged_right or variant.tagged_right:
            earlier.right = earlier.right or variant.right  # a <variantright> repeating a variant: one, right
        else:
            problem(_("This variant repeats the variant on line %(line)s.") % {"line": earlier.line}, at)

    if not raw_variants:
        problem(_("The question has no variants."))
    elif len(raw_variants) == 1:
        problem(_("The question has a single variant: a choice question needs at least two."))
    elif len(variants) == 1 and not problems:
        problem(_("The question has a single variant once repeated ones are merged: it needs at least two."))

    if problems:
        result.problems.extend(problems)
        return
    if len(variants) < _MIN_VARIANTS_NORM:
        reason = ngettext(
            "The question has only %(count)s variant (five is the norm).",
            "The question has only %(count)s variants (five is the norm).",
            len(variants),
        ) % {"count": len(variants)}
        result.warnings.append(Problem(file=filename, line=line, reason=reason))

    right = sum(1 for variant in variants if variant.right)
    share = 1.0 / right
    options = [
        {
            "id": option_id(position),
            "text": variant.text,
            "fraction": share if variant.right else 0.0,
            "feedback": "",
        }
        for position, variant in enumerate(variants)
    ]
    qtype = "single" if right == 1 else "multiple"
    question_images: list[ParsedImage] = []
    for name in dict.fromkeys(images):
        if name in source.images:
            question_images.append(source.images[name])
    result.questions.append(
        ParsedQuestion(
            type=qtype,
            stem=stem,
            data={"options": options, "partial": "all_or_nothing" if qtype == "single" else "partial"},
            line=line,
            difficulty=difficulty,
            images=question_images,
        )
    )
