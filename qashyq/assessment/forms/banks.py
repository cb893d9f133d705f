"""Forms of question banks: a bank, the filters of the lists, the question editor of every type, images and
the import upload.

The question editor is one form per type: the fields every question has (text, topic, difficulty,
points, language, feedback) and the type's own rows (options, pairs, items, answers, units, gaps, rubric)
as numbered fields (`row_3_text`, …). Empty rows are left out; "More rows" shows three more.
`content()` gives the question's `data` in the shapes of `rules/__init__.py`.
"""

import math
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qashyq.assessment.data import Difficulty, PartialCredit, QuestionLanguage, QuestionType
from qashyq.assessment.formats import registry
from qashyq.assessment.formats.common import option_id
from qashyq.assessment.rules.questions import GAP_MARKER
from qashyq.core.forms import BootstrapForm

ROW_TITLES: dict[tuple[str, str], Any] = {
    ("single", "text"): gettext_lazy("Option"),
    ("single", "fraction"): gettext_lazy("Right"),
    ("multiple", "text"): gettext_lazy("Option"),
    ("multiple", "fraction"): gettext_lazy("Share of the points, %"),
    ("matching", "left"): gettext_lazy("Left"),
    ("matching", "right"): gettext_lazy("Right side"),
    ("ordering", "text"): gettext_lazy("Item, in the right order"),
    ("short", "text"): gettext_lazy("Accepted answer"),
    ("numeric", "value"): gettext_lazy("Accepted number"),
    ("numeric", "tolerance"): gettext_lazy("Tolerance ±"),
    ("essay", "criterion"): gettext_lazy("Criterion"),
    ("essay", "points"): gettext_lazy("Points"),
    ("", "fraction"): gettext_lazy("Share of the points, %"),
    ("", "feedback"): gettext_lazy("Feedback"),
}
EXTRA_ROWS = 2
MORE_ROWS = 3


