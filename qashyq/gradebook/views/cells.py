"""The HTML of the journal's cells, built in Python: a 30 × 40 journal has 1,200 cells and 390 computed ones, and
the template language spends about 100 µs on each, more than the whole page may take. Every text is translated
once per page and escaped once per student or column; the page's template puts the rows' cells in place.

A cell open for entry is a small form (a normal POST without JavaScript; with htmx it posts on Enter or when the
value changes and is replaced by the answer). A cell that takes no entry shows the score as a link to its
details (who entered it, when, its history; a change request once the period is closed)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from html import escape

from django.utils import dateformat, formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from qashyq.gradebook.selectors.journal import Cell, Column, Journal, ResultCells, Row


def _attr(text: str) -> str:
    return escape(text, quote=True)


@dataclass(frozen=True)
class Texts:
    """What the cells say, in the active language."""

    entered: str
    not_admitted: str
    retake_closed: str
    request_grade: str
    reason_label: str
    save: str
    yes: str
    no: str
    retake: str
    decimal_separator: str
    datetime_format: str

    @classmethod
    def now(cls) -> "Texts":
        return cls(
            entered=_("Entered by %(who)s, %(when)s"),
            not_admitted=_("not admitted"),
            retake_closed=_("retake closed"),
            request_grade=_("Request a grade for %(name)s, %(column)s"),
            reason_label=_("Reason for the change"),
            save=_("Save"),
            yes=_("yes"),
            no=_("no"),
            retake=_("retake"),
            decimal_separator=str(formats.get_format("DECIMAL_SEPARATOR")),
            datetime_format=str(formats.get_format("SHORT_DATETIME_FORMAT")),
        )


class CellRenderer:
    """Renders the cells of one journal for one request."""

    def __init__(self, *, journal: Journal, enter_url: str, grades_url: str, csrf_token: str) -> None:
        self.journal = journal
        self.texts = Texts.now()
        self.enter = _attr(enter_url)
        self.grades = _attr(grades_url)
        self.csrf = _attr(csrf_token)
        self.labels = {column.key: _attr(column.label) for column in journal.columns}
        self._names: dict[int, str] = {}

    # --- values ---

    def number(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        text = str(value)
        return text.replace(".", self.texts.decimal_separator) if self.texts.decimal_separator != "." else text

    def moment(self, value: datetime | None) -> str:
        if value is None:
            return ""
        return dateformat.format(timezone.localtime(value), self.texts.datetime_format)

    def _name(self, row: Row) -> str:
        name = self._names.get(row.student_id)
        if name is None:
            name = self._names[row.student_id] = _attr(row.full_name)
        return name

    def _entered(self, cell: Cell) -> str:
        return _attr(self.texts.entered % {"who": cell.entered_by, "when": self.moment(cell.entered_at)})

    def _detail_url(self, cell: Cell) -> str:
        url = f"{self.grades}{cell.measure_id}/{cell.student_id}/"
        return url if cell.attempt == 1 else f"{url}?attempt={cell.attempt}"

    # --- cells ---

    def cell(
        self,
        row: Row,
        column: Column,
        cell: Cell,
        *,
        error: str = "",
        typed: str = "",
        ask_reason: bool = False,
        reason: str = "",
    ) -> str:
        key = cell.key
        name, label = self._name(row), self.labels[column.key]
        message = f'<p id="e{key}" class="qh-cell-msg" role="alert">{escape(error)}</p>' if error else ""
        if cell.editable:
            value = _attr(typed) if error else self.number(cell.score)
            attempt = f'<input type="hidden" name="attempt" value="{cell.attempt}">' if cell.attempt != 1 else ""
            title = f' title="{self._entered(cell)}"' if cell.entered_at else ""
            invalid = f' aria-invalid="true" aria-describedby="e{key}"' if error else ""
            asked = ""
            if ask_reason:
                asked = (
                    f'<label class="form-label small mt-1 mb-0" for="r{key}">{escape(self.texts.reason_label)}</label>'
                    f'<input id="r{key}" name="reason" value="{_attr(reason)}" class="form-control form-control-sm"'
                    f' maxlength="1000" required autofocus>'
                    f'<button type="submit" class="btn btn-sm btn-primary mt-1">{escape(self.texts.save)}</button>'
                )
            trigger = "submit" if ask_reason else "submit,change"
            body = (
                f'<form method="post" action="{self.enter}" hx-post="{self.enter}" hx-trigger="{trigger}">'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.csrf}">'
                f'<input type="hidden" name="measure" value="{cell.measure_id}">'
                f'<input type="hidden" name="student" value="{cell.student_id}">{attempt}'
                f'<input id="s{key}" name="score" value="{value}" class="form-control form-control-sm qh-score"'
                f' inputmode="decimal" autocomplete="off" aria-label="{name}: {label}"{title}{invalid}>'
                f"{asked}{message}</form>"
            )
            message = ""
        elif cell.blocked:
            text = {"not_admitted": self.texts.not_admitted, "retake_closed": self.texts.retake_closed}.get(
                cell.blocked, "–"
            )
            body = f'<span class="qh-blocked">{escape(text)}</span>'
        elif cell.score is not None:
            score = self.number(cell.score)
            body = (
                f'<a href="{self._detail_url(cell)}" title="{self._entered(cell)}"'
                f' aria-label="{score}: {name}, {label}">{score}</a>'
            )
        elif cell.closed and self.journal.can_enter:
            request = _attr(self.texts.request_grade % {"name": row.full_name, "column": column.label})
            body = f'<a href="{self._detail_url(cell)}" aria-label="{request}">–</a>'
        else:
            body = '<span class="text-body-secondary">–</span>'
        error_class = " qh-cell-error" if error else ""
        return f'<td id="c{key}" class="qh-cell{error_class}">{body}{message}</td>'

    def row_cells(self, row: Row) -> SafeString:
        pairs = zip(self.journal.columns, row.cells, strict=True)
        return mark_safe("".join(self.cell(row, column, cell) for column, cell in pairs))  # noqa: S308 (escaped above)

    def results(self, row: Row, *, oob: bool = False) -> SafeString:
        """The computed columns of a row (out of band: to replace those on the page after an entry)."""
        r: ResultCells = row.result
        s = row.student_id
        swap = ' hx-swap-oob="true"' if oob else ""
        number = self.number
        if not row.has_result:
            admitted = ""
        elif r.admitted:
            admitted = escape(self.texts.yes)
        else:
            admitted = f'<span title="{_attr(r.outcome_label)}">{escape(self.texts.no)}</span>'
        exam = number(r.exam) + (
            f' <span class="small">({escape(self.texts.retake)})</span>' if r.exam_attempt == 2 else ""
        )
        values = (
            ("tk1", "", number(r.tk1)),
            ("rk1", "", number(r.rk1)),
            ("r1", " fw-semibold", number(r.r1)),
            ("tk2", "", number(r.tk2)),
            ("rk2", "", number(r.rk2)),
            ("r2", " fw-semibold", number(r.r2)),
            ("admission", " fw-semibold", number(r.admission)),
            ("admitted", "", admitted),
            ("exam", "", exam),
            ("final", " fw-semibold", number(r.final)),
            ("letter", " fw-bold", escape(r.letter)),
            ("gpa", "", number(r.gpa)),
            ("traditional", "", escape(r.traditional)),
        )
        return mark_safe(  # noqa: S308 (every value escaped above)
            "".join(f'<td id="r{s}-{key}" class="qh-computed{extra}"{swap}>{html}</td>' for key, extra, html in values)
        )
