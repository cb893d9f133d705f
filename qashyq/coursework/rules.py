"""Pure rules of assignments, with no database: lateness and its penalty, the rubric, the kinds of files an
assignment accepts, the receipt's check code, and when a tutor's grading is overdue."""

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from qashyq.coursework.data import FileType, LatePolicy

MAX_POINTS = 100
MAX_CRITERIA = 20
MAX_CRITERION_TITLE = 200
CENT = Decimal("0.01")

# What each kind of file is, by content type (read from the bytes by content) and by extension.
FILE_TYPES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    FileType.PDF: (frozenset({"application/pdf"}), frozenset({"pdf"})),
    FileType.WORD: (
        frozenset(
            {
                "application/msword",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "application/vnd.oasis.opendocument.text",
                "application/rtf",
                "text/rtf",
            }
        ),
        frozenset({"doc", "docx", "odt", "rtf"}),
    ),
    FileType.TEXT: (frozenset({"text/plain"}), frozenset({"txt", "text", "md"})),
    FileType.SPREADSHEET: (
        frozenset(
            {
                "application/vnd.ms-excel",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "application/vnd.oasis.opendocument.spreadsheet",
                "text/csv",
                "text/plain",
            }
        ),
        frozenset({"xls", "xlsx", "ods", "csv"}),
    ),
    FileType.PRESENTATION: (
        frozenset(
            {
                "application/vnd.ms-powerpoint",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                "application/vnd.openxmlformats-officedocument.presentationml.slideshow",
                "application/vnd.oasis.opendocument.presentation",
            }
        ),
        frozenset({"ppt", "pps", "pptx", "ppsx", "odp"}),
    ),
    FileType.IMAGE: (
        frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"}),
        frozenset({"png", "jpg", "jpeg", "jpe", "gif", "webp"}),
    ),
}
# A scanned copy of a paper work: PDF or an image.
SCAN_TYPES = (FileType.PDF.value, FileType.IMAGE.value)


# --- Lateness --------------------------------------------------------------------------------------


def is_late(*, due_at: datetime | None, moment: datetime) -> bool:
    """Whether work handed in at `moment` is late: after the due moment (none: never late)."""
    return due_at is not None and moment > due_at


def is_late_on(*, due_at: datetime | None, received_on: date) -> bool:
    """Whether a paper work received on a day is late: a day after the due moment's day in institution time."""
    return due_at is not None and received_on > timezone.localdate(due_at)


def late_refused(*, policy: str, late: bool) -> bool:
    return late and policy == LatePolicy.REFUSED


def penalty_for(*, policy: str, penalty_percent: int, late: bool) -> int:
    """The percentage taken off the points of a late work (0 unless the policy takes one)."""
    return penalty_percent if late and policy == LatePolicy.PENALTY else 0


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def apply_penalty(points: Decimal, penalty_percent: int) -> Decimal:
    """The score of `points` less `penalty_percent` per cent, to the cent (halves up): 90 less 10 % is 81.00."""
    return cents(points * (100 - penalty_percent) / 100)


