from django import forms
from django.core.exceptions import ValidationError

from qashyq.core.forms import add_service_errors


class _Form(forms.Form):
    discipline = forms.CharField(required=False)


def test_service_errors_go_under_their_field_renamed_or_above_the_form():
    form = _Form({})
    assert form.is_valid()
    error = ValidationError({"discipline_id": ["Unknown discipline."], "period_id": ["Unknown period."]})
    add_service_errors(form, error, renamed={"discipline_id": "discipline"})
    assert form.errors["discipline"] == ["Unknown discipline."]
    assert form.non_field_errors() == ["Unknown period."]


def test_an_error_without_fields_goes_above_the_form():
    form = _Form({})
    assert form.is_valid()
    add_service_errors(form, ValidationError("Not possible."))
    assert form.non_field_errors() == ["Not possible."]
