"""XLSX exports of the gradebook's views: a course journal, a student's own gradebook, the grade distribution of
a course or of an academic period. Each is built from the same selector data as its page, with the headers
in the active language; the file name carries the course code (or the period) and the date."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from qashyq.gradebook.selectors.distribution import Distribution, PeriodDistribution
from qashyq.gradebook.selectors.journal import Journal, part_label
from qashyq.gradebook.selectors.student import OwnGradebook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)


def filename(*parts: str, on: date | None = None) -> str:
    """`gradebook-<parts>-<date>.xlsx`, each part reduced to letters, digits and hyphens (Cyrillic kept)."""
    on = on or timezone.localdate()
    words = [slugify(p, allow_unicode=True) for p in parts if p]
    return "-".join(["gradebook", *[w for w in words if w], on.isoformat()]) + ".xlsx"


def response(book: Workbook, name: str) -> HttpResponse:
    buffer = BytesIO()
    book.save(buffer)
    answer = HttpResponse(buffer.getvalue(), content_type=XLSX)
    answer["Content-Disposition"] = content_disposition_header(True, name)
    return answer


def _sheet(book: Workbook, title: str, *, first: bool = False) -> Worksheet:
    # Excel refuses sheet titles over 31 characters or with []:*?/\
    clean = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet"
    if first:
        sheet = book.active
        assert sheet is not None
        sheet.title = clean
        return sheet
    return book.create_sheet(clean)


def _header(sheet: Worksheet, values: Sequence[Any]) -> None:
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _cell(value: Any) -> Any:
    """A value as a spreadsheet cell: numbers stay numbers, moments become local times without a zone."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def _row(values: Iterable[Any]) -> list[Any]:
    return [_cell(v) for v in values]


# --- The journal of a course ---------------------------------------------------------------------------------


def journal_workbook(journal: Journal) -> Workbook:
    """One sheet: a row per student with every score column, then the computed columns; a second sheet
    describes the columns."""
    book = Workbook()
    sheet = _sheet(book, _("Journal"), first=True)
    columns = journal.columns
    headers = [_("Student"), _("Study group")]
    headers += [f"{c.label} ({_part_short(c.part)})" for c in columns]
    headers += [header for _key, header, _full in journal.computed]
    _header(sheet, headers)
    for row in journal.rows:
        computed = [_computed(row.result, key) for key, _header_text, _full in journal.computed]
        sheet.append(_row([row.full_name, row.group_code, *[cell.score for cell in row.cells], *computed]))
    sheet.freeze_panes = "C2"
    legend = _sheet(book, _("Columns"))
    _header(legend, [_("Column"), _("Meaning")])
    for column in columns:
        legend.append(
            _row([f"{column.label} ({_part_short(column.part)})", f"{column.label}: {part_label(column.part)}"])
        )
    for _key, header, full in journal.computed:
        legend.append([header, full])
    return book


def _part_short(part: str) -> str:
    return {
        "tk1": pgettext("journal column", "TK1"),
        "rk1": pgettext("journal column", "RK1"),
        "tk2": pgettext("journal column", "TK2"),
        "rk2": pgettext("journal column", "RK2"),
        "exam": pgettext("journal column", "Exam"),
        "retake": pgettext("journal column", "FX retake"),
    }.get(part, part)


def _computed(result: Any, key: str) -> Any:
    if key == "traditional":
        return result.traditional
    if key == "admitted":
        return result.admitted if result.computed_at is not None else None
    value = getattr(result, key, None)
    return value if value not in ("",) else None


# --- A student's own gradebook -------------------------------------------------------------------------------