class BankForm(BootstrapForm):
    discipline = forms.TypedChoiceField(label=gettext_lazy("Discipline"), coerce=int)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=300)
    description = forms.CharField(label=gettext_lazy("Description"), required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args: Any, disciplines: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["discipline"].choices = [("", "—"), *disciplines]  # type: ignore[attr-defined]


class BankFilterForm(BootstrapForm):
    discipline = forms.TypedChoiceField(label=gettext_lazy("Discipline"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, disciplines: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["discipline"].choices = [("", _("Every discipline")), *disciplines]  # type: ignore[attr-defined]


class QuestionFilterForm(BootstrapForm):
    topic = forms.TypedChoiceField(label=gettext_lazy("Topic"), coerce=int, required=False, empty_value=None)
    type = forms.ChoiceField(label=gettext_lazy("Type"), required=False)
    difficulty = forms.TypedChoiceField(label=gettext_lazy("Difficulty"), coerce=int, required=False, empty_value=None)
    q = forms.CharField(label=gettext_lazy("Words of the text"), required=False, max_length=100)
    archived = forms.TypedChoiceField(
        label=gettext_lazy("Questions"),
        required=False,
        coerce=lambda v: v == "1",
        empty_value=False,  # type: ignore[arg-type]
        choices=[("", gettext_lazy("In use")), ("1", gettext_lazy("Archived"))],
    )

    def __init__(self, *args: Any, topics: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Every topic")), *topics]  # type: ignore[attr-defined]
        self.fields["type"].choices = [("", _("Every type")), *QuestionType.choices]  # type: ignore[attr-defined]
        self.fields["difficulty"].choices = [("", _("Any difficulty")), *Difficulty.choices]  # type: ignore[attr-defined]


class ImageForm(BootstrapForm):
    file = forms.FileField(
        label=gettext_lazy("Image"),
        help_text=gettext_lazy("PNG, JPEG, GIF or WebP."),
        widget=forms.ClearableFileInput({"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )


class ImportForm(BootstrapForm):
    file = forms.FileField(
        label=gettext_lazy("Question file"),
        help_text=gettext_lazy(
            "The Kazakh <question>/<variant> format (.txt, .docx), GIFT (.gift, .txt), Moodle XML (.xml), "
            "Aiken (.txt) or IMS QTI 2.1 (.xml, .zip); up to 20 MB."
        ),
    )
    fmt = forms.ChoiceField(label=gettext_lazy("Format"), required=False)
    difficulty_tags = forms.BooleanField(
        label=gettext_lazy("<question2> and <question3> mean difficulty 2 (medium) and 3 (hard)"),
        help_text=gettext_lazy("Leave unticked when the file numbers its questions that way."),
        required=False,
        initial=True,
    )
    category = forms.CharField(
        label=gettext_lazy("Put the questions under the topic"),
        help_text=gettext_lazy("Optional; levels separated by “/”. The file's own topics go beneath it."),
        required=False,
        max_length=300,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fmt"].choices = [  # type: ignore[attr-defined]
            ("auto", _("Tell from the file")),
            *((fmt.id, str(fmt.label)) for fmt in registry.FORMATS.values()),
        ]


# --- the question editor ------------------------------------------------------------------------------


class QuestionForm(BootstrapForm):
    """The fields of every question; subclasses add the type's own rows."""

    qtype: str = ""
    template_name_rows = ""
    row_fields: tuple[str, ...] = ()  # the fields of one row
    row_label = gettext_lazy("Row")

    name = forms.CharField(
        label=gettext_lazy("Name"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("A short name to find the question by (optional)."),
    )
    stem = forms.CharField(
        label=gettext_lazy("Question text"),
        widget=forms.Textarea({"rows": 5}),
        required=False,
        help_text=gettext_lazy(
            "HTML: <p>, <strong>, <em>, <sub>, <sup>, lists, tables and images of the bank (paste their "
            "address). Formulas as \\( … \\) or $$ … $$."
        ),
    )
    category_path = forms.CharField(
        label=gettext_lazy("Topic"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Levels separated by “/”; a new topic is made when needed."),
    )
    difficulty = forms.TypedChoiceField(
        label=gettext_lazy("Difficulty"), coerce=int, choices=Difficulty.choices, initial=Difficulty.SIMPLE
    )
    points = forms.DecimalField(
        label=gettext_lazy("Points"), min_value=Decimal("0.01"), max_digits=6, decimal_places=2, initial=1
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=QuestionLanguage.choices, initial="kk")
    feedback = forms.CharField(
        label=gettext_lazy("General feedback"), required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(
        self, *args: Any, data_initial: dict[str, Any] | None = None, rows: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.data_initial = data_initial or {}
        wanted = self.initial_rows()
        if self.is_bound:
            wanted = max(wanted, self._posted_rows())
        self.rows = max(rows or 0, wanted + (0 if self.is_bound else EXTRA_ROWS), self.min_rows())
        self.add_type_fields()
        if self.row_fields:
            for index in range(self.rows):
                self.add_row(index)
        if not self.is_bound:
            self.fill_initial()
        for bound in self.fields.values():  # rows get their Bootstrap classes too
            widget = bound.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")

    # row machinery
    def min_rows(self) -> int:
        return 2 if self.row_fields else 0

    def initial_rows(self) -> int:
        return 0

    def _posted_rows(self) -> int:
        found = -1
        for key in self.data:
            match = re.match(r"^row_(\d+)_", key)
            if match:
                found = max(found, int(match.group(1)))
        return min(found + 1, 200)

    def add_type_fields(self) -> None:
        """The type's fields besides its rows."""

    def add_row(self, index: int) -> None:
        """The fields of row `index` (named row_<index>_<field>)."""

    def fill_initial(self) -> None:
        """Put the question's data into the fields (an edited question)."""

    def row(self, index: int) -> dict[str, Any]:
        return {name: self.cleaned_data.get(f"row_{index}_{name}") for name in self.row_fields}

    def row_is_empty(self, values: dict[str, Any]) -> bool:
        return not any(v not in (None, "", False) for v in values.values())

    def filled_rows(self) -> list[tuple[int, dict[str, Any]]]:
        out = []
        for index in range(self.rows):
            values = self.row(index)
            if not self.row_is_empty(values):
                out.append((index, values))
        return out

    def row_list(self) -> list[list[forms.BoundField]]:
        """The bound fields of each row, for the template."""
        return [[self[f"row_{i}_{name}"] for name in self.row_fields] for i in range(self.rows)]

    def row_headers(self) -> list[str]:
        """The column titles of the rows."""
        return [str(ROW_TITLES.get((self.qtype, name)) or ROW_TITLES.get(("", name), name)) for name in self.row_fields]

    def extra_fields(self) -> list[forms.BoundField]:
        """The type's fields that are not in rows."""
        common = set(QuestionForm.base_fields)
        return [self[name] for name in self.fields if name not in common and not name.startswith("row_")]

    def content(self) -> dict[str, Any]:
        raise NotImplementedError

    def question_fields(self) -> dict[str, Any]:
        """The service's keyword arguments."""
        cleaned = self.cleaned_data
        return {
            "stem": cleaned["stem"],
            "data": self.content(),
            "category_path": cleaned["category_path"],
            "difficulty": cleaned["difficulty"],
            "points": cleaned["points"],
            "name": cleaned["name"],
            "feedback": cleaned["feedback"],
            "language": cleaned["language"],
        }

    def _set(self, name: str, value: Any) -> None:
        if name in self.fields:
            self.initial[name] = value


def _text(label: Any, *, required: bool = False, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea({"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, required=required, widget=widget, max_length=5000)


def _percent(label: Any, *, low: int = -100) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=Decimal(low), max_value=Decimal(100), max_digits=8, decimal_places=4
    )


def _fraction(value: Any) -> float:
    return round(float(value or 0) / 100, 6)


def _pct(value: Any) -> Decimal:
    return Decimal(str(round(float(value or 0) * 100, 4))).normalize()


class ChoiceForm(QuestionForm):
    """Single and multiple choice: option rows of text and (single) a "right" tick or (multiple) a fraction."""

    row_fields = ("text", "fraction", "feedback")
    single = False

    def min_rows(self) -> int:
        return 4

    def initial_rows(self) -> int:
        return len(self.data_initial.get("options", []))

    def add_type_fields(self) -> None:
        if not self.single:
            self.fields["partial"] = forms.ChoiceField(
                label=_("Partial credit"), choices=PartialCredit.choices, initial=PartialCredit.PARTIAL
            )

    def add_row(self, index: int) -> None:
        self.fields[f"row_{index}_text"] = _text(_("Option %(n)d") % {"n": index + 1})
        if self.single:
            self.fields[f"row_{index}_fraction"] = forms.BooleanField(
                label=_("Option %(n)d is right") % {"n": index + 1}, required=False
            )
        else:
            self.fields[f"row_{index}_fraction"] = _percent(
                _("Option %(n)d: share of the points, %%") % {"n": index + 1}
            )
        self.fields[f"row_{index}_feedback"] = _text(_("Option %(n)d: feedback") % {"n": index + 1})

    def row_is_empty(self, values: dict[str, Any]) -> bool:
        return not (values.get("text") or "").strip() and not (values.get("feedback") or "").strip()

    def fill_initial(self) -> None:
        for index, option in enumerate(self.data_initial.get("options", [])):
            self._set(f"row_{index}_text", option.get("text", ""))
            fraction = option.get("fraction", 0)
            self._set(f"row_{index}_fraction", fraction >= 1 if self.single else _pct(fraction))
            self._set(f"row_{index}_feedback", option.get("feedback", ""))
        if not self.single:
            self._set("partial", self.data_initial.get("partial", PartialCredit.PARTIAL))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.single and sum(1 for _i, row in self.filled_rows() if row["fraction"]) > 1:
            self.add_error(None, _("Tick one right option only: this is a single-choice question."))
        return cleaned

    def content(self) -> dict[str, Any]:
        options = []
        for position, (_index, row) in enumerate(self.filled_rows()):
            fraction = (1.0 if row["fraction"] else 0.0) if self.single else _fraction(row["fraction"])
            options.append(
                {
                    "id": option_id(position),
                    "text": row["text"] or "",
                    "fraction": fraction,
                    "feedback": row["feedback"] or "",
                }
            )
        data: dict[str, Any] = {"options": options}
        data["partial"] = PartialCredit.ALL_OR_NOTHING.value if self.single else self.cleaned_data.get("partial")
        return data


class SingleForm(ChoiceForm):
    qtype = QuestionType.SINGLE
    single = True


class MultipleForm(ChoiceForm):
    qtype = QuestionType.MULTIPLE


class TrueFalseForm(QuestionForm):
    qtype = QuestionType.TRUE_FALSE

    def add_type_fields(self) -> None:
        self.fields["answer"] = forms.TypedChoiceField(
            label=_("The statement is"),
            choices=[("true", _("True")), ("false", _("False"))],
            coerce=lambda v: v == "true",
            widget=forms.RadioSelect,
        )
        self.fields["feedback_true"] = _text(_("Feedback to the answer “true”"))
        self.fields["feedback_false"] = _text(_("Feedback to the answer “false”"))

    def fill_initial(self) -> None:
        if "answer" in self.data_initial:
            self._set("answer", "true" if self.data_initial["answer"] else "false")
        self._set("feedback_true", self.data_initial.get("feedback_true", ""))
        self._set("feedback_false", self.data_initial.get("feedback_false", ""))

    def content(self) -> dict[str, Any]:
        return {
            "answer": bool(self.cleaned_data["answer"]),
            "feedback_true": self.cleaned_data["feedback_true"],
            "feedback_false": self.cleaned_data["feedback_false"],
        }


class MatchingForm(QuestionForm):
    qtype = QuestionType.MATCHING
    row_fields = ("left", "right")

    def min_rows(self) -> int:
        return 3

    def initial_rows(self) -> int:
        return len(self.data_initial.get("pairs", []))

    def add_type_fields(self) -> None:
        self.fields["distractors"] = _text(_("Extra right-side answers that match nothing (one a line)"), rows=3)

    def add_row(self, index: int) -> None:
        self.fields[f"row_{index}_left"] = _text(_("Pair %(n)d: left") % {"n": index + 1})
        self.fields[f"row_{index}_right"] = _text(_("Pair %(n)d: right") % {"n": index + 1})

    def fill_initial(self) -> None:
        for index, pair in enumerate(self.data_initial.get("pairs", [])):
            self._set(f"row_{index}_left", pair.get("left", ""))
            self._set(f"row_{index}_right", pair.get("right", ""))
        self._set("distractors", "\n".join(self.data_initial.get("distractors", [])))

    def content(self) -> dict[str, Any]:
        pairs = [
            {"id": f"p{position + 1}", "left": row["left"] or "", "right": row["right"] or ""}
            for position, (_index, row) in enumerate(self.filled_rows())
        ]
        distractors = [line.strip() for line in self.cleaned_data["distractors"].splitlines() if line.strip()]
        return {"pairs": pairs, "distractors": distractors}


class OrderingForm(QuestionForm):
    qtype = QuestionType.ORDERING
    row_fields = ("text",)

    def min_rows(self) -> int:
        return 4

    def initial_rows(self) -> int:
        return len(self.data_initial.get("items", []))

    def add_row(self, index: int) -> None:
        self.fields[f"row_{index}_text"] = _text(_("Item %(n)d (in the right order)") % {"n": index + 1})

    def fill_initial(self) -> None:
        for index, item in enumerate(self.data_initial.get("items", [])):
            self._set(f"row_{index}_text", item.get("text", ""))

    def content(self) -> dict[str, Any]:
        return {
            "items": [
                {"id": f"i{position + 1}", "text": row["text"] or ""}
                for position, (_index, row) in enumerate(self.filled_rows())
            ]
        }


class ShortForm(QuestionForm):
    qtype = QuestionType.SHORT
    row_fields = ("text", "fraction", "feedback")

    def min_rows(self) -> int:
        return 3

    def initial_rows(self) -> int:
        return len(self.data_initial.get("answers", []))

    def add_type_fields(self) -> None:
        self.fields["case_sensitive"] = forms.BooleanField(label=_("Letter case matters"), required=False)

    def add_row(self, index: int) -> None:
        self.fields[f"row_{index}_text"] = _text(_("Accepted answer %(n)d") % {"n": index + 1})
        self.fields[f"row_{index}_fraction"] = _percent(
            _("Answer %(n)d: share of the points, %%") % {"n": index + 1}, low=0
        )
        self.fields[f"row_{index}_feedback"] = _text(_("Answer %(n)d: feedback") % {"n": index + 1})

    def row_is_empty(self, values: dict[str, Any]) -> bool:
        return not (values.get("text") or "").strip()

    def fill_initial(self) -> None:
        for index, answer in enumerate(self.data_initial.get("answers", [])):
            self._set(f"row_{index}_text", answer.get("text", ""))
            self._set(f"row_{index}_fraction", _pct(answer.get("fraction", 0)))
            self._set(f"row_{index}_feedback", answer.get("feedback", ""))
        self._set("case_sensitive", bool(self.data_initial.get("case_sensitive")))

    def content(self) -> dict[str, Any]:
        answers = [
            {
                "text": row["text"].strip(),
                "fraction": 1.0 if row["fraction"] is None else _fraction(row["fraction"]),
                "feedback": row["feedback"] or "",
            }
            for _index, row in self.filled_rows()
        ]
        return {"answers": answers, "case_sensitive": bool(self.cleaned_data.get("case_sensitive"))}


class NumericForm(QuestionForm):
    qtype = QuestionType.NUMERIC
    row_fields = ("value", "tolerance", "fraction", "feedback")

    def min_rows(self) -> int:
        return 2

    def initial_rows(self) -> int:
        return len(self.data_initial.get("answers", []))

    def add_type_fields(self) -> None:
        units = self.data_initial.get("units", [])
        count = max(len(units) + (0 if self.is_bound else 1), 2)
        if self.is_bound:
            count = max(
                count, 1 + max((int(m.group(1)) for k in self.data if (m := re.match(r"^unit_(\d+)_", k))), default=-1)
            )
        self.unit_rows = min(count, 50)
        for index in range(self.unit_rows):
            self.fields[f"unit_{index}_unit"] = _text(_("Unit %(n)d") % {"n": index + 1})
            self.fields[f"unit_{index}_multiplier"] = forms.FloatField(
                label=_("Unit %(n)d: multiplier") % {"n": index + 1}, required=False
            )
        self.fields["unit_required"] = forms.BooleanField(label=_("The unit must be given"), required=False)

    def add_row(self, index: int) -> None:
        self.fields[f"row_{index}_value"] = forms.FloatField(
            label=_("Accepted number %(n)d") % {"n": index + 1}, required=False
        )
        self.fields[f"row_{index}_tolerance"] = forms.FloatField(
            label=_("Number %(n)d: tolerance ±") % {"n": index + 1}, required=False, min_value=0
        )
        self.fields[f"row_{index}_fraction"] = _percent(
            _("Number %(n)d: share of the points, %%") % {"n": index + 1}, low=0
        )
        self.fields[f"row_{index}_feedback"] = _text(_("Number %(n)d: feedback") % {"n": index + 1})

    def row_is_empty(self, values: dict[str, Any]) -> bool:
        return values.get("value") is None

    def unit_list(self) -> list[list[forms.BoundField]]:
        return [[self[f"unit_{i}_unit"], self[f"unit_{i}_multiplier"]] for i in range(self.unit_rows)]

    def extra_fields(self) -> list[forms.BoundField]:
        return [self["unit_required"]]

    def fill_initial(self) -> None:
        for index, answer in enumerate(self.data_initial.get("answers", [])):
            self._set(f"row_{index}_value", answer.get("value"))
            self._set(f"row_{index}_tolerance", answer.get("tolerance", 0))
            self._set(f"row_{index}_fraction", _pct(answer.get("fraction", 0)))
            self._set(f"row_{index}_feedback", answer.get("feedback", ""))
        for index, unit in enumerate(self.data_initial.get("units", [])):
            self._set(f"unit_{index}_unit", unit.get("unit", ""))
            self._set(f"unit_{index}_multiplier", unit.get("multiplier", 1.0))
        self._set("unit_required", bool(self.data_initial.get("unit_required")))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for _index, row in self.filled_rows():
            if row["value"] is not None and not math.isfinite(row["value"]):
                self.add_error(None, _("Every accepted number must be finite."))
        return cleaned

    def content(self) -> dict[str, Any]:
        answers = [
            {
                "value": float(row["value"]),
                "tolerance": float(row["tolerance"] or 0),
                "fraction": 1.0 if row["fraction"] is None else _fraction(row["fraction"]),
                "feedback": row["feedback"] or "",
            }
            for _index, row in self.filled_rows()
        ]
        units = []
        for index in range(self.unit_rows):
            unit = (self.cleaned_data.get(f"unit_{index}_unit") or "").strip()
            if unit:
                multiplier = self.cleaned_data.get(f"unit_{index}_multiplier")
                units.append({"unit": unit, "multiplier": 1.0 if multiplier is None else float(multiplier)})
        return {"answers": answers, "units": units, "unit_required": bool(self.cleaned_data.get("unit_required"))}


GAP_KIND_CHOICES = [
    ("short", gettext_lazy("Short answer")),
    ("numeric", gettext_lazy("Number")),
    ("choice", gettext_lazy("Choice")),
]


def gap_lines(gap: dict[str, Any]) -> str:
    """A gap's answers as the editor writes them, one a line: short — the text ("=" before it when it earns
    less than all, with "NN%" after "="); numeric — value or value±tolerance; choice — options, the right
    one(s) starting with "=", the others with "~"."""
    kind = gap.get("kind")
    lines = []
    if kind == "choice":
        for option in gap.get("options", []):
            lines.append(("=" if float(option.get("fraction", 0)) >= 1 else "~") + str(option.get("text", "")))
    elif kind == "numeric":
        for answer in gap.get("answers", []):
            tolerance = float(answer.get("tolerance", 0) or 0)
            value = f"{answer.get('value')}"
            lines.append(f"{value}±{tolerance:g}" if tolerance else value)
    else:
        for answer in gap.get("answers", []):
            fraction = float(answer.get("fraction", 1))
            text = str(answer.get("text", ""))
            lines.append(text if fraction >= 1 else f"%{fraction * 100:g}%{text}")
    return "\n".join(lines)


_PARTIAL = re.compile(r"^%(-?\d+(?:\.\d+)?)%(.*)$")
_NUMBER = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?(?:[eE]-?\d+)?)\s*(?:(?:±|\+-|:)\s*(\d+(?:[.,]\d+)?))?\s*$")


class ClozeForm(QuestionForm):
    """Fill in the blanks: the text with {{1}}, {{2}} … and, per gap, its kind, points and answers."""

    qtype = QuestionType.CLOZE

    def add_type_fields(self) -> None:
        self.fields["text"] = _text(_("Text with the gaps {{1}}, {{2}}, …"), rows=5)
        self.fields["text"].required = True
        ids: list[str] = [str(g.get("id")) for g in self.data_initial.get("gaps", [])]
        source = self.data.get(self.add_prefix("text"), "") if self.is_bound else self.data_initial.get("text", "")
        for marker in GAP_MARKER.findall(str(source or "")):
            if marker not in ids:
                ids.append(marker)
        if not ids:
            ids = ["1", "2"]
        self.gap_ids = ids[:50]
        for gap_id in self.gap_ids:
            self.fields[f"gap_{gap_id}_kind"] = forms.ChoiceField(
                label=_("Gap {{%(id)s}}: kind") % {"id": gap_id}, choices=GAP_KIND_CHOICES, initial="short"
            )
            self.fields[f"gap_{gap_id}_points"] = forms.DecimalField(
                label=_("Gap {{%(id)s}}: points") % {"id": gap_id},
                min_value=Decimal("0.01"),
                max_digits=6,
                decimal_places=2,
                initial=1,
                required=False,
            )
            self.fields[f"gap_{gap_id}_answers"] = _text(
                _("Gap {{%(id)s}}: answers, one a line") % {"id": gap_id}, rows=3
            )
            self.fields[f"gap_{gap_id}_case"] = forms.BooleanField(
                label=_("Gap {{%(id)s}}: letter case matters") % {"id": gap_id}, required=False
            )
        self.fields["text"].help_text = _(
            "Answers, one a line. Short answer: each accepted text. Number: 4 or 4±0.1. "
            "Choice: every option, the right one starting with “=”, the others with “~”. Save with new "
            "markers to get their answer boxes."
        )

    def gap_list(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (gap_id, [self[f"gap_{gap_id}_{name}"] for name in ("kind", "points", "answers", "case")])
            for gap_id in self.gap_ids
        ]

    def extra_fields(self) -> list[forms.BoundField]:
        return [self["text"]]

    def fill_initial(self) -> None:
        self._set("text", self.data_initial.get("text", ""))
        for gap in self.data_initial.get("gaps", []):
            gap_id = str(gap.get("id"))
            self._set(f"gap_{gap_id}_kind", gap.get("kind", "short"))
            self._set(f"gap_{gap_id}_points", gap.get("points", 1))
            self._set(f"gap_{gap_id}_answers", gap_lines(gap))
            self._set(f"gap_{gap_id}_case", bool(gap.get("case_sensitive")))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._gaps: list[dict[str, Any]] = []
        markers = GAP_MARKER.findall(cleaned.get("text") or "")
        for gap_id in self.gap_ids:
            if gap_id not in markers:
                continue
            try:
                self._gaps.append(self._gap(gap_id, cleaned))
            except ValidationError as error:
                self.add_error(f"gap_{gap_id}_answers", error)
        return cleaned

    def _gap(self, gap_id: str, cleaned: dict[str, Any]) -> dict[str, Any]:
        kind = cleaned.get(f"gap_{gap_id}_kind") or "short"
        points = cleaned.get(f"gap_{gap_id}_points") or Decimal(1)
        lines = [line.strip() for line in (cleaned.get(f"gap_{gap_id}_answers") or "").splitlines() if line.strip()]
        if not lines:
            raise ValidationError(_("Give the answers of gap {{%(id)s}}.") % {"id": gap_id})
        gap: dict[str, Any] = {"id": gap_id, "kind": kind, "points": float(points)}
        if kind == "choice":
            options = []
            for position, line in enumerate(lines):
                right = line.startswith("=")
                text = line[1:].strip() if line[0] in "=~" else line
                options.append(
                    {"id": option_id(position), "text": text, "fraction": 1.0 if right else 0.0, "feedback": ""}
                )
            gap["options"] = options
        elif kind == "numeric":
            answers = []
            for line in lines:
                match = _NUMBER.match(line)
                if match is None:
                    raise ValidationError(_("“%(line)s” is not a number (write 4 or 4±0.1).") % {"line": line})
                value = float(match.group(1).replace(",", "."))
                tolerance = float((match.group(2) or "0").replace(",", "."))
                answers.append({"value": value, "tolerance": tolerance, "fraction": 1.0, "feedback": ""})
            gap["answers"] = answers
        else:
            answers = []
            for line in lines:
                match = _PARTIAL.match(line)
                fraction, text = (float(match.group(1)) / 100, match.group(2).strip()) if match else (1.0, line)
                answers.append({"text": text, "fraction": fraction, "feedback": ""})
            gap["answers"] = answers
            gap["case_sensitive"] = bool(cleaned.get(f"gap_{gap_id}_case"))
        return gap

    def content(self) -> dict[str, Any]:
        return {"text": self.cleaned_data["text"], "gaps": self._gaps}


class EssayForm(QuestionForm):
    qtype = QuestionType.ESSAY
    row_fields = ("criterion", "points")

    def min_rows(self) -> int:
        return 2

    def initial_rows(self) -> int:
        return len(self.data_initial.get("rubric", []))

    def add_type_fields(self) -> None:
        self.fields["min_words"] = forms.IntegerField(label=_("Least number of words (0: any)"), min_value=0, initial=0)
        self.fields["max_words"] = forms.IntegerField(label=_("Most words (0: any)"), min_value=0, initial=0)
        self.fields["template"] = _text(_("Text the answer box starts with"), rows=3)

    def add_row(self, index: int) -> None:
        self.fields[f"row_{index}_criterion"] = _text(_("Criterion %(n)d") % {"n": index + 1})
        self.fields[f"row_{index}_points"] = forms.DecimalField(
            label=_("Criterion %(n)d: points") % {"n": index + 1},
            required=False,
            min_value=Decimal("0.01"),
            max_digits=6,
            decimal_places=2,
        )

    def fill_initial(self) -> None:
        for index, row in enumerate(self.data_initial.get("rubric", [])):
            self._set(f"row_{index}_criterion", row.get("criterion", ""))
            self._set(f"row_{index}_points", row.get("points"))
        for name in ("min_words", "max_words", "template"):
            if name in self.data_initial:
                self._set(name, self.data_initial[name])

    def content(self) -> dict[str, Any]:
        rubric = []
        for _index, row in self.filled_rows():
            points = row["points"]
            rubric.append(
                {"criterion": (row["criterion"] or "").strip(), "points": float(points) if points is not None else 0}
            )
        return {
            "rubric": rubric,
            "min_words": self.cleaned_data["min_words"],
            "max_words": self.cleaned_data["max_words"],
            "template": self.cleaned_data["template"],
        }


EDITORS: dict[str, type[QuestionForm]] = {
    form.qtype: form
    for form in (
        SingleForm,
        MultipleForm,
        TrueFalseForm,
        MatchingForm,
        OrderingForm,
        ShortForm,
        NumericForm,
        ClozeForm,
        EssayForm,
    )
}


def editor_for(qtype: str) -> type[QuestionForm]:
    return EDITORS[qtype]
