"""Moodle XML reader and writer: round trip of all nine types, a Moodle export, every problem."""

import base64
from decimal import Decimal

import pytest
from django.utils import translation

from qashyq.assessment.formats import moodle_xml
from qashyq.assessment.formats.common import ExportQuestion, ParsedImage
from qashyq.assessment.tests.helpers import FORMAT_IMAGE as IMAGE
from qashyq.assessment.tests.helpers import FORMAT_PNG as PNG
from qashyq.assessment.tests.helpers import SAMPLES, assert_kept, export_questions


@pytest.fixture(autouse=True)
def _english():
    """Reasons are compared in English (the default language is Kazakh)."""
    with translation.override("en"):
        yield


def parse(text: str):
    return moodle_xml.parse(text.encode(), filename="quiz.xml")


def test_round_trip_keeps_all_nine_types():
    questions = export_questions(list(SAMPLES))
    assert len(questions) == 9
    result = moodle_xml.parse(moodle_xml.write(questions, bank_name="Informatics -- midterm"), filename="b.xml")
    assert result.problems == []
    assert len(result.questions) == 9
    for original, parsed in zip(questions, result.questions, strict=True):
        assert_kept(original, parsed)
    first = result.questions[0]
    assert first.images == [IMAGE]
    assert 'src="image:map.png"' in first.stem
    assert all(q.images == [] for q in result.questions[1:])


def test_written_file_uses_moodle_conventions():
    questions = export_questions(["single", "cloze", "ordering", "essay"])
    content = moodle_xml.write(questions).decode()
    assert '<question type="category">' in content
    assert "<text>$course$/top/Algorithms</text>" in content
    assert "@@PLUGINFILE@@/map.png" in content
    assert base64.b64encode(PNG).decode() in content
    assert "{1:SHORTANSWER:=Astana}" in content
    assert "{1:NUMERICAL:=4.0:0.0}" in content
    assert "{1:MULTICHOICE:=blue~green}" in content
    assert '<question type="ordering">' in content
    assert "<text>difficulty:2</text>" in content
    assert "Content — 3" in content  # the rubric, readable in Moodle's grader information
    assert "<qashyq_rubric>" in content
    warnings = moodle_xml.write_warnings(questions)
    assert any("ordering" in w for w in warnings)


def test_round_trip_of_units_case_sensitivity_feedback_and_word_limits():
    numeric = {
        "answers": [
            {"value": 100.0, "tolerance": 1.0, "fraction": 1.0, "feedback": "<b>yes</b>"},
            {"value": 90.0, "tolerance": 5.0, "fraction": 0.5, "feedback": ""},
        ],
        "units": [{"unit": "cm", "multiplier": 1.0}, {"unit": "m", "multiplier": 0.01}],
        "unit_required": True,
    }
    short = {"answers": [{"text": "Abai & Co", "fraction": 1.0, "feedback": "ok"}], "case_sensitive": True}
    essay = {"rubric": [], "min_words": 50, "max_words": 300, "template": "<p>Start here</p>"}
    tf = {"answer": False, "feedback_true": "No.", "feedback_false": "Yes."}
    cloze = {
        "text": "<p>A {{1}} and {{2}}</p>",
        "gaps": [
            {
                "id": "1",
                "kind": "short",
                "points": 2,
                "answers": [{"text": "x}#~y", "fraction": 1.0, "feedback": "f#1"}],
                "case_sensitive": True,
            },
            {
                "id": "2",
                "kind": "choice",
                "points": 1,
                "options": [
                    {"id": "a", "text": "p", "fraction": 1.0, "feedback": ""},
                    {"id": "b", "text": "q", "fraction": 0.5, "feedback": "half"},
                    {"id": "c", "text": "r", "fraction": 0.0, "feedback": ""},
                ],
            },
        ],
    }
    questions = [
        ExportQuestion(1, "numeric", "n", "Length?", numeric, 1, "", Decimal(1), "", ""),
        ExportQuestion(2, "short", "s", "Who?", short, 1, "", Decimal(1), "", ""),
        ExportQuestion(3, "essay", "e", "Write.", essay, 1, "", Decimal(10), "", ""),
        ExportQuestion(4, "true_false", "t", "False?", tf, 1, "", Decimal(1), "", ""),
        ExportQuestion(5, "cloze", "c", "", cloze, 1, "", Decimal(3), "", ""),
    ]
    result = moodle_xml.parse(moodle_xml.write(questions), filename="x.xml")
    assert result.problems == []
    assert [q.data for q in result.questions] == [numeric, short, essay, tf, cloze]
    assert result.questions[4].stem == ""
    assert result.questions[0].language == ""


