"""Form pieces every app's pages share."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class BootstrapForm(forms.Form):
    """Gives every visible widget its Bootstrap 5 class; Django itself ties help texts and errors to the inputs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for bound in self.fields.values():
            widget = bound.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class DateInput(forms.DateInput):
    """A browser date picker; the value is written as ISO 8601, the only format it reads."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_service_errors(form: forms.Form, error: ValidationError, *, renamed: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: under its field when the form has one of that name (after
    `renamed`, e.g. {"discipline_id": "discipline"}), else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for key, messages in error.message_dict.items():
        name = (renamed or {}).get(key, key)
        form.add_error(name if name in form.fields else None, messages)