def own_gradebook_workbook(book_data: OwnGradebook, *, student_name: str) -> Workbook:
    """Three sheets: the courses with their results, every control measure with its score, and the GPA."""
    book = Workbook()
    results = _sheet(book, _("Results"), first=True)
    _header(
        results,
        [
            _("Academic year"),
            _("Period"),
            _("Course"),
            _("Discipline"),
            _("Credits"),
            pgettext("journal column", "TK1"),
            pgettext("journal column", "RK1"),
            pgettext("journal column", "R1"),
            pgettext("journal column", "TK2"),
            pgettext("journal column", "RK2"),
            pgettext("journal column", "R2"),
            _("Admission rating"),
            _("Admitted to the exam"),
            _("What is still missing"),
            _("Exam score"),
            _("Final score"),
            _("Letter grade"),
            _("Digital equivalent"),
            _("Traditional grade"),
            _("Status"),
            _("Free retake until"),
        ],
    )
    measures = _sheet(book, _("Control measures"))
    _header(
        measures,
        [
            _("Course"),
            _("Control measure"),
            _("Part of the rating"),
            _("Due"),
            _("Points needed to pass"),
            _("Score"),
            _("FX retake"),
        ],
    )
    for year in book_data.years:
        for block in year.periods:
            number = block.period.number if block.period is not None else None
            for line in block.courses:
                r = line.result
                results.append(
                    _row(
                        [
                            year.year_title,
                            number,
                            line.course.code,
                            line.discipline_name,
                            line.row.credits,
                            *(
                                [r.tk1, r.rk1, r.r1, r.tk2, r.rk2, r.r2, r.admission, r.admitted]
                                if r is not None
                                else [None] * 7 + [False]
                            ),
                            "; ".join(line.missing),
                            *([r.exam, r.final, r.letter or None, r.gpa] if r is not None else [None] * 4),
                            line.traditional or None,
                            line.outcome_label,
                            line.retake_until,
                        ]
                    )
                )
                for m in line.measures:
                    measures.append(
                        _row([line.course.code, m.name, m.part_label, m.due_at, m.pass_points, m.score, m.retake])
                    )
    results.freeze_panes = "D2"
    gpa = _sheet(book, _("GPA"))
    _header(gpa, [_("Student"), student_name])
    _header(gpa, [_("Academic year"), _("Period"), _("Credits"), _("GPA")])
    for period in book_data.gpa.periods:
        gpa.append(_row([period.year_title, period.number, period.credits, period.gpa]))
    for year_gpa in book_data.gpa.years:
        gpa.append(_row([year_gpa.year_title, _("The whole year"), year_gpa.credits, year_gpa.gpa]))
    gpa.append(_row([_("Cumulative"), None, book_data.gpa.credits, book_data.gpa.gpa]))
    return book


# --- Distributions -------------------------------------------------------------------------------------------


def _distribution_sheets(book: Workbook, distribution: Distribution, *, first: bool) -> None:
    letters = _sheet(book, _("Letter grades"), first=first)
    _header(letters, [_("Letter grade"), _("Points"), _("Students")])
    for lc in distribution.letters:
        letters.append([lc.letter, f"{lc.min_points}–{lc.max_points}", lc.count])
    letters.append([_("Total with a letter"), None, distribution.lettered])
    scores = _sheet(book, _("Final scores"))
    _header(scores, [_("Final score"), _("Students")])
    for score_bin in distribution.bins:
        scores.append([score_bin.label, score_bin.count])
    scores.append([_("Total with a final score"), distribution.graded])
    scores.append([_("Mean final score"), distribution.mean])


def course_distribution_workbook(distribution: Distribution) -> Workbook:
    book = Workbook()
    _distribution_sheets(book, distribution, first=True)
    return book


def period_distribution_workbook(data: PeriodDistribution) -> Workbook:
    """The per-course table (letters as columns), then the period's letters and final scores."""
    book = Workbook()
    courses = _sheet(book, _("Courses"), first=True)
    _header(courses, [_("Course"), _("Title"), *data.letters, _("Students"), _("Mean final score")])
    for row in data.courses:
        courses.append(
            _row(
                [
                    row.course.code,
                    row.course.title,
                    *row.counts,
                    row.distribution.students,
                    row.distribution.mean,
                ]
            )
        )
    courses.append(
        _row([_("Total"), None, *(lc.count for lc in data.total.letters), data.total.students, data.total.mean])
    )
    courses.freeze_panes = "C2"
    _distribution_sheets(book, data.total, first=False)
    return book
