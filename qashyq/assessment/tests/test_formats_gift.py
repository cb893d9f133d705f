"""GIFT reader and writer: round trip of every type GIFT can express, Moodle's own examples, every problem."""

from decimal import Decimal

import pytest
from django.utils import translation

from qashyq.assessment.formats import gift
from qashyq.assessment.formats.common import ExportQuestion
from qashyq.assessment.tests.helpers import SAMPLES, assert_kept, export_questions


@pytest.fixture(autouse=True)
def _english():
    """Reasons are compared in English (the default language is Kazakh)."""
    with translation.override("en"):
        yield


def parse(text: str, **options):
    return gift.parse(text.encode(), filename="q.gift", **options)


def reasons(result):
    return [(p.line, p.reason) for p in result.problems]


def test_round_trip_keeps_every_type_gift_can_express():
    types = [t for t in SAMPLES if t != "ordering"]
    questions = export_questions(types)
    content = gift.write(questions, bank_name="Informatics: midterm 1")
    result = gift.parse(content, filename="bank.gift")
    assert result.problems == []
    assert len(result.questions) == len(questions)
    for original, parsed in zip(questions, result.questions, strict=True):
        assert_kept(original, parsed)
    # GIFT carries no files: the reference stays, the writer warns.
    assert 'src="image:map.png"' in result.questions[0].stem
    assert any("map" in w or "image" in w.lower() for w in gift.write_warnings(questions))


def test_round_trip_of_feedbacks_escapes_and_partial_fractions():
    data = {
        "options": [
            {"id": "a", "text": "a = b {c}", "fraction": 1.0, "feedback": "yes: #1 ~ right"},
            {"id": "b", "text": "back\\slash", "fraction": 0.5, "feedback": "half"},
            {"id": "c", "text": "line\nbreak", "fraction": 0.0, "feedback": ""},
        ],
        "partial": "all_or_nothing",
    }
    tf = {"answer": False, "feedback_true": "No, it is false.", "feedback_false": "Right: false."}
    short = {
        "answers": [
            {"text": "Astana", "fraction": 1.0, "feedback": "exact"},
            {"text": "Nur-Sultan", "fraction": 0.5, "feedback": "old name"},
        ],
        "case_sensitive": True,
    }
    numeric = {
        "answers": [
            {"value": 3.14, "tolerance": 0.01, "fraction": 1.0, "feedback": "π"},
            {"value": -3.1, "tolerance": 0.1, "fraction": 0.5, "feedback": ""},
        ],
        "units": [],
        "unit_required": False,
    }
    questions = [
        ExportQuestion(1, "single", "", "Stem :: with {braces} and = signs", data, 3, "a/b", Decimal("0.5"), "", ""),
        ExportQuestion(2, "true_false", "", "False?", tf, 1, "a/b", Decimal(1), "General", ""),
        ExportQuestion(3, "short", "", "Capital?", short, 2, "", Decimal(3), "", "ru"),
        ExportQuestion(4, "numeric", "", "Pi?", numeric, 1, "", Decimal(1), "", ""),
    ]
    result = gift.parse(gift.write(questions), filename="x.gift")
    assert result.problems == []
    assert [q.data for q in result.questions] == [data, tf, short, numeric]
    assert result.questions[0].stem == "Stem :: with {braces} and = signs"
    assert result.questions[0].points == Decimal("0.5")
    assert result.questions[0].category == "a/b"
    assert result.questions[2].language == "ru"


def test_ordering_is_left_as_a_comment_with_a_warning():
    questions = export_questions(["ordering", "single"])
    content = gift.write(questions).decode()
    assert "// Ordering question" in content
    assert "//   3. 100" in content
    warnings = gift.write_warnings(questions)
    assert any("Q1: ordering" in w for w in warnings)
    result = gift.parse(content.encode(), filename="x.gift")
    assert [q.type for q in result.questions] == ["single"]
    assert result.problems == []


