"""The forms of the printed documents: which grade sheet, which language, whose transcripts in bulk."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from qashyq.core.forms import BootstrapForm
from qashyq.gradebook.models import TranscriptScope
from qashyq.gradebook.printing import GRADE_SHEET_LANGUAGES, TRANSCRIPT_LANGUAGES, Session

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def _languages(codes: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(code, LANGUAGE_NAMES[code]) for code in codes]


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class GradeSheetForm(BootstrapForm):
    """A grade sheet: the session, the group (among those the viewer sees; empty: all of them, when the viewer
    sees every group) and the language."""

    session = forms.ChoiceField(label=_("Session"), choices=Session.choices)
    group = forms.TypedChoiceField(label=_("Group"), coerce=int, required=False, empty_value=None)
    language = forms.ChoiceField(label=_("Language of the document"), choices=_languages(GRADE_SHEET_LANGUAGES))

    def __init__(self, *args: Any, groups: list[tuple[int, str]], every_group: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.group_ids = [g for g, _code in groups]
        choices: list[tuple[Any, Any]] = [(g, code) for g, code in groups]
        if every_group and len(groups) != 1:
            choices.insert(0, ("", _("All groups")))
        choice_field(self, "group").choices = choices
        self.fields["group"].required = not every_group and len(groups) != 1

    def clean_group(self) -> int | None:
        """The group chosen; the only one the viewer sees when there is one; None for every group."""
        group: int | None = self.cleaned_data.get("group")
        if group is None and len(self.group_ids) == 1:
            return self.group_ids[0]
        return group


class TranscriptLanguageForm(BootstrapForm):
    language = forms.ChoiceField(label=_("Language of the transcript"), choices=_languages(TRANSCRIPT_LANGUAGES))


class TranscriptJobForm(BootstrapForm):
    """Whose transcripts to issue in bulk: a group, an educational programme, or students ticked in a group."""

    scope = forms.ChoiceField(label=_("Whose transcripts"), choices=TranscriptScope.choices, widget=forms.RadioSelect)
    group = forms.TypedChoiceField(label=_("Group"), coerce=int, required=False, empty_value=None)
    programme = forms.TypedChoiceField(label=_("Educational programme"), coerce=int, required=False, empty_value=None)
    students = forms.TypedMultipleChoiceField(
        label=_("Students"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    language = forms.ChoiceField(label=_("Language of the transcripts"), choices=_languages(TRANSCRIPT_LANGUAGES))

    def __init__(
        self,
        *args: Any,
        groups: list[tuple[int, str]],
        programmes: list[tuple[int, str]],
        students: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "group").choices = [("", "—"), *groups]
        choice_field(self, "programme").choices = [("", "—"), *programmes]
        choice_field(self, "students").choices = students or []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scope = data.get("scope")
        if scope == TranscriptScope.GROUP and data.get("group") is None:
            self.add_error("group", _("Choose a group."))
        elif scope == TranscriptScope.PROGRAMME and data.get("programme") is None:
            self.add_error("programme", _("Choose an educational programme."))
        elif scope == TranscriptScope.LIST and not data.get("students"):
            self.add_error("students", _("Tick at least one student."))
        return data

    def scope_id(self) -> int | None:
        scope = self.cleaned_data["scope"]
        if scope == TranscriptScope.GROUP:
            return self.cleaned_data["group"]
        if scope == TranscriptScope.PROGRAMME:
            return self.cleaned_data["programme"]
        return None
