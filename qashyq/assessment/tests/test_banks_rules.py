"""Pure rules of question content: problems of every type, sanitizing, images, fingerprints."""

import copy

import pytest

from qashyq.assessment.rules import questions as rules
from qashyq.assessment.tests.helpers import SAMPLES


@pytest.mark.parametrize("qtype", list(SAMPLES))
def test_every_sample_is_well_formed(qtype):
    stem, data = SAMPLES[qtype]
    assert rules.problems(qtype, stem, data) == []


def test_unknown_type_and_bad_data():
    assert rules.problems("drawing", "x", {}) == ["“drawing” is not a question type."]
    assert rules.problems("single", "x", []) == ["The question's content is not in the expected form."]


def test_empty_stem():
    _stem, data = SAMPLES["single"]
    assert rules.problems("single", "<p> &nbsp;</p>", data) == ["The question has no text."]
    # an image alone is a text
    assert rules.problems("single", '<img src="/assessment/images/1/" alt="">', data) == []


def _options(*fractions):
    return {
        "options": [
            {"id": chr(97 + i), "text": f"o{i}", "fraction": f, "feedback": ""} for i, f in enumerate(fractions)
        ],
        "partial": "partial",
    }


@pytest.mark.parametrize(
    ("qtype", "data", "expected"),
    [
        ("single", _options(1.0), ["A choice question needs at least two answer options; it has 1."]),
        ("single", _options(0.0, 0.0), ["The question has no correct answer."]),
        ("single", _options(0.5, 0.0), ["No answer option earns the full mark (fraction 1)."]),
        ("single", _options(1.0, 2.0), ["Answer option 2 has no fraction between -1 and 1."]),
        (
            "multiple",
            _options(0.5, 0.2, -1.0),
            ["The fractions of the right options add up to 0.7; they must add up to 1."],
        ),
        ("multiple", _options(1 / 3, 1 / 3, 1 / 3, 0.0), []),
        ("multiple", {**_options(0.5, 0.5), "partial": "odd"}, ["“odd” is not a way of scoring partial credit."]),
        ("true_false", {"answer": "yes"}, ["Say whether the statement is true or false."]),
        (
            "ordering",
            {"items": [{"id": "i1", "text": "a"}]},
            ["An ordering question needs at least two items; it has 1."],
        ),
        (
            "ordering",
            {"items": [{"id": "i1", "text": "a"}, {"id": "i1", "text": "b"}]},
            ["The id “i1” is used twice."],
        ),
        (
            "matching",
            {
                "pairs": [{"id": "p1", "left": "a", "right": "b"}, {"id": "p2", "left": "", "right": "c"}],
                "distractors": [],
            },
            ["Pair 2 has an empty side."],
        ),
        ("short", {"answers": [], "case_sensitive": False}, ["Give at least one accepted answer."]),
        ("short", {"answers": [{"text": "x", "fraction": 0.5}]}, ["The question has no correct answer."]),
        (
            "numeric",
            {"answers": [{"value": 1.0, "tolerance": -1, "fraction": 1.0}], "units": []},
            ["The tolerance of answer 1 must be a number, zero or more."],
        ),
        (
            "numeric",
            {"answers": [{"value": 1.0, "tolerance": 0, "fraction": 1.0}], "units": [{"unit": "m", "multiplier": 0}]},
            ["The unit “m” needs a multiplier other than zero."],
        ),
        ("essay", {"rubric": [{"criterion": "", "points": 1}]}, ["Criterion 1 of the rubric has no text."]),
        (
            "essay",
            {"rubric": [], "min_words": 10, "max_words": 5},
            ["The least number of words is more than the most."],
        ),
    ],
)
def test_problems(qtype, data, expected):
    assert rules.problems(qtype, "Stem", data) == expected


def test_cloze_markers_and_gaps_agree():
    stem, data = SAMPLES["cloze"]
    broken = copy.deepcopy(data)
    broken["text"] = "The capital is {{1}}; {{4}}; 2 + 2 = {{2}}."
    found = rules.problems("cloze", stem, broken)
    assert "The text has the gap {{4}}, but no answers are given for it." in found
    assert "Gap 3: the text has no marker {{3}} for it." in found
    broken = copy.deepcopy(data)
    broken["gaps"][2]["options"][0]["fraction"] = 0.0
    assert rules.problems("cloze", stem, broken) == ["Gap 3: The question has no correct answer."]
    broken = copy.deepcopy(data)
    broken["gaps"][0]["kind"] = "drawing"
    assert rules.problems("cloze", stem, broken) == ["Gap 1: “drawing” is not a kind of gap."]


def test_sanitize_keeps_formatting_math_and_bank_images():
    html = (
        '<p onclick="x()">H<sub>2</sub>O and \\( a &lt; b \\) and $$x^2$$ <strong>bold</strong></p>'
        '<img src="image:fig 1.png" alt="Figure"><img src="/assessment/images/12/">'
        '<img src="https://evil.example/x.png" alt="x"><img src="javascript:alert(1)">'
        '<script>alert(1)</script><a href="https://x.example">link</a>'
        "<table><tr><td>1</td></tr></table>"
    )
    clean = rules.sanitize(html)
    assert clean == (
        "<p>H<sub>2</sub>O and \\( a &lt; b \\) and $$x^2$$ <strong>bold</strong></p>"
        '<img src="image:fig 1.png" alt="Figure"><img src="/assessment/images/12/" alt="">'
        "link<table><tbody><tr><td>1</td></tr></tbody></table>"
    )


def test_image_ids_and_rewriting():
    html = '<p>See <img src="image:a.png" alt="A"> and <img src="image:b.png" alt=""></p>'
    stored = rules.replace_image_names(html, {"a.png": 7})
    assert stored == '<p>See <img src="/assessment/images/7/" alt="A"> and <img src="image:b.png" alt=""></p>'
    assert rules.image_ids_in_html(stored) == {7}
    assert rules.image_names_in_html(stored) == {"b.png"}
    assert rules.replace_image_ids(stored, {7: "a.png"}) == html
    assert rules.image_ids_in_html('<img alt="" src="/assessment/images/3/"><p>/assessment/images/4/</p>') == {3}


def test_fingerprint_finds_duplicates_only():
    stem, data = SAMPLES["single"]
    same = copy.deepcopy(data)
    same["options"].reverse()  # the order of the options does not matter
    assert rules.fingerprint("single", stem, data) == rules.fingerprint("single", f"  <p>{stem.upper()}</p> ", same)
    other = copy.deepcopy(data)
    other["options"][1]["text"] = "Атырау"
    assert rules.fingerprint("single", stem, data) != rules.fingerprint("single", stem, other)
    assert rules.fingerprint("single", stem, data) != rules.fingerprint("multiple", stem, data)
    # an image is the same image whether stored or not
    a = rules.fingerprint("essay", '<p>x <img src="image:a.png" alt=""></p>', {})
    b = rules.fingerprint("essay", '<p>x <img src="/assessment/images/9/" alt=""></p>', {})
    assert a == b
    assert len(a) == 64


def test_map_texts_touches_every_text():
    _stem, data = SAMPLES["cloze"]
    upper = rules.map_texts("cloze", data, str.upper)
    assert upper["text"].startswith("THE CAPITAL")
    assert upper["gaps"][2]["options"][0]["text"] == "BLUE"
    assert data["text"].startswith("The capital")  # the original stays
    assert rules.texts_of("matching", SAMPLES["matching"][1])[:2] == ["Kazakhstan", "Astana"]