MOODLE_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category>
      <text>$course$/top/Default for IS-101/Geography</text>
    </category>
    <info format="html"><text></text></info>
  </question>
<!-- question: 101  -->
  <question type="multichoice">
    <name><text>Capital</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Which city is the capital? <img src="@@PLUGINFILE@@/flag%20kz.png" alt="flag"></p>]]></text>
      <file name="flag kz.png" path="/" encoding="base64">iVBORw0KGgo=</file>
    </questiontext>
    <generalfeedback format="html"><text>Astana since 1997.</text></generalfeedback>
    <defaultgrade>2.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <single>true</single>
    <shuffleanswers>true</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <showstandardinstruction>0</showstandardinstruction>
    <correctfeedback format="html"><text>Your answer is correct.</text></correctfeedback>
    <answer fraction="100" format="html"><text>Astana</text><feedback format="html"><text>Yes</text></feedback></answer>
    <answer fraction="0" format="html"><text>Almaty</text><feedback format="html"><text></text></feedback></answer>
    <tags><tag><text>difficulty:3</text></tag><tag><text>geo</text></tag></tags>
  </question>
  <question type="multichoice">
    <name><text>Primes</text></name>
    <questiontext format="moodle_auto_format"><text>Pick primes
(two)</text></questiontext>
    <defaultgrade>1.0000000</defaultgrade>
    <single>false</single>
    <answer fraction="50"><text>2</text></answer>
    <answer fraction="50"><text>3</text></answer>
    <answer fraction="-100"><text>4</text></answer>
  </question>
  <question type="truefalse">
    <name><text>TF</text></name>
    <questiontext format="plain_text"><text>2 &lt; 1</text></questiontext>
    <answer fraction="0" format="moodle_auto_format"><text>true</text><feedback><text>No</text></feedback></answer>
    <answer fraction="100" format="moodle_auto_format"><text>false</text>
      <feedback><text>Right</text></feedback></answer>
  </question>
  <question type="shortanswer">
    <name><text>SA</text></name>
    <questiontext format="html"><text>Author of Abai's Path?</text></questiontext>
    <usecase>0</usecase>
    <answer fraction="100" format="moodle_auto_format"><text>Auezov</text><feedback><text></text></feedback></answer>
    <answer fraction="50" format="moodle_auto_format"><text>M*</text><feedback><text></text></feedback></answer>
  </question>
  <question type="numerical">
    <name><text>Num</text></name>
    <questiontext format="html"><text>Length of 1 m in cm?</text></questiontext>
    <answer fraction="100" format="moodle_auto_format"><text>100</text><tolerance>0</tolerance>
      <feedback format="html"><text></text></feedback></answer>
    <answer fraction="0" format="moodle_auto_format"><text>*</text><tolerance>0</tolerance>
      <feedback format="html"><text>Think again</text></feedback></answer>
    <unitgradingtype>1</unitgradingtype>
    <unitpenalty>0.1000000</unitpenalty>
    <showunits>0</showunits>
    <unitsleft>0</unitsleft>
    <units><unit><multiplier>1</multiplier><unit_name>cm</unit_name></unit>
      <unit><multiplier>0.01</multiplier><unit_name>m</unit_name></unit></units>
  </question>
  <question type="matching">
    <name><text>Match</text></name>
    <questiontext format="html"><text>Match capitals</text></questiontext>
    <shuffleanswers>true</shuffleanswers>
    <subquestion format="html"><text>Kazakhstan</text><answer><text>Astana</text></answer></subquestion>
    <subquestion format="html"><text>France</text><answer><text>Paris</text></answer></subquestion>
    <subquestion format="html"><text>Japan</text><answer><text>Tokyo</text></answer></subquestion>
    <subquestion format="html"><text></text><answer><text>Berlin</text></answer></subquestion>
  </question>
  <question type="essay">
    <name><text>Essay</text></name>
    <questiontext format="html"><text>Discuss.</text></questiontext>
    <defaultgrade>10</defaultgrade>
    <responseformat>editor</responseformat>
    <graderinfo format="html"><text>Look for structure.</text></graderinfo>
    <responsetemplate format="html"><text></text></responsetemplate>
  </question>
  <question type="ordering">
    <name><text>Order</text></name>
    <questiontext format="html"><text>Smallest first</text></questiontext>
    <answer fraction="2.0000000" format="moodle_auto_format"><text>10</text></answer>
    <answer fraction="1.0000000" format="moodle_auto_format"><text>1</text></answer>
    <answer fraction="3.0000000" format="moodle_auto_format"><text>100</text></answer>
  </question>
  <question type="multianswer">
    <name><text>Cloze</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Capital: {1:SA:=Astana~%50%Astana city#close}, 2+2={2:NM:=4:0.5},
sky {1:MCV:blue#no~=green~%50%red}.</p>]]></text>
    </questiontext>
  </question>
  <question type="description">
    <name><text>Intro</text></name>
    <questiontext format="html"><text>Read the text below.</text></questiontext>
  </question>
  <question type="calculated">
    <name><text>Calc</text></name>
    <questiontext format="html"><text>{a} + {b}?</text></questiontext>
  </question>
</quiz>
"""


def line_of(fragment: str) -> int:
    return next(n for n, line in enumerate(MOODLE_EXPORT.splitlines(), start=1) if fragment in line)


def test_moodle_export_is_read():
    result = parse(MOODLE_EXPORT)
    q = {question.name: question for question in result.questions}
    assert list(q) == ["Capital", "Primes", "TF", "SA", "Num", "Match", "Essay", "Order", "Cloze"]
    assert all(question.category == "Default for IS-101/Geography" for question in result.questions)
    capital = q["Capital"]
    assert capital.type == "single"
    assert capital.line == line_of('<question type="multichoice">') == 11
    assert capital.stem == '<p>Which city is the capital? <img src="image:flag kz.png" alt="flag"></p>'
    assert capital.images == [ParsedImage("flag kz.png", base64.b64decode("iVBORw0KGgo="), "image/png")]
    assert capital.points == Decimal(2)
    assert capital.difficulty == 3
    assert capital.feedback == "Astana since 1997."
    assert capital.data["options"][0] == {"id": "a", "text": "Astana", "fraction": 1.0, "feedback": "Yes"}
    assert q["Primes"].type == "multiple"
    assert q["Primes"].stem == "Pick primes<br>(two)"
    assert q["Primes"].data["partial"] == "fractions"
    assert [o["fraction"] for o in q["Primes"].data["options"]] == [0.5, 0.5, -1.0]
    assert q["TF"].stem == "2 &lt; 1"
    assert q["TF"].data == {"answer": False, "feedback_true": "No", "feedback_false": "Right"}
    assert q["SA"].data["answers"][1] == {"text": "M*", "fraction": 0.5, "feedback": ""}
    assert q["SA"].data["case_sensitive"] is False
    assert q["Num"].data == {
        "answers": [{"value": 100.0, "tolerance": 0.0, "fraction": 1.0, "feedback": ""}],
        "units": [{"unit": "cm", "multiplier": 1.0}, {"unit": "m", "multiplier": 0.01}],
        "unit_required": True,
    }
    assert q["Match"].data["pairs"][2] == {"id": "p3", "left": "Japan", "right": "Tokyo"}
    assert q["Match"].data["distractors"] == ["Berlin"]
    assert q["Essay"].data["rubric"] == [{"criterion": "Look for structure.", "points": 10}]
    assert [i["text"] for i in q["Order"].data["items"]] == ["1", "10", "100"]
    cloze = q["Cloze"]
    assert cloze.type == "cloze"
    assert cloze.data["text"] == "<p>Capital: {{1}}, 2+2={{2}},\nsky {{3}}.</p>"
    gaps = cloze.data["gaps"]
    assert gaps[0]["answers"][1] == {"text": "Astana city", "fraction": 0.5, "feedback": "close"}
    assert gaps[1] == {
        "id": "2",
        "kind": "numeric",
        "points": 2,
        "answers": [{"value": 4.0, "tolerance": 0.5, "fraction": 1.0, "feedback": ""}],
    }
    assert [o["fraction"] for o in gaps[2]["options"]] == [0.0, 1.0, 0.5]
    assert gaps[2]["options"][0]["feedback"] == "no"
    # the description and the calculated question are skipped, each with a problem on its line
    assert [(p.line, p.reason) for p in result.problems] == [
        (line_of('<question type="description">'), "A description without a question is not imported."),
        (
            line_of('<question type="calculated">'),
            "The question type “calculated” is not supported; the question is skipped.",
        ),
    ]


def test_invalid_xml_names_its_line():
    result = parse('<?xml version="1.0"?>\n<quiz>\n  <question type="truefalse">\n    <name><text>x</name>\n</quiz>\n')
    assert result.questions == []
    assert len(result.problems) == 1
    assert result.problems[0].line == 4
    assert "well-formed" in result.problems[0].reason


def test_external_entities_are_never_expanded():
    xxe = (
        '<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<quiz><question type="essay"><questiontext><text>&x;</text></questiontext></question></quiz>'
    )
    result = parse(xxe)
    assert result.questions == []
    assert "DTD" in result.problems[0].reason
    bomb = '<?xml version="1.0"?>\n<!DOCTYPE q [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;">]><quiz>&b;</quiz>'
    assert parse(bomb).questions == []
    assert parse(bomb).problems


def test_other_root_element_is_refused():
    result = parse("<?xml version='1.0'?>\n<assessmentItem/>")
    assert result.problems[0].line == 2
    assert "<quiz>" in result.problems[0].reason


def question(qtype: str, body: str, text: str = "Q?") -> str:
    return f'<question type="{qtype}"><questiontext format="html"><text>{text}</text></questiontext>{body}</question>\n'


def test_problem_cases():
    content = (
        "<quiz>\n"
        + question(
            "multichoice",
            '<single>true</single><answer fraction="0"><text>a</text></answer>'
            '<answer fraction="0"><text>b</text></answer>',
        )  # line 2: no right answer
        + question("multichoice", '<single>true</single><answer fraction="100"><text>a</text></answer>')  # 3
        + question("shortanswer", '<answer fraction="100"><text>x</text></answer>', text="Same")  # 4
        + question("shortanswer", '<answer fraction="100"><text> X </text></answer>', text=" same ")  # 5
        + question("truefalse", '<answer fraction="0"><text>true</text></answer>')  # 6: no right answer
        + question("truefalse", '<answer fraction="100"><text>yes</text></answer>')  # 7
        + question("numerical", '<answer fraction="100"><text>abc</text></answer>')  # 8
        + question(
            "multichoice",
            '<answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer>',
            text="",
        )  # 9: empty stem
        + question("multianswer", "", text="A {1:MULTIRESPONSE:=a~=b} gap")  # 10
        + question("multianswer", "", text="No gaps at all")  # 11
        + question("matching", "<subquestion><text>a</text><answer><text>b</text></answer></subquestion>")  # 12
        + "</quiz>\n"
    )
    result = parse(content)
    found = [(p.line, p.reason) for p in result.problems]
    assert (2, "The question has no correct answer.") in found
    assert any(line == 3 and "at least two answer options; it has 1." in reason for line, reason in found)
    assert (5, "Duplicate of the question on line 4.") in found
    assert (6, "The question has no correct answer.") in found
    assert any(line == 7 and "true" in reason for line, reason in found)
    assert any(line == 8 and "not a number" in reason for line, reason in found)
    assert (9, "The question has no text.") in found
    assert any(line == 10 and "MULTIRESPONSE" in reason for line, reason in found)
    assert (11, "The text has no gaps.") in found
    assert (12, "A matching question needs at least two pairs; it has 1.") in found
    assert not any(line == 4 for line, _reason in found)


@pytest.mark.parametrize("grade", ["0", "abc", "-1"])
def test_bad_default_grade_is_a_warning_and_one_point(grade):
    result = parse(
        "<quiz>"
        + question(
            "truefalse", f'<defaultgrade>{grade}</defaultgrade><answer fraction="100"><text>true</text></answer>'
        )
        + "</quiz>"
    )
    assert result.problems == []
    assert result.questions[0].points == Decimal(1)
    assert len(result.warnings) == 1


def test_empty_quiz_has_no_questions_and_a_warning():
    result = parse("<quiz></quiz>")
    assert result.questions == []
    assert result.problems == []
    assert len(result.warnings) == 1


def test_write_warnings_name_what_moodle_cannot_do():
    questions = export_questions(["multiple", "single"])
    warnings = moodle_xml.write_warnings(questions)
    assert len(warnings) == 1
    assert "Q1: multiple" in warnings[0]
    assert moodle_xml.write_warnings(export_questions(["single", "essay"])) == []
