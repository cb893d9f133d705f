"""Forms of the didactic catalogue, e-UMKs, their components and the coverage report."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from qashyq.content.data import EumkStatus, ResourceKind, ResourceMedia, ResourceOrigin, ResourceStatus
from qashyq.content.selectors.catalogue import ResourceFilters
from qashyq.content.selectors.eumk import EumkFilters
from qashyq.core.forms import BootstrapForm

ALL = ("", _("All"))


class QuickSelect(forms.Select):
    """A <select> written in one pass with format_html instead of one widget template per option: the list of all
    disciplines or of 300 course items costs about a millisecond instead of tens (docs/benchmarks.md). Option
    groups (a label with a list of choices) are kept; every value and label is escaped. The one fast select of
    the content app (also the prerequisite list of an item's form)."""

    def _options(self, choices: Any, selected: set[str]) -> SafeString:
        parts = []
        for value, label in choices:
            if isinstance(label, list | tuple):
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', value, self._options(label, selected)))
                continue
            text = "" if value is None else str(value)
            mark = mark_safe(" selected") if text in selected else ""
            parts.append(format_html('<option value="{}"{}>{}</option>', text, mark, label))
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped by format_html

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        selected = {v for v in self.format_value(value) if v}
        return format_html("<select{}>{}</select>", flatatt(final), self._options(self.choices, selected))


class QuickSelectMultiple(QuickSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        try:
            getter = data.getlist
        except AttributeError:
            getter = data.get
        return getter(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False


def _choices(form: forms.Form, name: str, choices: Any) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


def _with_all(choices: Any) -> list[tuple[Any, Any]]:
    return [ALL, *choices]


# --- Catalogue ----------------------------------------------------------------------------------


class ResourceFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Title or author"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_with_all(ResourceKind.choices))
    origin = forms.ChoiceField(label=_("Origin"), required=False, choices=_with_all(ResourceOrigin.choices))
    medium = forms.ChoiceField(label=_("Media"), required=False, choices=_with_all(ResourceMedia.choices))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_with_all(ResourceStatus.choices))
    discipline = forms.TypedChoiceField(
        label=_("Discipline"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )

    def __init__(self, *args: Any, disciplines: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "discipline", _with_all(disciplines))
        self.fields["q"].widget.attrs["type"] = "search"

    def filters(self) -> ResourceFilters:
        data = self.cleaned_data
        return ResourceFilters(
            q=data["q"].strip(),
            kind=data["kind"],
            origin=data["origin"],
            media=data["medium"],
            status=data["status"],
            discipline_id=data["discipline"],
        )


class ResourceForm(BootstrapForm):
    name_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=300)
    name_ru = forms.CharField(label=_("Title (Russian)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    origin = forms.ChoiceField(label=_("Origin"), choices=ResourceOrigin.choices)
    medium = forms.ChoiceField(label=_("Media"), choices=ResourceMedia.choices)
    status = forms.ChoiceField(label=_("Status"), choices=ResourceStatus.choices)
    disciplines = forms.TypedMultipleChoiceField(
        label=_("Disciplines"),
        required=False,
        coerce=int,
        widget=QuickSelectMultiple,
        help_text=_("The disciplines it serves: their e-UMKs may link it. Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    authors = forms.CharField(label=_("Authors"), max_length=500, required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1950, max_value=2100)
    url = forms.URLField(
        label=_("Address (URL)"),
        max_length=1000,
        required=False,
        assume_scheme="https",
        help_text=_("Where a network resource is found; or attach its file below."),
    )
    file = forms.FileField(label=_("File"), required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, disciplines: list[tuple[int, str]], has_file: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "disciplines", disciplines)
        self.fields["disciplines"].widget.attrs["size"] = str(min(max(len(disciplines), 3), 10))
        self.fields["file"].help_text = _(
            "A document or image up to %(documents)s MB, video or audio up to %(media)s MB, or a ZIP archive up "
            "to %(zip)s MB."
        ) % {
            "documents": settings.QASHYQ_UPLOAD_MAX_MB,
            "media": settings.QASHYQ_MEDIA_MAX_MB,
            "zip": settings.QASHYQ_SCORM_MAX_MB,
        }
        if has_file:
            self.fields["remove_file"] = forms.BooleanField(label=_("Remove the attached file"), required=False)
            self.fields["remove_file"].widget.attrs["class"] = "form-check-input"

    def resource_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name_kk": data["name_kk"],
            "name_ru": data["name_ru"],
            "name_en": data["name_en"],
            "kind": data["kind"],
            "origin": data["origin"],
            "media": data["medium"],
            "status": data["status"],
            "discipline_ids": data["disciplines"],
            "authors": data["authors"],
            "year": data["year"],
            "url": data["url"],
            "description": data["description"],
            "upload": data["file"] or None,
        }


# --- e-UMK --------------------------------------------------------------------------------------


class EumkFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Discipline"), required=False, max_length=200)
    year = forms.TypedChoiceField(label=_("Academic year"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_with_all(EumkStatus.choices))

    def __init__(self, *args: Any, years: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "year", _with_all(years))
        self.fields["q"].widget.attrs["type"] = "search"

    def filters(self) -> EumkFilters:
        data = self.cleaned_data
        return EumkFilters(year_id=data["year"], status=data["status"], q=data["q"].strip())


class EumkCreateForm(BootstrapForm):
    discipline = forms.TypedChoiceField(label=_("Discipline"), coerce=int, widget=QuickSelect)
    year = forms.TypedChoiceField(label=_("Academic year"), coerce=int)
    copy_previous = forms.BooleanField(
        label=_("A new version of the previous year's e-UMK: copy its materials"), required=False
    )

    def __init__(
        self, *args: Any, disciplines: list[tuple[int, str]], years: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "discipline", [("", _("Choose…")), *disciplines])
        _choices(self, "year", years)


class EumkLinkForm(BootstrapForm):
    """A material for a component: `material` is "item:<id>" or "resource:<id>"."""

    component = forms.TypedChoiceField(label=_("Component"), coerce=int)
    material = forms.ChoiceField(label=_("Material"), widget=QuickSelect)

    def __init__(
        self, *args: Any, components: list[tuple[int, str]], materials: list[tuple[str, Any]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "component", components)
        _choices(self, "material", [("", _("Choose…")), *materials])

    def target(self) -> dict[str, int]:
        kind, _sep, number = self.cleaned_data["material"].partition(":")
        return {"item_id": int(number)} if kind == "item" else {"resource_id": int(number)}

    def clean_material(self) -> str:
        value: str = self.cleaned_data["material"]
        kind, _sep, number = value.partition(":")
        if kind not in ("item", "resource") or not number.isdigit():
            raise forms.ValidationError(_("Choose a material from the list."))
        return value


class EumkSubmitForm(BootstrapForm):
    comment = forms.CharField(
        label=_("Note for the reviewer"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


REVIEW_ACTIONS = (("comment", _("Comment")), ("return", _("Return for changes")), ("approve", _("Approve")))


class EumkReviewForm(BootstrapForm):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to comment or to return for changes."),
    )
    action = forms.ChoiceField(choices=REVIEW_ACTIONS, widget=forms.HiddenInput)


# --- Components ---------------------------------------------------------------------------------


class ComponentTypeForm(BootstrapForm):
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=300)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    required = forms.BooleanField(label=_("Required: an e-UMK is submitted only with a material here"), required=False)

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["code"] = forms.SlugField(
                label=_("Code"),
                max_length=40,
                required=False,
                help_text=_("Latin letters, digits and hyphens; made from the name when left empty."),
            )
            self.fields["code"].widget.attrs["class"] = "form-control"
        else:
            self.fields["active"] = forms.BooleanField(
                label=_("In use: shown on every e-UMK page"),
                required=False,
            )
            self.fields["active"].widget.attrs["class"] = "form-check-input"


# --- Coverage -----------------------------------------------------------------------------------


class CoverageForm(BootstrapForm):
    programme = forms.TypedChoiceField(label=_("Educational programme"), coerce=int, widget=QuickSelect)
    year = forms.TypedChoiceField(label=_("Academic year"), coerce=int)

    def __init__(
        self, *args: Any, programmes: list[tuple[int, str]], years: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "programme", programmes)
        _choices(self, "year", years)