MOODLE_EXAMPLES = """// EXAMPLE QUESTIONS for the GIFT import filter
$CATEGORY: $course$/top/Geography/Capitals

::Q1:: Who's buried in Grant's tomb?{~Grant ~Jefferson =no one#Right!####Grant is in it.}

Grant is {~buried =entombed ~living} in Grant's tomb.

Grant is buried in Grant's tomb.{FALSE#Not so.#Indeed}

Who's buried in Grant's tomb?{=no one =%50%nobody}

When was Ulysses S. Grant born?{#1822:5}

What is a number from 1 to 5? {#1..5}

When was Ulysses S. Grant born? {#
    =1822:0      # Correct! 100% credit
    =%50%1822:2  # He was born in 1822. Half credit for being close.
}

Match the following countries with their corresponding capitals. {
    =Canada -> Ottawa
    =Italy  -> Rome
    =Japan  -> Tokyo
    = -> Berlin
}

What two people are entombed in Grant's tomb? {
   ~%-100%No one
   ~%50%Grant
   ~%50%Grant's wife
   ~%-100%Grant's father
}

$CATEGORY: Essays

::Essay::[markdown]Write about *Abai* <b>now</b>. {}

[plain]1 < 2 is {T}
"""


def test_moodle_documentation_examples():
    result = parse(MOODLE_EXAMPLES)
    assert result.problems == []
    q = result.questions
    assert [x.type for x in q] == [
        "single",
        "cloze",
        "true_false",
        "short",
        "numeric",
        "numeric",
        "numeric",
        "matching",
        "multiple",
        "essay",
        "true_false",
    ]
    assert [x.line for x in q[:3]] == [4, 6, 8]
    assert q[0].name == "Q1"
    assert q[0].stem == "Who's buried in Grant's tomb?"
    assert q[0].category == "Geography/Capitals"
    assert q[0].feedback == "Grant is in it."
    assert q[0].data["options"][2] == {"id": "c", "text": "no one", "fraction": 1.0, "feedback": "Right!"}
    assert q[0].data["partial"] == "all_or_nothing"
    # missing word → one choice gap
    assert q[1].stem == ""
    assert q[1].data["text"] == "Grant is {{1}} in Grant's tomb."
    assert q[1].data["gaps"][0]["kind"] == "choice"
    assert [o["fraction"] for o in q[1].data["gaps"][0]["options"]] == [0.0, 1.0, 0.0]
    assert q[2].data == {"answer": False, "feedback_true": "Not so.", "feedback_false": "Indeed"}
    assert q[3].data["answers"] == [
        {"text": "no one", "fraction": 1.0, "feedback": ""},
        {"text": "nobody", "fraction": 0.5, "feedback": ""},
    ]
    assert q[4].data["answers"] == [{"value": 1822.0, "tolerance": 5.0, "fraction": 1.0, "feedback": ""}]
    assert q[5].data["answers"] == [{"value": 3.0, "tolerance": 2.0, "fraction": 1.0, "feedback": ""}]
    assert q[6].data["answers"][1] == {
        "value": 1822.0,
        "tolerance": 2.0,
        "fraction": 0.5,
        "feedback": "He was born in 1822. Half credit for being close.",
    }
    assert q[7].data == {
        "pairs": [
            {"id": "p1", "left": "Canada", "right": "Ottawa"},
            {"id": "p2", "left": "Italy", "right": "Rome"},
            {"id": "p3", "left": "Japan", "right": "Tokyo"},
        ],
        "distractors": ["Berlin"],
    }
    assert [o["fraction"] for o in q[8].data["options"]] == [-1.0, 0.5, 0.5, -1.0]
    assert q[8].data["partial"] == "fractions"
    assert q[9].category == "Essays"
    assert q[9].name == "Essay"
    assert q[9].stem == "Write about *Abai* &lt;b&gt;now&lt;/b&gt;."
    assert q[10].stem == "1 &lt; 2 is"
    assert all(x.difficulty == 1 and x.points == Decimal(1) for x in q)


def test_default_format_keeps_html_and_line_breaks_and_escapes():
    result = parse("<b>Bold</b> a\\: b \\= c \\# d \\{e\\} \\~ f\nsecond line{=x ~y}\n")
    question = result.questions[0]
    assert question.stem == "<b>Bold</b> a: b = c # d {e} ~ f<br>second line"


