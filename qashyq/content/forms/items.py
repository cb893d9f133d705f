"""Forms of sections and items: names in three languages, the fields of each kind of item, caption tracks,
transcripts and page images. The services validate again; the forms give the fields their labels."""

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import ProseEditorWidget
from js_asset import ImportMap, Media, Script

from qashyq.content.data import Activity, CompletionRule, ItemKind, TrackKind
from qashyq.content.forms.catalogue import QuickSelect
from qashyq.content.models import Item
from qashyq.content.services.items import MAX_MINUTES, UPLOAD_TYPES, completion_choices
from qashyq.core.forms import BootstrapForm

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
FIELD_ORDER = [
    "name_kk",
    "name_ru",
    "name_en",
    "url",
    "upload",
    "package",
    "body",
    "activity",
    "completion",
    "minutes",
    "available_from",
    "available_until",
    "prerequisite",
]
TRACK_LANGUAGE_CHOICES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]


# The words django-prose-editor shows (its toolbar's titles and its dialogs, in English in the package) and
# what a person reads instead, translated (editor-strings.js gives them to the editor).
EDITOR_STRINGS = {
    "bold": _("Bold"),
    "italic": _("Italic"),
    "underline": _("Underline"),
    "strike": _("Strikethrough"),
    "subscript": _("Subscript"),
    "superscript": _("Superscript"),
    "Code": _("Code"),
    "Code block": _("Code block"),
    "paragraph": _("Paragraph"),
    "heading 2": _("Heading 2"),
    "heading 3": _("Heading 3"),
    "heading 4": _("Heading 4"),
    "unordered list": _("Bulleted list"),
    "ordered list": _("Numbered list"),
    "blockquote": _("Quotation"),
    "horizontal rule": _("Horizontal line"),
    "insert link": _("Insert a link"),
    "remove link": _("Remove the link"),
    "Insert table": _("Insert a table"),
    "Insert Table": _("Insert a table"),
    "Merge cells": _("Merge cells"),
    "Split cell": _("Split the cell"),
    "edit HTML": _("Edit the HTML"),
    "Edit HTML": _("Edit the HTML"),
    "undo": _("Undo"),
    "redo": _("Redo"),
    "Edit Link": _("Edit the link"),
    "URL": _("Address (URL)"),
    "Title": _("Title"),
    "Open in new window": _("Open in a new window"),
    "Update": _("Apply"),
    "Insert": _("Insert"),
    "Cancel": _("Cancel"),
    "Rows": _("Rows"),
    "Columns": _("Columns"),
    "Include header row": _("With a header row"),
    "Table Properties": _("Table properties"),
    "The HTML contents of the editor. Note that the allowed HTML is restricted by the editor schema.": _(
        "The HTML of the text. Only the elements the editor knows are kept."
    ),
    "Prettify": _("Tidy up"),
    "Edit Image": _("Edit the image"),
    "Image URL": _("Image address (URL)"),
    "Alternative Text": _("Alternative text"),
    "Caption": _("Caption"),
}


class PageEditorWidget(ProseEditorWidget):
    """django-prose-editor under our CSP: its import map and modules carry the request's nonce (see
    `media_with_nonce`), and our own module (content/page-editor.js) builds the editor without the inline
    <style> tiptap would inject (its rules are in content/page-editor.css)."""

    preset_attribute = "data-qashyq-page-editor"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, preset="qashyq")

    @property
    def media(self) -> Media:
        return Media(
            importmap=ImportMap({"django-prose-editor/editor": "django_prose_editor/editor.js"}),
            css={
                "all": [
                    "django_prose_editor/material-icons.css",
                    "django_prose_editor/editor.css",
                    "content/page-editor.css",
                ]
            },
            js=[
                Script("content/editor-strings.js", type="module"),
                Script("django_prose_editor/editor.js", type="module"),
                Script("content/page-editor.js", type="module"),
            ],
        )

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.pop("data-django-prose-editor-qashyq", None)
        widget_attrs[self.preset_attribute] = json.dumps({"headingLevels": [2, 3, 4]})
        widget_attrs["data-qashyq-editor-strings"] = json.dumps(
            {text: str(translated) for text, translated in EDITOR_STRINGS.items()}, ensure_ascii=False
        )
        return context


def media_with_nonce(media: forms.Media, nonce: Any) -> Media:
    """A form's media whose tags (the import map included) carry the CSP nonce of the request."""
    return Media.from_media(media, nonce=str(nonce))


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date and time picker; read and written in the project's time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


def _datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )


