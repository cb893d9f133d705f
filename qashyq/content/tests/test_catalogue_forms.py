"""The one-pass <select> of the catalogue forms: the same markup Django's widget gives, escaped."""

from django import forms

from qashyq.content.forms.catalogue import QuickSelect, QuickSelectMultiple
from qashyq.core.forms import BootstrapForm


class Form(BootstrapForm):
    one = forms.ChoiceField(
        label="One",
        choices=[("", "All"), ("1", "<b>A & B</b>"), ("Group “x”", [("item:2", "Two"), ("item:3", "Three")])],
        widget=QuickSelect,
        help_text="Help",
    )
    many = forms.TypedMultipleChoiceField(
        label="Many", coerce=int, choices=[(1, "A"), (2, "B"), (3, "C")], widget=QuickSelectMultiple, required=False
    )


def test_options_groups_selection_and_escaping():
    html = str(Form({"one": "item:3", "many": ["1", "3"]})["one"])
    assert html.startswith("<select ")
    for attribute in ('name="one"', 'class="form-select"', 'aria-describedby="id_one_helptext"', 'id="id_one"'):
        assert attribute in html.split(">", 1)[0]
    assert '<option value="">All</option>' in html
    assert '<option value="1">&lt;b&gt;A &amp; B&lt;/b&gt;</option>' in html
    assert '<optgroup label="Group “x”"><option value="item:2">Two</option>' in html
    assert '<option value="item:3" selected>Three</option></optgroup>' in html
    assert html.endswith("</select>")


def test_multiple_reads_and_shows_every_value():
    form = Form({"one": "1", "many": ["1", "3"]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["many"] == [1, 3]
    html = str(form["many"])
    assert " multiple" in html
    assert (
        '<option value="1" selected>A</option><option value="2">B</option><option value="3" selected>C</option>' in html
    )


def test_errors_mark_the_control_invalid():
    form = Form({"one": "nope"})
    assert not form.is_valid()
    html = str(form["one"])
    assert 'aria-invalid="true"' in html
    assert "id_one_error" in html