def test_comments_inside_and_around_questions_are_ignored():
    result = parse("// a comment\nQ1?\n// inside\n{=a ~b}\n\n// difficulty: 3\n// points: 2,5\nQ2?{T}\n")
    assert [q.stem for q in result.questions] == ["Q1?", "Q2?"]
    assert result.questions[1].difficulty == 3
    assert result.questions[1].points == Decimal("2.5")
    assert result.questions[0].difficulty == 1


def test_several_answer_blocks_make_a_cloze_with_several_gaps():
    result = parse("The capital is {=Astana =Nur-Sultan}, 2+2 \\= {#4}, the sky is {=blue ~green}.\n")
    question = result.questions[0]
    assert question.type == "cloze"
    assert question.data["text"] == "The capital is {{1}}, 2+2 = {{2}}, the sky is {{3}}."
    assert [g["kind"] for g in question.data["gaps"]] == ["short", "numeric", "choice"]
    assert result.problems == []


def test_cp1251_file_is_read():
    result = gift.parse("Астана — астана?{T}\n".encode("cp1251"), filename="kz.txt")
    assert result.questions[0].stem == "Астана — астана?"


def test_bad_qashyq_comment_is_a_warning_only():
    result = parse("// difficulty: 7\n// data: {broken\nQ?{T}\n")
    assert result.problems == []
    assert result.questions[0].difficulty == 1
    assert len(result.warnings) == 2
    assert {w.line for w in result.warnings} == {1, 2}


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("Q1?{=a ~b}\n\nQ2?{zzz}\n", 3, "not GIFT"),
        ("Q1?{=a ~b}\n\n\nQ2 {=a ~b\n", 4, "not closed"),
        ("Q1? =a ~b}\n", 1, "no opening brace"),
        ("Q1 {=a {=b}}\n", 1, "opened twice"),
        ("::Name Q1? {T}\n", 1, "::"),
        ("Q {#abc}\n", 1, "not a number"),
        ("Q {T#a#b#c}\n", 1, "two feedbacks"),
        ("Q {=a -> b ~c}\n", 1, "=left -> right"),
        ("Before {T} after\n", 1, "gap"),
        ("Just a description.\n", 1, "description"),
    ],
)
def test_unknown_syntax_is_a_problem_with_its_line(text, line, fragment):
    result = parse(text)
    assert any(p.line == line and fragment in p.reason for p in result.problems), result.problems


def test_problem_cases_no_right_answer_single_option_empty_stem_and_duplicates():
    text = (
        "No right?{~a ~b}\n\n"  # line 1: multiple without a positive fraction
        "One option?{~%100%only}\n\n"  # line 3
        "{=a ~b}\n\n"  # line 5: empty stem
        "Same?{=x ~y}\n\n"  # line 7
        "// a comment\n"
        "same?  {=x ~y}\n\n"  # line 10: duplicate (case and spaces folded)
        "Short none?{=%0%x}\n\n"  # line 12
        "Pairs?{=a -> b}\n\n"  # line 14: one pair
        "Two pairs?{=a -> b =c -> d}\n"  # line 16: a warning only
    )
    result = parse(text)
    found = reasons(result)
    assert (1, "The question has no correct answer.") in found
    assert any(line == 3 and "at least two answer options; it has 1." in reason for line, reason in found)
    assert (5, "The question has no text.") in found
    assert (10, "Duplicate of the question on line 7.") in found
    assert (12, "The question has no correct answer.") in found
    assert (14, "A matching question needs at least two pairs; it has 1.") in found
    assert not any(line == 16 for line, _reason in found)
    assert [w.line for w in result.warnings] == [16]
    # questions with problems are still listed for the preview
    assert len(result.questions) == 8


def test_empty_and_binary_files():
    assert parse("").questions == []
    assert parse("").problems == []
    result = gift.parse(b"\x00\x01\x02", filename="x.bin")
    assert [p.line for p in result.problems] == [0]