class SectionForm(BootstrapForm):
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=300)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    summary_kk = forms.CharField(label=_("Summary (Kazakh)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    summary_ru = forms.CharField(label=_("Summary (Russian)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    summary_en = forms.CharField(label=_("Summary (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ItemForm(BootstrapForm):
    """The fields every item has, then those of its kind."""

    name_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=300)
    name_ru = forms.CharField(label=_("Title (Russian)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    activity = forms.ChoiceField(
        label=_("Type of work"),
        choices=Activity.choices,
        widget=forms.RadioSelect,
        help_text=_("Rule 22: every item is pedagogical interaction with the teacher or independent work."),
    )
    completion = forms.ChoiceField(label=_("Counts as completed"))
    minutes = forms.IntegerField(
        label=_("Expected time, minutes"), min_value=0, max_value=MAX_MINUTES, initial=0, required=False
    )
    available_from = _datetime_field(_("Available from"))
    available_until = _datetime_field(_("Available until"))
    prerequisite = forms.TypedChoiceField(
        label=_("Opens after completing"),
        widget=QuickSelect,
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("The student must complete that item of the course first."),
    )

    def __init__(
        self,
        *args: Any,
        kind: str,
        prerequisites: list[tuple[int, str]],
        item: Item | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.item = item
        completion = self.fields["completion"]
        prerequisite = self.fields["prerequisite"]
        assert isinstance(completion, forms.ChoiceField)
        assert isinstance(prerequisite, forms.ChoiceField)
        completion.choices = [(value, CompletionRule(value).label) for value in completion_choices(kind)]
        prerequisite.choices = [("", _("— none —")), *prerequisites]
        if kind == ItemKind.PAGE:
            self.fields["body"] = forms.CharField(
                label=_("Text"),
                required=False,
                widget=PageEditorWidget(attrs={"rows": 16}),
                help_text=_(r"Formulas: \( … \) inside a line, \[ … \] on a line of their own (LaTeX)."),
            )
        else:
            self.fields["body"] = forms.CharField(
                label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
            )
        if kind == ItemKind.LINK:
            self.fields["url"] = forms.URLField(
                label=_("Address"), max_length=1000, assume_scheme="https", help_text=_("It opens in a new tab.")
            )
        if kind in UPLOAD_TYPES:
            self.fields["upload"] = forms.FileField(
                label=_("File")
                if kind == ItemKind.FILE
                else (_("Video file") if kind == ItemKind.VIDEO else _("Audio file")),
                required=item is None or item.asset_id is None,
                help_text=_upload_help(kind, replacing=item is not None and item.asset_id is not None),
            )
        if kind == ItemKind.SCORM:
            self.fields["package"] = forms.FileField(
                label=_("SCORM package (.zip)"),
                required=item is None or item.scorm_package_id is None,
                help_text=_("SCORM 1.2 or 2004, with imsmanifest.xml at the top of the archive."),
            )
        self.order_fields(FIELD_ORDER)
        for bound in self.fields.values():
            widget = bound.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                continue
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("available_from"), data.get("available_until")
        if opens and closes and closes <= opens:
            self.add_error("available_until", _("“Available until” must be later than “available from”."))
        if data.get("minutes") is None:
            data["minutes"] = 0
        return data

    def values(self) -> dict[str, Any]:
        """The cleaned fields as the services take them."""
        data = self.cleaned_data
        values = {
            name: data[name] for name in ("name_kk", "name_ru", "name_en", "activity", "completion", "minutes", "body")
        }
        values["available_from"] = data.get("available_from")
        values["available_until"] = data.get("available_until")
        values["prerequisite_id"] = data.get("prerequisite")
        if "url" in self.fields:
            values["url"] = data.get("url") or ""
        return values

    @classmethod
    def initial_for(cls, item: Item) -> dict[str, Any]:
        return {
            "name_kk": item.name_kk,
            "name_ru": item.name_ru,
            "name_en": item.name_en,
            "activity": item.activity,
            "completion": item.completion,
            "minutes": item.minutes,
            "available_from": item.available_from,
            "available_until": item.available_until,
            "prerequisite": item.prerequisite_id,
            "body": item.body,
            "url": item.url,
        }


def _upload_help(kind: str, *, replacing: bool) -> str:
    parts = {
        ItemKind.FILE: _("PDF, Word, PowerPoint, Excel, OpenDocument, text, an image or a ZIP archive."),
        ItemKind.VIDEO: _("MP4 or WebM. Add captions (WebVTT) after saving: a video is published only with them."),
        ItemKind.AUDIO: _("MP3, M4A, OGG, WAV or FLAC. Add a transcript or captions after saving."),
    }
    text = str(parts[ItemKind(kind)])
    if replacing:
        text += " " + str(_("Leave empty to keep the current file."))
    return text


class TrackForm(BootstrapForm):
    language = forms.ChoiceField(label=_("Language"), choices=TRACK_LANGUAGE_CHOICES)
    kind = forms.ChoiceField(label=_("Kind of track"), choices=TrackKind.choices, initial=TrackKind.CAPTIONS)
    file = forms.FileField(label=_("WebVTT file (.vtt)"), widget=forms.FileInput(attrs={"accept": ".vtt,text/vtt"}))


class TranscriptForm(BootstrapForm):
    transcript = forms.FileField(
        label=_("Transcript (.txt or .vtt)"),
        help_text=_("Shown below the player instead of the text of the captions."),
        widget=forms.FileInput(attrs={"accept": ".txt,.vtt,text/plain,text/vtt"}),
    )


class ImageForm(BootstrapForm):
    image = forms.FileField(
        label=_("Image (PNG, JPEG, GIF or WebP)"),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )
    alt = forms.CharField(
        label=_("What the image shows"),
        max_length=300,
        required=False,
        help_text=_("Read aloud to those who cannot see it; leave empty only for a decorative image."),
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])