def parse_points(value: Any) -> Decimal | None:
    """A number of points as typed (a comma is a decimal point), None when it is not a finite number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def valid_points(value: Decimal, top: Decimal | int = MAX_POINTS) -> bool:
    """0 ≤ value ≤ top, with two decimals at most."""
    return Decimal(0) <= value <= Decimal(top) and value == cents(value)


# --- Rubric ----------------------------------------------------------------------------------------

_CRITERION = re.compile(r"^\s*(\d{1,3})\s*[|:;–—-]?\s*(.*?)\s*$")


@dataclass(frozen=True)
class RubricProblem:
    line: int  # 0: the whole rubric
    message: str


def parse_rubric(text: str) -> tuple[list[dict[str, Any]], list[RubricProblem]]:
    """The criteria of a rubric written one per line, points first ("40 Content"); empty lines are skipped.
    Returns the criteria and every problem found (a line without points or title, points outside 1–100, a
    title too long, too many criteria, points that do not add up to 100). No text: no rubric."""
    criteria: list[dict[str, Any]] = []
    problems: list[RubricProblem] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _CRITERION.match(line)
        if match is None or not match.group(2):
            problems.append(
                RubricProblem(
                    number,
                    _("Line %(line)d: write the points first, then the criterion, as “40 Content”.") % {"line": number},
                )
            )
            continue
        points, title = int(match.group(1)), match.group(2)
        if not 1 <= points <= MAX_POINTS:
            problems.append(
                RubricProblem(number, _("Line %(line)d: a criterion is worth from 1 to 100 points.") % {"line": number})
            )
            continue
        if len(title) > MAX_CRITERION_TITLE:
            problems.append(
                RubricProblem(
                    number,
                    _("Line %(line)d: the criterion is longer than %(max)d characters.")
                    % {"line": number, "max": MAX_CRITERION_TITLE},
                )
            )
            continue
        criteria.append({"title": title, "points": points})
    problems.extend(rubric_problems(criteria) if not problems else [])
    return criteria, problems


def rubric_problems(criteria: list[dict[str, Any]]) -> list[RubricProblem]:
    """What is wrong with a rubric as a whole: too many criteria, or points that do not add up to 100."""
    if not criteria:
        return []
    problems = []
    if len(criteria) > MAX_CRITERIA:
        problems.append(RubricProblem(0, _("A rubric has at most %(max)d criteria.") % {"max": MAX_CRITERIA}))
    total = sum(int(c["points"]) for c in criteria)
    if total != MAX_POINTS:
        problems.append(
            RubricProblem(0, _("The criteria add up to %(total)d points; they must add up to 100.") % {"total": total})
        )
    return problems


def rubric_text(criteria: Iterable[dict[str, Any]]) -> str:
    """A rubric as its editor shows it: one criterion per line, points first."""
    return "\n".join(f"{c['points']} {c['title']}" for c in criteria)


def rubric_score(
    criteria: list[dict[str, Any]], given: dict[str, Any]
) -> tuple[Decimal | None, list[dict[str, Any]], list[str]]:
    """The points of a work from the points given per criterion (keys "0", "1", …): their sum, the criteria
    with what each got, and a problem per criterion without a valid value (0 to its points, two decimals)."""
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    total = Decimal(0)
    for index, criterion in enumerate(criteria):
        top = int(criterion["points"])
        value = parse_points(given.get(str(index)))
        if value is None:
            problems.append(_("Give the points for “%(criterion)s”.") % {"criterion": criterion["title"]})
            continue
        if not valid_points(value, top):
            problems.append(
                _("The points for “%(criterion)s” must be from 0 to %(max)d, with two decimals at most.")
                % {"criterion": criterion["title"], "max": top}
            )
            continue
        rows.append({"title": criterion["title"], "points": top, "given": str(value)})
        total += value
    unknown = sorted(set(given) - {str(i) for i in range(len(criteria))})
    if unknown:
        problems.append(_("The rubric has no criterion %(keys)s.") % {"keys": ", ".join(unknown)})
    return (None if problems else cents(total)), rows, problems


# --- Files -----------------------------------------------------------------------------------------


def extension(name: str) -> str:
    stem, dot, ext = (name or "").rpartition(".")
    return ext.lower() if dot and stem else ""


def extensions_of(kinds: Iterable[str]) -> frozenset[str]:
    found: set[str] = set()
    for kind in kinds:
        found |= FILE_TYPES[kind][1] if kind in FILE_TYPES else frozenset()
    return frozenset(found)


def content_types_of(kinds: Iterable[str]) -> frozenset[str]:
    found: set[str] = set()
    for kind in kinds:
        found |= FILE_TYPES[kind][0] if kind in FILE_TYPES else frozenset()
    return frozenset(found)


def accept_attribute(kinds: Iterable[str]) -> str:
    """The `accept` attribute of a file input for these kinds: ".pdf,.docx,…"."""
    return ",".join(f".{ext}" for ext in sorted(extensions_of(kinds)))


# --- Receipts and grading deadlines ----------------------------------------------------------------


def receipt_digest(payload: dict[str, Any]) -> str:
    """The SHA-256 of a receipt's content (canonical JSON): printed on the receipt, recomputed to check it."""
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""


def receipt_number(*, year: int, serial: int) -> str:
    return f"{year}-{serial:06d}"


def grading_due(*, handed_at: datetime, days: int) -> datetime:
    return handed_at + timedelta(days=days)


def grading_overdue(*, handed_at: datetime, now: datetime, days: int) -> bool:
    """A hand-over not reviewed `days` after it was made is overdue."""
    return now > grading_due(handed_at=handed_at, days=days)
